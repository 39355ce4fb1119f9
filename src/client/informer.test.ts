import assert from 'node:assert/strict';
import { afterEach, test } from 'node:test';
import type { ServerResponse } from 'node:http';
import type { Pod } from '../api/types/index.js';
import { FakeClock } from '../lib/testing/fake-clock.js';
import { ApiClient } from './api-client.js';
import { Informer, stripManagedFields } from './informer.js';
import { json, startScriptedServer, waitFor } from './testing/scripted-server.js';
import type { RecordedRequest, ScriptedServer } from './testing/scripted-server.js';

let server: ScriptedServer | undefined;
let client: ApiClient | undefined;
let informer: Informer<Pod> | undefined;
afterEach(async () => {
  await informer?.stop();
  client?.close();
  await server?.close();
  informer = undefined;
});

function pod(name: string, rv: string, labels?: Record<string, string>): Pod {
  return {
    metadata: { name, namespace: 'ns', resourceVersion: rv, ...(labels ? { labels } : {}) },
    spec: { containers: [] },
  };
}

function line(res: ServerResponse, type: string, obj: unknown): void {
  res.write(JSON.stringify({ type, object: obj }) + '\n');
}

/** Records informer callbacks as strings. */
function recordInto(inf: Informer<Pod>, log: string[]): void {
  inf.addHandlers({
    onAdd: (p) => log.push(`add ${p.metadata.name}@${p.metadata.resourceVersion}`),
    onUpdate: (o, p) =>
      log.push(`update ${p.metadata.name}@${o.metadata.resourceVersion}->${p.metadata.resourceVersion}`),
    onDelete: (p) => log.push(`delete ${p.metadata.name}`),
  });
}

async function setup(
  h: (r: RecordedRequest, res: ServerResponse) => void,
): Promise<{ s: ScriptedServer; inf: Informer<Pod>; log: string[] }> {
  server = await startScriptedServer(h);
  client = new ApiClient({ server: server.url });
  informer = new Informer<Pod>(client.pods, { clock: new FakeClock() });
  const log: string[] = [];
  recordInto(informer, log);
  return { s: server, inf: informer, log };
}

test('lists, then watches from the list resourceVersion with bookmarks, and applies events in order', async () => {
  const { s, inf, log } = await setup((r, res) => {
    if (r.query.get('watch') !== 'true') {
      return json(res, 200, { metadata: { resourceVersion: '5' }, items: [pod('a', '3')] });
    }
    res.writeHead(200, { 'Content-Type': 'application/json' });
    line(res, 'ADDED', pod('b', '6'));
    line(res, 'MODIFIED', pod('a', '7'));
    line(res, 'DELETED', pod('b', '8'));
  });
  await inf.start();
  await waitFor(() => log.length === 4, 5000, 'four events');
  assert.deepEqual(log, ['add a@3', 'add b@6', 'update a@3->7', 'delete b']);
  const w = s.requests.find((r) => r.query.get('watch') === 'true')!;
  assert.equal(w.query.get('resourceVersion'), '5');
  assert.equal(w.query.get('allowWatchBookmarks'), 'true');
  assert.equal(s.requests[0]!.query.get('limit'), '500');
  assert.deepEqual(
    inf.list().map((p) => p.metadata.name),
    ['a'],
  );
  assert.equal(inf.get('ns', 'a')?.metadata.resourceVersion, '7');
});

test('resumes a dropped watch from the last resourceVersion it saw, bookmarks included', async () => {
  let watches = 0;
  const { s, log } = await setup((r, res) => {
    if (r.query.get('watch') !== 'true') {
      return json(res, 200, { metadata: { resourceVersion: '5' }, items: [] });
    }
    watches++;
    res.writeHead(200, { 'Content-Type': 'application/json' });
    if (watches === 1) {
      line(res, 'ADDED', pod('a', '6'));
      line(res, 'BOOKMARK', { kind: 'Pod', apiVersion: 'v1', metadata: { resourceVersion: '9' } });
      res.end();
    } else if (watches === 2) {
      line(res, 'MODIFIED', pod('a', '10'));
    }
  });
  await informer!.start();
  await waitFor(() => log.length === 2, 5000, 'the event after the reconnect');
  assert.deepEqual(log, ['add a@6', 'update a@6->10']);
  const ws = s.requests.filter((r) => r.query.get('watch') === 'true');
  assert.deepEqual(
    ws.map((r) => r.query.get('resourceVersion')),
    ['5', '9'],
  );
});

for (const how of ['an HTTP 410', 'an in-stream ERROR with code 410']) {
  test(`lists again after ${how} and reports only the differences`, async () => {
    let lists = 0;
    let watches = 0;
    const { s, log } = await setup((r, res) => {
      if (r.query.get('watch') !== 'true') {
        lists++;
        return lists === 1
          ? json(res, 200, { metadata: { resourceVersion: '5' }, items: [pod('a', '3'), pod('b', '4')] })
          : json(res, 200, { metadata: { resourceVersion: '20' }, items: [pod('a', '3'), pod('c', '15')] });
      }
      watches++;
      const gone = {
        kind: 'Status',
        apiVersion: 'v1',
        metadata: {},
        status: 'Failure',
        reason: 'Expired',
        code: 410,
        message: 'too old resource version: 5 (12)',
      };
      if (watches === 1) {
        if (how.startsWith('an HTTP')) {
          return json(res, 410, gone);
        }
        res.writeHead(200);
        line(res, 'ERROR', gone);
        return;
      }
      res.writeHead(200);
    });
    await informer!.start();
    await waitFor(() => log.length === 4, 5000, 'the re-list');
    assert.deepEqual(log, ['add a@3', 'add b@4', 'add c@15', 'delete b']);
    const ws = s.requests.filter((r) => r.query.get('watch') === 'true');
    await waitFor(
      () => s.requests.filter((r) => r.query.get('watch') === 'true').length === 2,
      5000,
      'the second watch',
    );
    assert.equal(s.requests.filter((r) => r.query.get('watch') === 'true')[1]!.query.get('resourceVersion'), '20');
    assert.ok(ws.length >= 1);
  });
}

