import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { schemaRef } from './k8s-schemas.js';
import { ResourceOpenApiSource } from './resource-openapi-source.js';

interface Doc {
  openapi: string;
  info: { version: string };
  paths: Record<string, Record<string, Op & { requestBody?: { content: Record<string, { schema: unknown }> } }>>;
  components: { schemas: Record<string, unknown> };
}
interface Op {
  'x-kubernetes-group-version-kind': unknown;
  parameters: { name: string }[];
  responses: Record<string, { content: Record<string, { schema: unknown }> }>;
}

const CORE = 'io.k8s.api.core.v1';
const META = 'io.k8s.apimachinery.pkg.apis.meta.v1';

describe('ResourceOpenApiSource', () => {
  const source = new ResourceOpenApiSource();
  const doc = (p: string): Doc => {
    const d = source.document(p);
    assert.ok(d, `${p} is served`);
    return d as Doc;
  };

  test('serves one document per served group-version and none for others', () => {
    assert.deepEqual(source.groupVersionPaths().sort(), [
      'api/v1',
      'apis/coordination.k8s.io/v1',
      'apis/events.k8s.io/v1',
    ]);
    assert.equal(source.document('apis/apps/v1'), undefined);
    assert.equal(doc('api/v1').openapi, '3.0.0');
    assert.match(doc('api/v1').info.version, /^v1\.32\./);
  });

  test('the PATCH of a pod is tagged with the Pod GVK and lists fieldValidation, and answers a Pod', () => {
    const patch = doc('api/v1').paths['/api/v1/namespaces/{namespace}/pods/{name}']?.patch;
    assert.ok(patch);
    assert.deepEqual(patch['x-kubernetes-group-version-kind'], { group: '', version: 'v1', kind: 'Pod' });
    assert.ok(patch.parameters.some((p) => p.name === 'fieldValidation'));
    assert.deepEqual(patch.responses['200']?.content['application/json']?.schema, { $ref: schemaRef(`${CORE}.Pod`) });
    const list = doc('api/v1').paths['/api/v1/namespaces/{namespace}/pods']?.get;
    assert.deepEqual(list?.responses['200']?.content['application/json']?.schema, {
      $ref: schemaRef(`${CORE}.PodList`),
    });
    assert.ok(doc('api/v1').paths['/api/v1/nodes/{name}/status']?.patch);
  });

  test('the core document carries the schemas of its kinds and what they reference, not other groups', () => {
    const names = Object.keys(doc('api/v1').components.schemas);
    for (const n of [
      'Pod',
      'PodList',
      'PodSpec',
      'Container',
      'Node',
      'Namespace',
      'Event',
      'ConfigMap',
      'Secret',
      'Binding',
    ]) {
      assert.ok(names.includes(`${CORE}.${n}`), n);
    }
    for (const n of ['ObjectMeta', 'Status', 'DeleteOptions', 'WatchEvent', 'Time']) {
      assert.ok(names.includes(`${META}.${n}`), n);
    }
    assert.ok(!names.includes('io.k8s.api.coordination.v1.Lease'));
    assert.ok(!names.includes('io.k8s.api.events.v1.Event'));
  });

  test('the coordination document carries Lease and the meta schemas, not Pod', () => {
    const names = Object.keys(doc('apis/coordination.k8s.io/v1').components.schemas);
    assert.ok(names.includes('io.k8s.api.coordination.v1.Lease'));
    assert.ok(names.includes('io.k8s.api.coordination.v1.LeaseList'));
    assert.ok(names.includes(`${META}.ObjectMeta`));
    assert.ok(!names.includes(`${CORE}.Pod`));
  });

  test('the events.k8s.io document carries its Event with the core ObjectReference it points to', () => {
    const names = Object.keys(doc('apis/events.k8s.io/v1').components.schemas);
    assert.ok(names.includes('io.k8s.api.events.v1.Event'));
    assert.ok(names.includes(`${CORE}.ObjectReference`));
    assert.ok(!names.includes(`${CORE}.Event`));
  });

  test('a document is built once and then served from the cache', () => {
    assert.equal(source.document('api/v1'), source.document('api/v1'));
  });
});
