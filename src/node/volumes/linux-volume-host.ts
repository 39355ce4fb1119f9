// The VolumeHost that really mounts, as root: util-linux mount(8)/umount(8),
// the same helpers kubelet's mount-utils runs (mount_linux.go#doMount). Node
// has no mount(2) binding, so this is the one place under src/node that
// spawns a process (STYLE.md keeps child_process in runtime/oci and images;
// the volume manager's mounts are the agent's own, as in kubelet).
import { execFile } from 'node:child_process';
import { resolve } from 'node:path';
import { mountPointsUnder, readMountPoints } from './mount-table.js';
import type { TmpfsOptions, VolumeHost } from './volume-host.js';

export interface LinuxVolumeHostOptions {
  /** mount(8); default `mount` from PATH. */
  mountBin?: string;
  /** umount(8); default `umount` from PATH. */
  umountBin?: string;
}

export class LinuxVolumeHost implements VolumeHost {
  readonly mountsForReal = true;
  private readonly mountBin: string;
  private readonly umountBin: string;

  constructor(opts: LinuxVolumeHostOptions = {}) {
    this.mountBin = opts.mountBin ?? 'mount';
    this.umountBin = opts.umountBin ?? 'umount';
  }

  async mountTmpfs(path: string, opts: TmpfsOptions): Promise<void> {
    const options: string[] = [];
    if (opts.sizeBytes !== undefined && opts.sizeBytes > 0) {
      // empty_dir.go#generateTmpfsMountOptions: size=<bytes>
      options.push(`size=${Math.floor(opts.sizeBytes)}`);
    }
    if (opts.mode !== undefined) {
      options.push(`mode=${(opts.mode & 0o7777).toString(8).padStart(4, '0')}`);
    }
    const args = ['-t', 'tmpfs'];
    if (options.length > 0) {
      args.push('-o', options.join(','));
    }
    await run(this.mountBin, [...args, 'tmpfs', path]);
  }

  async bindMount(source: string, target: string): Promise<void> {
    // --no-canonicalize: source is a /proc/<pid>/fd/<n> magic link that must
    // not be turned back into a (racy) path (subpath_linux.go#doBindSubPath).
    await run(this.mountBin, ['--no-canonicalize', '--bind', source, target]);
  }

  async unmount(path: string): Promise<void> {
    await run(this.umountBin, [path]);
  }

  async isMountPoint(path: string): Promise<boolean> {
    const want = resolve(path);
    return (await readMountPoints()).includes(want);
  }

  async mountPointsUnder(dir: string): Promise<string[]> {
    return mountPointsUnder(dir);
  }
}

function run(bin: string, args: string[]): Promise<void> {
  return new Promise((resolveRun, reject) => {
    execFile(bin, args, { encoding: 'utf8' }, (err, _stdout, stderr) => {
      if (err) {
        const detail = stderr.trim() || err.message;
        reject(new Error(`${bin} ${args.join(' ')} failed: ${detail}`));
        return;
      }
      resolveRun();
    });
  });
}
