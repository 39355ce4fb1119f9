// CgroupV1Driver on this machine's real v1 hierarchies (root). Everything lives
// below a test-prefixed parent (/podbay-test-<rand>) that is removed even when
// an assertion fails; processes the test starts are killed before that.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdir, readFile, stat } from 'node:fs/promises';
import { after, before, test } from 'node:test';
import { CgroupBusyError } from '../../src/runtime/oci/cgroups/cgroup-busy-error.js';
import { readCgroupMounts } from '../../src/runtime/oci/cgroups/cgroup-mounts.js';
import type { CgroupMounts } from '../../src/runtime/oci/cgroups/cgroup-mounts.js';
import { CgroupV1Driver } from '../../src/runtime/oci/cgroups/cgroup-v1-driver.js';
import { podCgroupConfig } from '../../src/node/cm/pod-cgroup-config.js';
import { syncQosCgroups } from '../../src/node/cm/qos-cgroups.js';
import type { Pod } from '../../src/api/types/index.js';
import { waitFor } from '../helpers/wait-for.js';

const PREFIX = `/podbay-test-${randomBytes(4).toString('hex')}`;
const POD = `${PREFIX}/kubepods/burstable/podu1`;
const Mi = 1024 * 1024;
/** The cgroups processes are started in, emptied before the final remove. */
const USED = [`${PREFIX}/stats`, `${PREFIX}/busy`, `${PREFIX}/oom`];

let mounts: CgroupMounts;
let driver: CgroupV1Driver;
const children: ChildProcess[] = [];

function dir(controller: string, path: string): string {
  const mp = mounts.controllers.get(controller);
  assert.ok(mp, `${controller} is mounted`);
  return mp + path;
}

async function exists(p: string): Promise<boolean> {
  return stat(p).then(
    () => true,
    () => false,
  );
}

/** SIGKILLs every process in the memory cgroup `path` (each runIn joins memory) and waits until it is empty. */
async function killAllIn(path: string): Promise<void> {
  const procs = async (): Promise<number[]> =>
    (await readFile(`${dir('memory', path)}/cgroup.procs`, 'utf8').catch(() => ''))
      .split('\n')
      .filter((l) => l !== '')
      .map(Number);
  for (const pid of await procs()) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
  await waitFor(async () => (await procs()).length === 0, { what: `no process left in ${path}` });
}

/** Runs `script` under busybox sh after the shell moved itself into `path` in the given controllers. */
function runIn(path: string, controllers: string[], script: string): ChildProcess {
  const join = controllers.map((c) => `echo $$ > ${dir(c, path)}/cgroup.procs`).join(' && ');
  const child = spawn('busybox', ['sh', '-c', `${join} && ${script}`], { stdio: 'ignore' });
  children.push(child);
  return child;
}

function exited(child: ChildProcess): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
  if (child.exitCode !== null || child.signalCode !== null) {
    return Promise.resolve({ code: child.exitCode, signal: child.signalCode });
  }
  return new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
}

before(async () => {
  assert.equal(process.getuid?.(), 0, 'the cgroup tests need root (run make test-unit without root)');
  mounts = await readCgroupMounts();
  assert.equal(mounts.version, 1, 'this machine has cgroup v1 hierarchies (MACHINE-NOTES.md)');
  driver = new CgroupV1Driver(mounts);
});

after(async () => {
  for (const c of children) {
    if (c.exitCode === null && c.signalCode === null) {
      c.kill('SIGKILL');
      await exited(c);
    }
  }
  for (const p of USED) {
    await killAllIn(p);
  }
  await driver.remove(PREFIX);
});

test('ensure creates the pod cgroup in cpu, cpuacct, cpuset, memory and pids and writes its values', async () => {
  await driver.ensure(POD, { cpuShares: 512, cpuQuota: 50_000, cpuPeriod: 100_000, memoryLimitInBytes: 64 * Mi });
  for (const c of ['cpu', 'cpuacct', 'cpuset', 'memory', 'pids']) {
    assert.ok(await exists(dir(c, POD)), `${c} cgroup exists`);
  }
  const read = async (c: string, f: string): Promise<string> => (await readFile(`${dir(c, POD)}/${f}`, 'utf8')).trim();
  assert.equal(await read('cpu', 'cpu.shares'), '512');
  assert.equal(await read('cpu', 'cpu.cfs_period_us'), '100000');
  assert.equal(await read('cpu', 'cpu.cfs_quota_us'), '50000');
  assert.equal(await read('memory', 'memory.limit_in_bytes'), String(64 * Mi));
  const rootCpus = (await readFile(`${mounts.controllers.get('cpuset') ?? ''}/cpuset.cpus`, 'utf8')).trim();
  assert.equal(await read('cpuset', 'cpuset.cpus'), rootCpus);
  assert.notEqual(await read('cpuset', 'cpuset.mems'), '');
});

