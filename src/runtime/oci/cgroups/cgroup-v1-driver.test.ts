// CgroupV1Driver against fake v1 hierarchies in a temp dir (no root): what it
// writes where. The real hierarchies are driven in test/oci-net/cgroup-v1-driver.test.ts.
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import type { CgroupMounts } from './cgroup-mounts.js';
import { CgroupV1Driver } from './cgroup-v1-driver.js';

const HIERARCHIES = ['cpu,cpuacct', 'cpuset', 'memory', 'pids', 'devices', 'systemd'];

async function fakeMounts(t: {
  after: (fn: () => Promise<void>) => void;
}): Promise<{ root: string; mounts: CgroupMounts }> {
  const root = await mkdtemp(join(tmpdir(), 'podbay-cgv1-'));
  t.after(() => rm(root, { recursive: true, force: true }));
  for (const h of HIERARCHIES) {
    await mkdir(join(root, h));
  }
  await writeFile(join(root, 'cpuset/cpuset.cpus'), '0-3\n');
  await writeFile(join(root, 'cpuset/cpuset.mems'), '0\n');
  const controllers = new Map<string, string>([
    ['cpu', join(root, 'cpu,cpuacct')],
    ['cpuacct', join(root, 'cpu,cpuacct')],
    ['cpuset', join(root, 'cpuset')],
    ['memory', join(root, 'memory')],
    ['pids', join(root, 'pids')],
    ['devices', join(root, 'devices')],
  ]);
  return { root, mounts: { version: 1, controllers, mountpoints: HIERARCHIES.map((h) => join(root, h)) } };
}

const read = (root: string, p: string): Promise<string> => readFile(join(root, p), 'utf8');
const exists = (p: string): Promise<boolean> =>
  stat(p).then(
    () => true,
    () => false,
  );

test('ensure writes shares, period, quota and memory limit into the controllers that own them', async (t) => {
  const { root, mounts } = await fakeMounts(t);
  const d = new CgroupV1Driver(mounts);
  await d.ensure('/podbay/kubepods/podu1', {
    cpuShares: 512,
    cpuQuota: 50_000,
    cpuPeriod: 100_000,
    memoryLimitInBytes: 1 << 26,
  });
  assert.equal(await read(root, 'cpu,cpuacct/podbay/kubepods/podu1/cpu.shares'), '512');
  assert.equal(await read(root, 'cpu,cpuacct/podbay/kubepods/podu1/cpu.cfs_period_us'), '100000');
  assert.equal(await read(root, 'cpu,cpuacct/podbay/kubepods/podu1/cpu.cfs_quota_us'), '50000');
  assert.equal(await read(root, 'memory/podbay/kubepods/podu1/memory.limit_in_bytes'), String(1 << 26));
  assert.ok(await exists(join(root, 'pids/podbay/kubepods/podu1')));
  assert.equal(await exists(join(root, 'devices/podbay')), false, 'only the controllers podbay sizes');
});

test('each new cpuset level inherits cpus and mems from its parent', async (t) => {
  const { root, mounts } = await fakeMounts(t);
  await new CgroupV1Driver(mounts).ensure('/a/b', {});
  for (const p of ['a', 'a/b']) {
    assert.equal(await read(root, `cpuset/${p}/cpuset.cpus`), '0-3');
    assert.equal(await read(root, `cpuset/${p}/cpuset.mems`), '0');
  }
});

test('a cpuset level that has its own cpus keeps them', async (t) => {
  const { root, mounts } = await fakeMounts(t);
  await mkdir(join(root, 'cpuset/a'));
  await writeFile(join(root, 'cpuset/a/cpuset.cpus'), '1\n');
  await new CgroupV1Driver(mounts).ensure('/a/b', {});
  assert.equal(await read(root, 'cpuset/a/cpuset.cpus'), '1\n');
  assert.equal(await read(root, 'cpuset/a/b/cpuset.cpus'), '1');
});

test('an unlimited quota and a zero memory limit are written as -1', async (t) => {
  const { root, mounts } = await fakeMounts(t);
  await new CgroupV1Driver(mounts).ensure('/g', { cpuQuota: -1, memoryLimitInBytes: 0 });
  assert.equal(await read(root, 'cpu,cpuacct/g/cpu.cfs_quota_us'), '-1');
  assert.equal(await read(root, 'memory/g/memory.limit_in_bytes'), '-1');
});

test('stats reads cpuacct.usage and usage_in_bytes minus total_inactive_file', async (t) => {
  const { root, mounts } = await fakeMounts(t);
  const d = new CgroupV1Driver(mounts);
  await d.ensure('/g', {});
  await writeFile(join(root, 'cpu,cpuacct/g/cpuacct.usage'), '123456789\n');
  await writeFile(join(root, 'memory/g/memory.usage_in_bytes'), '10485760\n');
  await writeFile(join(root, 'memory/g/memory.stat'), 'cache 0\ninactive_file 1\ntotal_inactive_file 4194304\n');
  assert.deepEqual(await d.stats('/g'), { cpuUsageCoreNanoSeconds: 123_456_789, memoryWorkingSetBytes: 6_291_456 });
});

test('oomKillCount reads oom_kill from memory.oom_control', async (t) => {
  const { root, mounts } = await fakeMounts(t);
  const d = new CgroupV1Driver(mounts);
  await d.ensure('/g', {});
  await writeFile(join(root, 'memory/g/memory.oom_control'), 'oom_kill_disable 0\nunder_oom 0\noom_kill 2\n');
  assert.equal(await d.oomKillCount('/g'), 2);
  assert.equal(await d.oomKillCount('/gone'), 0);
});

test('remove visits every hierarchy, including those runc alone created the path in', async (t) => {
  const { root, mounts } = await fakeMounts(t);
  await mkdir(join(root, 'devices/p/c1'), { recursive: true });
  await mkdir(join(root, 'systemd/p/c1'), { recursive: true });
  await mkdir(join(root, 'memory/p/c1'), { recursive: true });
  await new CgroupV1Driver(mounts).remove('/p');
  for (const h of ['devices', 'systemd', 'memory']) {
    assert.equal(await exists(join(root, h, 'p')), false, `${h}/p removed`);
  }
});

test('a machine without one of the needed controllers is refused up front', () => {
  assert.throws(
    () => new CgroupV1Driver({ version: 1, controllers: new Map([['cpu', '/x']]), mountpoints: ['/x'] }),
    /controller cpuacct is not mounted/,
  );
});
