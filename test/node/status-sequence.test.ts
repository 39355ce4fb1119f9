// What `kubectl get pods -w` would show for the statuses the agent writes
// (STATUS column via src/api/printers): the sequences a cluster shows.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Pod } from '../../src/api/types/index.js';
import { podStatusString } from '../../src/api/printers/pod-printer.js';
import { simHarness } from './sim-harness.js';
import type { SimHarness } from './sim-harness.js';

function statuses(h: SimHarness, pod: Pod): string[] {
  const out: string[] = [];
  for (const w of h.sink.writes) {
    const s = podStatusString({ ...pod, status: w.status });
    if (out.at(-1) !== s) {
      out.push(s);
    }
  }
  return out;
}

test('a crashing container reads ContainerCreating → Running → Error → CrashLoopBackOff', async () => {
  const h = simHarness();
  const pod = await h.add({
    annotations: { 'sim.podbay.io/run-seconds.app': '2', 'sim.podbay.io/exit-code.app': '1' },
  });
  await h.run(4_000);
  assert.deepEqual(statuses(h, pod), ['ContainerCreating', 'Running', 'Error', 'Running', 'Error', 'CrashLoopBackOff']);
});

test('a job with an init container reads Init:0/1 → PodInitializing → Running → Completed', async () => {
  const h = simHarness();
  const pod = await h.add({
    restartPolicy: 'Never',
    initContainers: ['init'],
    annotations: { 'sim.podbay.io/run-seconds.init': '2', 'sim.podbay.io/run-seconds.app': '3' },
  });
  await h.run(5_000);
  assert.deepEqual(statuses(h, pod), ['Init:0/1', 'PodInitializing', 'Running', 'Completed']);
});

test('an image that cannot be pulled reads ErrImagePull → ImagePullBackOff', async () => {
  const h = simHarness();
  const pod = await h.add({ annotations: { 'sim.podbay.io/pull-error': '*=manifest unknown' } }, (p) => {
    p.spec.containers[0]!.image = 'example.com/app:v2';
  });
  await h.run(1_000);
  assert.deepEqual(statuses(h, pod), ['ContainerCreating', 'ErrImagePull', 'ImagePullBackOff']);
});
