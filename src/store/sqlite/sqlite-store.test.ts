import * as assert from 'node:assert/strict';
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import type { Store } from '../store.js';
import { describeStoreConformance } from '../testing/conformance.js';
import { SqliteStore, type SqliteStoreOptions } from './sqlite-store.js';

function tempStore(opts: SqliteStoreOptions = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'podbay-store-'));
  const path = join(dir, 'state.db');
  let store: Store = SqliteStore.open(path, opts);
  return {
    path,
    get store() {
      return store;
    },
    async reopen(): Promise<Store> {
      await store.close();
      store = SqliteStore.open(path, opts);
      return store;
    },
    async cleanup(): Promise<void> {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

describeStoreConformance('SqliteStore', async () => tempStore(), { durable: true });

describeStoreConformance('SqliteStore with synchronous=FULL', async () => tempStore({ synchronous: 'FULL' }), {
  durable: true,
});

test('a watch from before the in-memory history replays the older events from the table', async () => {
  const t = tempStore({ historySize: 2 });
  try {
    for (let i = 0; i < 6; i++) {
      await t.store.create(`/pods/default/p${i}`, { metadata: { name: `p${i}` } });
    }
    await t.store.update('/pods/default/p0', { metadata: { name: 'p0', labels: { v: '2' } } });
    const events: string[] = [];
    const done = new Promise<void>((resolve) => {
      t.store.watch('/pods/', { fromRevision: 1 }, (ev) => {
        events.push(`${ev.type} ${ev.revision} ${ev.prevObject?.metadata.resourceVersion ?? '-'}`);
        if (ev.revision === 8) {
          resolve();
        }
      });
    });
    await t.store.delete('/pods/default/p1');
    await done;
    assert.deepEqual(events, [
      'ADDED 2 -',
      'ADDED 3 -',
      'ADDED 4 -',
      'ADDED 5 -',
      'ADDED 6 -',
      'MODIFIED 7 1',
      'DELETED 8 2',
    ]);
  } finally {
    await t.cleanup();
  }
});

test('open refuses a file written by a newer schema version', async () => {
  const t = tempStore();
  try {
    await t.store.close();
    const db = new Database(t.path);
    db.pragma('user_version = 99');
    db.close();
    assert.throws(() => SqliteStore.open(t.path), /schema version 99/);
  } finally {
    await t.cleanup();
  }
});

test('compaction deletes superseded rows and tombstones from the table, keeping one row per live key', async () => {
  const t = tempStore();
  try {
    for (let i = 0; i < 5; i++) {
      await t.store.create(`/pods/default/p${i}`, { metadata: { name: `p${i}` } });
      await t.store.update(`/pods/default/p${i}`, { metadata: { name: `p${i}` } });
    }
    await t.store.delete('/pods/default/p0');
    // The store holds the file exclusively, so count with it closed, then reopen.
    const rows = async (): Promise<number> => {
      await t.store.close();
      const db = new Database(t.path, { readonly: true });
      try {
        return (db.prepare('SELECT COUNT(*) AS n FROM log').get() as { n: number }).n;
      } finally {
        db.close();
        await t.reopen();
      }
    };
    assert.equal(await rows(), 11);
    await t.store.update('/pods/default/p1', { metadata: { name: 'p1' } }); // revision 12
    await t.store.compact(11);
    // p1 keeps its row 4 (superseded only after 11) and row 12; p2..p4 one row each.
    assert.equal(await rows(), 5);
    assert.equal((await t.store.list('/pods/')).items.length, 4);
  } finally {
    await t.cleanup();
  }
});

test('a second open of a file fails while a store holds it, and succeeds once it is closed', async () => {
  const t = tempStore();
  try {
    await t.store.create('/pods/default/a', { metadata: { name: 'a' } });
    assert.throws(() => SqliteStore.open(t.path), /is in use by another process/);
    assert.equal((await t.store.get('/pods/default/a'))?.metadata.name, 'a', 'the holder is unaffected');
    await t.store.close();
    const second = SqliteStore.open(t.path);
    assert.equal(second.currentRevision(), 1);
    await second.close();
  } finally {
    await t.cleanup();
  }
});
