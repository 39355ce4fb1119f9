// An agent that restarts finds its pods' containers in the runtime and adopts
// them: nothing is started twice, restart counts and back-offs continue.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FakeClock } from '../../src/lib/testing/fake-clock.js';
import { PodWorkers } from '../../src/node/podworker/pod-workers.js';
import { ProberManager } from '../../src/node/prober/prober-manager.js';
import { StatusManager } from '../../src/node/status/status-manager.js';
import { FakeRecorder } from '../../src/node/testing/fake-recorder.js';
import { FakeStatusSink } from '../../src/node/testing/fake-status-sink.js';
import { podWith, T0 } from '../../src/node/testing/builders.js';
import { SimRuntime } from '../../src/runtime/sim/sim-runtime.js';

function agentOn(runtime: SimRuntime, clock: FakeClock, sink: FakeStatusSink) {
  const recorder = new FakeRecorder();
  const statusManager = new StatusManager({ sink, clock });
  const ref: { w?: PodWorkers } = {};
  const prober = new ProberManager({ runtime, clock, recorder, onResult: (uid) => ref.w?.wake(uid), random: () => 0 });
  ref.w = new PodWorkers({ runtime, clock, statusManager, recorder, prober, nodeName: 'node-1' });
  return { workers: ref.w, recorder };
}

test('a restarted agent adopts running containers without starting them again', async () => {
  const clock = new FakeClock(T0);
  const runtime = new SimRuntime({ clock, preloadedImages: ['busybox:1.36'] });
  const sink = new FakeStatusSink();
  const pod = podWith({ containers: ['a', 'b'] });
  sink.add(pod);
  const first = agentOn(runtime, clock, sink);
  first.workers.updatePod(pod);
  await first.workers.settle();
  const started = (await runtime.listContainers()).length;
  assert.equal(started, 2);
  first.workers.stop();

  clock.step(5_000);
  const second = agentOn(runtime, clock, sink);
  second.workers.updatePod({ ...pod, status: sink.status('p') });
  await second.workers.settle();
  assert.equal((await runtime.listContainers()).length, 2, 'no new containers');
  assert.equal((await runtime.listPodSandboxes()).length, 1, 'no new sandbox');
  assert.deepEqual(second.recorder.lines(), []);
  assert.equal(sink.status('p')!.phase, 'Running');
  assert.equal(sink.status('p')!.startTime, '2026-01-01T00:00:00Z', 'startTime kept from the API');
});
