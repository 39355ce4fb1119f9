// Expected shapes are those of `kubectl get -o yaml --show-managed-fields` on a real cluster
// (managedfields/internal tests in staging/src/k8s.io/apimachinery/pkg/util/managedfields and
// the fieldsV1 format of structured-merge-diff fieldpath/serialize.go).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../../api/types/index.js';
import { FieldSet, fromFieldsV1, pathString, toFieldSet, toFieldsV1 } from './field-set.js';
import { updateManagedFields } from './managed-fields.js';

const T0 = '2026-01-01T00:00:00Z';
const T1 = '2026-01-01T00:01:00Z';

function runPod(): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name: 'x',
      namespace: 'default',
      uid: 'u',
      resourceVersion: '1',
      creationTimestamp: T0,
      labels: { run: 'x' },
    },
    spec: {
      containers: [{ name: 'x', image: 'busybox', resources: {}, imagePullPolicy: 'Always' }],
      restartPolicy: 'Always',
      dnsPolicy: 'ClusterFirst',
    },
    status: { phase: 'Pending', qosClass: 'BestEffort' },
  } as KubeObject;
}

test('a create records every field the creator set, in the fieldsV1 shape of a real cluster', () => {
  const out = updateManagedFields(undefined, runPod(), { manager: 'kubectl-run', nowIso: T0 });
  assert.deepEqual(out.metadata.managedFields, [
    {
      manager: 'kubectl-run',
      operation: 'Update',
      apiVersion: 'v1',
      time: T0,
      fieldsType: 'FieldsV1',
      fieldsV1: {
        'f:metadata': { 'f:labels': { '.': {}, 'f:run': {} } },
        'f:spec': {
          'f:containers': {
            'k:{"name":"x"}': { '.': {}, 'f:image': {}, 'f:imagePullPolicy': {}, 'f:name': {}, 'f:resources': {} },
          },
          'f:dnsPolicy': {},
          'f:restartPolicy': {},
        },
      },
    },
  ]);
});

test('an update moves a changed field to the writer and leaves the rest with its owner', () => {
  const created = updateManagedFields(undefined, runPod(), { manager: 'kubectl-run', nowIso: T0 });
  const edited = structuredClone(created) as KubeObject & { spec: { containers: { image: string }[] } };
  edited.spec.containers[0]!.image = 'busybox:1.36';
  const out = updateManagedFields(created, edited, { manager: 'kubectl-edit', nowIso: T1 });
  const [run, edit] = out.metadata.managedFields!;
  assert.equal(run!.manager, 'kubectl-run');
  assert.equal(run!.time, T0);
  assert.deepEqual((run!.fieldsV1 as Record<string, Record<string, unknown>>)['f:spec']!['f:containers'], {
    'k:{"name":"x"}': { '.': {}, 'f:imagePullPolicy': {}, 'f:name': {}, 'f:resources': {} },
  });
  assert.equal(edit!.manager, 'kubectl-edit');
  assert.equal(edit!.time, T1);
  assert.deepEqual(edit!.fieldsV1, { 'f:spec': { 'f:containers': { 'k:{"name":"x"}': { 'f:image': {} } } } });
});

test('a write that changes nothing adds no entry', () => {
  const created = updateManagedFields(undefined, runPod(), { manager: 'kubectl-run', nowIso: T0 });
  const out = updateManagedFields(created, structuredClone(created), { manager: 'other', nowIso: T1 });
  assert.deepEqual(out.metadata.managedFields, created.metadata.managedFields);
});

// SMD Compare marks only leaves: the labels map itself still exists, so its owner keeps it.
test('removing a label removes it from its owner, who keeps the labels map itself', () => {
  const created = updateManagedFields(undefined, runPod(), { manager: 'kubectl-run', nowIso: T0 });
  const next = structuredClone(created);
  next.metadata.labels = { other: 'y' };
  const out = updateManagedFields(created, next, { manager: 'kubectl-label', nowIso: T1 });
  const byManager: Record<string, unknown> = Object.fromEntries(
    out.metadata.managedFields!.map((e): [string, unknown] => [e.manager ?? '', e.fieldsV1]),
  );
  assert.deepEqual((byManager['kubectl-run'] as Record<string, unknown>)['f:metadata'], { 'f:labels': {} });
  assert.deepEqual(byManager['kubectl-label'], { 'f:metadata': { 'f:labels': { 'f:other': {} } } });
});

test('a status subresource write owns only status and says so', () => {
  const created = updateManagedFields(undefined, runPod(), { manager: 'kubectl-run', nowIso: T0 });
  const next = structuredClone(created) as KubeObject & { status: Record<string, unknown> };
  next.status.phase = 'Running';
  next.status.conditions = [{ type: 'Ready', status: 'True' }];
  next.metadata.labels = { run: 'x', sneaky: '1' };
  const out = updateManagedFields(created, next, { manager: 'kubelet', nowIso: T1, subresource: 'status' });
  const kubelet = out.metadata.managedFields!.find((e) => e.manager === 'kubelet')!;
  assert.equal(kubelet.subresource, 'status');
  assert.deepEqual(kubelet.fieldsV1, {
    'f:status': { 'f:conditions': { 'k:{"type":"Ready"}': { '.': {}, 'f:status': {}, 'f:type': {} } }, 'f:phase': {} },
  });
});

test('status written through the main resource of a Pod is never owned', () => {
  const out = updateManagedFields(undefined, runPod(), { manager: 'm', nowIso: T0 });
  assert.equal((out.metadata.managedFields![0]!.fieldsV1 as Record<string, unknown>)['f:status'], undefined);
});

