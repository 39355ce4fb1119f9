// Cases modelled on staging/src/k8s.io/apimachinery/pkg/util/strategicpatch/patch_test.go
// (TestStrategicMergePatch, TestReplaceWithRetainKeys, the $setElementOrder and
// $deleteFromPrimitiveList tables) rewritten on Pod/Node fields, plus the bodies kubectl
// v1.32 was seen sending (shared/design/kubectl-contract.md §7).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { StatusError } from '../../api/errors.js';
import { applyStrategicMergePatch } from './strategic-merge-patch.js';

type Json = Record<string, unknown>;

const pod = (spec: Json, metadata: Json = { name: 'p' }): Json => ({ apiVersion: 'v1', kind: 'Pod', metadata, spec });

interface Case {
  kind?: string;
  doc: Json;
  patch: Json;
  want: Json;
}

const cases: Record<string, Case> = {
  'kubectl apply: a partial container with $setElementOrder merges into the existing container': {
    doc: pod({
      containers: [
        { name: 'c', image: 'busybox:1.35', command: ['sleep', '3600'], imagePullPolicy: 'IfNotPresent' },
        { name: 'side', image: 'nginx' },
      ],
    }),
    patch: {
      spec: {
        $setElementOrder: undefined,
        '$setElementOrder/containers': [{ name: 'c' }, { name: 'side' }],
        containers: [{ image: 'busybox:1.36', name: 'c' }],
      },
    },
    want: pod({
      containers: [
        { name: 'c', image: 'busybox:1.36', command: ['sleep', '3600'], imagePullPolicy: 'IfNotPresent' },
        { name: 'side', image: 'nginx' },
      ],
    }),
  },
  'kubectl apply removing a container: $setElementOrder plus a $patch: delete item': {
    doc: pod({
      containers: [
        { name: 'c', image: 'a' },
        { name: 'side', image: 'b' },
      ],
    }),
    patch: {
      spec: { '$setElementOrder/containers': [{ name: 'c' }], containers: [{ $patch: 'delete', name: 'side' }] },
    },
    want: pod({ containers: [{ name: 'c', image: 'a' }] }),
  },
  'kubectl apply removing a field of a container: null inside the keyed item': {
    doc: pod({ containers: [{ name: 'c', image: 'a', command: ['sleep', '1'] }] }),
    patch: { spec: { '$setElementOrder/containers': [{ name: 'c' }], containers: [{ name: 'c', command: null }] } },
    want: pod({ containers: [{ name: 'c', image: 'a' }] }),
  },
  'maps merge recursively and null deletes a key': {
    doc: pod({ nodeSelector: { a: '1', b: '2' } }, { name: 'p', labels: { x: '1', y: '2' } }),
    patch: { metadata: { labels: { y: null, z: '3' } }, spec: { nodeSelector: { a: 'one' } } },
    want: pod({ nodeSelector: { a: 'one', b: '2' } }, { name: 'p', labels: { x: '1', z: '3' } }),
  },
  'a null for a missing key is ignored (IgnoreUnmatchedNulls)': {
    doc: pod({}),
    patch: { spec: { hostname: null } },
    want: pod({}),
  },
  // mergeSortedSlice: a patch item with no place in the live list goes before server-only items.
  'without $setElementOrder a new container goes first (upstream mergeSortedSlice)': {
    doc: pod({ containers: [{ name: 'a', image: 'x' }] }),
    patch: { spec: { containers: [{ name: 'b', image: 'y' }] } },
    want: pod({
      containers: [
        { name: 'b', image: 'y' },
        { name: 'a', image: 'x' },
      ],
    }),
  },
  'a new item is sanitized of nulls and directives': {
    doc: pod({ containers: [{ name: 'a' }] }),
    patch: { spec: { containers: [{ name: 'b', image: null, env: [{ name: 'E', value: 'v' }] }] } },
    want: pod({ containers: [{ name: 'b', env: [{ name: 'E', value: 'v' }] }, { name: 'a' }] }),
  },
  'env merges by name inside a container': {
    doc: pod({
      containers: [
        {
          name: 'c',
          env: [
            { name: 'A', value: '1' },
            { name: 'B', value: '2' },
          ],
        },
      ],
    }),
    patch: { spec: { containers: [{ name: 'c', env: [{ name: 'B', value: 'two' }] }] } },
    want: pod({
      containers: [
        {
          name: 'c',
          env: [
            { name: 'A', value: '1' },
            { name: 'B', value: 'two' },
          ],
        },
      ],
    }),
  },
  'ports merge by containerPort': {
    doc: pod({ containers: [{ name: 'c', ports: [{ containerPort: 80, name: 'http' }, { containerPort: 443 }] }] }),
    patch: { spec: { containers: [{ name: 'c', ports: [{ containerPort: 80, name: 'web' }] }] } },
    want: pod({ containers: [{ name: 'c', ports: [{ containerPort: 80, name: 'web' }, { containerPort: 443 }] }] }),
  },
  'volumeMounts merge by mountPath': {
    doc: pod({ containers: [{ name: 'c', volumeMounts: [{ mountPath: '/a', name: 'v1' }] }] }),
    patch: { spec: { containers: [{ name: 'c', volumeMounts: [{ mountPath: '/a', readOnly: true }] }] } },
    want: pod({ containers: [{ name: 'c', volumeMounts: [{ mountPath: '/a', name: 'v1', readOnly: true }] }] }),
  },
  'initContainers and ephemeralContainers merge by name too': {
    doc: pod({ initContainers: [{ name: 'i', image: 'a' }], ephemeralContainers: [{ name: 'e', image: 'a' }] }),
    patch: { spec: { initContainers: [{ name: 'i', image: 'b' }], ephemeralContainers: [{ name: 'e', tty: true }] } },
    want: pod({
      initContainers: [{ name: 'i', image: 'b' }],
      ephemeralContainers: [{ name: 'e', image: 'a', tty: true }],
    }),
  },
  'tolerations have no patch strategy: the list is replaced': {
    doc: pod({ tolerations: [{ key: 'a', operator: 'Exists' }] }),
    patch: { spec: { tolerations: [{ key: 'b', operator: 'Exists' }] } },
    want: pod({ tolerations: [{ key: 'b', operator: 'Exists' }] }),
  },
  'command is atomic: the list is replaced': {
    doc: pod({ containers: [{ name: 'c', command: ['a', 'b'] }] }),
    patch: { spec: { containers: [{ name: 'c', command: ['z'] }] } },
    want: pod({ containers: [{ name: 'c', command: ['z'] }] }),
  },
  'imagePullSecrets merge by name and hostAliases by ip': {
    doc: pod({ imagePullSecrets: [{ name: 'a' }], hostAliases: [{ ip: '1.1.1.1', hostnames: ['a'] }] }),
    patch: {
      spec: { imagePullSecrets: [{ name: 'b' }], hostAliases: [{ ip: '1.1.1.1', hostnames: ['b'] }] },
    },
    want: pod({ imagePullSecrets: [{ name: 'b' }, { name: 'a' }], hostAliases: [{ ip: '1.1.1.1', hostnames: ['b'] }] }),
  },
  'finalizers (merge, primitives) are a union without duplicates': {
    doc: pod({}, { name: 'p', finalizers: ['a', 'b'] }),
    patch: { metadata: { finalizers: ['b', 'c'] } },
    want: pod({}, { name: 'p', finalizers: ['a', 'b', 'c'] }),
  },
  '$deleteFromPrimitiveList removes finalizers': {
    doc: pod({}, { name: 'p', finalizers: ['a', 'b', 'c'] }),
    patch: { metadata: { '$deleteFromPrimitiveList/finalizers': ['b'] } },
    want: pod({}, { name: 'p', finalizers: ['a', 'c'] }),
  },
  '$deleteFromPrimitiveList of an absent list does nothing': {
    doc: pod({}, { name: 'p' }),
    patch: { metadata: { '$deleteFromPrimitiveList/finalizers': ['b'] } },
    want: pod({}, { name: 'p' }),
  },
  '$setElementOrder of a primitive list reorders it': {
    doc: pod({}, { name: 'p', finalizers: ['a', 'b', 'c'] }),
    patch: { metadata: { '$setElementOrder/finalizers': ['c', 'a', 'b'] } },
    want: pod({}, { name: 'p', finalizers: ['c', 'a', 'b'] }),
  },
  'ownerReferences merge by uid': {
    doc: pod({}, { name: 'p', ownerReferences: [{ uid: 'u1', name: 'a', kind: 'X', apiVersion: 'v1' }] }),
    patch: { metadata: { ownerReferences: [{ uid: 'u1', controller: true }] } },
    want: pod(
      {},
      { name: 'p', ownerReferences: [{ uid: 'u1', name: 'a', kind: 'X', apiVersion: 'v1', controller: true }] },
    ),
  },
  '$patch: delete in a list item removes the item with that key': {
    doc: pod({ containers: [{ name: 'a' }, { name: 'b' }] }),
    patch: { spec: { containers: [{ name: 'a', $patch: 'delete' }] } },
    want: pod({ containers: [{ name: 'b' }] }),
  },
  '$patch: replace in a list replaces the whole list': {
    doc: pod({ containers: [{ name: 'a', image: 'x' }, { name: 'b' }] }),
    patch: { spec: { containers: [{ name: 'c' }, { $patch: 'replace' }] } },
    want: pod({ containers: [{ name: 'c' }] }),
  },
  '$patch: replace in a map replaces the map': {
    doc: pod({ securityContext: { runAsUser: 1, runAsGroup: 2 } }),
    patch: { spec: { securityContext: { $patch: 'replace', runAsNonRoot: true } } },
    want: pod({ securityContext: { runAsNonRoot: true } }),
  },
  '$patch: delete in a map empties it': {
    doc: pod({ securityContext: { runAsUser: 1 } }),
    patch: { spec: { securityContext: { $patch: 'delete' } } },
    want: pod({ securityContext: {} }),
  },
  '$retainKeys on a volume drops the old source (volumes are merge,retainKeys)': {
    doc: pod({
      volumes: [
        { name: 'v', emptyDir: {} },
        { name: 'w', emptyDir: {} },
      ],
    }),
    patch: {
      spec: { volumes: [{ name: 'v', $retainKeys: ['configMap', 'name'], configMap: { name: 'cm' } }] },
    },
    want: pod({
      volumes: [
        { name: 'v', configMap: { name: 'cm' } },
        { name: 'w', emptyDir: {} },
      ],
    }),
  },
  '$setElementOrder reorders containers and keeps server-only ones near their neighbours': {
    doc: pod({ containers: [{ name: 'a' }, { name: 'x' }, { name: 'b' }] }),
    patch: {
      spec: {
        '$setElementOrder/containers': [{ name: 'a' }, { name: 'b' }, { name: 'n' }],
        containers: [{ name: 'n', image: 'i' }],
      },
    },
    want: pod({ containers: [{ name: 'a' }, { name: 'x' }, { name: 'b' }, { name: 'n', image: 'i' }] }),
  },
  '$setElementOrder puts patched items in the given order': {
    doc: pod({ containers: [{ name: 'a' }, { name: 'b' }, { name: 'c' }] }),
    patch: {
      spec: {
        '$setElementOrder/containers': [{ name: 'c' }, { name: 'a' }, { name: 'b' }],
        containers: [{ name: 'a', image: 'x' }],
      },
    },
    want: pod({ containers: [{ name: 'c' }, { name: 'a', image: 'x' }, { name: 'b' }] }),
  },
  '$setElementOrder with a list absent from the live object takes the patch list': {
    doc: pod({}),
    patch: { spec: { '$setElementOrder/containers': [{ name: 'a' }], containers: [{ name: 'a', image: 'x' }] } },
    want: pod({ containers: [{ name: 'a', image: 'x' }] }),
  },
  'patched items come in patch order, a server-only item goes before the first later patched item': {
    doc: pod({ containers: [{ name: 'a' }, { name: 'b' }, { name: 'c' }] }),
    patch: {
      spec: {
        containers: [
          { name: 'c', image: '1' },
          { name: 'a', image: '2' },
        ],
      },
    },
    want: pod({ containers: [{ name: 'b' }, { name: 'c', image: '1' }, { name: 'a', image: '2' }] }),
  },
  'a value of another type replaces the old one': {
    doc: pod({ containers: [{ name: 'a', args: 'x' }] }),
    patch: { spec: { containers: [{ name: 'a', args: ['y'] }] } },
    want: pod({ containers: [{ name: 'a', args: ['y'] }] }),
  },
  'pod status conditions merge by type': {
    doc: {
      metadata: { name: 'p' },
      status: {
        conditions: [
          { type: 'Ready', status: 'False' },
          { type: 'PodScheduled', status: 'True' },
        ],
      },
    },
    patch: { status: { conditions: [{ type: 'Ready', status: 'True' }] } },
    want: {
      metadata: { name: 'p' },
      status: {
        conditions: [
          { type: 'Ready', status: 'True' },
          { type: 'PodScheduled', status: 'True' },
        ],
      },
    },
  },
  'node taints have no patch strategy: the list is replaced': {
    kind: 'Node',
    doc: { metadata: { name: 'n' }, spec: { taints: [{ key: 'a', effect: 'NoSchedule' }] } },
    patch: { spec: { taints: [{ key: 'b', effect: 'NoExecute' }] } },
    want: { metadata: { name: 'n' }, spec: { taints: [{ key: 'b', effect: 'NoExecute' }] } },
  },
  'node addresses and conditions merge by type': {
    kind: 'Node',
    doc: {
      metadata: { name: 'n' },
      status: {
        addresses: [
          { type: 'InternalIP', address: '10.0.0.1' },
          { type: 'Hostname', address: 'n' },
        ],
        conditions: [{ type: 'Ready', status: 'True', reason: 'KubeletReady' }],
      },
    },
    patch: {
      status: {
        addresses: [{ type: 'InternalIP', address: '10.0.0.2' }],
        conditions: [{ type: 'Ready', status: 'Unknown' }],
      },
    },
    want: {
      metadata: { name: 'n' },
      status: {
        addresses: [
          { type: 'InternalIP', address: '10.0.0.2' },
          { type: 'Hostname', address: 'n' },
        ],
        conditions: [{ type: 'Ready', status: 'Unknown', reason: 'KubeletReady' }],
      },
    },
  },
  'an unknown kind merges maps and replaces lists, but knows ObjectMeta finalizers': {
    kind: 'Widget',
    doc: { metadata: { name: 'w', finalizers: ['a'] }, spec: { items: [1, 2], m: { a: 1 } } },
    patch: { metadata: { finalizers: ['b'] }, spec: { items: [3], m: { b: 2 } } },
    want: { metadata: { name: 'w', finalizers: ['b', 'a'] }, spec: { items: [3], m: { a: 1, b: 2 } } },
  },
  'ConfigMap data merges key by key': {
    kind: 'ConfigMap',
    doc: { metadata: { name: 'c' }, data: { a: '1', b: '2' } },
    patch: { data: { b: null, c: '3' } },
    want: { metadata: { name: 'c' }, data: { a: '1', c: '3' } },
  },
};

