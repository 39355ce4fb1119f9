import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { newInternalError } from '../../api/errors.js';
import type { ObjectReference, Pod } from '../../api/types/index.js';
import { FakeClock } from '../../lib/testing/fake-clock.js';
import { RuntimeError } from '../../runtime/runtime.js';
import { FakeRuntime } from '../../runtime/testing/fake-runtime.js';
import { startNodeRegistration } from './node-registration.js';
import type { NodeRegistration, NodeRegistrationOptions } from './node-registration.js';
import { FakeRegistrationClient } from './testing/fake-registration-client.js';

interface H {
  clock: FakeClock;
  client: FakeRegistrationClient;
  runtime: FakeRuntime;
  reg: NodeRegistration;
  events: [string, string][];
  step(ms: number): Promise<void>;
  /** Lets queued continuations run, then waits for writes in flight. */
  settle(): Promise<void>;
}

async function start(patch: Partial<NodeRegistrationOptions> = {}, client = new FakeRegistrationClient()): Promise<H> {
  const clock = new FakeClock();
  const runtime = new FakeRuntime({ clock });
  const events: [string, string][] = [];
  const reg = startNodeRegistration({
    client,
    clock,
    nodeName: 'node-1',
    runtime,
    capacity: { cpuCores: 8, memoryBytes: 32 * 1024 ** 3, ephemeralStorageBytes: 100 * 1024 ** 3 },
    addresses: [
      { type: 'InternalIP', address: '10.0.0.7' },
      { type: 'Hostname', address: 'node-1' },
    ],
    streamPort: 10250,
    recorder: {
      event: (_t: Pod | ObjectReference, _type: string, reason: string, message: string) =>
        events.push([reason, message]),
    },
    ...patch,
  });
  const h: H = {
    clock,
    client,
    runtime,
    reg,
    events,
    async step(ms) {
      for (let left = ms; left > 0; left -= 1000) {
        clock.step(Math.min(1000, left));
        await h.settle();
      }
    },
    async settle() {
      for (let i = 0; i < 3; i++) {
        await new Promise<void>((r) => setImmediate(r));
        await reg.idle();
      }
    },
  };
  await h.settle();
  return h;
}

test('registers the Node with capacity, allocatable, addresses, nodeInfo, endpoint and ready conditions', async () => {
  const h = await start();
  const node = h.client.node('node-1');
  assert.ok(node);
  assert.deepEqual(node.metadata.labels, {
    'beta.kubernetes.io/arch': 'amd64',
    'beta.kubernetes.io/os': 'linux',
    'kubernetes.io/arch': 'amd64',
    'kubernetes.io/hostname': 'node-1',
    'kubernetes.io/os': 'linux',
  });
  const s = node.status!;
  assert.deepEqual(s.capacity, {
    cpu: '8',
    'ephemeral-storage': '104857600Ki',
    'hugepages-1Gi': '0',
    'hugepages-2Mi': '0',
    memory: '33554432Ki',
    pods: '110',
  });
  assert.deepEqual(s.allocatable, {
    cpu: '8',
    'ephemeral-storage': '96636764160',
    'hugepages-1Gi': '0',
    'hugepages-2Mi': '0',
    memory: '33452032Ki',
    pods: '110',
  });
  assert.deepEqual(s.addresses, [
    { type: 'InternalIP', address: '10.0.0.7' },
    { type: 'Hostname', address: 'node-1' },
  ]);
  assert.deepEqual(s.daemonEndpoints, { kubeletEndpoint: { Port: 10250 } });
  assert.equal(s.nodeInfo?.kubeletVersion, 'v1.32.0-podbay');
  assert.equal(s.nodeInfo?.containerRuntimeVersion, 'podbay-fake://0.0.0');
  assert.deepEqual(
    s.conditions?.map((c) => [c.type, c.status, c.reason, c.message]),
    [
      ['MemoryPressure', 'False', 'KubeletHasSufficientMemory', 'kubelet has sufficient memory available'],
      ['DiskPressure', 'False', 'KubeletHasNoDiskPressure', 'kubelet has no disk pressure'],
      ['PIDPressure', 'False', 'KubeletHasSufficientPID', 'kubelet has sufficient PID available'],
      ['Ready', 'True', 'KubeletReady', 'kubelet is posting ready status'],
    ],
  );
  assert.deepEqual(h.events, [
    ['Starting', 'Starting kubelet.'],
    ['NodeHasSufficientMemory', 'Node node-1 status is now: NodeHasSufficientMemory'],
    ['NodeHasNoDiskPressure', 'Node node-1 status is now: NodeHasNoDiskPressure'],
    ['NodeHasSufficientPID', 'Node node-1 status is now: NodeHasSufficientPID'],
    ['NodeReady', 'Node node-1 status is now: NodeReady'],
  ]);
  h.reg.stop();
});

test('creates the Lease in kube-node-lease owned by the Node and renews it every 10 s', async () => {
  const h = await start();
  const lease = h.client.lease('node-1');
  assert.ok(lease);
  assert.deepEqual(lease.spec?.holderIdentity, 'node-1');
  assert.equal(lease.spec?.leaseDurationSeconds, 40);
  assert.deepEqual(lease.metadata.ownerReferences, [
    { apiVersion: 'v1', kind: 'Node', name: 'node-1', uid: 'uid-node-1' },
  ]);
  const t0 = Date.parse(lease.spec.renewTime!);
  assert.match(lease.spec.renewTime!, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/);
  await h.step(9_000);
  assert.equal(Date.parse(h.client.lease('node-1')!.spec!.renewTime!), t0);
  await h.step(1_000);
  assert.equal(Date.parse(h.client.lease('node-1')!.spec!.renewTime!), t0 + 10_000);
  await h.step(30_000);
  assert.equal(Date.parse(h.client.lease('node-1')!.spec!.renewTime!), t0 + 40_000);
  h.reg.stop();
});

