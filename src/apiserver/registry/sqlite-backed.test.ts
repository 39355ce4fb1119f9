/* eslint-disable @typescript-eslint/no-unsafe-member-access -- tests read JSON answers (TestResponse.json) in assertions */
// The registry over the SQLite store `podbay up` uses (the other tests use MemoryStore):
// writes, graceful deletion, watches and namespace deletion behave the same.
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { SqliteStore } from '../../store/sqlite/sqlite-store.js';
import { startTestServer, type TestServer } from '../testing/test-server.js';

const PODS = '/api/v1/namespaces/default/pods';

describe('apiserver over SqliteStore', () => {
  let dir: string;
  let store: SqliteStore;
  let s: TestServer;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'podbay-apiserver-sqlite-'));
    store = SqliteStore.open(join(dir, 'state.db'));
    s = await startTestServer({ store });
  });
  after(async () => {
    await s.close();
    await store.close();
    await rm(dir, { recursive: true, force: true });
  });

  test('create, patch, graceful delete and the watch events they make', async () => {
    const w = await s.watch(`${PODS}?watch=true`);
    const body = {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'a' },
      spec: { nodeName: 'n1', containers: [{ name: 'c', image: 'i' }] },
    };
    assert.equal((await s.request('POST', PODS, { body })).status, 201);
    const p = await s.request('PATCH', `${PODS}/a`, {
      body: { metadata: { labels: { x: 'y' } } },
      contentType: 'application/merge-patch+json',
    });
    assert.equal(p.json.metadata.labels.x, 'y');
    const d = await s.request('DELETE', `${PODS}/a`);
    assert.equal(d.json.metadata.deletionGracePeriodSeconds, 30);
    await s.request('DELETE', `${PODS}/a`, { body: { gracePeriodSeconds: 0 } });
    await w.event(3);
    assert.deepEqual(
      w.events.map((e) => e.type),
      ['ADDED', 'MODIFIED', 'MODIFIED', 'DELETED'],
    );
    w.close();
  });

  test('a namespace and its content are deleted', async () => {
    await s.request('POST', '/api/v1/namespaces', {
      body: { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'tmp' } },
    });
    await s.request('POST', '/api/v1/namespaces/tmp/configmaps', {
      body: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' } },
    });
    await s.request('DELETE', '/api/v1/namespaces/tmp');
    await s.app.idle();
    assert.equal((await s.request('GET', '/api/v1/namespaces/tmp')).status, 404);
    assert.equal((await s.request('GET', '/api/v1/namespaces/tmp/configmaps/c')).status, 404);
  });
});