for (const [name, c] of Object.entries(cases)) {
  test(`strategic merge patch: ${name}`, () => {
    const patch = JSON.parse(JSON.stringify(c.patch)) as Json;
    const doc = structuredClone(c.doc);
    const patchCopy = structuredClone(patch);
    assert.deepEqual(applyStrategicMergePatch(doc, patch, c.kind ?? 'Pod'), c.want);
    assert.deepEqual(doc, c.doc, 'the live object is not modified');
    assert.deepEqual(patch, patchCopy, 'the patch is not modified');
  });
}

const errors: Record<string, { doc: Json; patch: Json; code: number; message: string | RegExp }> = {
  'a keyed list item without its merge key is a 500 with the upstream message': {
    doc: pod({ containers: [{ name: 'a' }] }),
    patch: { spec: { containers: [{ image: 'x' }] } },
    code: 500,
    message: 'map: map[image:x] does not contain declared merge key: name',
  },
  'an unknown $patch in a map is a 500 (mergepatch.ErrBadPatchType)': {
    doc: pod({ securityContext: {} }),
    patch: { spec: { securityContext: { $patch: 'frob' } } },
    code: 500,
    message: 'unknown patch type: frob in map: map[$patch:frob]',
  },
  '$patch: merge inside a list is rejected': {
    doc: pod({ containers: [{ name: 'a' }] }),
    patch: { spec: { containers: [{ $patch: 'merge' }] } },
    code: 500,
    message: 'merging lists cannot yet be specified in the patch',
  },
  'a field outside $retainKeys is 400 (ErrBadPatchFormatForRetainKeys)': {
    doc: pod({ volumes: [{ name: 'v', emptyDir: {} }] }),
    patch: { spec: { volumes: [{ name: 'v', $retainKeys: ['name'], configMap: { name: 'x' } }] } },
    code: 400,
    message: 'invalid patch format of retainKeys',
  },
  'a $setElementOrder that is not a list is 400': {
    doc: pod({ containers: [{ name: 'a' }] }),
    patch: { spec: { '$setElementOrder/containers': 'a' } },
    code: 400,
    message: 'invalid patch format of setElementOrder list',
  },
  'a patch list out of $setElementOrder order is rejected': {
    doc: pod({ containers: [{ name: 'a' }, { name: 'b' }] }),
    patch: {
      spec: {
        '$setElementOrder/containers': [{ name: 'a' }, { name: 'b' }],
        containers: [{ name: 'b' }, { name: 'a' }],
      },
    },
    code: 500,
    message: /doesn't match \$setElementOrder\/ list/,
  },
  'a list of lists in a merging list is 422 (ErrNoListOfLists)': {
    doc: pod({}, { name: 'p', finalizers: [['a']] }),
    patch: { metadata: { finalizers: [['b']] } },
    code: 422,
    message: 'the server rejected our request due to an error in our request',
  },
};

