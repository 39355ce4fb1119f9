// The checks before iproute2 runs (no root needed); creating and deleting real
// namespaces is tested in test/oci-net/cni-network.test.ts.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { addNetns, deleteNetns, netnsPath } from './network-namespaces.js';

test('a named netns lives under /run/netns', () => {
  assert.equal(netnsPath('podbay-abc'), '/run/netns/podbay-abc');
});

for (const bad of ['', '../etc', 'a/b', '-flag', 'x'.repeat(64)]) {
  test(`the netns name ${JSON.stringify(bad)} is refused before ip runs`, async () => {
    await assert.rejects(addNetns(bad, '/nonexistent/ip'), /network namespace name/);
  });
}

test('only named namespaces under /run/netns can be deleted', async () => {
  await assert.rejects(deleteNetns('/proc/1/ns/net', '/nonexistent/ip'), /not a named network namespace/);
  await assert.rejects(deleteNetns('/run/netns/../x', '/nonexistent/ip'), /not a named network namespace/);
});

test('deleting a namespace that does not exist succeeds without running ip', async () => {
  await deleteNetns('/run/netns/podbay-never-made-0', '/nonexistent/ip');
});
