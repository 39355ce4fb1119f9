import { test } from 'node:test';
import assert from 'node:assert/strict';
import { newInternalError } from '../../api/errors.js';
import type { PodStatus } from '../../api/types/index.js';
import { FakeClock } from '../../lib/testing/fake-clock.js';
import { StatusManager, STATUS_RETRY_MS } from './status-manager.js';
import { FakeStatusSink } from '../testing/fake-status-sink.js';
import { podWith, T0 } from '../testing/builders.js';

function setup() {
  const clock = new FakeClock(T0);
  const sink = new FakeStatusSink();
  const errors: unknown[] = [];
  const sm = new StatusManager({ sink, clock, onError: (e) => errors.push(e) });
  return { clock, sink, sm, errors };
}

const running: PodStatus = { phase: 'Running', conditions: [{ type: 'Ready', status: 'True' }] };

test('the first status written carries startTime and condition transition times', async () => {
  const { sink, sm } = setup();
  const pod = podWith();
  sink.add(pod);
  sm.setPodStatus(pod, running);
  await sm.settle();
  const s = sink.status('p')!;
  assert.equal(s.phase, 'Running');
  assert.equal(s.startTime, '2026-01-01T00:00:00Z');
  assert.equal(s.conditions![0]!.lastTransitionTime, '2026-01-01T00:00:00Z');
});

test('an unchanged status is not written again', async () => {
  const { sink, sm } = setup();
  const pod = podWith();
  sink.add(pod);
  assert.equal(sm.setPodStatus(pod, running), true);
  await sm.settle();
  assert.equal(sm.setPodStatus(pod, running), false);
  await sm.settle();
  assert.equal(sink.writes.length, 1);
});

test('changes made while a write is in flight are coalesced into one newer write', async () => {
  const { sink, sm } = setup();
  const pod = podWith();
  sink.add(pod);
  sm.setPodStatus(pod, { phase: 'Pending' });
  sm.setPodStatus(pod, { phase: 'Running' });
  sm.setPodStatus(pod, { phase: 'Running', conditions: [{ type: 'Ready', status: 'True' }] });
  await sm.settle();
  // The first write may carry any version, but never an older one after a newer one.
  assert.ok(sink.writes.length <= 2);
  assert.equal(sink.writes.at(-1)!.status.conditions?.[0]?.type, 'Ready');
  assert.deepEqual(sm.versions(pod.metadata.uid!), { set: 3, written: 3 });
});

test('a condition keeps its transition time while its status does not change', async () => {
  const { clock, sink, sm } = setup();
  const pod = podWith();
  sink.add(pod);
  sm.setPodStatus(pod, {
    phase: 'Running',
    conditions: [{ type: 'Ready', status: 'False', reason: 'ContainersNotReady' }],
  });
  clock.step(5_000);
  sm.setPodStatus(pod, { phase: 'Running', conditions: [{ type: 'Ready', status: 'False', reason: 'Other' }] });
  clock.step(5_000);
  sm.setPodStatus(pod, { phase: 'Running', conditions: [{ type: 'Ready', status: 'True' }] });
  await sm.settle();
  assert.equal(sink.status('p')!.conditions![0]!.lastTransitionTime, '2026-01-01T00:00:10Z');
});

test('conditions owned by others stay as the API has them', async () => {
  const { sink, sm } = setup();
  const pod = podWith();
  sink.add({ ...pod, status: { ...pod.status, conditions: [{ type: 'DisruptionTarget', status: 'True' }] } });
  sm.setPodStatus(pod, running);
  await sm.settle();
  assert.deepEqual(
    sink.status('p')!.conditions!.map((c) => c.type),
    ['DisruptionTarget', 'Ready'],
  );
});

test('a terminal phase is never replaced', async () => {
  const { sink, sm, errors } = setup();
  const pod = podWith({ restartPolicy: 'Never' });
  sink.add(pod);
  sm.setPodStatus(pod, { phase: 'Failed', reason: 'DeadlineExceeded' });
  sm.setPodStatus(pod, { phase: 'Running' });
  await sm.settle();
  assert.equal(sink.status('p')!.phase, 'Failed');
  assert.equal(sink.status('p')!.reason, 'DeadlineExceeded');
  assert.match(String(errors[0]), /illegal phase transition/);
});

test('a terminated container may not run again under Never', () => {
  const { sm, errors } = setup();
  const pod = podWith({ restartPolicy: 'Never' });
  const c = { name: 'app', ready: false, restartCount: 0, image: 'i', imageID: '' };
  sm.setPodStatus(pod, { phase: 'Succeeded', containerStatuses: [{ ...c, state: { terminated: { exitCode: 0 } } }] });
  assert.equal(
    sm.setPodStatus(pod, { phase: 'Running', containerStatuses: [{ ...c, state: { running: {} } }] }),
    false,
  );
  assert.match(String(errors[0]), /illegal transition/);
});

