import { test } from 'node:test';
import assert from 'node:assert/strict';
import { applyJsonPatch } from './json-patch.js';
import { applyMergePatch } from './merge-patch.js';
import { applyStrategicMergePatch } from './strategic-merge-patch.js';
import { normalizeAsTyped } from './typed-normalize.js';

const pod = {
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name: 'p', annotations: { note: 'x' }, labels: { a: '1' } },
  spec: { containers: [{ name: 'c', env: [{ name: 'E' }] }], volumes: [{ name: 'v', emptyDir: {} }] },
};

test('removing the last annotation leaves no annotations map, whatever the patch type (omitempty)', () => {
  const merge = applyMergePatch(pod, { metadata: { annotations: { note: null } } }) as typeof pod;
  const smp = applyStrategicMergePatch(pod, { metadata: { annotations: { note: null } } }, 'Pod') as typeof pod;
  const json = applyJsonPatch(pod, [{ op: 'remove', path: '/metadata/annotations/note' }]) as typeof pod;
  for (const out of [merge, smp, json]) {
    assert.deepEqual(out.metadata, { name: 'p', labels: { a: '1' } });
  }
});

test('empty omitempty container lists vanish but empty structs such as emptyDir stay', () => {
  const out = applyStrategicMergePatch(
    pod,
    { spec: { containers: [{ name: 'c', env: [{ name: 'E', $patch: 'delete' }] }] } },
    'Pod',
  ) as typeof pod;
  assert.deepEqual(out.spec, { containers: [{ name: 'c' }], volumes: [{ name: 'v', emptyDir: {} }] });
});

test('a ConfigMap without data keys has no data map', () => {
  assert.deepEqual(normalizeAsTyped({ kind: 'ConfigMap', metadata: { name: 'c' }, data: {} }), {
    kind: 'ConfigMap',
    metadata: { name: 'c' },
  });
});
