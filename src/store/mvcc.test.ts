import * as assert from 'node:assert/strict';
import { test } from 'node:test';
import type { StoreEvent } from './store.js';
import { MemoryLog } from './memory/memory-log.js';
import { MvccStore } from './mvcc.js';

/** A MemoryLog whose next commits fail, like a full disk would. */
class FailingLog extends MemoryLog {
  failures = 0;
  override transaction<T>(fn: () => T): T {
    return super.transaction(() => {
      const out = fn();
      if (this.failures > 0) {
        this.failures--;
        throw new Error('disk full');
      }
      return out;
    });
  }
}

class StoreOver extends MvccStore {
  constructor(log: MemoryLog) {
    super(log);
  }
}

test('when a commit fails every write of its batch is rejected, nothing is published, and revisions are reused', async () => {
  const log = new FailingLog();
  const store = new StoreOver(log);
  const seen: StoreEvent[] = [];
  const w = store.watch('/', { fromRevision: 0 }, (ev) => seen.push(ev));
  await store.create('/pods/default/a', { metadata: { name: 'a' } });

  log.failures = 1;
  const batch = await Promise.allSettled([
    store.create('/pods/default/b', { metadata: { name: 'b' } }),
    store.update('/pods/default/a', { metadata: { name: 'a' } }),
  ]);
  assert.deepEqual(
    batch.map((r) => (r.status === 'rejected' ? String(r.reason) : r.status)),
    ['Error: disk full', 'Error: disk full'],
  );
  assert.equal(store.currentRevision(), 1);
  assert.equal(await store.get('/pods/default/b'), undefined);

  const b = await store.create('/pods/default/b', { metadata: { name: 'b' } });
  assert.equal(b.metadata.resourceVersion, '2');
  await new Promise((resolve) => setImmediate(resolve));
  assert.deepEqual(
    seen.map((e) => `${e.type} ${e.key} ${e.revision}`),
    ['ADDED /pods/default/a 1', 'ADDED /pods/default/b 2'],
  );
  assert.equal(store.watchCount(), 1);
  w.stop();
  assert.equal(store.watchCount(), 0, 'a stopped watch is forgotten');
  await store.close();
});

test('an object that cannot be serialised fails alone; the rest of its batch commits', async () => {
  const store = new StoreOver(new MemoryLog());
  const cyclic: { metadata: { name: string }; self?: unknown } = { metadata: { name: 'c' } };
  cyclic.self = cyclic;
  const [bad, good] = await Promise.allSettled([
    store.create('/pods/default/c', cyclic),
    store.create('/pods/default/d', { metadata: { name: 'd' } }),
  ]);
  assert.equal(bad.status, 'rejected');
  assert.equal(good.status === 'fulfilled' && good.value.metadata.resourceVersion, '1');
  await store.close();
});

test('a large compaction runs in steps and lets writes commit between them', async () => {
  const store = new StoreOver(new MemoryLog());
  await Promise.all(Array.from({ length: 4500 }, (_, i) => store.create(`/pods/default/p${i}`, { metadata: {} })));
  const order: string[] = [];
  const compacting = store.compact(4500).then(() => order.push('compacted'));
  const writing = store.create('/pods/default/late', { metadata: {} }).then(() => order.push('written'));
  await Promise.all([compacting, writing]);
  assert.deepEqual(order, ['written', 'compacted']);
  assert.equal(store.compactedRevision(), 4500);
  assert.equal((await store.list('/pods/')).items.length, 4501);
  await store.close();
});
