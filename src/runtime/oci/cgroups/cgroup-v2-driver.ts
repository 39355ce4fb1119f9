// CgroupDriver for the unified cgroup v2 hierarchy with cgroupfs-style paths
// (no systemd): one directory per cgroup; a controller works in a cgroup only
// when every ancestor lists it in cgroup.subtree_control (kernel
// Documentation/admin-guide/cgroup-v2.rst, "Enabling and Disabling"). Values
// are runc's v1→v2 translations (libcontainer/cgroups/fs2: cpu.go, memory.go).
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { posix } from 'node:path';
import type { LinuxResources } from '../../runtime.js';
import type { CgroupDriver, CgroupStats } from '../ports.js';
import { CgroupBusyError } from './cgroup-busy-error.js';
import { cgroupDir, cgroupLineage, cgroupfsContainerPath } from './cgroup-path.js';
import { cpuSharesToWeight } from './cpu-weight.js';
import { isMissing, parseFlatKeyed, readFlatKeyedValue } from './flat-keyed.js';
import { removeCgroupTree } from './remove-cgroup-tree.js';

/** Controllers pod and container cgroups need below podbay's root (cpuset and io are runc's business). */
export const V2_CONTROLLERS = ['cpu', 'memory', 'pids'] as const;
const DEFAULT_PERIOD_US = 100_000;

async function readWords(file: string): Promise<string[]> {
  try {
    return (await readFile(file, 'utf8')).split(/\s+/).filter((w) => w !== '');
  } catch (err) {
    if (isMissing(err)) {
      return [];
    }
    throw err;
  }
}

export class CgroupV2Driver implements CgroupDriver {
  readonly version = 2 as const;
  /** The cgroup2 mountpoint (/sys/fs/cgroup), or a fake root in tests. */
  readonly mountpoint: string;

  constructor(mountpoint: string) {
    this.mountpoint = mountpoint;
  }

  /**
   * Delegates our controllers from `dir` to its children: writes
   * "+cpu +memory +pids" (those available and not yet enabled) to its
   * cgroup.subtree_control.
   */
  private async enableControllers(dir: string): Promise<void> {
    const available = new Set(await readWords(posix.join(dir, 'cgroup.controllers')));
    const enabled = new Set(await readWords(posix.join(dir, 'cgroup.subtree_control')));
    const wanted = V2_CONTROLLERS.filter((c) => available.has(c) && !enabled.has(c));
    if (wanted.length > 0) {
      await writeFile(posix.join(dir, 'cgroup.subtree_control'), wanted.map((c) => '+' + c).join(' '));
    }
  }

  async ensure(path: string, r: LinuxResources): Promise<void> {
    const target = cgroupDir(this.mountpoint, path);
    let parent = this.mountpoint;
    for (const p of cgroupLineage(path)) {
      await this.enableControllers(parent);
      const dir = cgroupDir(this.mountpoint, p);
      await mkdir(dir, { recursive: true });
      parent = dir;
    }
    // The pod cgroup's own children (runc's container cgroups) need the controllers too.
    await this.enableControllers(target);
    await this.apply(target, r);
  }

  private async apply(dir: string, r: LinuxResources): Promise<void> {
    if (r.cpuShares !== undefined && r.cpuShares > 0) {
      await writeFile(posix.join(dir, 'cpu.weight'), String(cpuSharesToWeight(r.cpuShares)));
    }
    // fs2/cpu.go: "max" unless a positive quota is given; the period only when given.
    if (r.cpuQuota !== undefined || (r.cpuPeriod !== undefined && r.cpuPeriod > 0)) {
      const quota = r.cpuQuota !== undefined && r.cpuQuota > 0 ? String(r.cpuQuota) : 'max';
      const period = r.cpuPeriod !== undefined && r.cpuPeriod > 0 ? r.cpuPeriod : DEFAULT_PERIOD_US;
      await writeFile(posix.join(dir, 'cpu.max'), `${quota} ${period}`);
    }
    if (r.memoryLimitInBytes !== undefined) {
      const limit = r.memoryLimitInBytes > 0 ? String(r.memoryLimitInBytes) : 'max';
      await writeFile(posix.join(dir, 'memory.max'), limit);
    }
  }

  async remove(path: string): Promise<void> {
    const busy = await removeCgroupTree(cgroupDir(this.mountpoint, path));
    if (busy.length > 0) {
      throw new CgroupBusyError(busy);
    }
  }

  async stats(path: string): Promise<CgroupStats> {
    const dir = cgroupDir(this.mountpoint, path);
    const cpu = parseFlatKeyed(await readFile(posix.join(dir, 'cpu.stat'), 'utf8'));
    const usage = Number((await readFile(posix.join(dir, 'memory.current'), 'utf8')).trim());
    const stat = parseFlatKeyed(await readFile(posix.join(dir, 'memory.stat'), 'utf8'));
    // cAdvisor: working set = memory.current − inactive_file, floored at 0.
    const inactive = stat.get('inactive_file') ?? 0;
    return {
      cpuUsageCoreNanoSeconds: (cpu.get('usage_usec') ?? 0) * 1000,
      memoryWorkingSetBytes: Math.max(usage - inactive, 0),
    };
  }

  async oomKillCount(path: string): Promise<number> {
    return readFlatKeyedValue(posix.join(cgroupDir(this.mountpoint, path), 'memory.events'), 'oom_kill');
  }

  runcCgroupsPath(parent: string, containerId: string): string {
    return cgroupfsContainerPath(parent, containerId);
  }
}
