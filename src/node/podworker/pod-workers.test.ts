// Tier 2 (STYLE.md §11): pod workers against FakeRuntime and FakeClock.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Pod } from '../../api/types/index.js';
import { FakeClock } from '../../lib/testing/fake-clock.js';
import { RuntimeError } from '../../runtime/runtime.js';
import { FakeRuntime } from '../../runtime/testing/fake-runtime.js';
import type { FakeRuntimeOptions } from '../../runtime/testing/fake-runtime.js';
import { StatusManager } from '../status/status-manager.js';
import { FakeStatusSink } from '../testing/fake-status-sink.js';
import { FakeRecorder } from '../testing/fake-recorder.js';
import { podWith, T0 } from '../testing/builders.js';
import type { PodWithOptions } from '../testing/builders.js';
import { PodWorkers } from './pod-workers.js';

function setup(rt: Omit<FakeRuntimeOptions, 'clock'> = {}) {
  const clock = new FakeClock(T0);
  const runtime = new FakeRuntime({ clock, images: ['busybox:1.36'], ...rt });
  const sink = new FakeStatusSink();
  const recorder = new FakeRecorder();
  const statusManager = new StatusManager({ sink, clock });
  const workers = new PodWorkers({
    runtime,
    clock,
    statusManager,
    recorder,
    nodeName: 'node-1',
    hostIPs: ['10.0.0.10'],
  });
  const add = async (o: PodWithOptions = {}): Promise<Pod> => {
    const pod = podWith(o);
    sink.add(pod);
    workers.updatePod(pod);
    await workers.settle();
    return pod;
  };
  const step = async (ms: number): Promise<void> => {
    clock.step(ms);
    await workers.settle();
  };
  return { clock, runtime, sink, recorder, statusManager, workers, add, step };
}

