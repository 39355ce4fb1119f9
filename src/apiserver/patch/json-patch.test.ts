// Cases from RFC 6902 Appendix A and evanphx/json-patch (v4) patch_test.go behaviour.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { StatusError } from '../../api/errors.js';
import { MAX_JSON_PATCH_OPERATIONS, PATCH_REJECTED_MSG, applyJsonPatch } from './json-patch.js';

const ok: Record<string, { doc: unknown; ops: unknown[]; want: unknown }> = {
  'A.1 adds an object member': {
    doc: { foo: 'bar' },
    ops: [{ op: 'add', path: '/baz', value: 'qux' }],
    want: { baz: 'qux', foo: 'bar' },
  },
  'A.2 adds an array element before the index': {
    doc: { foo: ['bar', 'baz'] },
    ops: [{ op: 'add', path: '/foo/1', value: 'qux' }],
    want: { foo: ['bar', 'qux', 'baz'] },
  },
  'A.3 removes an object member': {
    doc: { baz: 'qux', foo: 'bar' },
    ops: [{ op: 'remove', path: '/baz' }],
    want: { foo: 'bar' },
  },
  'A.4 removes an array element': {
    doc: { foo: ['bar', 'qux', 'baz'] },
    ops: [{ op: 'remove', path: '/foo/1' }],
    want: { foo: ['bar', 'baz'] },
  },
  'A.5 replaces a value': {
    doc: { baz: 'qux', foo: 'bar' },
    ops: [{ op: 'replace', path: '/baz', value: 'boo' }],
    want: { baz: 'boo', foo: 'bar' },
  },
  'A.6 moves a value': {
    doc: { foo: { bar: 'baz', waldo: 'fred' }, qux: { corge: 'grault' } },
    ops: [{ op: 'move', from: '/foo/waldo', path: '/qux/thud' }],
    want: { foo: { bar: 'baz' }, qux: { corge: 'grault', thud: 'fred' } },
  },
  'A.7 moves an array element': {
    doc: { foo: ['all', 'grass', 'cows', 'eat'] },
    ops: [{ op: 'move', from: '/foo/1', path: '/foo/3' }],
    want: { foo: ['all', 'cows', 'eat', 'grass'] },
  },
  'A.8 a successful test changes nothing': {
    doc: { baz: 'qux', foo: ['a', 2, 'c'] },
    ops: [
      { op: 'test', path: '/baz', value: 'qux' },
      { op: 'test', path: '/foo/1', value: 2 },
    ],
    want: { baz: 'qux', foo: ['a', 2, 'c'] },
  },
  'A.10 adds a nested object member': {
    doc: { foo: 'bar' },
    ops: [{ op: 'add', path: '/child', value: { grandchild: {} } }],
    want: { foo: 'bar', child: { grandchild: {} } },
  },
  'A.11 ignores unrecognised members of an operation': {
    doc: { foo: 'bar' },
    ops: [{ op: 'add', path: '/baz', value: 'qux', xyz: 123 }],
    want: { foo: 'bar', baz: 'qux' },
  },
  'A.14 unescapes ~0 and ~1 in pointers': {
    doc: { '/': 9, '~1': 10 },
    ops: [
      { op: 'test', path: '/~01', value: 10 },
      { op: 'add', path: '/a~1b', value: 1 },
    ],
    want: { '/': 9, '~1': 10, 'a/b': 1 },
  },
  'A.16 appends an array with -': {
    doc: { foo: ['bar'] },
    ops: [{ op: 'add', path: '/foo/-', value: ['abc', 'def'] }],
    want: { foo: ['bar', ['abc', 'def']] },
  },
  'adds at the end index of an array': {
    doc: { a: [1, 2] },
    ops: [{ op: 'add', path: '/a/2', value: 3 }],
    want: { a: [1, 2, 3] },
  },
  'a negative index counts from the end (evanphx v4 SupportNegativeIndices)': {
    doc: { a: [1, 2, 3] },
    ops: [{ op: 'remove', path: '/a/-1' }],
    want: { a: [1, 2] },
  },
  'copies a value without aliasing it': {
    doc: { a: { b: 1 } },
    ops: [
      { op: 'copy', from: '/a', path: '/c' },
      { op: 'replace', path: '/c/b', value: 2 },
    ],
    want: { a: { b: 1 }, c: { b: 2 } },
  },
  'add replaces an existing member': {
    doc: { a: 1 },
    ops: [{ op: 'add', path: '/a', value: 2 }],
    want: { a: 2 },
  },
  'an add without value adds null (evanphx v4)': {
    doc: {},
    ops: [{ op: 'add', path: '/a' }],
    want: { a: null },
  },
  'a test of a missing member against null succeeds (evanphx v4)': {
    doc: { a: 1 },
    ops: [{ op: 'test', path: '/b', value: null }],
    want: { a: 1 },
  },
  'test compares objects regardless of key order': {
    doc: { a: { x: 1, y: [1, { z: 2 }] } },
    ops: [{ op: 'test', path: '/a', value: { y: [1, { z: 2 }], x: 1 } }],
    want: { a: { x: 1, y: [1, { z: 2 }] } },
  },
  'replace with the empty pointer replaces the document': {
    doc: { a: 1 },
    ops: [{ op: 'replace', path: '', value: { b: 2 } }],
    want: { b: 2 },
  },
  'a label is added to a pod through /metadata/labels/key with a slash': {
    doc: { metadata: { labels: { app: 'x' } } },
    ops: [{ op: 'add', path: '/metadata/labels/example.com~1tier', value: 'web' }],
    want: { metadata: { labels: { app: 'x', 'example.com/tier': 'web' } } },
  },
};

