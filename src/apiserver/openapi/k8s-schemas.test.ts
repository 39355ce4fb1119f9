import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { RESOURCES } from '../registry/resources.js';
import {
  k8sSchemas,
  schemaClosure,
  schemaNameOf,
  schemaRef,
  type ComponentSchema,
  type SchemaTable,
} from './k8s-schemas.js';

const CORE = 'io.k8s.api.core.v1';
const META = 'io.k8s.apimachinery.pkg.apis.meta.v1';

function refsIn(value: unknown, out: string[] = []): string[] {
  if (Array.isArray(value)) {
    value.forEach((v) => refsIn(v, out));
  } else if (value !== null && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      if (k === '$ref' && typeof v === 'string') {
        out.push(v);
      } else {
        refsIn(v, out);
      }
    }
  }
  return out;
}

function prop(table: SchemaTable, schema: string, field: string): Record<string, unknown> {
  const p = table[schema]?.properties?.[field];
  assert.ok(p, `${schema}.${field} exists`);
  return p;
}

describe('the generated k8s-schemas.json', () => {
  const table = k8sSchemas();

  test('every reference resolves to a schema of the table', () => {
    for (const r of refsIn(table)) {
      assert.ok(r.startsWith('#/components/schemas/'), r);
      assert.ok(table[r.slice('#/components/schemas/'.length)], `${r} is defined`);
    }
  });

  test('every served kind and its list have a schema tagged with their group-version-kind', () => {
    for (const r of RESOURCES) {
      for (const kind of [r.kind, `${r.kind}List`]) {
        assert.ok(schemaNameOf(table, { group: r.group, version: r.version, kind }), `${r.group}/${r.version} ${kind}`);
      }
    }
    assert.equal(
      schemaNameOf(table, { group: 'events.k8s.io', version: 'v1', kind: 'Event' }),
      'io.k8s.api.events.v1.Event',
    );
    assert.equal(schemaNameOf(table, { group: '', version: 'v1', kind: 'Event' }), `${CORE}.Event`);
    assert.equal(schemaNameOf(table, { group: 'apps', version: 'v1', kind: 'Deployment' }), undefined);
  });

  test('the Pod schema carries the description, required fields and formats of v1.32', () => {
    assert.equal(
      table[`${CORE}.Pod`]?.description,
      'Pod is a collection of containers that can run on a host. This resource is created by clients and scheduled onto hosts.',
    );
    assert.deepEqual(table[`${CORE}.PodSpec`]?.required, ['containers']);
    assert.deepEqual(table[`${CORE}.Container`]?.required, ['name']);
    assert.equal(prop(table, `${CORE}.PodSpec`, 'terminationGracePeriodSeconds').format, 'int64');
    assert.equal(prop(table, `${CORE}.ContainerPort`, 'containerPort').format, 'int32');
    assert.deepEqual(prop(table, `${CORE}.Pod`, 'spec').allOf, [{ $ref: schemaRef(`${CORE}.PodSpec`) }]);
    assert.deepEqual(prop(table, `${CORE}.Secret`, 'data').additionalProperties, { format: 'byte', type: 'string' });
    assert.deepEqual(prop(table, `${CORE}.ConfigMap`, 'data').additionalProperties, { default: '', type: 'string' });
    // Fields v1.31/v1.32 added, which kubernetes-types 1.30 lacks, come from client-node 1.1.2.
    assert.ok(prop(table, `${CORE}.PodSpec`, 'resources'));
    assert.ok(prop(table, `${CORE}.Volume`, 'image'));
  });

  test('Quantity and IntOrString are one of two types, Time a date-time string, as builder3 publishes them', () => {
    assert.deepEqual(table['io.k8s.apimachinery.pkg.api.resource.Quantity']?.oneOf, [
      { type: 'string' },
      { type: 'number' },
    ]);
    const intOrString = table['io.k8s.apimachinery.pkg.util.intstr.IntOrString'];
    assert.deepEqual(intOrString?.oneOf, [{ type: 'integer' }, { type: 'string' }]);
    assert.equal(intOrString?.format, 'int-or-string');
    assert.equal(table[`${META}.Time`]?.type, 'string');
    assert.equal(table[`${META}.Time`]?.format, 'date-time');
  });

  test('an enum field lists its values and describes them as kube-openapi does', () => {
    const p = prop(table, `${CORE}.PodSpec`, 'restartPolicy');
    assert.deepEqual(p.enum, ['Always', 'Never', 'OnFailure']);
    assert.match(
      String(p.description),
      /Default to Always\. More info: \S+\n\nPossible enum values:\n - `"Always"`\n - `"Never"`\n - `"OnFailure"`$/,
    );
    assert.deepEqual(prop(table, `${CORE}.ContainerPort`, 'protocol').enum, ['SCTP', 'TCP', 'UDP']);
  });

  // The strategic-merge metadata kubectl v1.32 carries for these fields (struct tags of
  // staging/src/k8s.io/api/core/v1/types.go and apimachinery meta/v1/types.go).
  const patchMeta: [string, string, string | undefined, string | undefined][] = [
    [`${CORE}.PodSpec`, 'containers', 'merge', 'name'],
    [`${CORE}.PodSpec`, 'initContainers', 'merge', 'name'],
    [`${CORE}.PodSpec`, 'volumes', 'merge,retainKeys', 'name'],
    [`${CORE}.PodSpec`, 'imagePullSecrets', 'merge', 'name'],
    [`${CORE}.PodSpec`, 'hostAliases', 'merge', 'ip'],
    [`${CORE}.PodSpec`, 'topologySpreadConstraints', 'merge', 'topologyKey'],
    [`${CORE}.PodSpec`, 'tolerations', undefined, undefined],
    [`${CORE}.Container`, 'env', 'merge', 'name'],
    [`${CORE}.Container`, 'ports', 'merge', 'containerPort'],
    [`${CORE}.Container`, 'volumeMounts', 'merge', 'mountPath'],
    [`${CORE}.Container`, 'args', undefined, undefined],
    [`${CORE}.PodStatus`, 'conditions', 'merge', 'type'],
    [`${CORE}.NodeStatus`, 'addresses', 'merge', 'type'],
    [`${CORE}.ContainerStatus`, 'volumeMounts', 'merge', 'mountPath'],
    [`${CORE}.PodStatus`, 'containerStatuses', undefined, undefined],
    [`${CORE}.NodeSpec`, 'taints', undefined, undefined],
    [`${META}.ObjectMeta`, 'finalizers', 'merge', undefined],
    [`${META}.ObjectMeta`, 'ownerReferences', 'merge', 'uid'],
  ];
  for (const [schema, field, strategy, key] of patchMeta) {
    test(`${schema.split('.').pop()}.${field} has patch strategy ${strategy ?? 'none'} and merge key ${key ?? 'none'}`, () => {
      const p = prop(table, schema, field);
      assert.equal(p['x-kubernetes-patch-strategy'], strategy);
      assert.equal(p['x-kubernetes-patch-merge-key'], key);
    });
  }

  test('DeleteOptions is tagged for every served group-version, Status for the core group', () => {
    const gvks = table[`${META}.DeleteOptions`]?.['x-kubernetes-group-version-kind'] ?? [];
    const served = [...new Set(RESOURCES.map((r) => `${r.group}/${r.version}`))].sort();
    assert.deepEqual(gvks.map((g) => `${g.group}/${g.version}`).sort(), served);
    assert.deepEqual(table[`${META}.Status`]?.['x-kubernetes-group-version-kind'], [
      { group: '', kind: 'Status', version: 'v1' },
    ]);
  });
});

describe('schemaClosure', () => {
  const leaf: ComponentSchema = { type: 'string' };
  const table: SchemaTable = {
    a: { type: 'object', properties: { b: { allOf: [{ $ref: schemaRef('b') }] } } },
    b: { type: 'object', properties: { c: { type: 'array', items: { $ref: schemaRef('c') } } } },
    c: { type: 'object', properties: { self: { $ref: schemaRef('c') } } },
    d: leaf,
  };

  test('follows references through allOf, items and cycles, and leaves the rest out', () => {
    assert.deepEqual(Object.keys(schemaClosure(table, ['a'])), ['a', 'b', 'c']);
    assert.deepEqual(Object.keys(schemaClosure(table, ['d', 'c'])), ['c', 'd']);
  });

  test('an unknown root adds nothing', () => {
    assert.deepEqual(schemaClosure(table, ['zz']), {});
  });
});
