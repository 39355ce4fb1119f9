/* eslint-disable @typescript-eslint/no-unsafe-member-access, @typescript-eslint/no-unsafe-assignment, @typescript-eslint/no-unsafe-argument, @typescript-eslint/no-unsafe-call -- tests read JSON answers (TestResponse.json) in assertions */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { FakeClock } from '../../lib/testing/fake-clock.js';
import { startTestServer, type TestServer } from '../testing/test-server.js';

const PODS = '/api/v1/namespaces/default/pods';
const CMS = '/api/v1/namespaces/default/configmaps';
const T0 = Date.UTC(2026, 0, 1, 12, 0, 0);

function pod(
  name: string,
  spec: Record<string, unknown> = {},
  metadata: Record<string, unknown> = {},
): Record<string, unknown> {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, ...metadata },
    spec: { containers: [{ name: 'c', image: 'busybox' }], ...spec },
  };
}

describe('deletion', () => {
  let s: TestServer;
  const clock = new FakeClock(T0);
  before(async () => {
    s = await startTestServer({ clock });
  });
  after(async () => {
    await s.close();
  });

  test('a pod on a node is deleted gracefully: deletionTimestamp = now + grace, it stays until a delete with grace 0', async () => {
    await s.request('POST', PODS, { body: pod('graceful', { nodeName: 'n1' }) });
    const d = await s.request('DELETE', `${PODS}/graceful`, { body: { propagationPolicy: 'Background' } });
    assert.equal(d.status, 200);
    assert.equal(d.json.kind, 'Pod');
    assert.equal(d.json.metadata.deletionGracePeriodSeconds, 30);
    assert.equal(d.json.metadata.deletionTimestamp, '2026-01-01T12:00:30Z');
    assert.equal(d.json.metadata.generation, 2, 'a graceful delete bumps generation');
    const still = await s.request('GET', `${PODS}/graceful`);
    assert.equal(still.status, 200);
    const again = await s.request('DELETE', `${PODS}/graceful`);
    assert.equal(again.status, 200);
    assert.equal(
      again.json.metadata.resourceVersion,
      d.json.metadata.resourceVersion,
      'a second delete changes nothing',
    );
    const shorter = await s.request('DELETE', `${PODS}/graceful`, { body: { gracePeriodSeconds: 10 } });
    assert.equal(shorter.json.metadata.deletionGracePeriodSeconds, 10);
    assert.equal(shorter.json.metadata.deletionTimestamp, '2026-01-01T12:00:10Z');
    const now = await s.request('DELETE', `${PODS}/graceful`, { body: { gracePeriodSeconds: 0 } });
    assert.equal(now.status, 200);
    const gone = await s.request('GET', `${PODS}/graceful`);
    assert.equal(gone.status, 404);
  });

  test('the grace period comes from the request, else from terminationGracePeriodSeconds', async () => {
    await s.request('POST', PODS, { body: pod('tgps', { nodeName: 'n1', terminationGracePeriodSeconds: 5 }) });
    const d = await s.request('DELETE', `${PODS}/tgps`);
    assert.equal(d.json.metadata.deletionGracePeriodSeconds, 5);
    await s.request('POST', PODS, { body: pod('query-grace', { nodeName: 'n1' }) });
    const q = await s.request('DELETE', `${PODS}/query-grace?gracePeriodSeconds=7`);
    assert.equal(q.json.metadata.deletionGracePeriodSeconds, 7);
  });

  test('an unscheduled pod is removed at once', async () => {
    await s.request('POST', PODS, { body: pod('unscheduled') });
    const d = await s.request('DELETE', `${PODS}/unscheduled`);
    assert.equal(d.status, 200);
    assert.equal(d.json.kind, 'Pod', 'pods answer the deleted object');
    assert.equal((await s.request('GET', `${PODS}/unscheduled`)).status, 404);
  });

  test('a pod in a terminal phase is removed at once', async () => {
    const c = await s.request('POST', PODS, { body: pod('finished', { nodeName: 'n1' }) });
    const st = c.json;
    st.status.phase = 'Succeeded';
    const u = await s.request('PUT', `${PODS}/finished/status`, { body: st });
    assert.equal(u.json.status.phase, 'Succeeded');
    await s.request('DELETE', `${PODS}/finished`);
    assert.equal((await s.request('GET', `${PODS}/finished`)).status, 404);
  });

  test('a negative grace period becomes 1', async () => {
    await s.request('POST', PODS, { body: pod('negative', { nodeName: 'n1' }) });
    const d = await s.request('DELETE', `${PODS}/negative`, { body: { gracePeriodSeconds: -5 } });
    assert.equal(d.json.metadata.deletionGracePeriodSeconds, 1);
  });

  test('dryRun in the DeleteOptions body deletes nothing', async () => {
    await s.request('POST', PODS, { body: pod('dry-delete') });
    const d = await s.request('DELETE', `${PODS}/dry-delete`, { body: { dryRun: ['All'] } });
    assert.equal(d.status, 200);
    assert.equal((await s.request('GET', `${PODS}/dry-delete`)).status, 200);
  });

  test('an object with finalizers is marked deleted and removed when an update removes the last finalizer', async () => {
    await s.request('POST', CMS, {
      body: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'fin', finalizers: ['x/y'] } },
    });
    const d = await s.request('DELETE', `${CMS}/fin`);
    assert.equal(d.status, 200);
    assert.equal(d.json.kind, 'ConfigMap', 'an object that stays is returned');
    assert.equal(d.json.metadata.deletionTimestamp, '2026-01-01T12:00:00Z');
    assert.equal(d.json.metadata.deletionGracePeriodSeconds, 0);
    const add = await s.request('PATCH', `${CMS}/fin`, {
      body: { metadata: { finalizers: ['x/y', 'new/one'] } },
      contentType: 'application/merge-patch+json',
    });
    assert.equal(add.status, 422);
    assert.match(add.json.message, /no new finalizers can be added if the object is being deleted/);
    const p = await s.request('PATCH', `${CMS}/fin`, {
      body: { metadata: { finalizers: null } },
      contentType: 'application/merge-patch+json',
    });
    assert.equal(p.status, 200);
    assert.equal((await s.request('GET', `${CMS}/fin`)).status, 404);
  });

  test('a gracefully deleted pod with a finalizer stays after the grace-0 delete until the finalizer goes', async () => {
    await s.request('POST', PODS, { body: pod('fin-pod', { nodeName: 'n1' }, { finalizers: ['example.com/keep'] }) });
    const d1 = await s.request('DELETE', `${PODS}/fin-pod`);
    assert.equal(d1.json.metadata.deletionGracePeriodSeconds, 30);
    const d2 = await s.request('DELETE', `${PODS}/fin-pod`, { body: { gracePeriodSeconds: 0 } });
    assert.equal(d2.status, 200);
    assert.equal(d2.json.metadata.deletionGracePeriodSeconds, 0);
    assert.equal((await s.request('GET', `${PODS}/fin-pod`)).status, 200);
    await s.request('PATCH', `${PODS}/fin-pod`, {
      body: [{ op: 'remove', path: '/metadata/finalizers' }],
      contentType: 'application/json-patch+json',
    });
    assert.equal((await s.request('GET', `${PODS}/fin-pod`)).status, 404);
  });

  test('an update cannot change uid, creationTimestamp or the deletion fields', async () => {
    const c = await s.request('POST', CMS, {
      body: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'meta' } },
    });
    const obj = c.json;
    obj.metadata.uid = 'other';
    const r = await s.request('PUT', `${CMS}/meta`, { body: obj });
    assert.equal(r.status, 422);
    assert.match(r.json.message, /metadata.uid: Invalid value: "other": field is immutable/);
  });
});

