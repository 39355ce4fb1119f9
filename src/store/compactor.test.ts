import * as assert from 'node:assert/strict';
import { test } from 'node:test';
import { FakeClock } from '../lib/testing/fake-clock.js';
import { DEFAULT_COMPACTION_INTERVAL_MS, startCompactor } from './compactor.js';
import { MemoryStore } from './memory/memory-store.js';

const MIN = 60_000;

/** Lets the compactor's awaited compact() finish (one macrotask turn, not a timer). */
function settle(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

async function write(store: MemoryStore, n: number): Promise<void> {
  for (let i = 0; i < n; i++) {
    await store.create(`/pods/default/p${store.currentRevision() + 1}`, { metadata: {} });
  }
}

test('each tick compacts to the revision seen one interval earlier, never on the first tick', async () => {
  const clock = new FakeClock();
  const store = new MemoryStore();
  const compactor = startCompactor(store, clock);
  assert.equal(DEFAULT_COMPACTION_INTERVAL_MS, 5 * MIN);

  await write(store, 3);
  clock.step(5 * MIN); // first tick: notes revision 3, compacts nothing
  await settle();
  assert.equal(store.compactedRevision(), 0);

  await write(store, 4);
  clock.step(5 * MIN - 1);
  await settle();
  assert.equal(store.compactedRevision(), 0, 'not before the interval has passed');
  clock.step(1); // second tick: compacts to 3, notes 7
  await settle();
  assert.equal(store.compactedRevision(), 3);

  clock.step(5 * MIN); // third tick: compacts to 7 although nothing was written since
  await settle();
  assert.equal(store.compactedRevision(), 7);

  compactor.stop();
  await write(store, 2);
  clock.step(10 * MIN);
  await settle();
  assert.equal(store.compactedRevision(), 7, 'a stopped compactor does nothing');
  assert.equal(clock.pendingTimers(), 0);
  await store.close();
});

test('a failed compaction is reported and retried on the next tick', async () => {
  const clock = new FakeClock();
  const store = new MemoryStore();
  const errors: unknown[] = [];
  const compactor = startCompactor(store, clock, { intervalMs: MIN, onError: (e) => errors.push(e) });
  await write(store, 2);
  clock.step(MIN);
  await settle();
  await store.close(); // compact() of a closed store fails
  clock.step(MIN);
  await settle();
  assert.equal(errors.length, 1);
  assert.equal(clock.pendingTimers(), 1, 'the compactor keeps ticking');
  compactor.stop();
});
