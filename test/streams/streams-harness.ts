// An in-process cluster for stream tests: the apiserver app over a MemoryStore on
// 127.0.0.1 with the node-proxy PodStreams, one node agent on the sim runtime and
// its stream server. Real time: the sim's exec and log timers must run while a
// client waits on a socket (API I/O is awaited with `eventually`, never slept on).
import { KubeConfig } from '@kubernetes/client-node';
import { isStatusError } from '../../src/api/errors.js';
import type { Pod } from '../../src/api/types/index.js';
import { createNodeProxyPodStreams, storeNodeGetter } from '../../src/apiserver/streams/node-proxy-pod-streams.js';
import { startTestServer, TEST_TOKEN } from '../../src/apiserver/testing/test-server.js';
import type { TestServer } from '../../src/apiserver/testing/test-server.js';
import { ApiClient } from '../../src/client/api-client.js';
import { RealClock } from '../../src/lib/clock.js';
import type { Clock } from '../../src/lib/clock.js';
import { startNodeAgent } from '../../src/node/agent.js';
import type { NodeAgent } from '../../src/node/agent.js';
import { startAgentStreamServer } from '../../src/node/server/agent-stream-server.js';
import type { AgentStreamServer } from '../../src/node/server/agent-stream-server.js';
import { SimRuntime } from '../../src/runtime/sim/sim-runtime.js';
import type { SimRuntimeOptions } from '../../src/runtime/sim/sim-runtime.js';
import { MemoryStore } from '../../src/store/memory/memory-store.js';
import { eventually } from '../control/harness.js';

export const AGENT_TOKEN = 'agent-stream-token';
export const NODE = 'stream-node';

export interface StreamsCluster {
  server: TestServer;
  client: ApiClient;
  runtime: SimRuntime;
  agent: NodeAgent;
  streamServer: AgentStreamServer;
  /** A client-node KubeConfig for the apiserver (plain http needs skipTLSVerify). */
  kubeConfig(): KubeConfig;
  /** Creates the pod on the node and waits until it is Running. */
  runPod(pod: Pod): Promise<Pod>;
  errors: unknown[];
  close(): Promise<void>;
}

export interface StreamsClusterOptions {
  /**
   * false: the apiserver takes requests without a token (kubectl sends no bearer
   * token over plain http, and the in-process server has no TLS).
   */
  apiserverAuth?: boolean;
  /** The agent's and the sim's clock (default real time); a FakeClock for lifecycle steps. */
  clock?: Clock;
  /** The node's runtime (default a SimRuntime with busybox:1.36 present). */
  runtime?: (o: SimRuntimeOptions) => SimRuntime;
  /** The agent serves HTTPS with a certificate of this CA, which the proxy checks. */
  agentTls?: { caCertPem: string; certPem: string; keyPem: string };
}

export async function startStreamsCluster(opts: StreamsClusterOptions = {}): Promise<StreamsCluster> {
  const clock = opts.clock ?? new RealClock();
  const store = new MemoryStore();
  const podStreams = createNodeProxyPodStreams({
    getNode: storeNodeGetter(store),
    token: AGENT_TOKEN,
    ...(opts.agentTls ? { tls: { caPem: opts.agentTls.caCertPem } } : {}),
  });
  const auth = opts.apiserverAuth ?? true;
  const server = await startTestServer({ store, podStreams, ...(auth ? {} : { token: null }) });
  const client = new ApiClient({
    server: server.url,
    ...(auth ? { token: TEST_TOKEN } : {}),
    userAgent: 'podbay-streams-test',
  });
  const simOptions: SimRuntimeOptions = { clock, preloadedImages: ['busybox:1.36'], nodeIp: '127.0.0.1' };
  const runtime = opts.runtime ? opts.runtime(simOptions) : new SimRuntime(simOptions);
  const errors: unknown[] = [];
  const streamServer = await startAgentStreamServer({
    runtime,
    clock,
    host: '127.0.0.1',
    port: 0,
    token: AGENT_TOKEN,
    pods: async (ns, name) => {
      try {
        return await client.pods.get(ns, name);
      } catch (e) {
        if (isStatusError(e, 'NotFound')) {
          return undefined;
        }
        throw e;
      }
    },
    onError: (e) => errors.push(e),
    ...(opts.agentTls ? { tls: { certPem: opts.agentTls.certPem, keyPem: opts.agentTls.keyPem } } : {}),
  });
  const agent = startNodeAgent({
    client,
    runtime,
    clock,
    nodeName: NODE,
    register: { streamPort: streamServer.port },
    random: () => 0,
  });
  await agent.ready;
  await eventually(async () => {
    const n = await client.nodes.get(undefined, NODE).catch(() => undefined);
    return n?.status?.daemonEndpoints?.kubeletEndpoint?.Port === streamServer.port;
  }, 'the node registered with its stream port');
  return {
    server,
    client,
    runtime,
    agent,
    streamServer,
    errors,
    kubeConfig() {
      const kc = new KubeConfig();
      kc.loadFromOptions({
        clusters: [{ name: 'c', server: server.url, skipTLSVerify: true }],
        users: [{ name: 'u', token: TEST_TOKEN }],
        contexts: [{ name: 'x', cluster: 'c', user: 'u' }],
        currentContext: 'x',
      });
      return kc;
    },
    async runPod(pod) {
      pod.spec.nodeName = NODE;
      const ns = pod.metadata.namespace ?? 'default';
      await client.pods.create(ns, pod);
      return eventually(async () => {
        const p = await client.pods.get(ns, pod.metadata.name!);
        return p.status?.phase === 'Running' ? p : undefined;
      }, `${pod.metadata.name} Running`);
    },
    async close() {
      await agent.stop();
      await streamServer.close();
      client.close();
      await server.close();
    },
  };
}
