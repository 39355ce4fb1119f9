import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseWwwAuthenticate, registryBaseUrl } from './registry-client.js';

const urls: [string, string][] = [
  ['docker.io', 'https://registry-1.docker.io'],
  ['quay.io', 'https://quay.io'],
  ['localhost', 'http://localhost'],
  ['localhost:5000', 'http://localhost:5000'],
  ['127.0.0.1:5000', 'http://127.0.0.1:5000'],
  ['127.1.2.3', 'http://127.1.2.3'],
  ['[::1]:5000', 'http://[::1]:5000'],
  ['registry.example.com:5000', 'https://registry.example.com:5000'],
  ['10.0.0.1:5000', 'https://10.0.0.1:5000'],
];
for (const [domain, want] of urls) {
  test(`registry ${domain} is reached at ${want}`, () => {
    assert.equal(registryBaseUrl(domain), want);
  });
}

test('WWW-Authenticate challenges parse into scheme and params (quoted, escaped, bare)', () => {
  assert.deepEqual(
    parseWwwAuthenticate(
      'Bearer realm="https://auth.docker.io/token",service="registry.docker.io",scope="repository:library/busybox:pull"',
    ),
    {
      scheme: 'bearer',
      params: {
        realm: 'https://auth.docker.io/token',
        service: 'registry.docker.io',
        scope: 'repository:library/busybox:pull',
      },
    },
  );
  assert.deepEqual(parseWwwAuthenticate('Basic realm="Registry Realm"'), {
    scheme: 'basic',
    params: { realm: 'Registry Realm' },
  });
  assert.deepEqual(parseWwwAuthenticate('Bearer realm=x, error="insufficient_scope", note="a \\"q\\""'), {
    scheme: 'bearer',
    params: { realm: 'x', error: 'insufficient_scope', note: 'a "q"' },
  });
  assert.equal(parseWwwAuthenticate(''), undefined);
});
