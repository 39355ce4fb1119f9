// CgroupDriver for cgroup v1 with cgroupfs-style paths (no systemd): the
// kubelet's cgroupManagerImpl with the cgroupfs driver (pkg/kubelet/cm/
// cgroup_manager_linux.go) writing through runc's libcontainer/cgroups/fs
// files. One directory per controller hierarchy, e.g. for
// "/podbay/kubepods/pod<uid>": /sys/fs/cgroup/cpu/podbay/kubepods/pod<uid>,
// /sys/fs/cgroup/memory/podbay/kubepods/pod<uid>, …
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { posix } from 'node:path';
import type { LinuxResources } from '../../runtime.js';
import type { CgroupDriver, CgroupStats } from '../ports.js';
import { CgroupBusyError } from './cgroup-busy-error.js';
import type { CgroupMounts } from './cgroup-mounts.js';
import { cgroupDir, cgroupLineage, cgroupfsContainerPath } from './cgroup-path.js';
import { isMissing, parseFlatKeyed, readFlatKeyedValue } from './flat-keyed.js';
import { removeCgroupTree } from './remove-cgroup-tree.js';

/** The controllers a pod cgroup is created in (the kubelet's cgroup manager, v1). */
export const V1_CONTROLLERS = ['cpu', 'cpuacct', 'cpuset', 'memory', 'pids'] as const;
/** A v1 "unlimited" for cpu.cfs_quota_us and memory.limit_in_bytes. */
const UNLIMITED = '-1';

/** A cgroup file's trimmed content; '' when absent (the kernel always has it; a fake root may not). */
async function readOrEmpty(file: string): Promise<string> {
  try {
    return (await readFile(file, 'utf8')).trim();
  } catch (err) {
    if (isMissing(err)) {
      return '';
    }
    throw err;
  }
}

export class CgroupV1Driver implements CgroupDriver {
  readonly version = 1 as const;
  private readonly mounts: CgroupMounts;

  constructor(mounts: CgroupMounts) {
    if (mounts.version !== 1) {
      throw new Error('CgroupV1Driver needs cgroup v1 hierarchies');
    }
    for (const c of V1_CONTROLLERS) {
      if (!mounts.controllers.has(c)) {
        throw new Error(`cgroup v1 controller ${c} is not mounted`);
      }
    }
    this.mounts = mounts;
  }

  private dir(controller: (typeof V1_CONTROLLERS)[number], path: string): string {
    const mp = this.mounts.controllers.get(controller);
    if (mp === undefined) {
      throw new Error(`cgroup v1 controller ${controller} is not mounted`);
    }
    return cgroupDir(mp, path);
  }

  async ensure(path: string, r: LinuxResources): Promise<void> {
    // Co-mounted controllers (cpu,cpuacct) share a directory; create each once.
    const made = new Set<string>();
    for (const c of V1_CONTROLLERS) {
      const dir = this.dir(c, path);
      if (made.has(dir)) {
        continue;
      }
      made.add(dir);
      if (c === 'cpuset') {
        await this.ensureCpuset(path);
      } else {
        await mkdir(dir, { recursive: true });
      }
    }
    await this.apply(path, r);
  }

  /**
   * A new cpuset cgroup starts with empty cpuset.cpus and cpuset.mems and
   * refuses tasks until both are set, so each level copies its parent's
   * (runc libcontainer/cgroups/fs/cpuset.go#ensureParent / copyIfNeeded).
   */
  private async ensureCpuset(path: string): Promise<void> {
    const mp = this.mounts.controllers.get('cpuset') ?? '';
    let parent = mp;
    for (const p of cgroupLineage(path)) {
      const dir = cgroupDir(mp, p);
      await mkdir(dir, { recursive: true });
      for (const file of ['cpuset.cpus', 'cpuset.mems']) {
        if ((await readOrEmpty(posix.join(dir, file))) === '') {
          await writeFile(posix.join(dir, file), await readOrEmpty(posix.join(parent, file)));
        }
      }
      parent = dir;
    }
  }

  private async apply(path: string, r: LinuxResources): Promise<void> {
    const cpu = this.dir('cpu', path);
    if (r.cpuShares !== undefined && r.cpuShares > 0) {
      await writeFile(posix.join(cpu, 'cpu.shares'), String(r.cpuShares));
    }
    if (r.cpuQuota !== undefined || (r.cpuPeriod !== undefined && r.cpuPeriod > 0)) {
      const quota = r.cpuQuota !== undefined && r.cpuQuota > 0 ? String(r.cpuQuota) : UNLIMITED;
      const setPeriod = async (): Promise<void> => {
        if (r.cpuPeriod !== undefined && r.cpuPeriod > 0) {
          await writeFile(posix.join(cpu, 'cpu.cfs_period_us'), String(r.cpuPeriod));
        }
      };
      const setQuota = async (): Promise<void> => {
        if (r.cpuQuota !== undefined) {
          await writeFile(posix.join(cpu, 'cpu.cfs_quota_us'), quota);
        }
      };
      // The kernel checks quota against period as each is written: a shorter
      // period under an old larger quota can be refused (EINVAL) until the new
      // quota is in, so on failure the other order is tried (runc cpu.go does likewise).
      try {
        await setPeriod();
        await setQuota();
      } catch {
        await setQuota();
        await setPeriod();
      }
    }
    if (r.memoryLimitInBytes !== undefined) {
      const limit = r.memoryLimitInBytes > 0 ? String(r.memoryLimitInBytes) : UNLIMITED;
      await writeFile(posix.join(this.dir('memory', path), 'memory.limit_in_bytes'), limit);
    }
  }

  async remove(path: string): Promise<void> {
    // Every hierarchy, not just ours: runc creates the container's cgroup (and
    // so the pod's, as its parent) in devices, freezer, blkio, … as well.
    const busy: string[] = [];
    for (const mp of this.mounts.mountpoints) {
      busy.push(...(await removeCgroupTree(cgroupDir(mp, path))));
    }
    if (busy.length > 0) {
      throw new CgroupBusyError(busy);
    }
  }

  async stats(path: string): Promise<CgroupStats> {
    const usageNs = Number((await readFile(posix.join(this.dir('cpuacct', path), 'cpuacct.usage'), 'utf8')).trim());
    const mem = this.dir('memory', path);
    const usage = Number((await readFile(posix.join(mem, 'memory.usage_in_bytes'), 'utf8')).trim());
    const stat = parseFlatKeyed(await readFile(posix.join(mem, 'memory.stat'), 'utf8'));
    // cAdvisor (container/libcontainer/handler.go#setMemoryStats): working set =
    // usage − total_inactive_file, floored at 0.
    const inactive = stat.get('total_inactive_file') ?? 0;
    return { cpuUsageCoreNanoSeconds: usageNs, memoryWorkingSetBytes: Math.max(usage - inactive, 0) };
  }

  async oomKillCount(path: string): Promise<number> {
    // oom_kill exists since Linux 4.13.
    return readFlatKeyedValue(posix.join(this.dir('memory', path), 'memory.oom_control'), 'oom_kill');
  }

  runcCgroupsPath(parent: string, containerId: string): string {
    return cgroupfsContainerPath(parent, containerId);
  }
}