for (const [name, c] of Object.entries(ok)) {
  test(`json patch: ${name}`, () => {
    const before = structuredClone(c.doc);
    assert.deepEqual(applyJsonPatch(c.doc, c.ops), c.want);
    assert.deepEqual(c.doc, before, 'the input document is not modified');
  });
}

const rejected: Record<string, { doc: unknown; ops: unknown[]; cause: RegExp }> = {
  'A.9 a failing test': {
    doc: { baz: 'qux' },
    ops: [{ op: 'test', path: '/baz', value: 'bar' }],
    cause: /testing value \/baz failed/,
  },
  'A.12 adding to a nonexistent target': {
    doc: { foo: 'bar' },
    ops: [{ op: 'add', path: '/baz/bat', value: 'qux' }],
    cause: /missing path/,
  },
  'A.15 comparing strings and numbers': {
    doc: { '/': 9, '~1': 10 },
    ops: [{ op: 'test', path: '/~01', value: '10' }],
    cause: /test failed/,
  },
  'removing a missing member': { doc: { a: 1 }, ops: [{ op: 'remove', path: '/b' }], cause: /missing key/ },
  'replacing a missing member': {
    doc: { a: 1 },
    ops: [{ op: 'replace', path: '/b', value: 1 }],
    cause: /missing key/,
  },
  'adding past the end of an array': {
    doc: { a: [1] },
    ops: [{ op: 'add', path: '/a/5', value: 1 }],
    cause: /invalid index/,
  },
  'removing with index -': { doc: { a: [1] }, ops: [{ op: 'remove', path: '/a/-' }], cause: /invalid index/ },
  'adding at the empty pointer (evanphx has no container for it)': {
    doc: { a: 1 },
    ops: [{ op: 'add', path: '', value: { b: 2 } }],
    cause: /missing path/,
  },
  'an unknown op': { doc: {}, ops: [{ op: 'frob', path: '/a' }], cause: /Unexpected kind: frob/ },
  'an op without path': { doc: {}, ops: [{ op: 'add', value: 1 }], cause: /missing path field/ },
  'a pointer without a leading slash': { doc: { a: 1 }, ops: [{ op: 'remove', path: 'a' }], cause: /missing path/ },
  'moving a value into its own child': {
    doc: { a: { b: 1 } },
    ops: [{ op: 'move', from: '/a', path: '/a/b/c' }],
    cause: /prefix/,
  },
  'copying from a missing member': {
    doc: {},
    ops: [{ op: 'copy', from: '/x', path: '/y' }],
    cause: /missing from path/,
  },
};

for (const [name, c] of Object.entries(rejected)) {
  test(`json patch: ${name} is 422 Invalid with the apiserver's generic message`, () => {
    let caught: unknown;
    try {
      applyJsonPatch(c.doc, c.ops);
    } catch (e) {
      caught = e;
    }
    assert.ok(caught instanceof StatusError);
    assert.equal(caught.code, 422);
    assert.deepEqual(caught.status, {
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: PATCH_REJECTED_MSG,
      reason: 'Invalid',
      details: {},
      code: 422,
    });
    assert.match(String((caught.cause as Error).message), c.cause);
  });
}

test('json patch: a failing operation leaves no partial change behind', () => {
  const doc = { a: 1 };
  assert.throws(() =>
    applyJsonPatch(doc, [
      { op: 'replace', path: '/a', value: 2 },
      { op: 'test', path: '/a', value: 3 },
    ]),
  );
  assert.deepEqual(doc, { a: 1 });
});

test('json patch: a body that is not an array is 400 BadRequest with the Go decoder message', () => {
  assert.throws(
    () => applyJsonPatch({}, { op: 'add' }),
    (e: unknown) =>
      e instanceof StatusError &&
      e.code === 400 &&
      e.status.message === 'json: cannot unmarshal object into Go value of type jsonpatch.Patch',
  );
  assert.throws(
    () => applyJsonPatch({}, ['x']),
    (e: unknown) =>
      e instanceof StatusError &&
      e.code === 400 &&
      e.status.message === 'json: cannot unmarshal string into Go value of type jsonpatch.Operation',
  );
});

test('json patch: more than 10000 operations is 413 (handlers/patch.go maxJSONPatchOperations)', () => {
  const ops = Array.from({ length: MAX_JSON_PATCH_OPERATIONS + 1 }, () => ({ op: 'test', path: '/a', value: 1 }));
  assert.throws(
    () => applyJsonPatch({ a: 1 }, ops),
    (e: unknown) =>
      e instanceof StatusError &&
      e.code === 413 &&
      e.status.message ===
        'Request entity too large: The allowed maximum operations in a JSON patch is 10000, got 10001',
  );
});
