/* eslint-disable @typescript-eslint/no-unsafe-member-access, @typescript-eslint/no-unsafe-assignment, @typescript-eslint/no-unsafe-argument, @typescript-eslint/no-unsafe-call -- tests read JSON answers (TestResponse.json) in assertions */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startTestServer, type TestServer } from '../testing/test-server.js';

const AGGREGATED =
  'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList,application/json';
const TABLE =
  'application/json;as=Table;v=v1;g=meta.k8s.io,application/json;as=Table;v=v1beta1;g=meta.k8s.io,application/json';

describe('discovery, version and OpenAPI', () => {
  let s: TestServer;
  before(async () => {
    s = await startTestServer();
  });
  after(async () => {
    await s.close();
  });

  test('/version says 1.32 so the kubectl dispatcher runs its built-in 1.32', async () => {
    const r = await s.request('GET', '/version?timeout=5s');
    assert.equal(r.json.major, '1');
    assert.equal(r.json.minor, '32');
    assert.match(r.json.gitVersion, /^v1\.32\.\d+$/);
  });

  test('/api and /apis answer aggregated discovery when asked, with the as=APIGroupDiscoveryList content type', async () => {
    const api = await s.request('GET', '/api?timeout=32s', { accept: AGGREGATED });
    assert.equal(api.headers['content-type'], 'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList');
    assert.equal(api.json.kind, 'APIGroupDiscoveryList');
    const v1 = api.json.items[0].versions[0];
    assert.equal(v1.version, 'v1');
    const pods = v1.resources.find((r: { resource: string }) => r.resource === 'pods');
    assert.deepEqual(pods.shortNames, ['po']);
    assert.deepEqual(pods.categories, ['all']);
    assert.equal(pods.scope, 'Namespaced');
    assert.deepEqual(
      pods.subresources.map((x: { subresource: string }) => x.subresource),
      ['attach', 'binding', 'exec', 'log', 'portforward', 'status'],
    );
    const ns = v1.resources.find((r: { resource: string }) => r.resource === 'namespaces');
    assert.equal(ns.scope, 'Cluster');
    const apis = await s.request('GET', '/apis', { accept: AGGREGATED });
    assert.deepEqual(
      apis.json.items.map((g: { metadata: { name: string } }) => g.metadata.name),
      ['coordination.k8s.io', 'events.k8s.io'],
    );
  });

  test('/api, /apis, /api/v1 and /apis/<g>/<v> answer the legacy forms otherwise', async () => {
    const api = await s.request('GET', '/api');
    assert.equal(api.headers['content-type'], 'application/json');
    assert.equal(api.json.kind, 'APIVersions');
    assert.deepEqual(api.json.versions, ['v1']);
    const apis = await s.request('GET', '/apis');
    assert.equal(apis.json.kind, 'APIGroupList');
    assert.equal(apis.json.groups[0].preferredVersion.groupVersion, 'coordination.k8s.io/v1');
    const v1 = await s.request('GET', '/api/v1');
    assert.equal(v1.json.kind, 'APIResourceList');
    assert.equal(v1.json.groupVersion, 'v1');
    const names = v1.json.resources.map((r: { name: string }) => r.name);
    for (const n of [
      'pods',
      'pods/status',
      'pods/log',
      'pods/exec',
      'pods/binding',
      'nodes',
      'nodes/status',
      'namespaces',
      'events',
      'configmaps',
      'secrets',
    ]) {
      assert.ok(names.includes(n), n);
    }
    const leases = await s.request('GET', '/apis/coordination.k8s.io/v1');
    assert.equal(leases.json.groupVersion, 'coordination.k8s.io/v1');
    assert.equal(leases.json.resources[0].name, 'leases');
    const group = await s.request('GET', '/apis/events.k8s.io');
    assert.equal(group.json.kind, 'APIGroup');
    assert.equal((await s.request('GET', '/apis/apps/v1')).status, 404);
  });

  test('/openapi/v3 points to each group-version and the documents carry PATCH with fieldValidation', async () => {
    const root = await s.request('GET', '/openapi/v3');
    assert.match(root.json.paths['api/v1'].serverRelativeURL, /^\/openapi\/v3\/api\/v1\?hash=[0-9A-F]+$/);
    assert.ok(root.json.paths['apis/coordination.k8s.io/v1']);
    const doc = await s.request('GET', root.json.paths['api/v1'].serverRelativeURL);
    const patch = doc.json.paths['/api/v1/namespaces/{namespace}/pods/{name}'].patch;
    assert.deepEqual(patch['x-kubernetes-group-version-kind'], { group: '', version: 'v1', kind: 'Pod' });
    assert.ok(patch.parameters.some((p: { name: string }) => p.name === 'fieldValidation'));
    assert.ok(doc.json.paths['/api/v1/nodes/{name}'].patch);
    assert.equal((await s.request('GET', '/openapi/v2')).status, 404);
    assert.equal((await s.request('GET', '/openapi/v3/apis/apps/v1')).status, 404);
  });

  test('the system namespaces exist from the start', async () => {
    const r = await s.request('GET', '/api/v1/namespaces');
    assert.deepEqual(
      r.json.items.map((n: { metadata: { name: string } }) => n.metadata.name),
      ['default', 'kube-node-lease', 'kube-public', 'kube-system'],
    );
    assert.equal(r.json.items[0].status.phase, 'Active');
    assert.deepEqual(r.json.items[0].spec.finalizers, ['kubernetes']);
  });

  test('a Table answer has the printer columns and PartialObjectMetadata rows, for lists and single objects', async () => {
    await s.request('POST', '/api/v1/namespaces/default/pods', {
      body: {
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: { name: 't', labels: { a: 'b' } },
        spec: { containers: [{ name: 'c', image: 'i' }] },
      },
    });
    const list = await s.request('GET', '/api/v1/namespaces/default/pods?limit=500', { accept: TABLE });
    assert.equal(list.json.kind, 'Table');
    assert.equal(list.json.apiVersion, 'meta.k8s.io/v1');
    assert.ok(list.json.metadata.resourceVersion);
    assert.equal(list.json.columnDefinitions[0].name, 'Name');
    assert.equal(list.json.rows[0].cells[0], 't');
    assert.deepEqual(list.json.rows[0].object.metadata.labels, { a: 'b' });
    assert.equal(list.json.rows[0].object.metadata.namespace, 'default');
    const one = await s.request('GET', '/api/v1/namespaces/default/pods/t', { accept: TABLE });
    assert.equal(one.json.kind, 'Table');
    assert.equal(one.json.rows.length, 1);
    const none = await s.request('GET', '/api/v1/namespaces/default/pods/t?includeObject=None', { accept: TABLE });
    assert.equal(none.json.rows[0].object, undefined);
    const full = await s.request('GET', '/api/v1/namespaces/default/pods/t?includeObject=Object', { accept: TABLE });
    assert.equal(full.json.rows[0].object.kind, 'Pod');
  });

  test('an Accept of protobuf only is answered with JSON', async () => {
    const r = await s.request('GET', '/api/v1/namespaces/default/pods/t', {
      accept: 'application/vnd.kubernetes.protobuf',
    });
    assert.equal(r.status, 200);
    assert.equal(r.json.kind, 'Pod');
  });
});
