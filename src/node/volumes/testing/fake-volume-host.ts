// FakeVolumeHost: a recording VolumeHost for volume-manager tests that want
// to see which mounts would be made (tmpfs sizes, subPath binds) without
// root. It pretends to mount (mountsForReal: true), so the manager takes the
// mounting paths; nothing is mounted, the target directories stay plain.
import { resolve } from 'node:path';
import type { TmpfsOptions, VolumeHost } from '../volume-host.js';

export type FakeMountCall =
  | { op: 'tmpfs'; path: string; sizeBytes: number | undefined; mode: number | undefined }
  | { op: 'bind'; source: string; target: string }
  | { op: 'unmount'; path: string };

export class FakeVolumeHost implements VolumeHost {
  readonly mountsForReal = true;
  readonly calls: FakeMountCall[] = [];
  /** Mounted paths, in mount order. */
  readonly mounted: string[] = [];
  /** Make the next mountTmpfs reject with this error. */
  failNextTmpfs: Error | undefined;

  async mountTmpfs(path: string, opts: TmpfsOptions): Promise<void> {
    if (this.failNextTmpfs) {
      const e = this.failNextTmpfs;
      this.failNextTmpfs = undefined;
      throw e;
    }
    this.calls.push({ op: 'tmpfs', path: resolve(path), sizeBytes: opts.sizeBytes, mode: opts.mode });
    this.mounted.push(resolve(path));
  }

  async bindMount(source: string, target: string): Promise<void> {
    this.calls.push({ op: 'bind', source, target: resolve(target) });
    this.mounted.push(resolve(target));
  }

  async unmount(path: string): Promise<void> {
    const p = resolve(path);
    const i = this.mounted.lastIndexOf(p);
    if (i < 0) {
      throw new Error(`umount: ${p}: not mounted.`);
    }
    this.mounted.splice(i, 1);
    this.calls.push({ op: 'unmount', path: p });
  }

  async isMountPoint(path: string): Promise<boolean> {
    return this.mounted.includes(resolve(path));
  }

  async mountPointsUnder(dir: string): Promise<string[]> {
    const base = resolve(dir) + '/';
    return this.mounted
      .filter((m) => m.startsWith(base))
      .reverse()
      .sort((a, b) => b.split('/').length - a.split('/').length);
  }

  /** The tmpfs calls only. */
  tmpfsMounts(): { path: string; sizeBytes: number | undefined }[] {
    return this.calls.flatMap((c) => (c.op === 'tmpfs' ? [{ path: c.path, sizeBytes: c.sizeBytes }] : []));
  }
}