test('a failed write is retried after the status sync period', async () => {
  const { clock, sink, sm } = setup();
  const pod = podWith();
  sink.add(pod);
  sink.failNext(newInternalError('etcd down'));
  sm.setPodStatus(pod, running);
  await sm.settle();
  assert.equal(sink.writes.length, 0);
  clock.step(STATUS_RETRY_MS);
  await sm.settle();
  assert.equal(sink.writes.length, 1);
});

test('a status for a pod recreated under the same name is dropped', async () => {
  const { sink, sm } = setup();
  const pod = podWith();
  sink.add({ ...pod, metadata: { ...pod.metadata, uid: 'other' } });
  sm.setPodStatus(pod, running);
  await sm.settle();
  assert.equal(sink.writes.length, 0);
});

test('a deleted pod is removed with grace 0 and a UID precondition once terminated and terminal', async () => {
  const { sink, sm } = setup();
  const pod = podWith();
  pod.metadata.deletionTimestamp = '2026-01-01T00:00:30Z';
  sink.add(pod);
  sm.setPodStatus(pod, { phase: 'Failed' });
  await sm.settle();
  assert.equal(sink.deletes.length, 0, 'not before the worker says it terminated');
  sm.terminatePod(pod);
  await sm.settle();
  assert.deepEqual(sink.deletes, [{ key: 'default/p', gracePeriodSeconds: 0, uid: pod.metadata.uid }]);
});

test('a pod without a deletionTimestamp is not deleted when it terminates', async () => {
  const { sink, sm } = setup();
  const pod = podWith({ restartPolicy: 'Never' });
  sink.add(pod);
  sm.setPodStatus(pod, { phase: 'Succeeded' });
  sm.terminatePod(pod);
  await sm.settle();
  assert.equal(sink.deletes.length, 0);
  assert.equal(sink.status('p')!.phase, 'Succeeded');
});

test('a status another component rewrote (phase Unknown while the node was lost) is written again', async () => {
  const { sink, sm } = setup();
  const pod = podWith();
  sink.add(pod);
  sm.setPodStatus(pod, running);
  await sm.settle();
  const api = sink.pods.get('default/p')!;
  const lost = { ...api, status: { ...api.status, phase: 'Unknown' as const } };
  sink.pods.set('default/p', lost);
  assert.equal(sm.reconcile(lost), true);
  await sm.settle();
  assert.equal(sink.status('p')!.phase, 'Running');
  assert.equal(sm.reconcile(sink.pods.get('default/p')!), false, 'nothing to do once they agree');
});

test('a pod terminated before its container ever ran ends Failed, its container ContainerStatusUnknown', async () => {
  const { sink, sm } = setup();
  const pod = podWith();
  pod.metadata.deletionTimestamp = '2026-01-01T00:00:30Z';
  sink.add(pod);
  const waiting = { name: 'app', ready: false, restartCount: 0, image: 'i', imageID: '' };
  sm.setPodStatus(pod, {
    phase: 'Pending',
    containerStatuses: [{ ...waiting, state: { waiting: { reason: 'ContainerCreating' } } }],
  });
  sm.terminatePod(pod);
  await sm.settle();
  const last = sink.writes.at(-1)!.status;
  assert.equal(last.phase, 'Failed');
  assert.deepEqual(last.containerStatuses![0]!.state, {
    terminated: {
      reason: 'ContainerStatusUnknown',
      message: 'The container could not be located when the pod was terminated',
      exitCode: 137,
    },
  });
  assert.equal(sink.deletes.length, 1);
});

test('init containers that never tried to start stay waiting when a pod terminates', () => {
  const { sm } = setup();
  const pod = podWith({ initContainers: ['i1', 'i2'] });
  const base = { ready: false, restartCount: 0, image: 'i', imageID: '' };
  sm.setPodStatus(pod, {
    phase: 'Pending',
    initContainerStatuses: [
      { ...base, name: 'i1', state: { running: {} } },
      { ...base, name: 'i2', state: { waiting: { reason: 'PodInitializing' } } },
    ],
    containerStatuses: [{ ...base, name: 'app', state: { waiting: { reason: 'PodInitializing' } } }],
  });
  sm.terminatePod(pod);
  const s = sm.getPodStatus(pod.metadata.uid!)!;
  assert.equal(s.initContainerStatuses![0]!.state!.terminated!.reason, 'ContainerStatusUnknown');
  assert.equal(s.initContainerStatuses![1]!.state!.waiting!.reason, 'PodInitializing');
  assert.equal(s.containerStatuses![0]!.state!.waiting!.reason, 'PodInitializing');
  assert.equal(s.phase, 'Failed');
});

test('a terminal phase set by someone else (eviction) is not overwritten by reconcile', async () => {
  const { sink, sm } = setup();
  const pod = podWith();
  sink.add(pod);
  sm.setPodStatus(pod, running);
  await sm.settle();
  const api = sink.pods.get('default/p')!;
  const evicted = { ...api, status: { ...api.status, phase: 'Failed' as const, reason: 'Evicted' } };
  assert.equal(sm.reconcile(evicted), false);
});
