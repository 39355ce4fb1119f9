/* eslint-disable @typescript-eslint/no-unsafe-member-access, @typescript-eslint/no-unsafe-assignment, @typescript-eslint/no-unsafe-argument, @typescript-eslint/no-unsafe-call -- tests read JSON answers (TestResponse.json) in assertions */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startTestServer, type TestServer } from '../testing/test-server.js';

const PODS = '/api/v1/namespaces/default/pods';

function pod(name: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, labels: { app: name } },
    spec: { containers: [{ name: 'c', image: 'busybox' }] },
    ...extra,
  };
}

describe('resource requests', () => {
  let s: TestServer;
  before(async () => {
    s = await startTestServer();
  });
  after(async () => {
    await s.close();
  });

  test('a created pod gets 201, a uid, a creationTimestamp, generation 1, phase Pending and a qosClass', async () => {
    const r = await s.request('POST', PODS, { body: pod('create-1') });
    assert.equal(r.status, 201);
    assert.match(r.json.metadata.uid, /^[0-9a-f-]{36}$/);
    assert.match(r.json.metadata.creationTimestamp, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    assert.equal(r.json.metadata.generation, 1);
    assert.equal(r.json.metadata.namespace, 'default');
    assert.equal(r.json.status.phase, 'Pending');
    assert.ok(r.json.status.qosClass);
    assert.ok(Number(r.json.metadata.resourceVersion) > 0);
    assert.equal(r.json.spec.restartPolicy, 'Always', 'defaults applied');
  });

  test('a create with a taken name is 409 AlreadyExists', async () => {
    await s.request('POST', PODS, { body: pod('dup') });
    const r = await s.request('POST', PODS, { body: pod('dup') });
    assert.equal(r.status, 409);
    assert.equal(r.json.reason, 'AlreadyExists');
    assert.equal(r.json.message, 'pods "dup" already exists');
  });

  test('generateName makes a name of the prefix and 5 characters of the apiserver alphabet', async () => {
    const body = pod('');
    (body.metadata as Record<string, unknown>).name = undefined;
    (body.metadata as Record<string, unknown>).generateName = 'gen-';
    const r = await s.request('POST', PODS, { body });
    assert.equal(r.status, 201);
    assert.match(r.json.metadata.name, /^gen-[bcdfghjklmnpqrstvwxz2456789]{5}$/);
  });

  test('a create that carries a resourceVersion is refused as etcd3 refuses it', async () => {
    const r = await s.request('POST', PODS, {
      body: pod('with-rv', { metadata: { name: 'with-rv', resourceVersion: '5' } }),
    });
    assert.equal(r.status, 500);
    assert.equal(r.json.message, 'resourceVersion should not be set on objects to be created');
  });

  test('dryRun=All answers the object and stores nothing', async () => {
    const r = await s.request('POST', `${PODS}?dryRun=All`, { body: pod('dry') });
    assert.equal(r.status, 201);
    assert.equal(r.json.metadata.name, 'dry');
    const g = await s.request('GET', `${PODS}/dry`);
    assert.equal(g.status, 404);
  });

  test('an unknown dryRun value is 422 from the options validation', async () => {
    const r = await s.request('POST', `${PODS}?dryRun=Some`, { body: pod('dry2') });
    assert.equal(r.status, 422);
    assert.match(r.json.message, /dryRun: Unsupported value/);
  });

  test('an invalid pod is 422 Invalid with details.causes', async () => {
    const r = await s.request('POST', PODS, { body: pod('bad', { spec: { containers: [{ name: 'c' }] } }) });
    assert.equal(r.status, 422);
    assert.equal(r.json.reason, 'Invalid');
    assert.equal(r.json.details.kind, 'Pod');
    assert.equal(r.json.details.name, 'bad');
    assert.ok(r.json.details.causes.some((c: { field: string }) => c.field === 'spec.containers[0].image'));
    assert.match(r.json.message, /^Pod "bad" is invalid: /);
  });

  test('a YAML body is accepted', async () => {
    const yaml =
      'apiVersion: v1\nkind: Pod\nmetadata:\n  name: from-yaml\nspec:\n  containers:\n  - name: c\n    image: busybox\n';
    const r = await s.request('POST', PODS, { rawBody: yaml, contentType: 'application/yaml' });
    assert.equal(r.status, 201);
    assert.equal(r.json.metadata.name, 'from-yaml');
  });

  test('malformed JSON and YAML are 400 naming the problem', async () => {
    const j = await s.request('POST', PODS, { rawBody: '{"metadata": ', contentType: 'application/json' });
    assert.equal(j.status, 400);
    assert.equal(j.json.kind, 'Status');
    assert.match(
      j.json.message,
      /^Pod in version "v1" cannot be handled as a Pod: couldn't get version\/kind; json parse error: /,
    );
    const y = await s.request('POST', PODS, {
      rawBody: 'metadata:\n  name: x\n   bad: [',
      contentType: 'application/yaml',
    });
    assert.equal(y.status, 400);
    assert.match(
      y.json.message,
      /^Pod in version "v1" cannot be handled as a Pod: error converting YAML to JSON: yaml: /,
    );
  });

  test('a body over the limit is 413', async () => {
    const big = 'x'.repeat(3 * 1024 * 1024 + 10);
    const r = await s.request('POST', PODS, {
      rawBody: JSON.stringify({ kind: 'Pod', metadata: { name: 'big', annotations: { a: big } } }),
    });
    assert.equal(r.status, 413);
    assert.equal(r.json.reason, 'RequestEntityTooLarge');
    assert.equal(r.json.message, 'Request entity too large: limit is 3145728');
  });

  test('an unknown body type is 415 and an unknown patch type is 415', async () => {
    const r = await s.request('POST', PODS, { rawBody: 'x', contentType: 'text/plain' });
    assert.equal(r.status, 415);
    assert.equal(r.json.reason, 'UnsupportedMediaType');
    await s.request('POST', PODS, { body: pod('p415') });
    const p = await s.request('PATCH', `${PODS}/p415`, { rawBody: '{}', contentType: 'text/plain' });
    assert.equal(p.status, 415);
  });

  test('unknown resources and paths are 404 with the apiserver message', async () => {
    for (const path of ['/api/v1/namespaces/default/widgets', '/apis/apps/v1/deployments', '/nope', '/api/v1/pods/x']) {
      const r = await s.request('GET', path);
      assert.equal(r.status, 404, path);
      assert.equal(r.json.message, 'the server could not find the requested resource', path);
    }
  });

  test('a wrong method is 405', async () => {
    const put = await s.request('PUT', PODS, { body: pod('x') });
    assert.equal(put.status, 405);
    assert.equal(put.json.reason, 'MethodNotAllowed');
    const post = await s.request('POST', '/version');
    assert.equal(post.status, 405);
    const opt = await s.request('OPTIONS', PODS);
    assert.equal(opt.status, 405);
  });

  test('a request without a valid token is 401 Unauthorized, health endpoints are open', async () => {
    const r = await s.request('GET', PODS, { auth: false });
    assert.equal(r.status, 401);
    assert.equal(r.json.reason, 'Unauthorized');
    const wrong = await s.request('GET', PODS, { auth: false, headers: { authorization: 'Bearer nope' } });
    assert.equal(wrong.status, 401);
    for (const p of ['/healthz', '/livez', '/readyz']) {
      const h = await s.request('GET', p, { auth: false });
      assert.equal(h.status, 200);
      assert.equal(h.text, 'ok');
    }
  });

  test('creating in a missing namespace is 404 namespaces "x" not found', async () => {
    const r = await s.request('POST', '/api/v1/namespaces/nowhere/pods', { body: pod('x') });
    assert.equal(r.status, 404);
    assert.equal(r.json.message, 'namespaces "nowhere" not found');
  });

  test('a body namespace other than the URL one is 400', async () => {
    const r = await s.request('POST', PODS, { body: pod('x', { metadata: { name: 'x', namespace: 'kube-system' } }) });
    assert.equal(r.status, 400);
    assert.equal(
      r.json.message,
      'the namespace of the provided object does not match the namespace sent on the request',
    );
  });

  test('get of a missing pod is 404 pods "x" not found', async () => {
    const r = await s.request('GET', `${PODS}/missing`);
    assert.equal(r.status, 404);
    assert.equal(r.json.message, 'pods "missing" not found');
    assert.deepEqual(r.json.details, { name: 'missing', kind: 'pods' });
  });

  test('list filters by label and field selectors and carries the list resourceVersion', async () => {
    await s.request('POST', PODS, { body: pod('sel-a') });
    await s.request('POST', PODS, { body: pod('sel-b') });
    const r = await s.request('GET', `${PODS}?labelSelector=app%3Dsel-a`);
    assert.equal(r.status, 200);
    assert.equal(r.json.kind, 'PodList');
    assert.equal(r.json.apiVersion, 'v1');
    assert.deepEqual(
      r.json.items.map((p: { metadata: { name: string } }) => p.metadata.name),
      ['sel-a'],
    );
    assert.ok(Number(r.json.metadata.resourceVersion) > 0);
    const f = await s.request('GET', `/api/v1/pods?fieldSelector=metadata.name%3Dsel-b`);
    assert.deepEqual(
      f.json.items.map((p: { metadata: { name: string } }) => p.metadata.name),
      ['sel-b'],
    );
  });

  test('list pages with limit and continue', async () => {
    for (const n of ['page-1', 'page-2', 'page-3']) {
      await s.request('POST', '/api/v1/namespaces/kube-public/configmaps', {
        body: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: n } },
      });
    }
    const first = await s.request('GET', '/api/v1/namespaces/kube-public/configmaps?limit=2');
    assert.equal(first.json.items.length, 2);
    assert.ok(first.json.metadata.continue);
    const second = await s.request(
      'GET',
      `/api/v1/namespaces/kube-public/configmaps?limit=2&continue=${encodeURIComponent(first.json.metadata.continue)}`,
    );
    assert.equal(second.json.items.length, 1);
    assert.equal(second.json.metadata.continue, undefined);
  });

  test('PUT with a stale resourceVersion is 409 Conflict; without one it updates', async () => {
    const c = await s.request('POST', PODS, { body: pod('put-1') });
    const obj = c.json;
    obj.metadata.labels = { app: 'put-1', v: '2' };
    const ok = await s.request('PUT', `${PODS}/put-1`, { body: obj });
    assert.equal(ok.status, 200);
    assert.equal(ok.json.metadata.labels.v, '2');
    const stale = await s.request('PUT', `${PODS}/put-1`, { body: obj });
    assert.equal(stale.status, 409);
    assert.equal(stale.json.reason, 'Conflict');
    assert.equal(
      stale.json.message,
      'Operation cannot be fulfilled on pods "put-1": the object has been modified; please apply your changes to the latest version and try again',
    );
    delete obj.metadata.resourceVersion;
    obj.metadata.labels.v = '3';
    const unconditional = await s.request('PUT', `${PODS}/put-1`, { body: obj });
    assert.equal(unconditional.status, 200);
  });

  test('a pod update that changes an immutable spec field is 422 with the Kubernetes message', async () => {
    const c = await s.request('POST', PODS, { body: pod('immutable') });
    const obj = c.json;
    obj.spec.restartPolicy = 'Never';
    const r = await s.request('PUT', `${PODS}/immutable`, { body: obj });
    assert.equal(r.status, 422);
    assert.match(
      r.json.message,
      /^Pod "immutable" is invalid: spec: Forbidden: pod updates may not change fields other than /,
    );
    const patch = await s.request('PATCH', `${PODS}/immutable`, {
      body: {
        spec: {
          containers: [
            { name: 'c', image: 'busybox' },
            { name: 'd', image: 'busybox' },
          ],
        },
      },
      contentType: 'application/merge-patch+json',
    });
    assert.equal(patch.status, 422);
    assert.equal(patch.json.details.causes[0].field, 'spec.containers');
  });

  test('PUT with a name other than the URL one is 400', async () => {
    const r = await s.request('PUT', `${PODS}/a`, { body: pod('b') });
    assert.equal(r.status, 400);
    assert.equal(r.json.message, 'the name of the object (b) does not match the name on the URL (a)');
  });

  test('a PUT on a pod ignores status changes and a PUT on pods/status ignores spec changes', async () => {
    const c = await s.request('POST', PODS, { body: pod('split') });
    const obj = c.json;
    obj.status = { phase: 'Running' };
    obj.spec.containers[0].image = 'busybox:2';
    const r = await s.request('PUT', `${PODS}/split`, { body: obj });
    assert.equal(r.json.status.phase, 'Pending');
    assert.equal(r.json.spec.containers[0].image, 'busybox:2');
    assert.equal(r.json.metadata.generation, 2, 'a spec change bumps generation');
    const st = structuredClone(r.json);
    st.status = { ...st.status, phase: 'Running' };
    st.spec.containers[0].image = 'busybox:3';
    const s2 = await s.request('PUT', `${PODS}/split/status`, { body: st });
    assert.equal(s2.status, 200);
    assert.equal(s2.json.status.phase, 'Running');
    assert.equal(s2.json.spec.containers[0].image, 'busybox:2');
    assert.equal(s2.json.metadata.generation, 2, 'a status update keeps generation');
  });

  test('an update that changes nothing keeps the resourceVersion', async () => {
    const c = await s.request('POST', PODS, { body: pod('noop') });
    const r = await s.request('PUT', `${PODS}/noop`, { body: c.json });
    assert.equal(r.json.metadata.resourceVersion, c.json.metadata.resourceVersion);
  });

  test('patch: merge, strategic, json; no Conflict without a resourceVersion in the patch', async () => {
    await s.request('POST', PODS, { body: pod('patch-1') });
    const merge = await s.request('PATCH', `${PODS}/patch-1?fieldManager=kubectl-label`, {
      body: { metadata: { labels: { k: 'v' } } },
      contentType: 'application/merge-patch+json',
    });
    assert.equal(merge.status, 200);
    assert.equal(merge.json.metadata.labels.k, 'v');
    const smp = await s.request('PATCH', `${PODS}/patch-1`, {
      body: { spec: { containers: [{ name: 'c', image: 'busybox:1.36' }] } },
      contentType: 'application/strategic-merge-patch+json',
    });
    assert.equal(smp.status, 200);
    assert.equal(smp.json.spec.containers[0].image, 'busybox:1.36');
    const json = await s.request('PATCH', `${PODS}/patch-1`, {
      body: [{ op: 'add', path: '/metadata/annotations', value: { a: 'b' } }],
      contentType: 'application/json-patch+json',
    });
    assert.equal(json.status, 200);
    assert.equal(json.json.metadata.annotations.a, 'b');
    const stale = await s.request('PATCH', `${PODS}/patch-1`, {
      body: { metadata: { resourceVersion: '1', labels: { x: 'y' } } },
      contentType: 'application/merge-patch+json',
    });
    assert.equal(stale.status, 409);
  });

  test('patch of a missing object is 404; apply-patch creates it with 201 and updates with 200', async () => {
    const m = await s.request('PATCH', `${PODS}/ghost`, { body: {}, contentType: 'application/merge-patch+json' });
    assert.equal(m.status, 404);
    const body = pod('applied');
    const c = await s.request('PATCH', `${PODS}/applied?fieldManager=kubectl&force=false`, {
      rawBody: JSON.stringify(body),
      contentType: 'application/apply-patch+yaml',
    });
    assert.equal(c.status, 201);
    assert.equal(c.json.status.phase, 'Pending');
    const u = await s.request('PATCH', `${PODS}/applied?fieldManager=kubectl&force=false`, {
      // The manager's whole intent: leaving spec out would give its containers up (422).
      rawBody:
        'apiVersion: v1\nkind: Pod\nmetadata:\n  name: applied\n  labels:\n    x: y\nspec:\n  containers:\n  - name: c\n    image: busybox\n',
      contentType: 'application/apply-patch+yaml',
    });
    assert.equal(u.status, 200);
    assert.equal(u.json.metadata.labels.x, 'y');
  });

  test('server-side apply records managers; a conflicting apply by another manager is 409 unless forced', async () => {
    const a = await s.request('PATCH', `${PODS}/ssa?fieldManager=alice`, {
      rawBody: JSON.stringify(pod('ssa', { metadata: { name: 'ssa', labels: { owner: 'alice' } } })),
      contentType: 'application/apply-patch+yaml',
    });
    assert.equal(a.status, 201);
    const managers = a.json.metadata.managedFields.map((m: { manager: string; operation: string }) => [
      m.manager,
      m.operation,
    ]);
    assert.deepEqual(managers, [['alice', 'Apply']]);
    const body = 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: ssa\n  labels:\n    owner: bob\n';
    const conflict = await s.request('PATCH', `${PODS}/ssa?fieldManager=bob`, {
      rawBody: body,
      contentType: 'application/apply-patch+yaml',
    });
    assert.equal(conflict.status, 409);
    assert.equal(conflict.json.reason, 'Conflict');
    const forced = await s.request('PATCH', `${PODS}/ssa?fieldManager=bob&force=true`, {
      rawBody: body,
      contentType: 'application/apply-patch+yaml',
    });
    assert.equal(forced.status, 200);
    assert.equal(forced.json.metadata.labels.owner, 'bob');
  });

  test('a create records an Update entry for its field manager', async () => {
    const r = await s.request('POST', `${PODS}?fieldManager=kubectl-create`, { body: pod('mf') });
    assert.deepEqual(
      r.json.metadata.managedFields.map((m: { manager: string; operation: string }) => [m.manager, m.operation]),
      [['kubectl-create', 'Update']],
    );
  });

  test('apply-patch without fieldManager is 422 and force on a merge patch is 422', async () => {
    const r = await s.request('PATCH', `${PODS}/x`, { rawBody: '{}', contentType: 'application/apply-patch+yaml' });
    assert.equal(r.status, 422);
    assert.match(r.json.message, /fieldManager: Required value: is required for apply patch/);
    const f = await s.request('PATCH', `${PODS}/x?force=true`, {
      rawBody: '{}',
      contentType: 'application/merge-patch+json',
    });
    assert.equal(f.status, 422);
    assert.match(f.json.message, /force: Forbidden: may not be specified for non-apply patch/);
  });

  test('fieldValidation=Strict refuses unknown and duplicate fields with the decoder message', async () => {
    const body = pod('strict', { spec: { containers: [{ name: 'c', image: 'busybox', foo: 1 }] } });
    const r = await s.request('POST', `${PODS}?fieldValidation=Strict`, { body });
    assert.equal(r.status, 400);
    assert.equal(
      r.json.message,
      'Pod in version "v1" cannot be handled as a Pod: strict decoding error: unknown field "spec.containers[0].foo"',
    );
    const dup = await s.request('POST', `${PODS}?fieldValidation=Strict`, {
      rawBody:
        '{"apiVersion":"v1","kind":"Pod","metadata":{"name":"d","name":"d"},"spec":{"containers":[{"name":"c","image":"i"}]}}',
    });
    assert.equal(dup.status, 400);
    assert.match(dup.json.message, /duplicate field "metadata.name"/);
  });

  test('a patch whose result has an unknown field is refused bare under Strict', async () => {
    await s.request('POST', PODS, { body: pod('strict-patch') });
    const r = await s.request('PATCH', `${PODS}/strict-patch?fieldValidation=Strict`, {
      body: { metadata: { app: 'x' } },
      contentType: 'application/merge-patch+json',
    });
    assert.equal(r.status, 400);
    assert.equal(r.json.message, 'strict decoding error: unknown field "metadata.app"');
  });

  test('an update keeps the managed fields it does not send', async () => {
    const c = await s.request('POST', PODS, { body: pod('keep-mf') });
    const stored = c.json;
    const mf = stored.metadata.managedFields;
    delete stored.metadata.managedFields;
    const r = await s.request('PUT', `${PODS}/keep-mf`, { body: stored });
    assert.equal(r.status, 200);
    assert.deepEqual(r.json.metadata.managedFields, mf);
    assert.equal(r.json.metadata.resourceVersion, c.json.metadata.resourceVersion);
  });

  test('fieldValidation=Warn (the default) drops unknown fields and warns', async () => {
    const body = pod('warned', { spec: { containers: [{ name: 'c', image: 'busybox' }], bogus: true } });
    const r = await s.request('POST', PODS, { body });
    assert.equal(r.status, 201);
    assert.equal(r.json.spec.bogus, undefined);
    assert.equal(r.headers.warning, '299 - "unknown field \\"spec.bogus\\""');
  });

  test('fieldValidation=Ignore drops unknown fields silently', async () => {
    const body = pod('ignored', { spec: { containers: [{ name: 'c', image: 'busybox' }], bogus: true } });
    const r = await s.request('POST', `${PODS}?fieldValidation=Ignore`, { body });
    assert.equal(r.status, 201);
    assert.equal(r.headers.warning, undefined);
  });

  test('a pod name that is not a DNS label gets a warning', async () => {
    const r = await s.request('POST', PODS, { body: pod('with.dots') });
    assert.equal(r.status, 201);
    assert.match(String(r.headers.warning), /this is used in the Pod's hostname/);
  });

  test('secrets merge stringData into data at write and default type Opaque', async () => {
    const r = await s.request('POST', '/api/v1/namespaces/default/secrets', {
      body: {
        apiVersion: 'v1',
        kind: 'Secret',
        metadata: { name: 's' },
        data: { a: 'YQ==' },
        stringData: { b: 'hello' },
      },
    });
    assert.equal(r.status, 201);
    assert.deepEqual(r.json.data, { a: 'YQ==', b: 'aGVsbG8=' });
    assert.equal(r.json.stringData, undefined);
    assert.equal(r.json.type, 'Opaque');
  });

  test('leases and events are created by a PUT when absent', async () => {
    const lease = {
      apiVersion: 'coordination.k8s.io/v1',
      kind: 'Lease',
      metadata: { name: 'n1' },
      spec: { holderIdentity: 'n1' },
    };
    const r = await s.request('PUT', '/apis/coordination.k8s.io/v1/namespaces/kube-node-lease/leases/n1', {
      body: lease,
    });
    assert.equal(r.status, 201);
    const g = await s.request('GET', '/apis/coordination.k8s.io/v1/namespaces/kube-node-lease/leases/n1');
    assert.equal(g.json.spec.holderIdentity, 'n1');
    const missing = await s.request('GET', '/apis/coordination.k8s.io/v1/namespaces/kube-node-lease/leases/zz');
    assert.equal(missing.json.message, 'leases.coordination.k8s.io "zz" not found');
  });

  test('events are one stored object seen through core/v1 and events.k8s.io/v1', async () => {
    const ev = {
      apiVersion: 'v1',
      kind: 'Event',
      metadata: { name: 'e1' },
      involvedObject: { kind: 'Pod', name: 'p', namespace: 'default', uid: 'u1' },
      reason: 'Scheduled',
      message: 'Successfully assigned default/p to n1',
      type: 'Normal',
      count: 1,
      source: { component: 'default-scheduler' },
    };
    const c = await s.request('POST', '/api/v1/namespaces/default/events', { body: ev });
    assert.equal(c.status, 201);
    const v1 = await s.request('GET', '/apis/events.k8s.io/v1/namespaces/default/events/e1');
    assert.equal(v1.json.apiVersion, 'events.k8s.io/v1');
    assert.equal(v1.json.note, 'Successfully assigned default/p to n1');
    assert.equal(v1.json.regarding.name, 'p');
    assert.equal(v1.json.deprecatedCount, 1);
    const byObj = await s.request(
      'GET',
      '/api/v1/namespaces/default/events?fieldSelector=involvedObject.name%3Dp,involvedObject.uid%3Du1',
    );
    assert.equal(byObj.json.items.length, 1);
    const viaV1 = await s.request(
      'GET',
      '/apis/events.k8s.io/v1/namespaces/default/events?fieldSelector=regarding.name%3Dp',
    );
    assert.equal(viaV1.json.items.length, 1);
    assert.equal(viaV1.json.kind, 'EventList');
    assert.equal(viaV1.json.apiVersion, 'events.k8s.io/v1');
  });

  test('an events.k8s.io/v1 Event is stored as the core/v1 Event it converts to', async () => {
    const ev = {
      apiVersion: 'events.k8s.io/v1',
      kind: 'Event',
      metadata: { name: 'e2' },
      eventTime: '2026-01-01T00:00:00.000000Z',
      reportingController: 'podbay.io/scheduler',
      reportingInstance: 'scheduler-1',
      action: 'Binding',
      reason: 'Scheduled',
      note: 'assigned',
      type: 'Normal',
      regarding: { kind: 'Pod', name: 'q', namespace: 'default' },
    };
    const c = await s.request('POST', '/apis/events.k8s.io/v1/namespaces/default/events', { body: ev });
    assert.equal(c.status, 201, c.text);
    assert.equal(c.json.apiVersion, 'events.k8s.io/v1');
    const core = await s.request('GET', '/api/v1/namespaces/default/events/e2');
    assert.equal(core.json.apiVersion, 'v1');
    assert.equal(core.json.message, 'assigned');
    assert.equal(core.json.reportingComponent, 'podbay.io/scheduler');
    assert.deepEqual(core.json.involvedObject, { kind: 'Pod', name: 'q', namespace: 'default' });
  });

  test('a malformed selector is 400', async () => {
    const r = await s.request('GET', `${PODS}?labelSelector=a%20in%20(`);
    assert.equal(r.status, 400);
    assert.equal(r.json.reason, 'BadRequest');
    const f = await s.request('GET', `${PODS}?fieldSelector=spec.nope%3Dx`);
    assert.equal(f.status, 400);
    assert.match(f.json.message, /field label not supported: spec.nope/);
  });

  test('nodes: create keeps status, PUT on the node ignores status, nodes/status updates it', async () => {
    const node = {
      apiVersion: 'v1',
      kind: 'Node',
      metadata: { name: 'n1' },
      status: { conditions: [{ type: 'Ready', status: 'True' }] },
    };
    const c = await s.request('POST', '/api/v1/nodes', { body: node });
    assert.equal(c.status, 201);
    assert.equal(c.json.status.conditions[0].status, 'True');
    assert.equal(c.json.metadata.namespace, undefined);
    const obj = c.json;
    obj.status.conditions[0].status = 'False';
    obj.spec = { unschedulable: true };
    const u = await s.request('PUT', '/api/v1/nodes/n1', { body: obj });
    assert.equal(u.json.status.conditions[0].status, 'True');
    assert.equal(u.json.spec.unschedulable, true);
    const p = await s.request('PATCH', '/api/v1/nodes/n1/status', {
      body: { status: { conditions: [{ type: 'Ready', status: 'False' }] } },
      contentType: 'application/merge-patch+json',
    });
    assert.equal(p.status, 200);
    assert.equal(p.json.status.conditions[0].status, 'False');
  });

  test('deletecollection deletes the matching objects and answers their list', async () => {
    for (const n of ['dc-1', 'dc-2']) {
      await s.request('POST', '/api/v1/namespaces/default/configmaps', {
        body: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: n, labels: { dc: 'yes' } } },
      });
    }
    const r = await s.request('DELETE', '/api/v1/namespaces/default/configmaps?labelSelector=dc%3Dyes');
    assert.equal(r.status, 200);
    assert.equal(r.json.kind, 'ConfigMapList');
    assert.equal(r.json.items.length, 2);
    const l = await s.request('GET', '/api/v1/namespaces/default/configmaps?labelSelector=dc%3Dyes');
    assert.equal(l.json.items.length, 0);
  });

  test('delete of a configmap answers a Success Status with its uid', async () => {
    const c = await s.request('POST', '/api/v1/namespaces/default/configmaps', {
      body: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'gone' } },
    });
    const r = await s.request('DELETE', '/api/v1/namespaces/default/configmaps/gone');
    assert.equal(r.status, 200);
    assert.equal(r.json.kind, 'Status');
    assert.equal(r.json.status, 'Success');
    assert.deepEqual(r.json.details, { name: 'gone', kind: 'configmaps', uid: c.json.metadata.uid });
  });

  test('delete with a failing precondition is 409', async () => {
    await s.request('POST', '/api/v1/namespaces/default/configmaps', {
      body: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'pre' } },
    });
    const r = await s.request('DELETE', '/api/v1/namespaces/default/configmaps/pre', {
      body: { preconditions: { uid: 'other' } },
    });
    assert.equal(r.status, 409);
    assert.match(r.json.message, /Precondition failed: UID in precondition: other/);
  });
});
