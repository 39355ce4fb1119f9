import * as assert from 'node:assert/strict';
import { test } from 'node:test';
import { isStatusError } from '../api/errors.js';
import { decodeContinue, encodeContinue } from './continue-token.js';
import { keyRange } from './key-range.js';

const pods = keyRange('/pods/');

test('a token decodes to the point it was made from', () => {
  const point = { rev: 42, startKey: '/pods/default/b\u0000', remaining: 7 };
  assert.deepEqual(decodeContinue(encodeContinue(point), pods), point);
});

const bad: [what: string, token: string][] = [
  ['not base64 JSON', '!!!'],
  ['JSON without a revision', Buffer.from('{"startKey":"/pods/a"}').toString('base64url')],
  ['a negative revision', encodeContinue({ rev: -1, startKey: '/pods/a' })],
  ['a key outside the listed prefix', encodeContinue({ rev: 3, startKey: '/secrets/default/a' })],
];
for (const [what, token] of bad) {
  test(`a token with ${what} is a 400 BadRequest`, () => {
    assert.throws(
      () => decodeContinue(token, pods),
      (err: unknown) =>
        isStatusError(err, 'BadRequest') && /^invalid continue token: continue key is not valid/.test(err.message),
    );
  });
}