test('a crashing container restarts at once, then waits out 10 s, then 20 s', async () => {
  const h = setup({ exits: { app: { exitCode: 1 } } });
  await h.add();
  assert.equal(h.runtime.callCount('startContainer'), 2, 'first start and the immediate first restart');
  await h.step(9_999);
  assert.equal(h.runtime.callCount('startContainer'), 2, 'still in CrashLoopBackOff');
  await h.step(1);
  assert.equal(h.runtime.callCount('startContainer'), 3);
  await h.step(19_999);
  assert.equal(h.runtime.callCount('startContainer'), 3);
  await h.step(1);
  assert.equal(h.runtime.callCount('startContainer'), 4);
  const cs = h.sink.status('p')!.containerStatuses![0]!;
  assert.equal(h.sink.status('p')!.phase, 'Running');
  assert.equal(cs.state?.waiting?.reason, 'CrashLoopBackOff');
  assert.match(cs.state?.waiting?.message ?? '', /^back-off 40s restarting failed container=app pod=p_default\(.+\)$/);
  assert.equal(cs.lastState?.terminated?.exitCode, 1);
  assert.equal(cs.restartCount, 3);
  assert.ok(
    h.recorder.lines().some((l) => /^BackOff: Back-off restarting failed container app in pod p_default\(/.test(l)),
  );
});

test('back-off waits run 10, 20, 40, 80, 160, 300, 300 seconds', async () => {
  const h = setup({ exits: { app: { exitCode: 1 } } });
  await h.add();
  const waits: number[] = [];
  for (let i = 0; i < 7; i++) {
    const before = h.runtime.callCount('startContainer');
    let waited = 0;
    while (h.runtime.callCount('startContainer') === before) {
      await h.step(1_000);
      waited += 1;
    }
    waits.push(waited);
  }
  assert.deepEqual(waits, [10, 20, 40, 80, 160, 300, 300]);
});

test('the back-off starts over after a container ran more than 10 minutes', async () => {
  const h = setup({
    exits: { app: [{ exitCode: 1 }, { exitCode: 1 }, { exitCode: 1, afterMs: 600_001 }, { exitCode: 1 }] },
  });
  await h.add();
  await h.step(10_000); // third start (after 10 s); it runs for 10 min
  assert.equal(h.runtime.callCount('startContainer'), 3);
  await h.step(600_001); // it exits; the entry expired: restart at once
  assert.equal(h.runtime.callCount('startContainer'), 4);
  await h.step(9_999);
  assert.equal(h.runtime.callCount('startContainer'), 4);
  await h.step(1);
  assert.equal(h.runtime.callCount('startContainer'), 5, 'back at 10 s');
});

for (const [policy, code, phase, starts] of [
  ['Never', 0, 'Succeeded', 1],
  ['Never', 1, 'Failed', 1],
  ['OnFailure', 0, 'Succeeded', 1],
  ['OnFailure', 1, 'Running', 2],
  ['Always', 0, 'Running', 2],
  ['Always', 1, 'Running', 2],
] as const) {
  test(`restartPolicy ${policy} with exit code ${code} gives phase ${phase}`, async () => {
    const h = setup({ exits: { app: { exitCode: code } } });
    await h.add({ restartPolicy: policy });
    assert.equal(h.sink.status('p')!.phase, phase);
    assert.equal(h.runtime.callCount('startContainer'), starts);
    if (phase !== 'Running') {
      assert.deepEqual(h.sink.phases('p'), ['Pending', phase]);
      assert.equal(h.runtime.callCount('stopPodSandbox'), 1, 'the sandbox stops once the pod is done');
      assert.equal(h.sink.deletes.length, 0);
      const t = h.sink.status('p')!.containerStatuses![0]!.state?.terminated;
      assert.equal(t?.reason, code === 0 ? 'Completed' : 'Error');
    }
  });
}

test('the pod goes Pending → Running and the events read as on a cluster', async () => {
  const h = setup();
  await h.add();
  assert.deepEqual(h.sink.phases('p'), ['Pending', 'Running']);
  assert.deepEqual(h.recorder.lines(), [
    'Pulled: Container image "busybox:1.36" already present on machine',
    'Created: Created container: app',
    'Started: Started container app',
  ]);
  const s = h.sink.status('p')!;
  assert.equal(s.podIP !== undefined, true);
  assert.equal(s.hostIP, '10.0.0.10');
  assert.equal(s.containerStatuses![0]!.ready, true);
  assert.deepEqual(
    s.conditions!.map((c) => `${c.type}=${c.status}`),
    ['PodReadyToStartContainers=True', 'Initialized=True', 'Ready=True', 'ContainersReady=True', 'PodScheduled=True'],
  );
});

test('a failed pull shows ErrImagePull, then ImagePullBackOff, and is retried after 10 s', async () => {
  const h = setup({ images: [] });
  h.runtime.injectError('pullImage', new RuntimeError('NotFound', 'manifest unknown'), 2);
  const pod = podWith();
  pod.spec.containers[0]!.image = 'example.com/app:v2';
  h.sink.add(pod);
  h.workers.updatePod(pod);
  await h.workers.settle();
  const reasons = () => {
    const out: string[] = [];
    for (const wr of h.sink.writes) {
      const r = wr.status.containerStatuses?.[0]?.state?.waiting?.reason ?? 'other';
      if (out.at(-1) !== r) {
        out.push(r);
      }
    }
    return out;
  };
  assert.deepEqual(reasons(), ['ContainerCreating', 'ErrImagePull', 'ImagePullBackOff']);
  assert.equal(h.sink.status('p')!.phase, 'Pending');
  assert.deepEqual(h.sink.status('p')!.containerStatuses![0]!.state?.waiting, {
    reason: 'ImagePullBackOff',
    message: 'Back-off pulling image "example.com/app:v2"',
  });
  assert.ok(
    h.sink.writes.some((wr) => wr.status.containerStatuses?.[0]?.state?.waiting?.message === 'manifest unknown'),
  );
  await h.step(10_000);
  assert.equal(h.runtime.callCount('pullImage'), 2);
  await h.step(20_000);
  assert.equal(h.runtime.callCount('pullImage'), 3);
  assert.equal(h.sink.status('p')!.phase, 'Running');
  const lines = h.recorder.lines();
  assert.ok(lines.includes('Pulling: Pulling image "example.com/app:v2"'));
  assert.ok(lines.includes('Failed: Failed to pull image "example.com/app:v2": manifest unknown'));
  assert.ok(lines.includes('Failed: Error: ErrImagePull'));
  assert.ok(lines.includes('BackOff: Back-off pulling image "example.com/app:v2"'));
  assert.ok(lines.includes('Failed: Error: ImagePullBackOff'));
  assert.ok(
    lines.some((l) =>
      /^Pulled: Successfully pulled image "example.com\/app:v2" in 0s \(0s including waiting\)\. Image size: \d+ bytes\.$/.test(
        l,
      ),
    ),
  );
});

test('an absent image with pull policy Never waits with ErrImageNeverPull', async () => {
  const h = setup({ images: [] });
  const pod = podWith({ containers: [{ name: 'app', image: 'local/app:dev', imagePullPolicy: 'Never' }] });
  h.sink.add(pod);
  h.workers.updatePod(pod);
  await h.workers.settle();
  assert.deepEqual(h.sink.status('p')!.containerStatuses![0]!.state?.waiting, {
    reason: 'ErrImageNeverPull',
    message: 'Container image "local/app:dev" is not present with pull policy of Never',
  });
  assert.equal(h.runtime.callCount('pullImage'), 0);
});

test('pull policy Always pulls a present image', async () => {
  const h = setup();
  await h.add({ containers: [{ name: 'app', image: 'busybox:1.36', imagePullPolicy: 'Always' }] });
  assert.equal(h.runtime.callCount('pullImage'), 1);
});

test('a missing configmap key leaves the container in CreateContainerConfigError', async () => {
  const h = setup();
  await h.add({
    containers: [
      {
        name: 'app',
        image: 'busybox:1.36',
        env: [{ name: 'X', valueFrom: { configMapKeyRef: { name: 'cfg', key: 'k' } } }],
      },
    ],
  });
  const w = h.sink.status('p')!.containerStatuses![0]!.state?.waiting;
  assert.equal(w?.reason, 'CreateContainerConfigError');
  assert.equal(w?.message, 'configmap "cfg" not found');
  assert.equal(h.runtime.callCount('createContainer'), 0);
});

test('init containers run one after the other before the regular containers', async () => {
  const h = setup({ exits: { i1: { exitCode: 0, afterMs: 1_000 }, i2: { exitCode: 0, afterMs: 1_000 } } });
  await h.add({ initContainers: ['i1', 'i2'] });
  const started = () =>
    h.runtime.callsOf('createContainer').map((a) => (a[1] as { metadata: { name: string } }).metadata.name);
  assert.deepEqual(started(), ['i1']);
  assert.equal(h.sink.status('p')!.phase, 'Pending');
  assert.equal(h.sink.status('p')!.containerStatuses![0]!.state?.waiting?.reason, 'PodInitializing');
  await h.step(1_000);
  assert.deepEqual(started(), ['i1', 'i2']);
  await h.step(1_000);
  assert.deepEqual(started(), ['i1', 'i2', 'app']);
  assert.equal(h.sink.status('p')!.phase, 'Running');
  assert.equal(h.sink.status('p')!.initContainerStatuses![1]!.state?.terminated?.reason, 'Completed');
});

test('a failed init container fails the pod under Never', async () => {
  const h = setup({ exits: { init: { exitCode: 1 } } });
  await h.add({ restartPolicy: 'Never', initContainers: ['init'] });
  assert.equal(h.sink.status('p')!.phase, 'Failed');
  assert.equal(h.runtime.callCount('startContainer'), 1);
});

test('a failed init container is retried with back-off under OnFailure and the pod stays Pending', async () => {
  const h = setup({ exits: { init: [{ exitCode: 1 }, { exitCode: 1 }, { exitCode: 0 }] } });
  await h.add({ restartPolicy: 'OnFailure', initContainers: ['init'] });
  assert.equal(h.sink.status('p')!.phase, 'Pending');
  assert.equal(h.sink.status('p')!.initContainerStatuses![0]!.state?.waiting?.reason, 'CrashLoopBackOff');
  await h.step(10_000);
  assert.equal(h.sink.status('p')!.phase, 'Running');
});

test('deleting a pod stops its containers with the deletion grace period, then deletes it with grace 0', async () => {
  const h = setup();
  const pod = await h.add({ terminationGracePeriodSeconds: 30 });
  const deleting: Pod = {
    ...pod,
    metadata: { ...pod.metadata, deletionTimestamp: '2026-01-01T00:00:20Z', deletionGracePeriodSeconds: 20 },
  };
  h.sink.add({ ...deleting, status: h.sink.status('p') });
  h.workers.updatePod(deleting);
  await h.workers.settle();
  assert.deepEqual(
    h.runtime.callsOf('stopContainer').map((a) => a[1]),
    [20],
  );
  assert.ok(h.recorder.lines().includes('Killing: Stopping container app'));
  assert.equal(h.runtime.callCount('stopPodSandbox'), 1);
  assert.equal(h.runtime.callCount('startContainer'), 1, 'nothing restarts during termination');
  assert.deepEqual(h.sink.deletes, [{ key: 'default/p', gracePeriodSeconds: 0, uid: pod.metadata.uid }]);
  assert.equal(h.sink.writes.at(-1)!.status.phase, 'Failed', 'killed by SIGTERM (143): Failed before it disappears');
});

test('termination stops regular containers first, then sidecars in reverse spec order', async () => {
  const h = setup();
  const pod = await h.add({ sidecars: ['s1', 's2'], containers: ['a', 'b'] });
  const names = new Map(
    h.runtime
      .callsOf('createContainer')
      .map((a, i) => [`${i}`, (a[1] as { metadata: { name: string } }).metadata.name]),
  );
  void names;
  h.runtime.clearCalls();
  const deleting: Pod = {
    ...pod,
    metadata: { ...pod.metadata, deletionTimestamp: 'x', deletionGracePeriodSeconds: 30 },
  };
  h.workers.updatePod(deleting);
  await h.workers.settle();
  const stopped = await Promise.all(
    h.runtime
      .callsOf('stopContainer')
      .map(async (a) => (await h.runtime.containerStatus(a[0] as string)).metadata.name),
  );
  assert.deepEqual(stopped.slice(0, 2).sort(), ['a', 'b']);
  assert.deepEqual(stopped.slice(2), ['s2', 's1']);
});

test('a Never pod whose main container finished stops its sidecar and succeeds', async () => {
  const h = setup({ exits: { app: { exitCode: 0, afterMs: 5_000 } } });
  await h.add({ restartPolicy: 'Never', sidecars: ['log'] });
  assert.equal(h.sink.status('p')!.phase, 'Running');
  await h.step(5_000);
  assert.equal(h.sink.status('p')!.phase, 'Succeeded');
  assert.ok(h.recorder.lines().includes('Killing: Stopping container log'));
});

test('a pod past activeDeadlineSeconds is killed and Failed with DeadlineExceeded', async () => {
  const h = setup();
  await h.add({ activeDeadlineSeconds: 60 });
  await h.step(59_999);
  assert.equal(h.sink.status('p')!.phase, 'Running');
  await h.step(1);
  const s = h.sink.status('p')!;
  assert.equal(s.phase, 'Failed');
  assert.equal(s.reason, 'DeadlineExceeded');
  assert.equal(s.message, 'Pod was active on the node longer than the specified deadline');
  assert.equal(h.runtime.callCount('stopContainer'), 1);
  assert.ok(
    h.recorder.lines().includes('DeadlineExceeded: Pod was active on the node longer than the specified deadline'),
  );
});

test('updates that arrive while a sync runs are coalesced', async () => {
  const h = setup();
  const pod = podWith();
  h.sink.add(pod);
  for (let i = 0; i < 10; i++) {
    h.workers.updatePod({ ...pod, metadata: { ...pod.metadata, resourceVersion: String(i + 2) } });
  }
  await h.workers.settle();
  assert.equal(h.runtime.callCount('runPodSandbox'), 1);
  assert.ok(h.runtime.callCount('listPodSandboxes') < 10, `${h.runtime.callCount('listPodSandboxes')} syncs`);
});

test('a termination message from the file shows in the terminated state', async () => {
  const h = setup({ exits: { app: { exitCode: 1, terminationMessage: 'lost connection to db' } } });
  await h.add({ restartPolicy: 'Never' });
  assert.equal(h.sink.status('p')!.containerStatuses![0]!.state?.terminated?.message, 'lost connection to db');
});

test('a pod removed from the API while running is stopped and its sandbox removed', async () => {
  const h = setup();
  const pod = await h.add();
  h.workers.removePod(pod);
  await h.workers.settle();
  assert.equal(h.runtime.callCount('stopContainer'), 1);
  assert.equal(h.runtime.callCount('removePodSandbox'), 1);
  assert.deepEqual(h.workers.podUids(), []);
});

test('a failed postStart hook kills the container and it waits with PostStartHookError', async () => {
  const h = setup();
  h.runtime.probes.setResult('app', 'postStart', new RuntimeError('Unavailable', 'connection refused'));
  await h.add({
    restartPolicy: 'Never',
    containers: [
      { name: 'app', image: 'busybox:1.36', lifecycle: { postStart: { httpGet: { port: 80, path: '/' } } } },
    ],
  });
  const lines = h.recorder.lines();
  assert.ok(lines.includes('FailedPostStartHook: PostStartHook failed'), lines.join('\n'));
  assert.ok(lines.includes('Killing: FailedPostStartHook'));
  assert.equal(h.runtime.callCount('stopContainer'), 1);
});

test('a container whose image changed is killed and started again with the new image', async () => {
  const h = setup({ images: ['busybox:1.36', 'busybox:1.37'] });
  const pod = await h.add();
  const updated: Pod = structuredClone(pod);
  updated.spec.containers[0]!.image = 'busybox:1.37';
  h.workers.updatePod(updated);
  await h.workers.settle();
  assert.ok(h.recorder.lines().includes('Killing: Container app definition changed, will be restarted'));
  assert.equal(h.runtime.callCount('startContainer'), 2);
  assert.equal(h.sink.status('p')!.containerStatuses![0]!.image, 'busybox:1.37');
  assert.equal(h.sink.status('p')!.containerStatuses![0]!.restartCount, 1);
});

test('a pod already terminal when the agent first sees it is not started again', async () => {
  const h = setup();
  const pod = podWith({ restartPolicy: 'Never' });
  pod.status = { phase: 'Succeeded' };
  h.sink.add(pod);
  h.workers.updatePod(pod);
  await h.workers.settle();
  assert.equal(h.runtime.callCount('runPodSandbox'), 0);
  assert.equal(h.runtime.callCount('startContainer'), 0);
  assert.equal(h.sink.status('p')!.phase, 'Succeeded');
});

test('a sidecar preStop hook runs at the start of termination, before the main container has stopped', async () => {
  const h = setup();
  const pod = await h.add({
    sidecars: [{ name: 'log', image: 'busybox:1.36', lifecycle: { preStop: { exec: { command: ['flush'] } } } }],
  });
  h.runtime.clearCalls();
  const gate = h.runtime.block('stopContainer');
  h.workers.updatePod({
    ...pod,
    metadata: { ...pod.metadata, deletionTimestamp: 'x', deletionGracePeriodSeconds: 30 },
  });
  await h.workers.settle();
  // The main container's stop hangs; the sidecar's hook has run, its SIGTERM waits for its turn.
  assert.equal(gate.waiting(), 1);
  assert.deepEqual(
    h.runtime.probes.calls.map((c) => `${c.kind} ${c.target.containerName} ${c.target.probeType}`),
    ['exec log preStop'],
  );
  gate.release();
  await h.workers.settle();
  assert.equal(h.runtime.callCount('stopContainer'), 2);
});

test('a crash loop keeps only the two newest instances of the container in the runtime', async () => {
  const h = setup({ exits: { app: { exitCode: 1 } } });
  await h.add();
  await h.step(10_000);
  await h.step(20_000);
  assert.equal(h.runtime.callCount('startContainer'), 4);
  assert.equal((await h.runtime.listContainers()).length, 2);
  assert.equal(h.sink.status('p')!.containerStatuses![0]!.restartCount, 3);
});
