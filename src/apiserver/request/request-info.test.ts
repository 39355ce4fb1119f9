import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseResourceRequest } from './request-info.js';

const cases: [string, string, string, object | undefined][] = [
  [
    'GET',
    '/api/v1/namespaces/default/pods',
    '',
    { group: '', version: 'v1', namespace: 'default', resource: 'pods', name: '', subresource: '', verb: 'list' },
  ],
  ['GET', '/api/v1/namespaces/default/pods', 'watch=true', { namespace: 'default', resource: 'pods', verb: 'watch' }],
  ['GET', '/api/v1/watch/namespaces/default/pods', '', { namespace: 'default', resource: 'pods', verb: 'watch' }],
  [
    'GET',
    '/api/v1/namespaces/default/pods/x/log',
    '',
    { resource: 'pods', name: 'x', subresource: 'log', verb: 'get' },
  ],
  ['POST', '/api/v1/namespaces/default/pods/x/binding', '', { name: 'x', subresource: 'binding', verb: 'create' }],
  ['DELETE', '/api/v1/namespaces/default/pods', '', { verb: 'deletecollection' }],
  ['DELETE', '/api/v1/namespaces/default/pods/x', '', { verb: 'delete', name: 'x' }],
  ['PUT', '/api/v1/namespaces/foo', '', { resource: 'namespaces', name: 'foo', namespace: '', verb: 'update' }],
  [
    'PUT',
    '/api/v1/namespaces/foo/finalize',
    '',
    { resource: 'namespaces', name: 'foo', subresource: 'finalize', namespace: '' },
  ],
  [
    'PATCH',
    '/api/v1/namespaces/foo/status',
    '',
    { resource: 'namespaces', name: 'foo', subresource: 'status', verb: 'patch' },
  ],
  ['GET', '/api/v1/nodes/n1', '', { resource: 'nodes', name: 'n1', namespace: '', verb: 'get' }],
  [
    'GET',
    '/apis/coordination.k8s.io/v1/namespaces/kube-node-lease/leases/n1',
    '',
    { group: 'coordination.k8s.io', resource: 'leases', name: 'n1' },
  ],
  ['OPTIONS', '/api/v1/pods', '', { verb: 'unsupported' }],
  ['GET', '/api/v1/namespaces/default/pods/a%20b', '', { name: 'a b' }],
  ['GET', '/api', '', undefined],
  ['GET', '/apis/apps', '', undefined],
  ['GET', '/api/v1/namespaces/default/pods/x/log/extra', '', undefined],
];

for (const [method, path, query, want] of cases) {
  test(`${method} ${path}${query ? '?' + query : ''} is read as ${want ? JSON.stringify(want) : 'no resource request'}`, () => {
    const got = parseResourceRequest(method, path, new URLSearchParams(query));
    if (want === undefined) {
      assert.equal(got, undefined);
    } else {
      assert.ok(got);
      assert.deepEqual(
        Object.fromEntries(Object.keys(want).map((k) => [k, (got as unknown as Record<string, unknown>)[k]])),
        want,
      );
    }
  });
}