for (const [name, c] of Object.entries(errors)) {
  test(`strategic merge patch: ${name}`, () => {
    assert.throws(
      () => applyStrategicMergePatch(c.doc, c.patch, 'Pod'),
      (e: unknown) => {
        assert.ok(e instanceof StatusError);
        assert.equal(e.code, c.code);
        if (typeof c.message === 'string') {
          assert.equal(e.status.message, c.message);
        } else {
          assert.match(e.status.message ?? '', c.message);
        }
        return true;
      },
    );
  });
}

test('strategic merge patch: a patch that is not an object is 400', () => {
  assert.throws(
    () => applyStrategicMergePatch({}, [1], 'Pod'),
    (e: unknown) => e instanceof StatusError && e.code === 400,
  );
});

test('strategic, merge and apply patches never reach Object.prototype through __proto__', async () => {
  const { applyMergePatch } = await import('./merge-patch.js');
  const { applyJsonPatch } = await import('./json-patch.js');
  const patch = JSON.parse('{"metadata":{"__proto__":{"polluted":"yes"},"labels":{"a":"1"}}}') as Json;
  const doc = { metadata: { name: 'p' } };
  const smp = applyStrategicMergePatch(doc, patch, 'Pod') as { metadata: Json };
  const merge = applyMergePatch(doc, patch) as { metadata: Json };
  applyJsonPatch(doc, [{ op: 'add', path: '/metadata/__proto__', value: { polluted: 'yes' } }]);
  assert.equal(({} as Json).polluted, undefined);
  assert.deepEqual(smp.metadata, { name: 'p', labels: { a: '1' } });
  assert.deepEqual(merge.metadata, { name: 'p', labels: { a: '1' } });
  assert.equal(Object.getPrototypeOf(smp.metadata), Object.prototype);
});
