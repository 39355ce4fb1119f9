// CgroupV2Driver against a fake cgroup2 root in a temp dir (this machine is v1):
// the directories and the interface files the kernel would show are made by
// hand, and the test reads what the driver wrote.
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { CgroupBusyError } from './cgroup-busy-error.js';
import { CgroupV2Driver } from './cgroup-v2-driver.js';

async function fakeRoot(t: { after: (fn: () => Promise<void>) => void }): Promise<string> {
  const root = await mkdtemp(join(tmpdir(), 'podbay-cgv2-'));
  t.after(() => rm(root, { recursive: true, force: true }));
  await writeFile(join(root, 'cgroup.controllers'), 'cpuset cpu io memory hugetlb pids rdma misc\n');
  await writeFile(join(root, 'cgroup.subtree_control'), 'cpu io memory pids\n');
  return root;
}

const read = (root: string, p: string): Promise<string> => readFile(join(root, p), 'utf8');

test('ensure creates the cgroup and writes cpu.weight, cpu.max and memory.max as runc translates them', async (t) => {
  const root = await fakeRoot(t);
  const d = new CgroupV2Driver(root);
  await d.ensure('/podbay/kubepods/podu1', {
    cpuShares: 1024,
    cpuQuota: 50_000,
    cpuPeriod: 100_000,
    memoryLimitInBytes: 134_217_728,
  });
  assert.equal(await read(root, 'podbay/kubepods/podu1/cpu.weight'), '39');
  assert.equal(await read(root, 'podbay/kubepods/podu1/cpu.max'), '50000 100000');
  assert.equal(await read(root, 'podbay/kubepods/podu1/memory.max'), '134217728');
});

test('ensure enables the missing controllers in each ancestor that offers them', async (t) => {
  const root = await fakeRoot(t);
  await mkdir(join(root, 'podbay'));
  await writeFile(join(root, 'podbay/cgroup.controllers'), 'cpu io memory pids\n');
  await writeFile(join(root, 'podbay/cgroup.subtree_control'), 'cpu\n');
  const d = new CgroupV2Driver(root);
  await d.ensure('/podbay/kubepods', { cpuShares: 2 });
  assert.equal(await read(root, 'cgroup.subtree_control'), 'cpu io memory pids\n', 'the root already delegates them');
  assert.equal(await read(root, 'podbay/cgroup.subtree_control'), '+memory +pids');
  assert.equal(await read(root, 'podbay/kubepods/cpu.weight'), '1');
});

test('an unlimited quota is "max" with the period, and a zero memory limit is "max"', async (t) => {
  const root = await fakeRoot(t);
  const d = new CgroupV2Driver(root);
  await d.ensure('/g', { cpuQuota: -1, cpuPeriod: 50_000, memoryLimitInBytes: 0 });
  assert.equal(await read(root, 'g/cpu.max'), 'max 50000');
  assert.equal(await read(root, 'g/memory.max'), 'max');
});

test('unset values leave the files untouched', async (t) => {
  const root = await fakeRoot(t);
  const d = new CgroupV2Driver(root);
  await d.ensure('/g', { cpuShares: 2 });
  await assert.rejects(read(root, 'g/cpu.max'), { code: 'ENOENT' });
  await assert.rejects(read(root, 'g/memory.max'), { code: 'ENOENT' });
});

test('stats reads cpu.stat usage_usec and memory.current minus inactive_file', async (t) => {
  const root = await fakeRoot(t);
  await mkdir(join(root, 'g'));
  await writeFile(join(root, 'g/cpu.stat'), 'usage_usec 1500\nuser_usec 1000\nsystem_usec 500\n');
  await writeFile(join(root, 'g/memory.current'), '10485760\n');
  await writeFile(join(root, 'g/memory.stat'), 'anon 6291456\nfile 4194304\nactive_file 0\ninactive_file 4194304\n');
  const d = new CgroupV2Driver(root);
  assert.deepEqual(await d.stats('/g'), { cpuUsageCoreNanoSeconds: 1_500_000, memoryWorkingSetBytes: 6_291_456 });
});

test('the working set never goes below zero', async (t) => {
  const root = await fakeRoot(t);
  await mkdir(join(root, 'g'));
  await writeFile(join(root, 'g/cpu.stat'), 'usage_usec 0\n');
  await writeFile(join(root, 'g/memory.current'), '100\n');
  await writeFile(join(root, 'g/memory.stat'), 'inactive_file 4096\n');
  assert.equal((await new CgroupV2Driver(root).stats('/g')).memoryWorkingSetBytes, 0);
});

test('oomKillCount reads oom_kill from memory.events, and 0 once the cgroup is gone', async (t) => {
  const root = await fakeRoot(t);
  await mkdir(join(root, 'g'));
  await writeFile(join(root, 'g/memory.events'), 'low 0\nhigh 0\nmax 3\noom 2\noom_kill 1\noom_group_kill 0\n');
  const d = new CgroupV2Driver(root);
  assert.equal(await d.oomKillCount('/g'), 1);
  assert.equal(await d.oomKillCount('/gone'), 0);
});

test('remove deletes child cgroups first and is idempotent', async (t) => {
  const root = await fakeRoot(t);
  await mkdir(join(root, 'podbay/kubepods/podu1/ctr1'), { recursive: true });
  await mkdir(join(root, 'podbay/kubepods/podu1/ctr2'), { recursive: true });
  const d = new CgroupV2Driver(root);
  await d.remove('/podbay/kubepods/podu1');
  await assert.rejects(read(root, 'podbay/kubepods/podu1'), { code: 'ENOENT' });
  await d.remove('/podbay/kubepods/podu1');
  await d.remove('/podbay');
});

test('remove reports the cgroups it could not remove', async (t) => {
  const root = await fakeRoot(t);
  await mkdir(join(root, 'p/busy'), { recursive: true });
  await mkdir(join(root, 'p/free'), { recursive: true });
  // On a fake root a stray regular file stands in for a cgroup the kernel refuses to rmdir.
  await writeFile(join(root, 'p/busy/cgroup.procs'), '42\n');
  const d = new CgroupV2Driver(root);
  await assert.rejects(d.remove('/p'), (err: unknown) => {
    assert.ok(err instanceof CgroupBusyError);
    assert.deepEqual(err.busy, [join(root, 'p/busy'), join(root, 'p')]);
    return true;
  });
  await assert.rejects(read(root, 'p/free'), { code: 'ENOENT' });
});

test('the runc cgroupsPath of a container is below the pod cgroup', () => {
  assert.equal(new CgroupV2Driver('/x').runcCgroupsPath('/podbay/kubepods/podu1', 'c1'), '/podbay/kubepods/podu1/c1');
});