test('retries a failed list after its back-off on the clock', async () => {
  let lists = 0;
  server = await startScriptedServer((r, res) => {
    if (r.query.get('watch') === 'true') {
      res.writeHead(200);
      return;
    }
    lists++;
    if (lists === 1) {
      return json(res, 500, {
        kind: 'Status',
        metadata: {},
        status: 'Failure',
        reason: 'InternalError',
        code: 500,
        message: 'boom',
      });
    }
    json(res, 200, { metadata: { resourceVersion: '1' }, items: [pod('a', '1')] });
  });
  client = new ApiClient({ server: server.url });
  const clock = new FakeClock();
  const errors: unknown[] = [];
  informer = new Informer<Pod>(client.pods, { clock, initialBackoffMs: 500, onError: (e) => errors.push(e) });
  const synced = informer.start();
  await waitFor(() => errors.length === 1, 5000, 'the failed list');
  assert.equal(informer.hasSynced(), false);
  clock.step(499);
  assert.equal(lists, 1);
  clock.step(1);
  await synced;
  assert.equal(informer.get('ns', 'a')?.metadata.resourceVersion, '1');
});

test('gives handlers added after sync an add for every cached object', async () => {
  const { inf } = await setup((r, res) => {
    if (r.query.get('watch') === 'true') {
      res.writeHead(200);
      return;
    }
    json(res, 200, { metadata: { resourceVersion: '5' }, items: [pod('a', '3'), pod('b', '4')] });
  });
  await inf.start();
  const late: string[] = [];
  recordInto(inf, late);
  assert.deepEqual(late.sort(), ['add a@3', 'add b@4']);
});

test('stops calling handlers once they are removed', async () => {
  const { inf, log } = await setup((r, res) => {
    if (r.query.get('watch') !== 'true') {
      return json(res, 200, { metadata: { resourceVersion: '5' }, items: [] });
    }
    res.writeHead(200);
    line(res, 'ADDED', pod('a', '6'));
    setTimeout(() => line(res, 'ADDED', pod('b', '7')), 50);
  });
  const other: string[] = [];
  const remove = inf.addHandlers({ onAdd: (p) => other.push(p.metadata.name!) });
  await inf.start();
  await waitFor(() => other.length === 1, 5000, 'first add');
  remove();
  await waitFor(() => log.length === 2, 5000, 'second add');
  assert.deepEqual(other, ['a']);
});

test('backs off before reconnecting a watch the server ends without any event', async () => {
  server = await startScriptedServer((r, res) => {
    if (r.query.get('watch') === 'true') {
      res.writeHead(200);
      res.end();
      return;
    }
    json(res, 200, { metadata: { resourceVersion: '5' }, items: [] });
  });
  client = new ApiClient({ server: server.url });
  const clock = new FakeClock();
  informer = new Informer<Pod>(client.pods, { clock, initialBackoffMs: 200 });
  await informer.start();
  const watches = (): number => server!.requests.filter((r) => r.query.get('watch') === 'true').length;
  await waitFor(() => watches() === 1 && clock.pendingTimers() === 1, 5000, 'the first watch to end');
  clock.step(199);
  assert.equal(watches(), 1);
  clock.step(1);
  await waitFor(() => watches() === 2, 5000, 'the reconnect');
});

test('stripManagedFields drops managedFields and leaves the rest, and the object itself when it has none', () => {
  const withFields = {
    metadata: { name: 'p', labels: { a: 'b' }, managedFields: [{ manager: 'm', operation: 'Update' }] },
    spec: { x: 1 },
  } as unknown as Pod;
  const stripped = stripManagedFields(withFields);
  assert.equal(stripped.metadata.managedFields, undefined);
  assert.deepEqual(stripped.metadata.labels, { a: 'b' });
  assert.equal(stripped.spec, withFields.spec);
  assert.ok(withFields.metadata.managedFields, 'the input is not changed');
  const bare = { metadata: { name: 'q' } } as unknown as Pod;
  assert.equal(stripManagedFields(bare), bare);
});

test('a transform applies to listed and watched objects before the cache and the handlers see them', async () => {
  server = await startScriptedServer((r, res) => {
    const managed = (p: Pod): Pod => ({
      ...p,
      metadata: { ...p.metadata, managedFields: [{ manager: 'm', operation: 'Update' }] },
    });
    if (r.query.get('watch') !== 'true') {
      return json(res, 200, { metadata: { resourceVersion: '5' }, items: [managed(pod('a', '3'))] });
    }
    res.writeHead(200, { 'Content-Type': 'application/json' });
    line(res, 'ADDED', managed(pod('b', '6')));
  });
  client = new ApiClient({ server: server.url });
  informer = new Informer<Pod>(client.pods, { clock: new FakeClock(), transform: stripManagedFields });
  const seen: Pod[] = [];
  informer.addHandlers({ onAdd: (p) => seen.push(p) });
  await informer.start();
  await waitFor(() => seen.length === 2, 5000, 'two adds');
  assert.deepEqual(
    seen.map((p) => [p.metadata.name, p.metadata.managedFields]),
    [
      ['a', undefined],
      ['b', undefined],
    ],
  );
  assert.equal(informer.get('ns', 'b')?.metadata.managedFields, undefined);
});