describe('pods/binding', () => {
  let s: TestServer;
  before(async () => {
    s = await startTestServer({ clock: new FakeClock(T0) });
  });
  after(async () => {
    await s.close();
  });

  const binding = (name: string, node: string) => ({
    apiVersion: 'v1',
    kind: 'Binding',
    metadata: { name },
    target: { apiVersion: 'v1', kind: 'Node', name: node },
  });

  test('binding sets spec.nodeName and a PodScheduled=True condition and answers 201 Success', async () => {
    await s.request('POST', PODS, { body: pod('bind-me') });
    const b = await s.request('POST', `${PODS}/bind-me/binding`, { body: binding('bind-me', 'n1') });
    assert.equal(b.status, 201);
    assert.equal(b.json.status, 'Success');
    const p = await s.request('GET', `${PODS}/bind-me`);
    assert.equal(p.json.spec.nodeName, 'n1');
    assert.deepEqual(
      p.json.status.conditions.find((c: { type: string }) => c.type === 'PodScheduled'),
      { type: 'PodScheduled', status: 'True', lastProbeTime: null, lastTransitionTime: '2026-01-01T12:00:00Z' },
    );
  });

  test('binding an already bound pod is 409', async () => {
    await s.request('POST', PODS, { body: pod('bound', { nodeName: 'n1' }) });
    const b = await s.request('POST', `${PODS}/bound/binding`, { body: binding('bound', 'n2') });
    assert.equal(b.status, 409);
    assert.equal(
      b.json.message,
      'Operation cannot be fulfilled on pods/binding "bound": pod bound is already assigned to node "n1"',
    );
  });

  test('a binding whose name differs from the URL is 400, and of a missing pod 404', async () => {
    const b = await s.request('POST', `${PODS}/x/binding`, { body: binding('y', 'n1') });
    assert.equal(b.status, 400);
    const m = await s.request('POST', `${PODS}/nope/binding`, { body: binding('nope', 'n1') });
    assert.equal(m.status, 404);
  });
});

describe('pod streams without a node agent', () => {
  let s: TestServer;
  before(async () => {
    s = await startTestServer();
  });
  after(async () => {
    await s.close();
  });

  test('logs of an unscheduled pod are empty; a bad container is 400; a bound pod without PodStreams is 503', async () => {
    await s.request('POST', PODS, { body: pod('logs') });
    const empty = await s.request('GET', `${PODS}/logs/log`);
    assert.equal(empty.status, 200);
    assert.equal(empty.text, '');
    const bad = await s.request('GET', `${PODS}/logs/log?container=nope`);
    assert.equal(bad.status, 400);
    assert.equal(bad.json.message, 'container nope is not valid for pod logs');
    await s.request('POST', PODS, { body: pod('logs-bound', { nodeName: 'n1' }) });
    const none = await s.request('GET', `${PODS}/logs-bound/log`);
    assert.equal(none.status, 503);
    assert.equal(none.json.kind, 'Status');
  });

  test('a pod with several containers needs a container name', async () => {
    await s.request('POST', PODS, {
      body: pod('multi', {
        containers: [
          { name: 'a', image: 'i' },
          { name: 'b', image: 'i' },
        ],
      }),
    });
    const r = await s.request('GET', `${PODS}/multi/log`);
    assert.equal(r.status, 400);
    assert.equal(r.json.message, 'a container name must be specified for pod multi, choose one of: [a b]');
  });

  test('exec without an upgrade is 400 Upgrade request required', async () => {
    await s.request('POST', PODS, { body: pod('ex') });
    const r = await s.request('POST', `${PODS}/ex/exec?command=ls`);
    assert.equal(r.status, 400);
    assert.equal(r.json.message, 'Upgrade request required');
  });
});
