/* eslint-disable @typescript-eslint/no-unsafe-member-access -- tests read JSON answers (TestResponse.json) in assertions */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startTestServer, type TestServer } from '../testing/test-server.js';

function ns(name: string): Record<string, unknown> {
  return { apiVersion: 'v1', kind: 'Namespace', metadata: { name } };
}
function pod(name: string, nodeName?: string): Record<string, unknown> {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name },
    spec: { containers: [{ name: 'c', image: 'busybox' }], ...(nodeName ? { nodeName } : {}) },
  };
}

describe('namespace lifecycle', () => {
  let s: TestServer;
  before(async () => {
    s = await startTestServer();
  });
  after(async () => {
    await s.close();
  });

  test('deleting a namespace deletes its objects and then the namespace', async () => {
    assert.equal((await s.request('POST', '/api/v1/namespaces', { body: ns('doomed') })).status, 201);
    await s.request('POST', '/api/v1/namespaces/doomed/pods', { body: pod('p') });
    await s.request('POST', '/api/v1/namespaces/doomed/configmaps', {
      body: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' } },
    });
    const d = await s.request('DELETE', '/api/v1/namespaces/doomed');
    assert.equal(d.status, 200);
    assert.equal(d.json.kind, 'Namespace');
    assert.equal(d.json.status.phase, 'Terminating');
    assert.ok(d.json.metadata.deletionTimestamp);
    await s.app.idle();
    assert.equal((await s.request('GET', '/api/v1/namespaces/doomed/pods/p')).status, 404);
    assert.equal((await s.request('GET', '/api/v1/namespaces/doomed/configmaps/c')).status, 404);
    assert.equal((await s.request('GET', '/api/v1/namespaces/doomed')).status, 404);
  });

  test('a terminating namespace refuses new content with 403 and waits for a running pod to go', async () => {
    await s.request('POST', '/api/v1/namespaces', { body: ns('slow') });
    await s.request('POST', '/api/v1/namespaces/slow/pods', { body: pod('running', 'n1') });
    await s.request('DELETE', '/api/v1/namespaces/slow');
    await s.app.idle();
    const p = await s.request('GET', '/api/v1/namespaces/slow/pods/running');
    assert.equal(p.status, 200, 'the pod is terminating, waiting for its node agent');
    assert.ok(p.json.metadata.deletionTimestamp);
    const refused = await s.request('POST', '/api/v1/namespaces/slow/pods', { body: pod('late') });
    assert.equal(refused.status, 403);
    assert.equal(refused.json.reason, 'Forbidden');
    assert.equal(
      refused.json.message,
      'pods "late" is forbidden: unable to create new content in namespace slow because it is being terminated',
    );
    assert.equal((await s.request('GET', '/api/v1/namespaces/slow')).json.status.phase, 'Terminating');
    // The node agent confirms the pod is gone.
    await s.request('DELETE', '/api/v1/namespaces/slow/pods/running', { body: { gracePeriodSeconds: 0 } });
    await s.app.idle();
    assert.equal((await s.request('GET', '/api/v1/namespaces/slow')).status, 404);
  });

  test('default, kube-system and kube-public cannot be deleted', async () => {
    for (const n of ['default', 'kube-system', 'kube-public']) {
      const r = await s.request('DELETE', `/api/v1/namespaces/${n}`);
      assert.equal(r.status, 403, n);
      assert.equal(r.json.message, `namespaces "${n}" is forbidden: this namespace may not be deleted`);
    }
  });

  test('a namespace cannot be created twice and deleting a missing one is 404', async () => {
    const r = await s.request('POST', '/api/v1/namespaces', { body: ns('default') });
    assert.equal(r.status, 409);
    const d = await s.request('DELETE', '/api/v1/namespaces/missing');
    assert.equal(d.status, 404);
    assert.equal(d.json.message, 'namespaces "missing" not found');
  });

  test('namespaces have no deletecollection', async () => {
    const r = await s.request('DELETE', '/api/v1/namespaces');
    assert.equal(r.status, 405);
  });
});
