import assert from 'node:assert/strict';
import { afterEach, test } from 'node:test';
import { StatusError } from '../api/errors.js';
import type { Pod } from '../api/types/index.js';
import { ApiClient } from './api-client.js';
import { json, startScriptedServer } from './testing/scripted-server.js';
import type { ScriptedServer } from './testing/scripted-server.js';

let server: ScriptedServer | undefined;
let client: ApiClient | undefined;
afterEach(async () => {
  client?.close();
  await server?.close();
});

async function setup(h: Parameters<typeof startScriptedServer>[0]): Promise<{ s: ScriptedServer; c: ApiClient }> {
  server = await startScriptedServer(h);
  client = new ApiClient({ server: server.url, token: 'sekret', userAgent: 'podbay-test' });
  return { s: server, c: client };
}

const pod: Pod = { metadata: { name: 'p', namespace: 'ns' }, spec: { containers: [{ name: 'c', image: 'busybox' }] } };

test('sends the bearer token and user agent and fills in apiVersion and kind on create', async () => {
  const { s, c } = await setup((_r, res) => json(res, 201, pod));
  await c.pods.create('ns', pod);
  const r = s.requests[0]!;
  assert.equal(r.method, 'POST');
  assert.equal(r.path, '/api/v1/namespaces/ns/pods');
  assert.equal(r.headers.authorization, 'Bearer sekret');
  assert.equal(r.headers['user-agent'], 'podbay-test');
  assert.deepEqual(JSON.parse(r.body), { ...pod, apiVersion: 'v1', kind: 'Pod' });
});

test('addresses cluster-scoped and grouped resources by their paths', async () => {
  const { s, c } = await setup((_r, res) => json(res, 200, { metadata: {}, items: [] }));
  await c.nodes.list(undefined, { labelSelector: 'a in (b,c)', limit: 5 });
  await c.leases.get('kube-node-lease', 'n1');
  await c.pods.list(undefined, { fieldSelector: 'spec.nodeName=n1' });
  assert.equal(s.requests[0]!.path, '/api/v1/nodes');
  assert.equal(s.requests[0]!.query.get('labelSelector'), 'a in (b,c)');
  assert.equal(s.requests[0]!.query.get('limit'), '5');
  assert.equal(s.requests[1]!.path, '/apis/coordination.k8s.io/v1/namespaces/kube-node-lease/leases/n1');
  assert.equal(s.requests[2]!.path, '/api/v1/pods');
  assert.equal(s.requests[2]!.query.get('fieldSelector'), 'spec.nodeName=n1');
});

test('turns a Status body into a StatusError with its reason and code', async () => {
  const status = {
    kind: 'Status',
    apiVersion: 'v1',
    metadata: {},
    status: 'Failure',
    message: 'pods "nope" not found',
    reason: 'NotFound',
    details: { name: 'nope', kind: 'pods' },
    code: 404,
  };
  const { c } = await setup((_r, res) => json(res, 404, status));
  await assert.rejects(c.pods.get('ns', 'nope'), (e: unknown) => {
    assert.ok(e instanceof StatusError);
    assert.equal(e.code, 404);
    assert.equal(e.reason, 'NotFound');
    assert.equal(e.message, 'pods "nope" not found');
    return true;
  });
});

test('reports a non-Status error body with the reason its code implies', async () => {
  const { c } = await setup((_r, res) => {
    res.writeHead(409);
    res.end('busy');
  });
  await assert.rejects(
    c.pods.get('ns', 'x'),
    (e: unknown) => e instanceof StatusError && e.reason === 'Conflict' && e.message === 'busy',
  );
});

test('sends each patch type with its content type, and fieldManager and force for apply', async () => {
  const { s, c } = await setup((_r, res) => json(res, 200, pod));
  await c.pods.patch('ns', 'p', 'merge', { metadata: { labels: { a: 'b' } } });
  await c.pods.patch('ns', 'p', 'strategic', { status: { conditions: [] } }, { subresource: 'status' });
  await c.pods.patch('ns', 'p', 'json', [{ op: 'remove', path: '/metadata/labels/a' }]);
  await c.pods.patch('ns', 'p', 'apply', { apiVersion: 'v1', kind: 'Pod' }, { fieldManager: 'me', force: true });
  assert.deepEqual(
    s.requests.map((r) => [r.headers['content-type'], r.path]),
    [
      ['application/merge-patch+json', '/api/v1/namespaces/ns/pods/p'],
      ['application/strategic-merge-patch+json', '/api/v1/namespaces/ns/pods/p/status'],
      ['application/json-patch+json', '/api/v1/namespaces/ns/pods/p'],
      ['application/apply-patch+yaml', '/api/v1/namespaces/ns/pods/p'],
    ],
  );
  assert.equal(s.requests[3]!.query.get('fieldManager'), 'me');
  assert.equal(s.requests[3]!.query.get('force'), 'true');
  assert.throws(() => c.pods.patch('ns', 'p', 'apply', {}));
});

test('PUTs updates and status updates to the object and its status', async () => {
  const { s, c } = await setup((_r, res) => json(res, 200, pod));
  await c.pods.update({ ...pod, metadata: { ...pod.metadata, resourceVersion: '7' } });
  await c.pods.updateStatus({ ...pod, metadata: { ...pod.metadata, resourceVersion: '8' } });
  assert.equal(s.requests[0]!.method, 'PUT');
  assert.equal(s.requests[0]!.path, '/api/v1/namespaces/ns/pods/p');
  assert.equal((JSON.parse(s.requests[0]!.body) as Pod).metadata.resourceVersion, '7');
  assert.equal(s.requests[1]!.path, '/api/v1/namespaces/ns/pods/p/status');
});

test('sends DeleteOptions in the DELETE body', async () => {
  const { s, c } = await setup((_r, res) => json(res, 200, pod));
  await c.pods.delete('ns', 'p', { gracePeriodSeconds: 0, preconditions: { uid: 'u1' } });
  assert.equal(s.requests[0]!.method, 'DELETE');
  assert.deepEqual(JSON.parse(s.requests[0]!.body), {
    kind: 'DeleteOptions',
    apiVersion: 'v1',
    gracePeriodSeconds: 0,
    preconditions: { uid: 'u1' },
  });
});

test('binds a pod through pods/binding with a Binding to the node', async () => {
  const { s, c } = await setup((_r, res) => json(res, 201, { kind: 'Status', status: 'Success', metadata: {} }));
  await c.bind('ns', 'p', 'n1', 'uid-1');
  assert.equal(s.requests[0]!.path, '/api/v1/namespaces/ns/pods/p/binding');
  assert.deepEqual(JSON.parse(s.requests[0]!.body), {
    apiVersion: 'v1',
    kind: 'Binding',
    metadata: { name: 'p', namespace: 'ns', uid: 'uid-1' },
    target: { apiVersion: 'v1', kind: 'Node', name: 'n1' },
  });
});

test('follows continue tokens to list every page', async () => {
  const { s, c } = await setup((r, res) => {
    if (!r.query.get('continue')) {
      json(res, 200, { metadata: { resourceVersion: '10', continue: 'tok' }, items: [pod] });
    } else {
      json(res, 200, {
        metadata: { resourceVersion: '10' },
        items: [{ ...pod, metadata: { ...pod.metadata, name: 'q' } }],
      });
    }
  });
  const all = await c.pods.listAll('ns', { limit: 1 });
  assert.deepEqual(
    all.items.map((p) => p.metadata.name),
    ['p', 'q'],
  );
  assert.equal(all.metadata.resourceVersion, '10');
  assert.equal(s.requests[1]!.query.get('continue'), 'tok');
});
