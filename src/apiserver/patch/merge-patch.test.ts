// Cases from RFC 7386 Appendix A, plus the label/annotate bodies kubectl sends.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { StatusError } from '../../api/errors.js';
import { applyMergePatch } from './merge-patch.js';

const cases: [unknown, unknown, unknown][] = [
  [{ a: 'b' }, { a: 'c' }, { a: 'c' }],
  [{ a: 'b' }, { b: 'c' }, { a: 'b', b: 'c' }],
  [{ a: 'b' }, { a: null }, {}],
  [{ a: 'b', b: 'c' }, { a: null }, { b: 'c' }],
  [{ a: ['b'] }, { a: 'c' }, { a: 'c' }],
  [{ a: 'c' }, { a: ['b'] }, { a: ['b'] }],
  [{ a: { b: 'c' } }, { a: { b: 'd', c: null } }, { a: { b: 'd' } }],
  [{ a: [{ b: 'c' }] }, { a: [1] }, { a: [1] }],
  [
    ['a', 'b'],
    ['c', 'd'],
    ['c', 'd'],
  ],
  [{ a: 'b' }, ['c'], ['c']],
  [{ e: null }, { a: 1 }, { e: null, a: 1 }],
  [[1, 2], { a: 'b', c: null }, { a: 'b' }],
  [{}, { a: { bb: { ccc: null } } }, { a: { bb: {} } }],
  [{ a: 'b' }, 'x', 'x'],
];

for (const [i, [doc, patch, want]] of cases.entries()) {
  test(`merge patch: RFC 7386 Appendix A example ${i + 1} gives ${JSON.stringify(want)}`, () => {
    const before = structuredClone(doc);
    assert.deepEqual(applyMergePatch(doc, patch), want);
    assert.deepEqual(doc, before);
  });
}

test('merge patch: kubectl label adds and removes keys without touching other fields', () => {
  const pod = { metadata: { name: 'p', labels: { a: '1', b: '2' } }, spec: { containers: [{ name: 'c' }] } };
  assert.deepEqual(applyMergePatch(pod, { metadata: { labels: { b: null, c: '3' } } }), {
    metadata: { name: 'p', labels: { a: '1', c: '3' } },
    spec: { containers: [{ name: 'c' }] },
  });
});

test('merge patch: a list in the patch replaces the whole list, pruned of null members', () => {
  const pod = { spec: { containers: [{ name: 'a', image: 'x' }, { name: 'b' }] } };
  assert.deepEqual(applyMergePatch(pod, { spec: { containers: [{ name: 'a', image: null }] } }), {
    spec: { containers: [{ name: 'a' }] },
  });
});

test('merge patch: a null patch document is 400 "Invalid JSON Patch" (evanphx ErrBadJSONPatch)', () => {
  assert.throws(
    () => applyMergePatch({}, null),
    (e: unknown) => e instanceof StatusError && e.code === 400 && e.status.message === 'Invalid JSON Patch',
  );
});
