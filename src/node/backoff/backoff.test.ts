import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FakeClock } from '../../lib/testing/fake-clock.js';
import { goDuration, newCrashLoopBackoff, newImagePullBackoff } from './backoff.js';

test('a crash-looping container waits 0, 10, 20, 40, 80, 160, 300, 300 seconds between restarts', () => {
  const clock = new FakeClock(0);
  const b = newCrashLoopBackoff(clock);
  const waits: number[] = [];
  // Each run crashes at once (finishedAt = the start time); restart as soon as allowed.
  for (let i = 0; i < 8; i++) {
    const finishedAt = clock.now();
    const wait = Math.max(0, b.remainingSince('k', finishedAt));
    waits.push(wait / 1000);
    clock.step(wait);
    assert.equal(b.isInBackOffSince('k', finishedAt), false);
    b.next('k', finishedAt);
  }
  assert.deepEqual(waits, [0, 10, 20, 40, 80, 160, 300, 300]);
});

test('the back-off is in force one millisecond before it ends and over at its end', () => {
  const clock = new FakeClock(0);
  const b = newCrashLoopBackoff(clock);
  b.next('k', 0);
  clock.step(9_999);
  assert.equal(b.isInBackOffSince('k', 0), true);
  clock.step(1);
  assert.equal(b.isInBackOffSince('k', 0), false);
});

test('a container that ran for more than 10 minutes restarts at once and starts again at 10 s', () => {
  const clock = new FakeClock(0);
  const b = newCrashLoopBackoff(clock);
  b.next('k', 0);
  clock.step(10_000);
  b.next('k', 10_000); // 20 s now
  assert.equal(b.get('k'), 20_000);
  clock.step(600_001);
  const finishedAt = clock.now();
  assert.equal(b.isInBackOffSince('k', finishedAt), false);
  b.next('k', finishedAt);
  assert.equal(b.get('k'), 10_000);
});

test('a container that ran exactly 10 minutes keeps its back-off', () => {
  const clock = new FakeClock(0);
  const b = newCrashLoopBackoff(clock);
  b.next('k', 0);
  clock.step(600_000);
  b.next('k', clock.now());
  assert.equal(b.get('k'), 20_000);
});

test('image pull back-off counts from the last failed pull', () => {
  const clock = new FakeClock(0);
  const b = newImagePullBackoff(clock);
  assert.equal(b.isInBackOffSinceUpdate('p_img', clock.now()), false);
  b.next('p_img', clock.now());
  clock.step(9_999);
  assert.equal(b.isInBackOffSinceUpdate('p_img', clock.now()), true);
  clock.step(1);
  assert.equal(b.isInBackOffSinceUpdate('p_img', clock.now()), false);
  b.next('p_img', clock.now());
  assert.equal(b.get('p_img'), 20_000);
});

test('durations print as Go prints them', () => {
  assert.deepEqual([10_000, 20_000, 40_000, 80_000, 160_000, 300_000, 1_500].map(goDuration), [
    '10s',
    '20s',
    '40s',
    '1m20s',
    '2m40s',
    '5m0s',
    '1.5s',
  ]);
});
