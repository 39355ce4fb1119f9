import assert from 'node:assert/strict';
import { test } from 'node:test';
import { errorStatusBody, parseRemoteCommandStreams, parseStreamPath } from './agent-stream-server.js';
import { StreamRequestError } from './container-lookup.js';

test('kubelet stream paths parse, with or without the pod uid', () => {
  const cases: [string, unknown][] = [
    ['/containerLogs/ns/p/c', { kind: 'containerLogs', pod: { namespace: 'ns', name: 'p' }, container: 'c' }],
    ['/exec/ns/p/c', { kind: 'exec', pod: { namespace: 'ns', name: 'p' }, container: 'c' }],
    ['/exec/ns/p/uid-1/c', { kind: 'exec', pod: { namespace: 'ns', name: 'p', uid: 'uid-1' }, container: 'c' }],
    ['/attach/ns/p/c', { kind: 'attach', pod: { namespace: 'ns', name: 'p' }, container: 'c' }],
    ['/portForward/ns/p', { kind: 'portForward', pod: { namespace: 'ns', name: 'p' } }],
    ['/portForward/ns/p/uid-1', { kind: 'portForward', pod: { namespace: 'ns', name: 'p', uid: 'uid-1' } }],
    ['/containerLogs/ns/p', undefined],
    ['/exec/ns/p/a/b/c', undefined],
    ['/run/ns/p/c', undefined],
    ['/', undefined],
  ];
  for (const [path, want] of cases) {
    assert.deepEqual(parseStreamPath(path), want, path);
  }
});

test('exec/attach flags use the kubelet names; at least one stream is required', () => {
  assert.deepEqual(parseRemoteCommandStreams(new URLSearchParams('input=1&output=1&tty=1')), {
    stdin: true,
    stdout: true,
    stderr: false,
    tty: true,
  });
  assert.throws(
    () => parseRemoteCommandStreams(new URLSearchParams('tty=1')),
    (e: unknown) =>
      e instanceof StreamRequestError &&
      e.code === 400 &&
      e.message === 'you must specify at least 1 of stdin, stdout, stderr',
  );
});

test('errors are answered as a v1 Status', () => {
  assert.deepEqual(JSON.parse(errorStatusBody(404, 'container not found ("c")')), {
    kind: 'Status',
    apiVersion: 'v1',
    metadata: {},
    status: 'Failure',
    message: 'container not found ("c")',
    reason: 'NotFound',
    code: 404,
  });
});