test('posts node status only when it changes, or every 5 minutes', async () => {
  const h = await start();
  await h.step(1_000);
  const statusWrites = () => h.client.writes.filter(([v, k]) => v === 'updateStatus' && k === 'nodes/node-1').length;
  const first = statusWrites();
  assert.equal(first, 1, 'the first sync reports');
  await h.step(120_000);
  assert.equal(statusWrites(), first, 'nothing changed: no writes');
  h.runtime.injectError('status', new RuntimeError('Unavailable', 'down'));
  await h.step(10_000);
  assert.equal(statusWrites(), first + 1, 'Ready went False: posted at the next 10 s sync');
  const ready = h.client.node('node-1')!.status!.conditions!.find((c) => c.type === 'Ready')!;
  assert.deepEqual(
    [ready.status, ready.reason, ready.message],
    ['False', 'KubeletNotReady', 'container runtime is down'],
  );
  assert.deepEqual(h.events.at(-1), ['NodeNotReady', 'Node node-1 status is now: NodeNotReady']);
  const since = statusWrites();
  await h.step(5 * 60_000);
  assert.equal(statusWrites(), since + 1, 'unchanged status is reported again after 5 min');
  h.reg.stop();
});

test('a status the node controller changed (Ready Unknown) is overwritten at the next sync, with a new transition time', async () => {
  const h = await start();
  await h.step(1_000);
  const node = h.client.node('node-1')!;
  const readyAt = node.status!.conditions!.find((c) => c.type === 'Ready')!.lastTransitionTime;
  node.status!.conditions = node.status!.conditions!.map((c) =>
    c.type === 'Ready'
      ? { ...c, status: 'Unknown', reason: 'NodeStatusUnknown', message: 'Kubelet stopped posting node status.' }
      : c,
  );
  h.clock.step(60_000 - 1_000);
  await h.settle();
  await h.step(10_000);
  const ready = h.client.node('node-1')!.status!.conditions!.find((c) => c.type === 'Ready')!;
  assert.equal(ready.status, 'True');
  assert.notEqual(ready.lastTransitionTime, readyAt);
  h.reg.stop();
});

test('a runtime network that is not ready makes Ready False with the runtime reason', async () => {
  const h = await start();
  h.runtime.status = () =>
    Promise.resolve({
      conditions: [
        { type: 'RuntimeReady', status: true },
        { type: 'NetworkReady', status: false, reason: 'NetworkPluginNotReady', message: 'cni plugin not initialized' },
      ],
    });
  await h.step(10_000);
  const ready = h.client.node('node-1')!.status!.conditions!.find((c) => c.type === 'Ready')!;
  assert.equal(
    ready.message,
    'container runtime network not ready: NetworkReady=false reason:NetworkPluginNotReady message:cni plugin not initialized',
  );
  h.reg.stop();
});

test('an existing Node of the same name is adopted and its missing labels restored', async () => {
  const client = new FakeRegistrationClient();
  await client.nodes.create(undefined, { metadata: { name: 'node-1', labels: { team: 'a' } }, status: {} });
  const h = await start({}, client);
  const node = await h.reg.registered;
  assert.equal(node.metadata.labels?.team, 'a');
  assert.equal(node.metadata.labels?.['kubernetes.io/hostname'], 'node-1');
  await h.step(1_000);
  assert.equal(h.client.node('node-1')!.status!.conditions!.length, 4);
  h.reg.stop();
});

test('registration retries with backoff while the API fails', async () => {
  const client = new FakeRegistrationClient();
  client.nodes.failNext = [newInternalError('etcd down'), newInternalError('etcd down'), newInternalError('etcd down')];
  const errors: unknown[] = [];
  const h = await start({ onError: (e) => errors.push(e) }, client);
  assert.equal(h.client.node('node-1'), undefined);
  h.clock.step(100); // retry 1 after 100 ms
  await h.settle();
  h.clock.step(200); // retry 2 after 200 ms
  await h.settle();
  assert.equal(h.client.node('node-1'), undefined);
  h.clock.step(399);
  await h.settle();
  assert.equal(h.client.node('node-1'), undefined);
  h.clock.step(1); // retry 3 after 400 ms succeeds
  await h.settle();
  assert.ok(h.client.node('node-1'));
  assert.equal(errors.length, 3);
  h.reg.stop();
});

test('the Lease namespace is created when the server lacks it', async () => {
  const h = await start({}, new FakeRegistrationClient({ withLeaseNamespace: false }));
  assert.ok(h.client.lease('node-1'));
  assert.ok(h.client.writes.some(([v, k]) => v === 'create' && k === 'namespaces/kube-node-lease'));
  h.reg.stop();
});

test('a renewal that conflicts re-reads the Lease and renews it', async () => {
  const h = await start();
  const lease = h.client.lease('node-1')!;
  lease.metadata.resourceVersion = '999'; // someone else wrote it
  await h.step(10_000);
  assert.equal(Date.parse(h.client.lease('node-1')!.spec!.renewTime!), h.clock.now());
  h.reg.stop();
});

test('stop ends both loops: no more writes', async () => {
  const h = await start();
  await h.step(1_000);
  h.reg.stop();
  const n = h.client.writes.length;
  await h.step(10 * 60_000);
  assert.equal(h.client.writes.length, n);
  assert.equal(h.clock.pendingTimers(), 0);
});
