// The scheduler, the node lifecycle controller and pod GC together over one set of shared
// informers, as `podbay up` wires them.
import assert from 'node:assert/strict';
import { afterEach, test } from 'node:test';
import { SharedInformers } from '../../src/client/shared-informers.js';
import { startNodeLifecycleController } from '../../src/controllers/node-lifecycle/node-lifecycle-controller.js';
import type { NodeLifecycleHandle } from '../../src/controllers/node-lifecycle/node-lifecycle-controller.js';
import { startPodGC } from '../../src/controllers/pod-gc/pod-gc-controller.js';
import type { PodGcHandle } from '../../src/controllers/pod-gc/pod-gc-controller.js';
import { rfc3339 } from '../../src/lib/clock.js';
import { startScheduler } from '../../src/scheduler/scheduler.js';
import type { SchedulerHandle } from '../../src/scheduler/scheduler.js';
import { createNode, eventually, startHarness } from './harness.js';
import type { Harness } from './harness.js';

let h: Harness | undefined;
let parts:
  { sched: SchedulerHandle; nlc: NodeLifecycleHandle; gc: PodGcHandle; informers: SharedInformers } | undefined;
afterEach(async () => {
  if (parts) {
    await parts.sched.stop();
    await parts.nlc.stop();
    await parts.gc.stop();
    await parts.informers.stop();
  }
  await h?.close();
  parts = undefined;
});

test('a lost node stops getting pods, its pods go Unknown, and new pods land on the healthy node', async () => {
  h = await startHarness();
  await createNode(h.client, 'n1');
  await createNode(h.client, 'n2', { cpu: '1' });
  for (const n of ['n1', 'n2']) {
    await h.client.leases.create('kube-node-lease', {
      metadata: { name: n, namespace: 'kube-node-lease' },
      spec: { holderIdentity: n, leaseDurationSeconds: 40, renewTime: rfc3339(h.clock.now()) },
    });
  }
  const informers = new SharedInformers(h.client, h.clock, (e) => h!.errors.push(e));
  const common = { client: h.client, clock: h.clock, informers, onError: (e: unknown) => h!.errors.push(e) };
  parts = {
    informers,
    sched: await startScheduler(common),
    nlc: await startNodeLifecycleController(common),
    gc: await startPodGC(common),
  };
  await h.client.pods.create('default', {
    metadata: { name: 'first', namespace: 'default' },
    spec: { containers: [{ name: 'app', image: 'busybox' }] },
  });
  // Least allocated: the bigger n1 wins.
  await eventually(async () => (await h!.client.pods.get('default', 'first')).spec.nodeName === 'n1', 'first on n1');

  // n2 keeps renewing; n1 goes silent.
  const l2 = await h.client.leases.get('kube-node-lease', 'n2');
  h.clock.step(30_000);
  await h.client.leases.update({ ...l2, spec: { ...l2.spec, renewTime: new Date(h.clock.now()).toISOString() } });
  await eventually(
    async () =>
      parts!.informers.nodeLeases().get('kube-node-lease', 'n2')?.metadata.resourceVersion !==
      l2.metadata.resourceVersion,
    'renewal seen',
  );
  h.clock.step(15_000);
  await parts.nlc.settle();
  const first = await eventually(async () => {
    const p = await h!.client.pods.get('default', 'first');
    return p.status?.phase === 'Unknown' ? p : undefined;
  }, 'first Unknown');
  assert.equal(first.status?.conditions?.find((c) => c.type === 'Ready')?.reason, 'NodeLost');
  const n2 = await h.client.nodes.get(undefined, 'n2');
  assert.equal(n2.status?.conditions?.find((c) => c.type === 'Ready')?.status, 'True');

  await eventually(
    async () => (parts!.informers.nodes().get(undefined, 'n1')?.spec?.taints?.length ?? 0) === 2,
    'taints seen',
  );
  await h.client.pods.create('default', {
    metadata: { name: 'second', namespace: 'default' },
    spec: { containers: [{ name: 'app', image: 'busybox' }] },
  });
  await eventually(async () => (await h!.client.pods.get('default', 'second')).spec.nodeName === 'n2', 'second on n2');
});
