import assert from 'node:assert/strict';
import { test } from 'node:test';
import { acceptsAggregatedDiscovery, acceptsTable } from './negotiate.js';

test('kubectl get asks for a v1 Table first', () => {
  assert.equal(
    acceptsTable(
      'application/json;as=Table;v=v1;g=meta.k8s.io,application/json;as=Table;v=v1beta1;g=meta.k8s.io,application/json',
    ),
    'v1',
  );
  assert.equal(acceptsTable('application/json;as=Table;v=v1beta1;g=meta.k8s.io'), 'v1beta1');
  assert.equal(acceptsTable('application/json'), undefined);
  assert.equal(acceptsTable(undefined), undefined);
});

test('aggregated discovery is recognised in both versions', () => {
  assert.equal(
    acceptsAggregatedDiscovery('application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,application/json'),
    'v2',
  );
  assert.equal(
    acceptsAggregatedDiscovery('application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList'),
    'v2beta1',
  );
  assert.equal(acceptsAggregatedDiscovery('application/json, */*'), undefined);
});
