import assert from 'node:assert/strict';
import { test } from 'node:test';
import { KIND_SCHEMAS, pruneUnknownFields } from './known-fields.js';

test('unknown fields are removed and named with list indexes; free-form maps are left alone', () => {
  const pod = {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'x', labels: { anything: 'goes' }, bogus: 1 },
    spec: {
      containers: [
        { name: 'a', image: 'i' },
        { name: 'b', image: 'i', resources: { limits: { cpu: '1' } }, typo: true },
      ],
      nodeSelector: { k: 'v' },
    },
    status: { phase: 'Pending' },
  };
  assert.deepEqual(pruneUnknownFields(pod, KIND_SCHEMAS['v1/Pod']!), ['metadata.bogus', 'spec.containers[1].typo']);
  assert.equal('typo' in pod.spec.containers[1]!, false);
  assert.deepEqual(pod.metadata.labels, { anything: 'goes' });
});

test('every served kind has a schema', () => {
  for (const k of [
    'v1/Pod',
    'v1/Node',
    'v1/Namespace',
    'v1/ConfigMap',
    'v1/Secret',
    'v1/Event',
    'events.k8s.io/v1/Event',
    'coordination.k8s.io/v1/Lease',
  ]) {
    assert.ok(KIND_SCHEMAS[k], k);
  }
});
