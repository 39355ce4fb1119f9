// Which cgroup hierarchies this machine has, read from /proc/self/mountinfo
// (proc(5)): the way runc's libcontainer/cgroups (GetCgroupMounts) and the
// kubelet's cm.GetCgroupSubsystems find them.
//
// v1 ("legacy", or "hybrid" with an extra cgroup2 at /sys/fs/cgroup/unified):
// one mount per controller set, e.g. /sys/fs/cgroup/cpu or a co-mounted
// /sys/fs/cgroup/cpu,cpuacct. v2 ("unified"): one cgroup2 mount holding every
// controller. A machine with any v1 controller hierarchy is driven as v1, as
// runc does in hybrid mode.
import { readFile } from 'node:fs/promises';

export interface CgroupMounts {
  version: 1 | 2;
  /** v1: controller name ("cpu", "memory", …) → the mountpoint of its hierarchy. Empty on v2. */
  controllers: Map<string, string>;
  /**
   * Every cgroup mountpoint (each v1 hierarchy, named ones such as
   * name=systemd, and a hybrid cgroup2). runc creates a container's cgroup
   * path in each of them, so removal walks them all.
   */
  mountpoints: string[];
  /** v2: the cgroup2 mountpoint. */
  unified?: string;
}

/** mountinfo escapes space, tab, newline and backslash as \ooo. */
function unescape(field: string): string {
  return field.replace(/\\([0-7]{3})/g, (_, oct: string) => String.fromCharCode(parseInt(oct, 8)));
}

/** Parses mountinfo text; throws when no cgroup filesystem is mounted. */
export function parseCgroupMounts(mountinfo: string): CgroupMounts {
  const controllers = new Map<string, string>();
  const mountpoints: string[] = [];
  let unified: string | undefined;
  for (const line of mountinfo.split('\n')) {
    const sep = line.indexOf(' - ');
    if (sep < 0) {
      continue;
    }
    const pre = line.slice(0, sep).split(' ');
    const post = line.slice(sep + 3).split(' ');
    const mountpoint = pre[4];
    const fstype = post[0];
    if (mountpoint === undefined || (fstype !== 'cgroup' && fstype !== 'cgroup2')) {
      continue;
    }
    const mp = unescape(mountpoint);
    if (mountpoints.includes(mp)) {
      continue;
    }
    if (fstype === 'cgroup2') {
      unified ??= mp;
      mountpoints.push(mp);
      continue;
    }
    let added = false;
    for (const opt of (post[2] ?? '').split(',')) {
      // Super options mix controllers with flags (rw, nsdelegate, name=…, release_agent=…).
      if (opt === 'rw' || opt === 'ro' || opt.includes('=') || opt === 'clone_children' || opt === 'noprefix') {
        continue;
      }
      if (!controllers.has(opt)) {
        controllers.set(opt, mp);
        added = true;
      }
    }
    // A hierarchy seen again through a bind mount adds no controller; keep the first mountpoint.
    if (added || (post[2] ?? '').includes('name=')) {
      mountpoints.push(mp);
    }
  }
  if (controllers.size > 0) {
    return { version: 1, controllers, mountpoints };
  }
  if (unified !== undefined) {
    return { version: 2, controllers, mountpoints: [unified], unified };
  }
  throw new Error('no cgroup filesystem is mounted (checked /proc/self/mountinfo)');
}

export async function readCgroupMounts(mountinfoPath = '/proc/self/mountinfo'): Promise<CgroupMounts> {
  return parseCgroupMounts(await readFile(mountinfoPath, 'utf8'));
}
