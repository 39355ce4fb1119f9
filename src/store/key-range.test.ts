import * as assert from 'node:assert/strict';
import { test } from 'node:test';
import { inRange, keyAfter, keyRange, resourceAndName } from './key-range.js';

const selection: [prefix: string, key: string, selected: boolean][] = [
  ['/pods/', '/pods/default/a', true],
  ['/pods/', '/pods/', true],
  ['/pods/', '/pods', false],
  ['/pods/', '/podsecuritypolicies/x', false],
  ['/pods/', '/pods0', false],
  ['/pods/default/', '/pods/default/a', true],
  ['/pods/default/', '/pods/default-2/a', false],
  ['/pods/default/a', '/pods/default/a', true],
  ['/pods/default/a', '/pods/default/ab', false],
  ['/pods/default/a', '/pods/default/a/', false],
  ['/', '/nodes/n1', true],
];
for (const [prefix, key, selected] of selection) {
  test(`prefix ${prefix} ${selected ? 'selects' : 'does not select'} ${key}`, () => {
    assert.equal(inRange(keyRange(prefix), key), selected);
  });
}

test('keyAfter sorts right after its key and before any longer key', () => {
  const k = '/pods/default/a';
  assert.ok(keyAfter(k) > k);
  assert.ok(keyAfter(k) < `${k}-`);
  assert.ok(keyAfter(k) < `${k}0`);
});

const names: [key: string, resource: string, name: string][] = [
  ['/pods/default/x', 'pods', 'x'],
  ['/nodes/n1', 'nodes', 'n1'],
  ['/leases.coordination.k8s.io/kube-node-lease/n1', 'leases.coordination.k8s.io', 'n1'],
  ['/namespaces/kube-system', 'namespaces', 'kube-system'],
];
for (const [key, resource, name] of names) {
  test(`errors about ${key} name ${resource} "${name}"`, () => {
    assert.deepEqual(resourceAndName(key), { resource, name });
  });
}
