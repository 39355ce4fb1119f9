// ObjectMeta rules on create and update (apimachinery objectmeta.go plus core's finalizer
// check), with Kubernetes' exact messages.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ObjectMeta } from '../types/index.js';
import { validateObjectMeta, validateObjectMetaUpdate, type ObjectMetaOptions } from './object-meta.js';
import { LABEL_MSG, LABEL_VALUE_MSG, QUALIFIED_NAME_MSG, render } from './testing/fixtures.js';

const POD: ObjectMetaOptions = { namespaced: true, nameRule: 'subdomain' };
const NAMESPACE: ObjectMetaOptions = { namespaced: false, nameRule: 'label' };

const createCases: Record<string, { meta: ObjectMeta; opts?: ObjectMetaOptions; want: string[] }> = {
  'accepts plain metadata': { meta: { name: 'a', namespace: 'default' }, want: [] },
  'forbids a namespace on a cluster-scoped kind': {
    meta: { name: 'a', namespace: 'default' },
    opts: NAMESPACE,
    want: ['metadata.namespace: Forbidden: not allowed on this type'],
  },
  'applies the kind’s name rule (label for namespaces)': {
    meta: { name: 'Team' },
    opts: NAMESPACE,
    want: [`metadata.name: Invalid value: "Team": ${LABEL_MSG}`],
  },
  'applies the path-segment rule': {
    meta: { name: '..', namespace: 'default' },
    opts: { namespaced: true, nameRule: 'path' },
    want: ['metadata.name: Invalid value: "..": may not be \'..\''],
  },
  'rejects a negative generation': {
    meta: { name: 'a', namespace: 'default', generation: -1 },
    want: ['metadata.generation: Invalid value: -1: must be greater than or equal to 0'],
  },
  'reports label key and value errors at metadata.labels': {
    meta: { name: 'a', namespace: 'default', labels: { 'a b': 'ok', app: 'x y' } },
    want: [
      `metadata.labels: Invalid value: "a b": ${QUALIFIED_NAME_MSG}`,
      `metadata.labels: Invalid value: "x y": ${LABEL_VALUE_MSG}`,
    ],
  },
  'accepts upper-case annotation keys (checked lower-cased)': {
    meta: { name: 'a', namespace: 'default', annotations: { 'Example.com/Key': 'v' } },
    want: [],
  },
  'rejects a bad annotation key': {
    meta: { name: 'a', namespace: 'default', annotations: { 'a b': 'v' } },
    want: [`metadata.annotations: Invalid value: "a b": ${QUALIFIED_NAME_MSG}`],
  },
  'limits annotations to 256 KiB in total': {
    meta: { name: 'a', namespace: 'default', annotations: { a: 'x'.repeat(256 * 1024) } },
    want: ['metadata.annotations: Too long: may not be more than 262144 bytes'],
  },
  'checks owner references': {
    meta: {
      name: 'a',
      namespace: 'default',
      ownerReferences: [{ apiVersion: '', kind: '', name: '', uid: '' }],
    },
    want: [
      'metadata.ownerReferences.apiVersion: Invalid value: "": version must not be empty',
      'metadata.ownerReferences.kind: Invalid value: "": must not be empty',
      'metadata.ownerReferences.name: Invalid value: "": must not be empty',
      'metadata.ownerReferences.uid: Invalid value: "": must not be empty',
    ],
  },
  'allows one controller owner only': {
    meta: {
      name: 'a',
      namespace: 'default',
      ownerReferences: [
        { apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'r1', uid: '1', controller: true },
        { apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'r2', uid: '2', controller: true },
      ],
    },
    want: [
      'metadata.ownerReferences: Invalid value: [{"apiVersion":"apps/v1","kind":"ReplicaSet","name":"r1","uid":"1","controller":true},{"apiVersion":"apps/v1","kind":"ReplicaSet","name":"r2","uid":"2","controller":true}]: Only one reference can have Controller set to true. Found "true" in references for ReplicaSet/r1 and ReplicaSet/r2',
    ],
  },
  'rejects orphan together with foregroundDeletion': {
    meta: { name: 'a', namespace: 'default', finalizers: ['orphan', 'foregroundDeletion'] },
    want: [
      'metadata.finalizers: Invalid value: []string{"orphan", "foregroundDeletion"}: finalizer orphan and foregroundDeletion cannot be both set',
    ],
  },
  'requires an unqualified finalizer to be a standard one': {
    meta: { name: 'a', namespace: 'default', finalizers: ['custom', 'example.com/ok', 'kubernetes'] },
    want: [
      'metadata.finalizers[0]: Invalid value: "custom": name is neither a standard finalizer name nor is it fully qualified',
    ],
  },
  'skips the legacy finalizer check for other API groups': {
    meta: { name: 'a', namespace: 'default', finalizers: ['custom'] },
    opts: { ...POD, coreFinalizers: false },
    want: [],
  },
};

for (const [name, c] of Object.entries(createCases)) {
  test(name, () => {
    assert.deepEqual(render(validateObjectMeta(c.meta, c.opts ?? POD)), c.want);
  });
}

const OLD: ObjectMeta = {
  name: 'a',
  namespace: 'default',
  uid: 'u1',
  generation: 2,
  creationTimestamp: '2026-11-25T06:00:00Z',
};

const updateCases: Record<string, { meta: ObjectMeta; old?: ObjectMeta; want: string[] }> = {
  'accepts unchanged metadata': { meta: { ...OLD }, want: [] },
  'keeps the namespace immutable': {
    meta: { ...OLD, namespace: 'other' },
    want: ['metadata.namespace: Invalid value: "other": field is immutable'],
  },
  'forbids decrementing generation': {
    meta: { ...OLD, generation: 1 },
    want: ['metadata.generation: Invalid value: 1: must not be decremented'],
  },
  'keeps deletionGracePeriodSeconds immutable, a nil value printed as "null"': {
    meta: { ...OLD },
    old: { ...OLD, deletionGracePeriodSeconds: 30 },
    want: ['metadata.deletionGracePeriodSeconds: Invalid value: "null": field is immutable'],
  },
  'keeps deletionTimestamp immutable, printed as Go prints a time': {
    meta: { ...OLD, deletionTimestamp: '2026-11-25T06:10:00Z' },
    want: ['metadata.deletionTimestamp: Invalid value: 2026-11-25 06:10:00 +0000 UTC: field is immutable'],
  },
  'does not run the orphan/foregroundDeletion check on update, but keeps the legacy-finalizer check': {
    meta: { ...OLD, finalizers: ['orphan', 'foregroundDeletion', 'custom'] },
    want: [
      'metadata.finalizers[2]: Invalid value: "custom": name is neither a standard finalizer name nor is it fully qualified',
    ],
  },
  'checks labels on update too': {
    meta: { ...OLD, labels: { app: 'x y' } },
    want: [`metadata.labels: Invalid value: "x y": ${LABEL_VALUE_MSG}`],
  },
};

for (const [name, c] of Object.entries(updateCases)) {
  test(`update: ${name}`, () => {
    assert.deepEqual(render(validateObjectMetaUpdate(c.meta, c.old ?? OLD)), c.want);
  });
}
