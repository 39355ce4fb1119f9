import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FakeClock } from '../../lib/testing/fake-clock.js';
import type { Container, ContainerState } from '../../runtime/runtime.js';
import { startPleg } from './pleg.js';

function fakeList() {
  const containers: Container[] = [];
  const put = (id: string, uid: string, state: ContainerState): void => {
    const i = containers.findIndex((c) => c.id === id);
    const c: Container = {
      id,
      podSandboxId: 's',
      metadata: { name: id, attempt: 0 },
      image: { image: 'i' },
      imageRef: 'i',
      state,
      createdAt: 0,
      labels: { 'io.kubernetes.pod.uid': uid },
      annotations: {},
    };
    if (i >= 0) {
      containers[i] = c;
    } else {
      containers.push(c);
    }
  };
  return { containers, put, runtime: { listContainers: async () => containers.map((c) => ({ ...c })) } };
}

test('a relist reports each pod whose containers appeared, changed state or disappeared, once', async () => {
  const clock = new FakeClock(0);
  const l = fakeList();
  const changed: string[] = [];
  const pleg = startPleg({ runtime: l.runtime, clock, onPodChanged: (uid) => changed.push(uid) });
  l.put('a1', 'A', 'CONTAINER_RUNNING');
  l.put('a2', 'A', 'CONTAINER_RUNNING');
  l.put('b1', 'B', 'CONTAINER_RUNNING');
  await pleg.relist();
  assert.deepEqual(changed.sort(), ['A', 'B']);
  changed.length = 0;
  await pleg.relist();
  assert.deepEqual(changed, [], 'nothing changed');
  l.put('b1', 'B', 'CONTAINER_EXITED');
  await pleg.relist();
  assert.deepEqual(changed, ['B']);
  changed.length = 0;
  l.containers.splice(0, 1); // a1 removed
  await pleg.relist();
  assert.deepEqual(changed, ['A']);
  pleg.stop();
});

test('the relist runs every second on the clock until stopped', async () => {
  const clock = new FakeClock(0);
  const l = fakeList();
  const changed: string[] = [];
  const pleg = startPleg({ runtime: l.runtime, clock, onPodChanged: (uid) => changed.push(uid) });
  l.put('a1', 'A', 'CONTAINER_RUNNING');
  clock.step(999);
  await new Promise<void>((r) => setImmediate(r));
  assert.deepEqual(changed, []);
  clock.step(1);
  await new Promise<void>((r) => setImmediate(r));
  assert.deepEqual(changed, ['A']);
  pleg.stop();
  l.put('a1', 'A', 'CONTAINER_EXITED');
  clock.step(5_000);
  await new Promise<void>((r) => setImmediate(r));
  assert.deepEqual(changed, ['A']);
});
