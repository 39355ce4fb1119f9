// The VolumeHost for an agent that may not mount (the sim runtime, run as a
// normal user): nothing is mounted. Memory-backed volumes (emptyDir medium
// Memory, secret, downwardAPI, projected) stay plain directories on the data
// dir's filesystem, so their content is on disk, not in RAM, and a tmpfs size
// is not enforced; a subPath is passed to the runtime as its resolved path
// instead of a bind mount of a safely opened file descriptor. Both are fine
// for the sim runtime, which never mounts anything into a process; a real
// runtime must be paired with LinuxVolumeHost.
import { mountPointsUnder } from './mount-table.js';
import type { TmpfsOptions, VolumeHost } from './volume-host.js';

export class PlainDirVolumeHost implements VolumeHost {
  readonly mountsForReal = false;

  async mountTmpfs(_path: string, _opts: TmpfsOptions): Promise<void> {}

  async bindMount(_source: string, _target: string): Promise<void> {}

  async unmount(_path: string): Promise<void> {}

  async isMountPoint(_path: string): Promise<boolean> {
    return false;
  }

  /** What is mounted there all the same (left by an earlier run as root): teardown must not delete through it. */
  async mountPointsUnder(dir: string): Promise<string[]> {
    return mountPointsUnder(dir);
  }
}
