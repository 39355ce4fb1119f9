import assert from 'node:assert/strict';
import { afterEach, test } from 'node:test';
import type { Lease, Pod, WatchEvent } from '../../src/api/types/index.js';
import { startNodeLifecycleController } from '../../src/controllers/node-lifecycle/node-lifecycle-controller.js';
import type { NodeLifecycleHandle } from '../../src/controllers/node-lifecycle/node-lifecycle-controller.js';
import { rfc3339 } from '../../src/lib/clock.js';
import { createNode, eventually, startHarness } from './harness.js';
import type { Harness } from './harness.js';

let h: Harness | undefined;
let ctl: NodeLifecycleHandle | undefined;
let stopWatch: (() => void) | undefined;
afterEach(async () => {
  stopWatch?.();
  await ctl?.stop();
  await h?.close();
  ctl = undefined;
  stopWatch = undefined;
});

async function createLease(h: Harness, node: string): Promise<Lease> {
  return h.client.leases.create('kube-node-lease', {
    metadata: { name: node, namespace: 'kube-node-lease' },
    spec: { holderIdentity: node, leaseDurationSeconds: 40, renewTime: rfc3339(h.clock.now()) },
  });
}

async function renewLease(h: Harness, node: string): Promise<void> {
  const l = await h.client.leases.get('kube-node-lease', node);
  await h.client.leases.update({ ...l, spec: { ...l.spec, renewTime: new Date(h.clock.now()).toISOString() } });
}

async function runningPod(h: Harness, name: string, node: string, mutate?: (p: Pod) => void): Promise<Pod> {
  const p: Pod = {
    metadata: { name, namespace: 'default' },
    spec: { nodeName: node, containers: [{ name: 'app', image: 'busybox' }] },
  };
  mutate?.(p);
  const created = await h.client.pods.create('default', p);
  const now = rfc3339(h.clock.now());
  return h.client.pods.updateStatus({
    ...created,
    status: {
      ...created.status,
      phase: 'Running',
      conditions: [
        { type: 'Ready', status: 'True', lastProbeTime: null, lastTransitionTime: now },
        { type: 'PodScheduled', status: 'True', lastProbeTime: null, lastTransitionTime: now },
      ],
    },
  });
}

/** Every pod change from now on (to see states a pod passes through before it is deleted). */
async function recordPodChanges(h: Harness): Promise<WatchEvent<Pod>[]> {
  const list = await h.client.pods.list('default');
  const w = await h.client.pods.watch('default', { resourceVersion: list.metadata.resourceVersion });
  const seen: WatchEvent<Pod>[] = [];
  stopWatch = w.stop;
  void (async () => {
    try {
      for await (const ev of w.events) {
        seen.push(ev);
      }
    } catch {
      // stopped
    }
  })();
  return seen;
}

async function start(h: Harness): Promise<NodeLifecycleHandle> {
  return startNodeLifecycleController({ client: h.client, clock: h.clock, onError: (e) => h.errors.push(e) });
}

test('a node whose lease stops for longer than 40 s becomes Unknown and tainted unreachable, and its pods Unknown/NodeLost', async () => {
  h = await startHarness();
  await createNode(h.client, 'n1');
  await createLease(h, 'n1');
  await runningPod(h, 'web', 'n1');
  ctl = await start(h);

  h.clock.step(40_000);
  await ctl.settle();
  let node = await h.client.nodes.get(undefined, 'n1');
  assert.equal(node.status?.conditions?.find((c) => c.type === 'Ready')?.status, 'True', 'still Ready at exactly 40 s');

  h.clock.step(5_000);
  await ctl.settle();
  node = await eventually(async () => {
    const n = await h!.client.nodes.get(undefined, 'n1');
    return (n.spec?.taints?.length ?? 0) === 2 ? n : undefined;
  }, 'taints');
  const ready = node.status?.conditions?.find((c) => c.type === 'Ready');
  assert.deepEqual(
    [ready?.status, ready?.reason, ready?.message],
    ['Unknown', 'NodeStatusUnknown', 'Kubelet stopped posting node status.'],
  );
  assert.deepEqual(
    node.spec?.taints?.map((t) => `${t.key}:${t.effect}`),
    ['node.kubernetes.io/unreachable:NoExecute', 'node.kubernetes.io/unreachable:NoSchedule'],
  );
  const pod = await eventually(async () => {
    const p = await h!.client.pods.get('default', 'web');
    return p.status?.phase === 'Unknown' ? p : undefined;
  }, 'pod Unknown');
  assert.equal(pod.status?.reason, undefined);
  assert.equal(pod.status?.conditions?.find((c) => c.type === 'Ready')?.reason, 'NodeLost');
  assert.equal(pod.status?.message, 'Node n1 which was running pod web is unresponsive');
  assert.equal(pod.status?.conditions?.find((c) => c.type === 'Ready')?.status, 'False');
});

