import assert from 'node:assert/strict';
import { test } from 'node:test';
import { FakeClock } from '../lib/testing/fake-clock.js';
import { POD_MAX_IN_UNSCHEDULABLE_MS, SchedulingQueue } from './scheduling-queue.js';
import { podWith } from './testing/builders.js';

function setup(): { clock: FakeClock; q: SchedulingQueue; wakes: () => number } {
  const clock = new FakeClock();
  let n = 0;
  const q = new SchedulingQueue(clock, () => n++);
  return { clock, q, wakes: () => n };
}

test('pops higher priority first, then the oldest', () => {
  const { clock, q } = setup();
  q.add('default/a', podWith('a'));
  clock.step(1);
  q.add(
    'default/b',
    podWith('b', (p) => (p.spec.priority = 10)),
  );
  clock.step(1);
  q.add('default/c', podWith('c'));
  assert.deepEqual(
    [q.pop()?.key, q.pop()?.key, q.pop()?.key, q.pop()],
    ['default/b', 'default/a', 'default/c', undefined],
  );
});

test('parks an unschedulable pod until a cluster change, then backs it off 1 s after the first failure', () => {
  const { clock, q } = setup();
  q.add('default/a', podWith('a'));
  q.pop();
  q.unschedulable('default/a');
  assert.equal(q.pop(), undefined);
  q.moveAllToActiveOrBackoff();
  assert.deepEqual(q.stats(), { active: 0, backoff: 1, unschedulable: 0, inflight: 0 });
  clock.step(999);
  assert.equal(q.pop(), undefined);
  clock.step(1);
  assert.equal(q.pop()?.key, 'default/a');
});

test('doubles the back-off per failed attempt up to 10 s', () => {
  const { clock, q } = setup();
  q.add('default/a', podWith('a'));
  const waits: number[] = [];
  for (let i = 0; i < 6; i++) {
    const info = q.pop()!;
    q.unschedulable(info.key);
    q.moveAllToActiveOrBackoff();
    let waited = 0;
    while (q.stats().active === 0) {
      clock.step(100);
      waited += 100;
    }
    waits.push(waited);
  }
  assert.deepEqual(waits, [1000, 2000, 4000, 8000, 10000, 10000]);
});

test('retries a parked pod after 5 minutes even without an event', () => {
  const { clock, q } = setup();
  q.add('default/a', podWith('a'));
  q.pop();
  q.unschedulable('default/a');
  clock.step(POD_MAX_IN_UNSCHEDULABLE_MS - 1);
  assert.equal(q.stats().unschedulable, 1);
  clock.step(1);
  assert.equal(q.pop()?.key, 'default/a');
});

test('retries at once after its back-off when a change arrived during the attempt', () => {
  const { clock, q } = setup();
  q.add('default/a', podWith('a'));
  q.pop();
  q.moveAllToActiveOrBackoff();
  q.unschedulable('default/a');
  assert.equal(q.stats().backoff, 1);
  clock.step(1000);
  assert.equal(q.pop()?.key, 'default/a');
});

test('forgets a deleted pod and its timers', () => {
  const { clock, q } = setup();
  q.add('default/a', podWith('a'));
  q.pop();
  q.unschedulable('default/a');
  q.delete('default/a');
  assert.equal(clock.pendingTimers(), 0);
  q.moveAllToActiveOrBackoff();
  assert.equal(q.pop(), undefined);
});

test('wakes the loop when a pod becomes active', () => {
  const { q, wakes } = setup();
  q.add('default/a', podWith('a'));
  assert.equal(wakes(), 1);
});
