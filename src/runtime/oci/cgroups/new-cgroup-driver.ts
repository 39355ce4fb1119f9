// Picks the CgroupDriver for this machine from its mounts (main.ts calls this once).
import type { CgroupDriver } from '../ports.js';
import { readCgroupMounts } from './cgroup-mounts.js';
import { CgroupV1Driver } from './cgroup-v1-driver.js';
import { CgroupV2Driver } from './cgroup-v2-driver.js';

export async function newCgroupDriver(mountinfoPath?: string): Promise<CgroupDriver> {
  const mounts = await readCgroupMounts(mountinfoPath);
  return mounts.version === 1 ? new CgroupV1Driver(mounts) : new CgroupV2Driver(mounts.unified ?? '/sys/fs/cgroup');
}
