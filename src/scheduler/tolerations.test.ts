import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Taint, Toleration } from '../api/types/index.js';
import { toleratesTaint } from './tolerations.js';

// Vectors from k8s.io/api/core/v1/toleration_test.go TestTolerationToleratesTaint.
const taint: Taint = { key: 'foo', value: 'bar', effect: 'NoSchedule' };
const cases: [string, Toleration, boolean][] = [
  ['an empty key with Exists tolerates every taint', { operator: 'Exists' }, true],
  [
    'an equal key, value and effect tolerates',
    { key: 'foo', operator: 'Equal', value: 'bar', effect: 'NoSchedule' },
    true,
  ],
  ['the default operator is Equal', { key: 'foo', value: 'bar' }, true],
  ['a different value does not tolerate', { key: 'foo', value: 'baz' }, false],
  ['a different effect does not tolerate', { key: 'foo', operator: 'Exists', effect: 'NoExecute' }, false],
  ['an empty effect matches every effect', { key: 'foo', operator: 'Exists' }, true],
  ['a different key does not tolerate', { key: 'other', operator: 'Exists' }, false],
];
for (const [name, tol, want] of cases) {
  test(`toleration: ${name}`, () => assert.equal(toleratesTaint(tol, taint), want));
}
