import assert from 'node:assert/strict';
import { afterEach, test } from 'node:test';
import type { Pod } from '../../src/api/types/index.js';
import { startScheduler } from '../../src/scheduler/scheduler.js';
import type { SchedulerHandle } from '../../src/scheduler/scheduler.js';
import { createNode, eventually, startHarness } from './harness.js';
import type { Harness } from './harness.js';

let h: Harness | undefined;
let sched: SchedulerHandle | undefined;
afterEach(async () => {
  await sched?.stop();
  await h?.close();
  sched = undefined;
});

function pod(name: string, cpu: string, mutate?: (p: Pod) => void): Pod {
  const p: Pod = {
    metadata: { name, namespace: 'default' },
    spec: { containers: [{ name: 'app', image: 'busybox', resources: { requests: { cpu } } }] },
  };
  mutate?.(p);
  return p;
}

async function eventsFor(
  h: Harness,
  name: string,
): Promise<{ reason?: string; message?: string; type?: string; count?: number }[]> {
  const list = await h.client.events.list('default');
  return list.items.filter((e) => e.involvedObject.name === name);
}

test('binds a pending pod to the node that fits and records Scheduled', async () => {
  h = await startHarness();
  await createNode(h.client, 'small', { cpu: '1' });
  await createNode(h.client, 'big', { cpu: '4' });
  sched = await startScheduler({ client: h.client, clock: h.clock, onError: (e) => h!.errors.push(e) });
  await h.client.pods.create('default', pod('web', '2'));
  const bound = await eventually(async () => {
    const p = await h!.client.pods.get('default', 'web');
    return p.spec.nodeName ? p : undefined;
  }, 'binding');
  assert.equal(bound.spec.nodeName, 'big');
  const evs = await eventually(async () => {
    const e = await eventsFor(h!, 'web');
    return e.length ? e : undefined;
  }, 'Scheduled event');
  assert.deepEqual(
    evs.map((e) => [e.type, e.reason, e.message]),
    [['Normal', 'Scheduled', 'Successfully assigned default/web to big']],
  );
});

test('marks an unfittable pod PodScheduled=False Unschedulable, then binds it when a node that fits joins', async () => {
  h = await startHarness();
  await createNode(h.client, 'n1', { cpu: '1' });
  await createNode(h.client, 'n2', { cpu: '2', labels: { zone: 'b' } });
  sched = await startScheduler({ client: h.client, clock: h.clock, onError: (e) => h!.errors.push(e) });
  await h.client.pods.create('default', pod('huge', '3'));
  const expected =
    '0/2 nodes are available: 2 Insufficient cpu. preemption: 0/2 nodes are available: 2 No preemption victims found for incoming pod.';
  const cond = await eventually(async () => {
    const p = await h!.client.pods.get('default', 'huge');
    return p.status?.conditions?.find((c) => c.type === 'PodScheduled');
  }, 'PodScheduled condition');
  assert.deepEqual(
    [cond.status, cond.reason, cond.message, cond.lastProbeTime ?? null],
    ['False', 'Unschedulable', expected, null],
  );
  const failed = await eventsFor(h, 'huge');
  assert.deepEqual(
    failed.map((e) => [e.type, e.reason, e.message]),
    [['Warning', 'FailedScheduling', expected]],
  );

  await createNode(h.client, 'n3', { cpu: '8' });
  // The new node wakes the parked pod; it waits out its 1 s back-off first.
  await eventually(async () => sched!.queueStats().backoff === 1, 'pod in back-off');
  h.clock.step(999);
  assert.equal((await h.client.pods.get('default', 'huge')).spec.nodeName, undefined);
  h.clock.step(1);
  const bound = await eventually(async () => {
    const p = await h!.client.pods.get('default', 'huge');
    return p.spec.nodeName ? p : undefined;
  }, 'binding to n3');
  assert.equal(bound.spec.nodeName, 'n3');
});

