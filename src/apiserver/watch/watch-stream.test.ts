/* eslint-disable @typescript-eslint/no-unsafe-member-access, @typescript-eslint/no-unsafe-assignment, @typescript-eslint/no-unsafe-argument -- tests read JSON answers (TestResponse.json) in assertions */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { FakeClock } from '../../lib/testing/fake-clock.js';
import { MemoryStore } from '../../store/memory/memory-store.js';
import { startTestServer, type TestServer } from '../testing/test-server.js';

const PODS = '/api/v1/namespaces/default/pods';
const TABLE =
  'application/json;as=Table;v=v1;g=meta.k8s.io,application/json;as=Table;v=v1beta1;g=meta.k8s.io,application/json';

function pod(name: string, labels: Record<string, string> = {}): Record<string, unknown> {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, labels },
    spec: { containers: [{ name: 'c', image: 'busybox' }] },
  };
}

describe('watch', () => {
  let s: TestServer;
  const clock = new FakeClock(Date.UTC(2026, 0, 1));
  before(async () => {
    s = await startTestServer({ clock, bookmarkIntervalMs: 1000, store: new MemoryStore({ historySize: 50 }) });
  });
  after(async () => {
    await s.close();
  });

  test('from resourceVersion 0 it starts with a synthetic ADDED per object, then live changes', async () => {
    await s.request('POST', PODS, { body: pod('w0-a', { w: '0' }) });
    await s.request('POST', PODS, { body: pod('w0-b', { w: '0' }) });
    const w = await s.watch(`${PODS}?watch=true&resourceVersion=0&labelSelector=w%3D0`);
    assert.equal(w.status, 200);
    assert.equal(w.headers['content-type'], 'application/json');
    const e0 = await w.event(0);
    const e1 = await w.event(1);
    assert.deepEqual([e0.type, e1.type], ['ADDED', 'ADDED']);
    assert.deepEqual([e0.object.metadata.name, e1.object.metadata.name].sort(), ['w0-a', 'w0-b']);
    await s.request('PATCH', `${PODS}/w0-a`, {
      body: { metadata: { annotations: { x: '1' } } },
      contentType: 'application/merge-patch+json',
    });
    const e2 = await w.event(2);
    assert.equal(e2.type, 'MODIFIED');
    assert.equal(e2.object.metadata.annotations.x, '1');
    w.close();
  });

  test('without a resourceVersion it also starts with the current objects', async () => {
    await s.request('POST', PODS, { body: pod('norv', { w: 'norv' }) });
    const w = await s.watch(`${PODS}?watch=true&labelSelector=w%3Dnorv`);
    assert.equal((await w.event(0)).type, 'ADDED');
    w.close();
  });

  test('from resourceVersion N it replays every later change and nothing before', async () => {
    const a = await s.request('POST', PODS, { body: pod('replay-a', { w: 'r' }) });
    await s.request('POST', PODS, { body: pod('replay-b', { w: 'r' }) });
    await s.request('DELETE', `${PODS}/replay-a`);
    const w = await s.watch(
      `${PODS}?watch=true&resourceVersion=${a.json.metadata.resourceVersion}&labelSelector=w%3Dr`,
    );
    const e0 = await w.event(0);
    const e1 = await w.event(1);
    assert.deepEqual([e0.type, e0.object.metadata.name], ['ADDED', 'replay-b']);
    assert.deepEqual([e1.type, e1.object.metadata.name], ['DELETED', 'replay-a']);
    w.close();
  });

  test('a compacted resourceVersion is HTTP 410 Expired', async () => {
    for (let i = 0; i < 60; i++) {
      await s.request('PATCH', `${PODS}/replay-b`, {
        body: { metadata: { labels: { i: String(i) } } },
        contentType: 'application/merge-patch+json',
      });
    }
    await s.store.compact(s.store.currentRevision() - 5);
    const w = await s.watch(`${PODS}?watch=true&resourceVersion=2`);
    assert.equal(w.status, 410);
    assert.equal(w.json.reason, 'Expired');
    assert.match(w.json.message, /^too old resource version: 2 \(\d+\)$/);
  });

  test('selectors move objects in and out: ADDED when one starts matching, DELETED when it stops', async () => {
    await s.request('POST', PODS, { body: pod('mover', { tier: 'x' }) });
    const list = await s.request('GET', `${PODS}?labelSelector=tier%3Dy`);
    const w = await s.watch(
      `${PODS}?watch=true&resourceVersion=${list.json.metadata.resourceVersion}&labelSelector=tier%3Dy`,
    );
    await s.request('PATCH', `${PODS}/mover`, {
      body: { metadata: { labels: { tier: 'y' } } },
      contentType: 'application/merge-patch+json',
    });
    const e0 = await w.event(0);
    assert.equal(e0.type, 'ADDED');
    await s.request('PATCH', `${PODS}/mover`, {
      body: { metadata: { labels: { tier: 'z' } } },
      contentType: 'application/merge-patch+json',
    });
    const e1 = await w.event(1);
    assert.equal(e1.type, 'DELETED');
    assert.equal(e1.object.metadata.labels.tier, 'z', 'the DELETED event carries the new state');
    w.close();
  });

  test("a node's watch (spec.nodeName=N) sees its pods bound, created and deleted, and no other node's", async () => {
    const list = await s.request('GET', PODS);
    const w = await s.watch(
      `${PODS}?watch=true&resourceVersion=${list.json.metadata.resourceVersion}&fieldSelector=spec.nodeName%3Dn1`,
    );
    const onNode = (name: string, nodeName: string) => {
      const p = pod(name);
      (p.spec as Record<string, unknown>).nodeName = nodeName;
      return p;
    };
    await s.request('POST', PODS, { body: onNode('on-n2', 'n2') });
    await s.request('POST', PODS, { body: pod('bind-me') });
    const bound = await s.request('POST', `${PODS}/bind-me/binding`, {
      body: { apiVersion: 'v1', kind: 'Binding', metadata: { name: 'bind-me' }, target: { kind: 'Node', name: 'n1' } },
    });
    assert.equal(bound.status, 201);
    await s.request('POST', PODS, { body: onNode('on-n1', 'n1') });
    await s.request('DELETE', `${PODS}/on-n2`);
    await s.request('DELETE', `${PODS}/on-n1`);
    const events = [await w.event(0), await w.event(1), await w.event(2)];
    // A bound pod's DELETE is graceful: the node sees its deletionTimestamp set.
    assert.deepEqual(
      events.map((e) => `${e.type} ${e.object.metadata.name} ${e.object.spec.nodeName}`),
      ['ADDED bind-me n1', 'ADDED on-n1 n1', 'MODIFIED on-n1 n1'],
    );
    assert.ok(events[2]?.object.metadata.deletionTimestamp);
    w.close();
  });

  test('a field selector on metadata.name sees the deletion of its pod', async () => {
    await s.request('POST', PODS, { body: pod('by-name') });
    const w = await s.watch(`${PODS}?watch=true&resourceVersion=0&fieldSelector=metadata.name%3Dby-name`);
    assert.equal((await w.event(0)).type, 'ADDED');
    await s.request('DELETE', `${PODS}/by-name`);
    const e = await w.event(1);
    assert.equal(e.type, 'DELETED');
    assert.equal(e.object.metadata.name, 'by-name');
    w.close();
  });

  test('bookmarks come when allowWatchBookmarks=true, carrying a delivered resourceVersion', async () => {
    const list = await s.request('GET', PODS);
    const w = await s.watch(
      `${PODS}?watch=true&allowWatchBookmarks=true&resourceVersion=${list.json.metadata.resourceVersion}&fieldSelector=metadata.name%3Dnone`,
    );
    clock.step(1000);
    const b = await w.event(0);
    assert.equal(b.type, 'BOOKMARK');
    assert.deepEqual(b.object, {
      kind: 'Pod',
      apiVersion: 'v1',
      metadata: { resourceVersion: list.json.metadata.resourceVersion },
    });
    w.close();
  });

  test('no bookmarks without allowWatchBookmarks', async () => {
    const w = await s.watch(`${PODS}?watch=true&resourceVersion=${s.store.currentRevision()}`);
    clock.step(5000);
    await s.request('POST', PODS, { body: pod('after-steps') });
    const e = await w.event(0);
    assert.equal(e.type, 'ADDED');
    w.close();
  });

  test('sendInitialEvents=true ends the initial events with an initial-events-end bookmark', async () => {
    const w = await s.watch(
      `${PODS}?watch=true&sendInitialEvents=true&resourceVersionMatch=NotOlderThan&allowWatchBookmarks=true&fieldSelector=metadata.name%3Dmover`,
    );
    assert.equal((await w.event(0)).type, 'ADDED');
    const b = await w.event(1);
    assert.equal(b.type, 'BOOKMARK');
    assert.equal(b.object.metadata.annotations['k8s.io/initial-events-end'], 'true');
    w.close();
  });

  test('timeoutSeconds ends the stream', async () => {
    const w = await s.watch(`${PODS}?watch=true&resourceVersion=${s.store.currentRevision()}&timeoutSeconds=3`);
    clock.step(3000);
    await w.ended;
    assert.equal(w.events.length, 0);
  });

  test('a watch asked as a Table sends Table events with one row each', async () => {
    const w = await s.watch(`${PODS}?watch=true&resourceVersion=0&fieldSelector=metadata.name%3Dmover`, {
      accept: TABLE,
    });
    const e = await w.event(0);
    assert.equal(e.type, 'ADDED');
    assert.equal(e.object.kind, 'Table');
    assert.equal(e.object.rows.length, 1);
    assert.ok(e.object.columnDefinitions.length > 0);
    assert.equal(e.object.rows[0].object.kind, 'PartialObjectMetadata');
    assert.equal(e.object.rows[0].object.metadata.name, 'mover');
    w.close();
  });

  test('GET of one object with watch=true watches that object only', async () => {
    const w = await s.watch(`${PODS}/mover?watch=true&resourceVersion=0`);
    const e = await w.event(0);
    assert.equal(e.object.metadata.name, 'mover');
    await s.request('POST', PODS, { body: pod('someone-else') });
    await s.request('PATCH', `${PODS}/mover`, {
      body: { metadata: { labels: { k: 'v' } } },
      contentType: 'application/merge-patch+json',
    });
    const e1 = await w.event(1);
    assert.equal(e1.object.metadata.name, 'mover');
    w.close();
  });

  test('a bad resourceVersion is 400', async () => {
    const w = await s.watch(`${PODS}?watch=true&resourceVersion=abc`);
    assert.equal(w.status, 400);
  });

  test('events.k8s.io watches convert every event', async () => {
    const w = await s.watch('/apis/events.k8s.io/v1/namespaces/default/events?watch=true');
    await s.request('POST', '/api/v1/namespaces/default/events', {
      body: {
        apiVersion: 'v1',
        kind: 'Event',
        metadata: { name: 'ev-w' },
        involvedObject: { kind: 'Pod', name: 'p' },
        message: 'hi',
      },
    });
    const e = await w.event(0);
    assert.equal(e.object.apiVersion, 'events.k8s.io/v1');
    assert.equal(e.object.note, 'hi');
    w.close();
  });
});