test('evicts the pods of a lost node when their 300 s toleration runs out: DisruptionTarget, Failed, deleted', async () => {
  h = await startHarness();
  await createNode(h.client, 'n1');
  await createLease(h, 'n1');
  await runningPod(h, 'web', 'n1');
  await runningPod(h, 'fast', 'n1', (p) => {
    p.spec.tolerations = [
      { key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 10 },
    ];
  });
  await runningPod(h, 'stays', 'n1', (p) => {
    p.spec.tolerations = [{ key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute' }];
  });
  ctl = await start(h);
  const changes = await recordPodChanges(h);

  h.clock.step(45_000);
  await ctl.settle();
  await eventually(async () => ctl!.scheduledEvictions().size === 2, 'two evictions scheduled');
  const at = ctl.scheduledEvictions();
  assert.equal(at.get('default/fast'), h.clock.now() + 10_000);
  assert.equal(at.get('default/web'), h.clock.now() + 300_000);

  h.clock.step(10_000);
  await ctl.settle();
  await eventually(
    async () => changes.some((e) => e.type === 'DELETED' && e.object.metadata.name === 'fast'),
    'fast deleted',
  );
  assert.ok((await h.client.pods.list('default')).items.some((p) => p.metadata.name === 'web'));

  h.clock.step(290_000);
  await ctl.settle();
  await eventually(
    async () => changes.some((e) => e.type === 'DELETED' && e.object.metadata.name === 'web'),
    'web deleted',
  );

  const lastWeb = changes.filter((e) => e.object.metadata.name === 'web' && e.type === 'MODIFIED').at(-1)!.object;
  assert.equal(lastWeb.status?.phase, 'Failed');
  assert.equal(lastWeb.status?.reason, 'NodeLost');
  const dt = lastWeb.status?.conditions?.find((c) => c.type === 'DisruptionTarget');
  assert.deepEqual(
    [dt?.status, dt?.reason, dt?.message],
    ['True', 'DeletionByTaintManager', 'Taint manager: deleting due to NoExecute taint'],
  );
  const remaining = (await h.client.pods.list('default')).items.map((p) => p.metadata.name);
  assert.deepEqual(remaining, ['stays']);
  const evs = (await h.client.events.list('default')).items.filter((e) => e.reason === 'TaintManagerEviction');
  assert.deepEqual(evs.map((e) => e.message).sort(), [
    'Marking for deletion Pod default/fast',
    'Marking for deletion Pod default/web',
  ]);
});

test('when the node comes back the taints come off and pending evictions are cancelled', async () => {
  h = await startHarness();
  await createNode(h.client, 'n1');
  await createLease(h, 'n1');
  await runningPod(h, 'web', 'n1');
  ctl = await start(h);
  h.clock.step(45_000);
  await ctl.settle();
  await eventually(async () => ctl!.scheduledEvictions().size === 1, 'eviction scheduled');

  // The agent is back: it renews its lease and posts Ready=True.
  await renewLease(h, 'n1');
  const n = await h.client.nodes.get(undefined, 'n1');
  await h.client.nodes.updateStatus({
    ...n,
    status: {
      ...n.status,
      conditions: (n.status?.conditions ?? []).map((c) =>
        c.type === 'Ready'
          ? { ...c, status: 'True', reason: 'KubeletReady', message: 'kubelet is posting ready status' }
          : c,
      ),
    },
  });
  await eventually(
    async () => ((await h!.client.nodes.get(undefined, 'n1')).spec?.taints ?? []).length === 0,
    'taints removed',
  );
  await eventually(async () => ctl!.scheduledEvictions().size === 0, 'eviction cancelled');
  // The renewal counts from when the controller saw it: 35 s later the node is still fine.
  h.clock.step(35_000);
  await ctl.settle();
  assert.ok(await h.client.pods.get('default', 'web'));
  assert.equal(ctl.scheduledEvictions().size, 0);
  const ready = (await h.client.nodes.get(undefined, 'n1')).status?.conditions?.find((c) => c.type === 'Ready');
  assert.equal(ready?.status, 'True', 'a renewed lease keeps the node from being marked lost again');
  const evs = (await h.client.events.list('default')).items.map((e) => `${e.reason}: ${e.message}`);
  assert.ok(evs.includes('TaintManagerEviction: Cancelling deletion of Pod default/web'), evs.join('\n'));
  assert.ok(evs.includes('NodeNotReady: Node n1 status is now: NodeNotReady'), evs.join('\n'));
  assert.ok(evs.includes('NodeNotReady: Node is not ready'), evs.join('\n'));
});