test('entries are sorted Apply first, then by time and manager', () => {
  const obj = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' }, data: { a: '1' } } as KubeObject;
  const withEntries = {
    ...obj,
    metadata: {
      ...obj.metadata,
      managedFields: [
        {
          manager: 'z',
          operation: 'Update' as const,
          apiVersion: 'v1',
          time: T0,
          fieldsType: 'FieldsV1' as const,
          fieldsV1: { 'f:data': { 'f:a': {} } },
        },
        {
          manager: 'a',
          operation: 'Update' as const,
          apiVersion: 'v1',
          time: T1,
          fieldsType: 'FieldsV1' as const,
          fieldsV1: { 'f:data': { 'f:b': {} } },
        },
        {
          manager: 'k',
          operation: 'Apply' as const,
          apiVersion: 'v1',
          time: T1,
          fieldsType: 'FieldsV1' as const,
          fieldsV1: { 'f:data': { 'f:c': {} } },
        },
      ],
    },
  };
  const out = updateManagedFields(withEntries, structuredClone(withEntries), { manager: 'nobody', nowIso: T1 });
  assert.deepEqual(
    out.metadata.managedFields!.map((e) => e.manager),
    ['k', 'z', 'a'],
  );
});

test('a ConfigMap created with data records data as a map with its keys', () => {
  const cm = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' }, data: { a: '1', b: '2' } } as KubeObject;
  const out = updateManagedFields(undefined, cm, { manager: 'kubectl-create', nowIso: T0 });
  assert.deepEqual(out.metadata.managedFields![0]!.fieldsV1, { 'f:data': { '.': {}, 'f:a': {}, 'f:b': {} } });
});

const pathCases: [string[], string][] = [
  [['f:spec', 'f:containers', 'k:{"name":"c"}', 'f:image'], '.spec.containers[name="c"].image'],
  [
    ['f:spec', 'f:containers', 'k:{"name":"c"}', 'f:ports', 'k:{"containerPort":80,"protocol":"TCP"}'],
    '.spec.containers[name="c"].ports[containerPort=80,protocol="TCP"]',
  ],
  [['f:metadata', 'f:finalizers', 'v:"a"'], '.metadata.finalizers[=\"a\"]'],
];
for (const [p, s] of pathCases) {
  test(`a field path prints as ${s}`, () => {
    assert.equal(pathString(p), s);
  });
}

test('fieldsV1 round-trips through a field set', () => {
  const v1 = {
    'f:metadata': { 'f:labels': { '.': {}, 'f:a': {} }, 'f:finalizers': { '.': {}, 'v:"x"': {} } },
    'f:spec': { 'f:containers': { 'k:{"name":"c"}': { '.': {}, 'f:image': {} } } },
  };
  const set = fromFieldsV1(v1);
  assert.equal(set.size, 6);
  assert.deepEqual(toFieldsV1(set), v1);
  assert.ok(set.equals(FieldSet.of(set.paths())));
});

test('the applied shape of a pod keys ports by containerPort and protocol (defaulted TCP) and finalizers by value', () => {
  const set = toFieldSet(
    {
      metadata: { name: 'p', finalizers: ['a'] },
      spec: { containers: [{ name: 'c', ports: [{ containerPort: 80 }] }], tolerations: [{ key: 'k' }] },
    },
    'Pod',
  );
  assert.deepEqual(toFieldsV1(set), {
    'f:metadata': { 'f:finalizers': { 'v:"a"': {} } },
    'f:spec': {
      'f:containers': {
        'k:{"name":"c"}': {
          '.': {},
          'f:name': {},
          'f:ports': { 'k:{"containerPort":80,"protocol":"TCP"}': { '.': {}, 'f:containerPort': {} } },
        },
      },
      'f:tolerations': {},
    },
  });
});

test('atomic structs (env valueFrom.fieldRef, image pull secrets) are owned as one leaf', () => {
  const pod = {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'p' },
    spec: {
      containers: [
        {
          name: 'c',
          env: [{ name: 'POD_NAME', valueFrom: { fieldRef: { apiVersion: 'v1', fieldPath: 'metadata.name' } } }],
        },
      ],
      imagePullSecrets: [{ name: 'reg' }],
    },
  } as KubeObject;
  const out = updateManagedFields(undefined, pod, { manager: 'm', nowIso: T0 });
  assert.deepEqual(out.metadata.managedFields![0]!.fieldsV1, {
    'f:spec': {
      'f:containers': {
        'k:{"name":"c"}': {
          '.': {},
          'f:env': {
            'k:{"name":"POD_NAME"}': { '.': {}, 'f:name': {}, 'f:valueFrom': { '.': {}, 'f:fieldRef': {} } },
          },
          'f:name': {},
        },
      },
      'f:imagePullSecrets': { 'k:{"name":"reg"}': {} },
    },
  });
});

test('past 10 Update managers the oldest merge into ancient-changes (capmanagers.go)', () => {
  let obj = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' }, data: {} } as KubeObject & {
    data: Record<string, string>;
  };
  for (let i = 0; i < 12; i++) {
    const next = structuredClone(obj);
    next.data[`k${i}`] = 'v';
    obj = updateManagedFields(obj, next, {
      manager: `m${String(i).padStart(2, '0')}`,
      nowIso: `2026-01-01T00:00:${String(i).padStart(2, '0')}Z`,
    }) as typeof obj;
  }
  const entries = obj.metadata.managedFields!;
  assert.equal(entries.length, 10);
  const ancient = entries.find((e) => e.manager === 'ancient-changes')!;
  assert.equal(ancient.time, '2026-01-01T00:00:02Z');
  assert.deepEqual(ancient.fieldsV1, { 'f:data': { '.': {}, 'f:k0': {}, 'f:k1': {}, 'f:k2': {} } });
  assert.ok(!entries.some((e) => ['m00', 'm01', 'm02'].includes(e.manager!)));
});
