import * as assert from 'node:assert/strict';
import { test } from 'node:test';
import type { StoreEvent, WatchTrigger } from './store.js';
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

const onNode = (name: string, node?: string) => ({
  metadata: { name },
  spec: node === undefined ? {} : { nodeName: node },
});
const nodeTrigger = (value: string): WatchTrigger => ({
  index: 'spec.nodeName',
  value,
  indexValue: (o) => (o as { spec?: { nodeName?: string } }).spec?.nodeName ?? '',
});

test('a watch with a trigger gets only the events whose object or previous object carries its value', async () => {
  const store = new StoreOver(new MemoryLog());
  const seen = new Map<string, string[]>();
  const record = (who: string) => (ev: StoreEvent) =>
    seen.set(who, [...(seen.get(who) ?? []), `${ev.type} ${ev.key} ${ev.revision}`]);
  const n1 = store.watch('/pods/', { fromRevision: 0, trigger: nodeTrigger('n1') }, record('n1'));
  store.watch('/pods/', { fromRevision: 0, trigger: nodeTrigger('n2') }, record('n2'));
  store.watch('/pods/', { fromRevision: 0, trigger: nodeTrigger('') }, record('unscheduled'));
  store.watch('/pods/', { fromRevision: 0 }, record('all'));
  store.watch('/pods/other/', { fromRevision: 0, trigger: nodeTrigger('n1') }, record('n1 in other'));

  await store.create('/pods/default/a', onNode('a'));
  await store.update('/pods/default/a', onNode('a', 'n1'));
  await store.create('/pods/default/b', onNode('b', 'n2'));
  await store.update('/pods/default/a', onNode('a', 'n2'));
  await store.delete('/pods/default/a');
  await store.create('/events/default/e', onNode('e', 'n1'));
  await new Promise((resolve) => setImmediate(resolve));

  assert.deepEqual(seen.get('n1'), ['MODIFIED /pods/default/a 2', 'MODIFIED /pods/default/a 4']);
  assert.deepEqual(seen.get('n2'), [
    'ADDED /pods/default/b 3',
    'MODIFIED /pods/default/a 4',
    'DELETED /pods/default/a 5',
  ]);
  assert.deepEqual(seen.get('unscheduled'), ['ADDED /pods/default/a 1', 'MODIFIED /pods/default/a 2']);
  assert.equal(seen.get('all')?.length, 5);
  assert.equal(seen.get('n1 in other'), undefined, 'the range still applies');
  assert.equal(store.watchCount(), 5);
  n1.stop();
  assert.equal(store.watchCount(), 4, 'a stopped triggered watch is forgotten');
  await store.close();
  assert.equal(store.watchCount(), 0, 'close stops triggered watches too');
});

test('a triggered watch replays history unfiltered by its trigger, then only its value', async () => {
  const store = new StoreOver(new MemoryLog());
  await store.create('/pods/default/a', onNode('a', 'n1'));
  await store.create('/pods/default/b', onNode('b', 'n2'));
  const seen: string[] = [];
  store.watch('/pods/', { fromRevision: 0, trigger: nodeTrigger('n1') }, (ev) => seen.push(ev.key));
  await store.create('/pods/default/c', onNode('c', 'n2'));
  await store.create('/pods/default/d', onNode('d', 'n1'));
  await new Promise((resolve) => setImmediate(resolve));
  assert.deepEqual(seen, ['/pods/default/a', '/pods/default/b', '/pods/default/d']);
  await store.close();
});

test('remainingItemCount of a first page stays right across creates, re-creates and deletes', async () => {
  const store = new StoreOver(new MemoryLog());
  const remaining = async (prefix: string) => (await store.list(prefix, { limit: 1 })).remainingItemCount;
  for (const n of ['a', 'b', 'c']) {
    await store.create(`/pods/default/${n}`, { metadata: { name: n } });
  }
  await store.create('/pods/other/x', { metadata: { name: 'x' } });
  assert.equal(await remaining('/pods/'), 3);
  assert.equal(await remaining('/pods/default/'), 2);
  await store.delete('/pods/default/b');
  await store.create('/pods/default/d', { metadata: { name: 'd' } });
  await store.update('/pods/default/d', { metadata: { name: 'd', labels: { x: 'y' } } });
  await store.create('/pods/default/b', { metadata: { name: 'b' } });
  await store.create('/nodes/n1', { metadata: { name: 'n1' } });
  assert.equal(await remaining('/pods/'), 4);
  assert.equal(await remaining('/pods/default/'), 3);
  const all = await store.list('/pods/');
  const second = await store.list('/pods/', { limit: 2 });
  assert.equal(second.remainingItemCount, all.items.length - 2);
  const next = await store.list('/pods/', { limit: 3, continue: second.continue });
  assert.equal(next.remainingItemCount, undefined, 'the last page has no continue');
  assert.equal(next.items.length, all.items.length - 2);
  await store.close();
});
