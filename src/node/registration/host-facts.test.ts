import assert from 'node:assert/strict';
import { cpus, release, tmpdir, totalmem } from 'node:os';
import { test } from 'node:test';
import { readHostFacts } from './host-facts.js';

test('a real node reports this machine: cores, memory, disk, kernel, OS and an InternalIP', async () => {
  const f = await readHostFacts(tmpdir(), 'node-a');
  assert.equal(f.capacity.cpuCores, cpus().length);
  assert.equal(f.capacity.memoryBytes, totalmem());
  assert.ok(f.capacity.ephemeralStorageBytes > 0);
  assert.equal(f.systemInfo.kernelVersion, release());
  assert.equal(f.systemInfo.operatingSystem, 'linux');
  assert.match(f.systemInfo.architecture ?? '', /^(amd64|arm64|386|arm|ppc64le|s390x)$/);
  assert.ok((f.systemInfo.osImage ?? '').length > 0 && !f.systemInfo.osImage!.startsWith('"'));
  assert.equal(f.addresses[0]?.type, 'InternalIP');
  assert.equal(f.addresses[0]?.address, f.hostIP);
  assert.deepEqual(f.addresses[1], { type: 'Hostname', address: 'node-a' });
});
