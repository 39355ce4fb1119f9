// The stream path on real containers: kubectl → apiserver proxy → agent stream
// server → the oci runtime (runc + conmon, busybox from Debian's busybox-static):
// logs from the CRI log file, exec exit codes and stdin, kubectl cp with the
// container's own tar, port-forward into the pod's network namespace. Root only
// (the integration tier of make test); everything is removed afterwards, checked
// by the oci test bed.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { request } from 'node:http';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import type { Pod } from '../../src/api/types/index.js';
import { createNodeProxyPodStreams, storeNodeGetter } from '../../src/apiserver/streams/node-proxy-pod-streams.js';
import { startTestServer } from '../../src/apiserver/testing/test-server.js';
import type { TestServer } from '../../src/apiserver/testing/test-server.js';
import { ApiClient } from '../../src/client/api-client.js';
import { RealClock } from '../../src/lib/clock.js';
import { startAgentStreamServer } from '../../src/node/server/agent-stream-server.js';
import type { AgentStreamServer } from '../../src/node/server/agent-stream-server.js';
import type { OciRuntime } from '../../src/runtime/oci/oci-runtime.js';
import { containerConfigFor, sandboxConfigFor } from '../../src/runtime/testing/runtime-builders.js';
import { MemoryStore } from '../../src/store/memory/memory-store.js';
import { freePort } from '../helpers/free-port.js';
import { newKubectl, writePlainHttpKubeconfig } from '../helpers/kubectl.js';
import type { Kubectl } from '../helpers/kubectl.js';
import { waitFor } from '../helpers/wait-for.js';
import { BUSYBOX_REF, makeTestBed } from '../oci/oci-fixtures.js';
import type { OciTestBed } from '../oci/oci-fixtures.js';

const TOKEN = 'oci-stream-token';
const NODE = 'oci-stream-node';

let bed: OciTestBed;
let rt: OciRuntime;
let server: TestServer;
let client: ApiClient;
let agent: AgentStreamServer;
let kubectl: Kubectl;
let containerId = '';

before(async () => {
  bed = await makeTestBed();
  rt = await bed.open();
  await rt.pullImage({ image: BUSYBOX_REF });
  const store = new MemoryStore();
  server = await startTestServer({
    store,
    token: null,
    podStreams: createNodeProxyPodStreams({ getNode: storeNodeGetter(store), token: TOKEN }),
  });
  client = new ApiClient({ server: server.url, userAgent: 'podbay-oci-streams-test' });
  const pod = await client.pods.create('default', {
    metadata: { name: 'ocistream', namespace: 'default' },
    spec: { nodeName: NODE, containers: [{ name: 'app', image: BUSYBOX_REF }] },
  });
  const uid = pod.metadata.uid!;
  // The pod, made on the runtime as the pod workers would (their labels are how the agent finds it).
  const sandbox = sandboxConfigFor('ocistream', {
    logRoot: bed.logRoot,
    metadata: { name: 'ocistream', namespace: 'default', uid, attempt: 0 },
  });
  sandbox.labels['io.kubernetes.pod.uid'] = uid;
  const sandboxId = await rt.runPodSandbox(sandbox);
  const cc = containerConfigFor('app', BUSYBOX_REF, [
    'sh',
    '-c',
    'echo one; echo two >&2; mkdir -p /www; echo hello from runc > /www/index.html; exec httpd -f -p 8080 -h /www',
  ]);
  cc.labels = { ...sandbox.labels, ...cc.labels };
  containerId = await rt.createContainer(sandboxId, cc, sandbox);
  await rt.startContainer(containerId);
  const status: Pod['status'] = {
    phase: 'Running',
    containerStatuses: [
      {
        name: 'app',
        ready: true,
        restartCount: 0,
        image: BUSYBOX_REF,
        imageID: '',
        containerID: `containerd://${containerId}`,
        state: { running: { startedAt: new Date().toISOString() } },
      },
    ],
  };
  agent = await startAgentStreamServer({
    runtime: rt,
    clock: new RealClock(),
    host: '127.0.0.1',
    port: 0,
    token: TOKEN,
    pods: async (ns, name) => (ns === 'default' && name === 'ocistream' ? { ...pod, status } : undefined),
  });
  const node = await client.nodes.create(undefined, { metadata: { name: NODE }, spec: {} });
  await client.nodes.updateStatus({
    ...node,
    status: {
      addresses: [{ type: 'InternalIP', address: '127.0.0.1' }],
      daemonEndpoints: { kubeletEndpoint: { Port: agent.port } },
    },
  });
  const stored = await client.pods.get('default', 'ocistream');
  await client.pods.updateStatus({ ...stored, status: { ...stored.status, ...status } });
  const kubeconfig = join(bed.dir, 'kubeconfig');
  await writePlainHttpKubeconfig(kubeconfig, server.url);
  kubectl = newKubectl(kubeconfig);
  await waitFor(async () => (await kubectl(['logs', 'ocistream'])).stdout.includes('two'), {
    timeoutMs: 15_000,
    what: 'the container logged',
  });
});

