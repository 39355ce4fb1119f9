import assert from 'node:assert/strict';
import { test } from 'node:test';
import { TokenAuthenticator, isPublicPath } from './token-authenticator.js';

test('only the exact bearer token authenticates', () => {
  const a = new TokenAuthenticator('s3cret');
  assert.equal(a.authenticate('Bearer s3cret'), true);
  assert.equal(a.authenticate('bearer s3cret'), true);
  assert.equal(a.authenticate('Bearer s3cre'), false);
  assert.equal(a.authenticate('Basic s3cret'), false);
  assert.equal(a.authenticate(undefined), false);
});

test('health endpoints are public, nothing else is', () => {
  for (const p of ['/healthz', '/livez', '/readyz', '/readyz/ping']) {
    assert.equal(isPublicPath(p), true, p);
  }
  for (const p of ['/version', '/api', '/healthzz', '/api/v1/pods']) {
    assert.equal(isPublicPath(p), false, p);
  }
});
