// Server-side cases of TestStrategicMergePatch in
// staging/src/k8s.io/apimachinery/pkg/util/strategicpatch/patch_test.go: the server applies
// the test's ThreeWay patch to its Current object and must produce its Result. Upstream's
// `mergingList` (merge key `name`) is played by spec.containers, `mergingIntList` (merge,
// primitives) by metadata.finalizers, and `retainKeysMap` by spec.securityContext.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { applyStrategicMergePatch } from './strategic-merge-patch.js';

type Json = Record<string, unknown>;
const n = (name: number, extra: Json = {}): Json => ({ name, ...extra });
const order = (...names: number[]): Json[] => names.map((x) => ({ name: x }));
const current3 = [n(1, { other: 'a' }), n(2, { value: 2, other: 'b' }), n(3, { value: 3 })];

const listCases: Record<string, { current: Json[]; patch: Json; result: Json[] }> = {
  'delete an item in a list and preserve order': {
    current: current3,
    patch: { '$setElementOrder/containers': order(2, 1), containers: [n(3, { $patch: 'delete' })] },
    result: [n(2, { value: 2, other: 'b' }), n(1, { other: 'a' })],
  },
  'change an item in a list and preserve order': {
    current: current3,
    patch: { '$setElementOrder/containers': order(2, 3, 1), containers: [n(3, { value: 'x' })] },
    result: [n(2, { value: 2, other: 'b' }), n(3, { value: 'x' }), n(1, { other: 'a' })],
  },
  'add and delete an item in a list and preserve order': {
    current: current3,
    patch: {
      '$setElementOrder/containers': order(4, 2, 1),
      containers: [n(4, { value: 4 }), n(3, { $patch: 'delete' })],
    },
    result: [n(4, { value: 4 }), n(2, { value: 2, other: 'b' }), n(1, { other: 'a' })],
  },
  'set elements order in a list': {
    current: [n(1, { other: 'a' }), n(3, { value: 3 }), n(4, { value: 4 }), n(2, { value: 2 })],
    patch: { '$setElementOrder/containers': order(4, 2, 3, 1) },
    result: [n(4, { value: 4 }), n(2, { value: 2 }), n(3, { value: 3 }), n(1, { other: 'a' })],
  },
  'set elements order in a list with server-only items': {
    current: [n(1, { other: 'a' }), n(3, { value: 3 }), n(4, { value: 4 }), n(2, { value: 2 }), n(9)],
    patch: { '$setElementOrder/containers': order(4, 2, 3, 1) },
    result: [n(4, { value: 4 }), n(2, { value: 2 }), n(3, { value: 3 }), n(1, { other: 'a' }), n(9)],
  },
  'set elements order in a list with server-only items 2': {
    current: [n(1, { other: 'a' }), n(2, { value: 2 }), n(9), n(3, { value: 3 }), n(4, { value: 4 })],
    patch: { '$setElementOrder/containers': order(2, 1, 4, 3) },
    result: [n(2, { value: 2 }), n(1, { other: 'a' }), n(9), n(4, { value: 4 }), n(3, { value: 3 })],
  },
  'set elements order in a list with server-only items 3': {
    current: [n(1, { other: 'a' }), n(2, { value: 2 }), n(7), n(9), n(8), n(3, { value: 3 }), n(4, { value: 4 })],
    patch: { '$setElementOrder/containers': order(2, 1, 4, 3) },
    result: [n(2, { value: 2 }), n(1, { other: 'a' }), n(7), n(9), n(8), n(4, { value: 4 }), n(3, { value: 3 })],
  },
};

for (const [name, c] of Object.entries(listCases)) {
  test(`upstream TestStrategicMergePatch: ${name}`, () => {
    const out = applyStrategicMergePatch({ spec: { containers: c.current } }, { spec: c.patch }, 'Pod');
    assert.deepEqual(out, { spec: { containers: c.result } });
  });
}

const intCases: Record<string, { current: number[]; patch: Json; result: number[] }> = {
  'add an item in a int list and preserve order': {
    current: [1, 2],
    patch: { '$setElementOrder/finalizers': [3, 1, 2], finalizers: [3] },
    result: [3, 1, 2],
  },
  'add multiple items in a int list and preserve order': {
    current: [1, 2],
    patch: { '$setElementOrder/finalizers': [1, 4, 2, 3], finalizers: [4, 3] },
    result: [1, 4, 2, 3],
  },
  'delete an item in a int list and preserve order': {
    current: [1, 2, 3],
    patch: { '$setElementOrder/finalizers': [2, 1], '$deleteFromPrimitiveList/finalizers': [3] },
    result: [2, 1],
  },
  'add and delete an item in a int list and preserve order': {
    current: [1, 2, 3],
    patch: { '$setElementOrder/finalizers': [4, 2, 1], finalizers: [4], '$deleteFromPrimitiveList/finalizers': [3] },
    result: [4, 2, 1],
  },
  'set elements order in a int list': {
    current: [1, 3, 4, 2],
    patch: { '$setElementOrder/finalizers': [4, 2, 3, 1] },
    result: [4, 2, 3, 1],
  },
  'set elements order in a int list with server-only items': {
    current: [1, 3, 4, 2, 9],
    patch: { '$setElementOrder/finalizers': [4, 2, 3, 1] },
    result: [4, 2, 3, 1, 9],
  },
  'set elements order in a int list with server-only items 2': {
    current: [1, 2, 9, 3, 4],
    patch: { '$setElementOrder/finalizers': [2, 1, 4, 3] },
    result: [2, 1, 9, 4, 3],
  },
  'set elements order in a int list with server-only items 3': {
    current: [1, 2, 7, 9, 8, 3, 4],
    patch: { '$setElementOrder/finalizers': [2, 1, 4, 3] },
    result: [2, 1, 7, 9, 8, 4, 3],
  },
};

for (const [name, c] of Object.entries(intCases)) {
  test(`upstream TestStrategicMergePatch: ${name}`, () => {
    const out = applyStrategicMergePatch({ metadata: { finalizers: c.current } }, { metadata: c.patch }, 'Pod');
    assert.deepEqual(out, { metadata: { finalizers: c.result } });
  });
}

const retainCases: Record<string, { current: Json; patch: Json; result: Json }> = {
  'retainKeys map should clear defaulted field': {
    current: { value: 'foo' },
    patch: { $retainKeys: ['other'], other: 'bar' },
    result: { other: 'bar' },
  },
  'retainKeys map should clear defaulted field with conflict (discriminated union)': {
    current: { name: 'type1', value: 'foo' },
    patch: { $retainKeys: ['name', 'other'], name: 'type2', other: 'bar' },
    result: { name: 'type2', other: 'bar' },
  },
  'retainKeys map adds a field and clear a field': {
    current: { name: 'foo', other: 'a' },
    patch: { $retainKeys: ['name', 'value'], value: 'bar' },
    result: { name: 'foo', value: 'bar' },
  },
  'retainKeys map deletes a field and clears a field': {
    current: { name: 'foo', value: 'bar', other: 'a' },
    patch: { $retainKeys: ['name'], value: null },
    result: { name: 'foo' },
  },
};

for (const [name, c] of Object.entries(retainCases)) {
  test(`upstream TestStrategicMergePatch: ${name}`, () => {
    const out = applyStrategicMergePatch(
      { spec: { securityContext: c.current } },
      { spec: { securityContext: c.patch } },
      'Pod',
    );
    assert.deepEqual(out, { spec: { securityContext: c.result } });
  });
}
