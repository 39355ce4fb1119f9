import assert from 'node:assert/strict';
import test from 'node:test';
import { FakeClock } from './fake-clock.js';

test('step fires due timers in deadline order with now() at each deadline', () => {
  const c = new FakeClock(1000);
  const seen: [string, number][] = [];
  c.setTimer(30, () => seen.push(['c', c.now()]));
  c.setTimer(10, () => seen.push(['a', c.now()]));
  c.setTimer(20, () => seen.push(['b', c.now()]));
  c.step(25);
  assert.deepEqual(seen, [
    ['a', 1010],
    ['b', 1020],
  ]);
  assert.equal(c.now(), 1025);
  c.step(5);
  assert.deepEqual(seen.at(-1), ['c', 1030]);
});

test('timers with the same deadline fire in the order they were set', () => {
  const c = new FakeClock(0);
  const seen: number[] = [];
  for (let i = 0; i < 20; i++) {
    c.setTimer(5, () => seen.push(i));
  }
  c.step(5);
  assert.deepEqual(
    seen,
    Array.from({ length: 20 }, (_, i) => i),
  );
});

test('a cancelled timer never fires and is not counted as pending', () => {
  const c = new FakeClock(0);
  let fired = false;
  const t = c.setTimer(10, () => {
    fired = true;
  });
  assert.equal(c.pendingTimers(), 1);
  t.cancel();
  t.cancel();
  assert.equal(c.pendingTimers(), 0);
  c.step(100);
  assert.equal(fired, false);
  assert.equal(c.nextTimerAt(), undefined);
});

test('timers set by a firing timer fire within the same step when due', () => {
  const c = new FakeClock(0);
  const seen: number[] = [];
  c.setTimer(10, () => {
    seen.push(c.now());
    c.setTimer(10, () => seen.push(c.now()));
  });
  c.step(25);
  assert.deepEqual(seen, [10, 20]);
});

test('sleep resolves only once the clock is stepped past it', async () => {
  const c = new FakeClock(0);
  let done = false;
  const p = c.sleep(50).then(() => {
    done = true;
  });
  c.step(49);
  await Promise.resolve();
  assert.equal(done, false);
  c.step(1);
  await p;
  assert.equal(done, true);
});

test('ten thousand timers fire in order', () => {
  const c = new FakeClock(0);
  const seen: number[] = [];
  for (let i = 10_000; i > 0; i--) {
    c.setTimer(i, () => seen.push(c.now()));
  }
  c.step(10_000);
  assert.equal(seen.length, 10_000);
  for (let i = 1; i < seen.length; i++) {
    assert.ok(seen[i - 1]! <= seen[i]!);
  }
});