test('ensure again changes only the values it is given, and -1 lifts quota and memory limit', async () => {
  await driver.ensure(POD, { cpuShares: 1024 });
  const read = async (c: string, f: string): Promise<string> => (await readFile(`${dir(c, POD)}/${f}`, 'utf8')).trim();
  assert.equal(await read('cpu', 'cpu.shares'), '1024');
  assert.equal(await read('cpu', 'cpu.cfs_quota_us'), '50000');
  await driver.ensure(POD, { cpuQuota: -1, memoryLimitInBytes: 0 });
  assert.equal(await read('cpu', 'cpu.cfs_quota_us'), '-1');
  assert.equal(BigInt(await read('memory', 'memory.limit_in_bytes')) > BigInt(2 ** 60), true);
});

test('stats reports the cpu time and working set of the processes in the cgroup', async () => {
  const path = `${PREFIX}/stats`;
  await driver.ensure(path, {});
  // ~0.2 s of shell arithmetic, then a 16 MiB buffer held while the test reads.
  const child = runIn(
    path,
    ['cpuacct', 'memory'],
    'i=0; while [ $i -lt 20000 ]; do i=$((i+1)); done; exec busybox dd if=/dev/zero bs=16M count=1 | busybox sleep 30',
  );
  const s = await waitFor(
    async () => {
      const s = await driver.stats(path);
      return s.cpuUsageCoreNanoSeconds > 10_000_000 && s.memoryWorkingSetBytes > 0 ? s : undefined;
    },
    { timeoutMs: 20_000, what: 'cpu and memory usage in the cgroup' },
  );
  assert.ok(s.memoryWorkingSetBytes > 0);
  await killAllIn(path);
  await exited(child);
});

test('remove reports a cgroup that still holds a process, and succeeds once it is gone', async () => {
  const path = `${PREFIX}/busy`;
  await driver.ensure(path, {});
  const child = runIn(path, ['memory'], 'exec busybox sleep 30');
  await waitFor(async () => (await readFile(`${dir('memory', path)}/cgroup.procs`, 'utf8')).trim() !== '', {
    what: 'the sleeper to join the cgroup',
  });
  await assert.rejects(driver.remove(path), (err: unknown) => {
    assert.ok(err instanceof CgroupBusyError);
    assert.deepEqual(err.busy, [dir('memory', path)]);
    return true;
  });
  child.kill('SIGKILL');
  await exited(child);
  await driver.remove(path);
  assert.equal(await exists(dir('memory', path)), false);
});

test('the OOM killer kill in a cgroup is counted', async () => {
  const path = `${PREFIX}/oom`;
  await driver.ensure(path, { memoryLimitInBytes: 8 * Mi });
  assert.equal(await driver.oomKillCount(path), 0);
  // dd allocates its 64 MiB block at once: over the 8 MiB limit, with no swap.
  const child = runIn(path, ['memory'], 'exec busybox dd if=/dev/zero of=/dev/null bs=64M count=1');
  const { signal } = await exited(child);
  assert.equal(signal, 'SIGKILL');
  assert.equal(await driver.oomKillCount(path), 1);
  await driver.remove(path);
  assert.equal(await driver.oomKillCount(path), 0, 'a removed cgroup counts 0');
});

test('remove also deletes what runc made in the other hierarchies, children first', async () => {
  const path = `${PREFIX}/runc`;
  await driver.ensure(path, {});
  const ctr = driver.runcCgroupsPath(path, 'ctr1');
  const devices = mounts.controllers.get('devices');
  assert.ok(devices);
  await mkdir(devices + ctr, { recursive: true });
  await mkdir(dir('memory', ctr));
  await driver.remove(path);
  assert.equal(await exists(devices + path), false);
  assert.equal(await exists(dir('memory', path)), false);
  await driver.remove(path);
});

test('the agent rules on this driver: QoS cgroups, then a Burstable pod cgroup below them', async () => {
  const root = `${PREFIX}/agent`;
  const pod: Pod = {
    metadata: { name: 'web', namespace: 'default', uid: 'uid-web' },
    spec: { containers: [{ name: 'app', resources: { requests: { cpu: '250m' }, limits: { cpu: '500m' } } }] },
  };
  await syncQosCgroups(driver, [pod], { cpuMilli: 2000, memoryBytes: 1024 * Mi }, root);
  const config = podCgroupConfig(pod, { cgroupRoot: root });
  assert.equal(config.cgroupParent, `${root}/kubepods/burstable/poduid-web`);
  await driver.ensure(config.cgroupParent, config.resources);
  const read = async (c: string, p: string, f: string): Promise<string> =>
    (await readFile(`${dir(c, p)}/${f}`, 'utf8')).trim();
  assert.equal(await read('cpu', `${root}/kubepods`, 'cpu.shares'), '2048');
  assert.equal(await read('memory', `${root}/kubepods`, 'memory.limit_in_bytes'), String(1024 * Mi));
  assert.equal(await read('cpu', `${root}/kubepods/burstable`, 'cpu.shares'), '256');
  assert.equal(await read('cpu', `${root}/kubepods/besteffort`, 'cpu.shares'), '2');
  assert.equal(await read('cpu', config.cgroupParent, 'cpu.shares'), '256');
  assert.equal(await read('cpu', config.cgroupParent, 'cpu.cfs_quota_us'), '50000');
  await driver.remove(root);
  assert.equal(await exists(dir('cpu', root)), false);
});
