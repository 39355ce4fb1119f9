// Shared setup for control-plane integration tests: the real apiserver app over a
// MemoryStore on 127.0.0.1, one ApiClient, a FakeClock for the components under test.
import type { Node } from '../../src/api/types/index.js';
import { startTestServer, TEST_TOKEN } from '../../src/apiserver/testing/test-server.js';
import type { TestServer } from '../../src/apiserver/testing/test-server.js';
import { ApiClient } from '../../src/client/api-client.js';
import { FakeClock } from '../../src/lib/testing/fake-clock.js';

export interface Harness {
  server: TestServer;
  client: ApiClient;
  clock: FakeClock;
  errors: unknown[];
  close(): Promise<void>;
}

export async function startHarness(): Promise<Harness> {
  // The apiserver keeps real time (timestamps it writes); components run on the fake clock,
  // started at the same instant so deletion timestamps and probes line up.
  const clock = new FakeClock(Date.now());
  const server = await startTestServer({});
  const client = new ApiClient({ server: server.url, token: TEST_TOKEN, userAgent: 'podbay-control-test' });
  const errors: unknown[] = [];
  return {
    server,
    client,
    clock,
    errors,
    async close() {
      client.close();
      await server.close();
    },
  };
}

/** Creates a node and writes its status (capacity, allocatable, Ready). */
export async function createNode(
  client: ApiClient,
  name: string,
  o: {
    cpu?: string;
    memory?: string;
    pods?: string;
    ready?: 'True' | 'False' | 'Unknown';
    labels?: Record<string, string>;
  } = {},
): Promise<Node> {
  const res = { cpu: o.cpu ?? '4', memory: o.memory ?? '8Gi', pods: o.pods ?? '110' };
  const created = await client.nodes.create(undefined, {
    metadata: { name, labels: { 'kubernetes.io/hostname': name, ...o.labels } },
    spec: {},
  });
  return client.nodes.updateStatus({
    ...created,
    status: {
      capacity: res,
      allocatable: res,
      conditions: [
        {
          type: 'Ready',
          status: o.ready ?? 'True',
          reason: 'KubeletReady',
          message: 'kubelet is posting ready status',
          lastHeartbeatTime: new Date().toISOString().replace(/\.\d{3}Z$/, 'Z'),
          lastTransitionTime: new Date().toISOString().replace(/\.\d{3}Z$/, 'Z'),
        },
      ],
    },
  });
}

/** Polls an async condition (API reads: network I/O, not timers) until it holds. */
export async function eventually<T>(
  f: () => Promise<T | undefined | false>,
  what: string,
  timeoutMs = 5000,
): Promise<T> {
  const start = performance.now();
  let last: unknown;
  for (;;) {
    try {
      const v = await f();
      if (v) {
        return v;
      }
    } catch (e) {
      last = e;
    }
    if (performance.now() - start > timeoutMs) {
      throw new Error(`timed out waiting for ${what}`, { cause: last });
    }
    await new Promise((r) => setTimeout(r, 10));
  }
}
