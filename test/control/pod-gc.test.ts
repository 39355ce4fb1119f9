import assert from 'node:assert/strict';
import { afterEach, test } from 'node:test';
import type { Pod, PodPhase } from '../../src/api/types/index.js';
import { startPodGC } from '../../src/controllers/pod-gc/pod-gc-controller.js';
import type { PodGcHandle } from '../../src/controllers/pod-gc/pod-gc-controller.js';
import { createNode, eventually, startHarness } from './harness.js';
import type { Harness } from './harness.js';

let h: Harness | undefined;
let gc: PodGcHandle | undefined;
afterEach(async () => {
  await gc?.stop();
  await h?.close();
  gc = undefined;
});

async function podOn(h: Harness, name: string, node: string, phase: PodPhase): Promise<Pod> {
  const created = await h.client.pods.create('default', {
    metadata: { name, namespace: 'default' },
    spec: { nodeName: node, containers: [{ name: 'app', image: 'busybox' }] },
  });
  return h.client.pods.updateStatus({ ...created, status: { ...created.status, phase } });
}

async function names(h: Harness): Promise<string[]> {
  return (await h.client.pods.list('default')).items.map((p) => p.metadata.name!).sort();
}

test('deletes the pods of a node that is gone after the 40 s quarantine', async () => {
  h = await startHarness();
  await createNode(h.client, 'n1');
  await podOn(h, 'orphan', 'ghost', 'Running');
  await podOn(h, 'kept', 'n1', 'Running');
  const deleted: string[] = [];
  gc = await startPodGC({
    client: h.client,
    clock: h.clock,
    onDeleted: (a) => deleted.push(`${a.pod.metadata.name}:${a.reason}`),
  });
  await gc.runOnce();
  h.clock.step(39_000);
  await gc.runOnce();
  assert.deepEqual(await names(h), ['kept', 'orphan']);
  h.clock.step(1_000);
  await gc.runOnce();
  assert.deepEqual(deleted, ['orphan:orphaned']);
  await eventually(async () => (await names(h!)).length === 1, 'orphan gone');
  assert.deepEqual(await names(h), ['kept']);
});

test('removes terminated pods over the threshold, oldest first, on its 20 s period', async () => {
  h = await startHarness();
  await createNode(h.client, 'n1');
  for (const n of ['a', 'b', 'c']) {
    await podOn(h, n, 'n1', 'Succeeded');
  }
  await podOn(h, 'live', 'n1', 'Running');
  gc = await startPodGC({ client: h.client, clock: h.clock, terminatedPodThreshold: 1 });
  h.clock.step(20_000);
  await eventually(async () => (await names(h!)).length === 2, 'two removed');
  assert.deepEqual(await names(h), ['c', 'live']);
});
