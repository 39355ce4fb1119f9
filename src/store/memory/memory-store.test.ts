import * as assert from 'node:assert/strict';
import { test } from 'node:test';
import { describeStoreConformance } from '../testing/conformance.js';
import { MemoryStore } from './memory-store.js';

describeStoreConformance('MemoryStore', async () => {
  const store = new MemoryStore();
  return { store, cleanup: () => store.close() };
});

test('a watch from before the in-memory history replays the older events from the log', async () => {
  const store = new MemoryStore({ historySize: 2 });
  for (let i = 0; i < 6; i++) {
    await store.create(`/pods/default/p${i}`, { metadata: { name: `p${i}` } });
  }
  const revisions: number[] = [];
  const done = new Promise<void>((resolve) => {
    store.watch('/pods/', { fromRevision: 1 }, (ev) => {
      revisions.push(ev.revision);
      if (ev.revision === 7) {
        resolve();
      }
    });
  });
  await store.create('/pods/default/p6', { metadata: { name: 'p6' } });
  await done;
  assert.deepEqual(revisions, [2, 3, 4, 5, 6, 7]);
  await store.close();
});
