import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { CgroupV1Driver } from './cgroup-v1-driver.js';
import { CgroupV2Driver } from './cgroup-v2-driver.js';
import { newCgroupDriver } from './new-cgroup-driver.js';

async function mountinfo(t: { after: (fn: () => Promise<void>) => void }, text: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'podbay-mountinfo-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  await writeFile(join(dir, 'mountinfo'), text);
  return join(dir, 'mountinfo');
}

test('a pure cgroup2 machine gets the v2 driver on its mountpoint', async (t) => {
  const d = await newCgroupDriver(await mountinfo(t, '25 24 0:22 / /sys/fs/cgroup rw - cgroup2 cgroup2 rw\n'));
  assert.ok(d instanceof CgroupV2Driver);
  assert.equal(d.version, 2);
  assert.equal(d.mountpoint, '/sys/fs/cgroup');
});

test('a machine with v1 hierarchies gets the v1 driver', async (t) => {
  const lines = ['cpu', 'cpuacct', 'cpuset', 'memory', 'pids'].map(
    (c, i) => `${30 + i} 25 0:${26 + i} / /sys/fs/cgroup/${c} rw - cgroup cgroup rw,${c}`,
  );
  const d = await newCgroupDriver(await mountinfo(t, lines.join('\n') + '\n'));
  assert.ok(d instanceof CgroupV1Driver);
  assert.equal(d.version, 1);
});
