import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Pod } from '../../api/types/index.js';
import { findResource } from '../registry/resources.js';
import { parseIncludeObject, toTable } from './table-convert.js';

const PODS = findResource('', 'v1', 'pods')!;
const NOW = Date.UTC(2026, 0, 1, 0, 5, 0);

function pod(name: string, phase: Pod['status'] extends infer S ? S : never): Pod {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name,
      namespace: 'default',
      uid: 'u',
      resourceVersion: '7',
      creationTimestamp: '2026-01-01T00:00:00Z',
      labels: { app: name },
      managedFields: [{ manager: 'kubectl' }],
    },
    spec: { containers: [{ name: 'c', image: 'i' }] },
    status: phase,
  };
}

test('a pod table has kubectl columns, PartialObjectMetadata rows without managedFields, and the row conditions', () => {
  const p = pod('done', { phase: 'Succeeded' });
  const t = toTable(PODS, [p], [p], { version: 'v1', nowMs: NOW, includeObject: 'Metadata', resourceVersion: '9' });
  assert.deepEqual(
    t.columnDefinitions.map((c) => c.name),
    ['Name', 'Ready', 'Status', 'Restarts', 'Age', 'IP', 'Node', 'Nominated Node', 'Readiness Gates'],
  );
  assert.equal(t.metadata.resourceVersion, '9');
  const row = t.rows[0]!;
  assert.equal(row.cells[0], 'done');
  assert.equal(row.cells[4], '5m');
  assert.deepEqual(row.object, {
    kind: 'PartialObjectMetadata',
    apiVersion: 'meta.k8s.io/v1',
    metadata: {
      name: 'done',
      namespace: 'default',
      uid: 'u',
      resourceVersion: '7',
      creationTimestamp: '2026-01-01T00:00:00Z',
      labels: { app: 'done' },
    },
  });
  assert.deepEqual(
    row.conditions?.map((c) => [c.type, c.status]),
    [['Completed', 'True']],
  );
});

test('watch events after the first leave the column definitions out', () => {
  const p = pod('x', { phase: 'Pending' });
  const t = toTable(PODS, [p], [p], { version: 'v1', nowMs: NOW, includeObject: 'None', omitColumns: true });
  assert.deepEqual(t.columnDefinitions, []);
  assert.equal(t.rows[0]!.object, undefined);
});

test('includeObject defaults to Metadata', () => {
  assert.equal(parseIncludeObject(null), 'Metadata');
  assert.equal(parseIncludeObject('Object'), 'Object');
  assert.equal(parseIncludeObject('bogus'), 'Metadata');
});