after(async () => {
  await agent?.close();
  client?.close();
  await server?.close();
  const left = await bed.cleanup();
  assert.deepEqual(left, [], 'nothing left behind');
});

test('kubectl logs reads the CRI log of the runc container', async () => {
  const r = await kubectl(['logs', 'ocistream']);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout, 'one\ntwo\n');
  const tail = await kubectl(['logs', 'ocistream', '--tail=1', '--timestamps']);
  assert.match(tail.stdout, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{9}Z two\n$/);
});

test('kubectl exec runs in the container: output, exit code, stdin', async () => {
  const r = await kubectl(['exec', 'ocistream', '--', 'sh', '-c', 'cat /www/index.html; echo err >&2; exit 3']);
  assert.equal(r.code, 3);
  assert.equal(r.stdout, 'hello from runc\n');
  assert.equal(r.stderr, 'err\ncommand terminated with exit code 3\n');
  const cat = await kubectl(['exec', '-i', 'ocistream', '--', 'sh', '-c', 'wc -c'], { stdin: 'twelve bytes' });
  assert.equal(cat.code, 0, cat.stderr);
  assert.equal(cat.stdout.trim(), '12');
});

test('kubectl cp copies files in and out with the container tar', async () => {
  const data = randomBytes(100_000);
  const local = join(bed.dir, 'blob.bin');
  await writeFile(local, data);
  const up = await kubectl(['cp', local, 'ocistream:/tmp/blob.bin']);
  assert.equal(up.code, 0, up.stderr);
  const sum = await kubectl(['exec', 'ocistream', '--', 'wc', '-c', '/tmp/blob.bin']);
  assert.match(sum.stdout, /^\s*100000 \/tmp\/blob.bin/);
  const back = join(bed.dir, 'back.bin');
  const down = await kubectl(['cp', 'ocistream:/tmp/blob.bin', back]);
  assert.equal(down.code, 0, down.stderr);
  assert.ok((await readFile(back)).equals(data));
});

test('kubectl port-forward reaches httpd inside the pod network namespace', async () => {
  const local = await freePort();
  const p = kubectl.spawn(['port-forward', 'pod/ocistream', `${local}:8080`]);
  try {
    await waitFor(() => p.stdout().includes('Forwarding from 127.0.0.1'), { timeoutMs: 15_000, what: 'port-forward' });
    const body = await new Promise<string>((resolve, reject) => {
      const req = request({ host: '127.0.0.1', port: local, path: '/', agent: false }, (res) => {
        let b = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => (b += c));
        res.on('end', () => resolve(b));
      });
      req.on('error', reject);
      req.end();
    });
    assert.equal(body, 'hello from runc\n');
  } finally {
    p.child.kill('SIGTERM');
    await p.done;
  }
});