test('does not put two pods on the last free slot of a node', async () => {
  h = await startHarness();
  await createNode(h.client, 'n1', { cpu: '1' });
  sched = await startScheduler({ client: h.client, clock: h.clock, onError: (e) => h!.errors.push(e) });
  await Promise.all([
    h.client.pods.create('default', pod('a', '600m')),
    h.client.pods.create('default', pod('b', '600m')),
  ]);
  await eventually(async () => {
    const [a, b] = await Promise.all([h!.client.pods.get('default', 'a'), h!.client.pods.get('default', 'b')]);
    const bound = [a, b].filter((p) => p.spec.nodeName).length;
    const unsched = [a, b].filter((p) => p.status?.conditions?.some((c) => c.reason === 'Unschedulable')).length;
    return bound === 1 && unsched === 1;
  }, 'one bound, one unschedulable');
});

test('retries a pod when a bound pod is deleted and frees room', async () => {
  h = await startHarness();
  await createNode(h.client, 'n1', { cpu: '1' });
  sched = await startScheduler({ client: h.client, clock: h.clock, onError: (e) => h!.errors.push(e) });
  await h.client.pods.create('default', pod('first', '800m'));
  await eventually(async () => (await h!.client.pods.get('default', 'first')).spec.nodeName, 'first bound');
  await h.client.pods.create('default', pod('second', '800m'));
  await eventually(
    async () =>
      (await h!.client.pods.get('default', 'second')).status?.conditions?.some((c) => c.reason === 'Unschedulable'),
    'second unschedulable',
  );
  await h.client.pods.delete('default', 'first', { gracePeriodSeconds: 0 });
  await eventually(async () => {
    try {
      await h!.client.pods.get('default', 'first');
      return false;
    } catch {
      return true;
    }
  }, 'first gone');
  await eventually(async () => sched!.queueStats().backoff === 1, 'second in back-off');
  h.clock.step(1000);
  const second = await eventually(async () => {
    const p = await h!.client.pods.get('default', 'second');
    return p.spec.nodeName ? p : undefined;
  }, 'second bound');
  assert.equal(second.spec.nodeName, 'n1');
});

test('leaves pods for another scheduler alone', async () => {
  h = await startHarness();
  await createNode(h.client, 'n1');
  sched = await startScheduler({ client: h.client, clock: h.clock });
  await h.client.pods.create(
    'default',
    pod('other', '100m', (p) => (p.spec.schedulerName = 'my-scheduler')),
  );
  await h.client.pods.create('default', pod('mine', '100m'));
  await eventually(async () => (await h!.client.pods.get('default', 'mine')).spec.nodeName, 'mine bound');
  await sched.idle();
  assert.equal((await h.client.pods.get('default', 'other')).spec.nodeName, undefined);
});

test('counts a repeated FailedScheduling in one Event and leaves PodScheduled alone when nothing changed', async () => {
  h = await startHarness();
  await createNode(h.client, 'n1', { cpu: '1' });
  sched = await startScheduler({ client: h.client, clock: h.clock, onError: (e) => h!.errors.push(e) });
  await h.client.pods.create('default', pod('big', '2'));
  const first = await eventually(async () => {
    const p = await h!.client.pods.get('default', 'big');
    return p.status?.conditions?.find((c) => c.type === 'PodScheduled');
  }, 'first failure');
  // A node change that does not help: the pod is retried after its back-off and fails the same way.
  const n1 = await h.client.nodes.get(undefined, 'n1');
  await h.client.nodes.update({
    ...n1,
    metadata: { ...n1.metadata, labels: { ...n1.metadata.labels, touched: 'yes' } },
  });
  await eventually(async () => sched!.queueStats().backoff === 1, 'pod in back-off');
  h.clock.step(1000);
  const ev = await eventually(async () => {
    const e = (await eventsFor(h!, 'big')).find((x) => x.reason === 'FailedScheduling');
    return e && e.count === 2 ? e : undefined;
  }, 'count 2');
  assert.equal((await eventsFor(h, 'big')).length, 1);
  assert.equal(ev.type, 'Warning');
  const again = (await h.client.pods.get('default', 'big')).status?.conditions?.find((c) => c.type === 'PodScheduled');
  assert.equal(again?.lastTransitionTime, first.lastTransitionTime);
});
