// How an unpacked layer records deletions for overlayfs, the form the oci runtime
// mounts: a whiteout is a character device 0/0 with the deleted name, an opaque
// directory carries the xattr trusted.overlay.opaque="y" (kernel
// Documentation/filesystems/overlayfs.rst "whiteouts and opaque directories").
// containerd's overlay snapshotter applies layers with the same conversion
// (pkg/archive/tar.go with overlay.ConvertWhiteout; containers/storage's
// pkg/archive OverlayWhiteoutFormat). Node has no mknod or setxattr, so the coreutils
// `mknod` and attr's `setfattr` do it; whiteouts are rare enough per layer that a
// process each costs nothing that matters.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);

export const OVERLAY_OPAQUE_XATTR = 'trusted.overlay.opaque';

/** Writes the filesystem marks of whiteouts, opaque dirs, device nodes and xattrs. */
export interface FsMarks {
  /** A char device 0/0 at `path` (which must not exist). */
  whiteout(path: string): Promise<void>;
  /** trusted.overlay.opaque=y on the directory `dir`. */
  opaque(dir: string): Promise<void>;
  /** A device node or fifo from a tar entry. */
  mknod(path: string, kind: 'char' | 'block' | 'fifo', major: number, minor: number): Promise<void>;
  setXattr(path: string, name: string, value: Buffer): Promise<void>;
}

async function tool(cmd: string, args: string[]): Promise<void> {
  try {
    await run(cmd, args);
  } catch (e) {
    const err = e as { stderr?: string; code?: string; message: string };
    if (err.code === 'ENOENT') {
      throw new Error(`${cmd} not found: install ${cmd === 'setfattr' ? 'attr' : 'coreutils'} (make deps)`);
    }
    throw new Error(`${cmd} ${args.join(' ')}: ${(err.stderr ?? err.message).trim()}`);
  }
}

/** The real marks, for overlayfs (needs root: CAP_MKNOD and CAP_SYS_ADMIN for trusted.*). */
export const overlayFsMarks: FsMarks = {
  whiteout: (path) => tool('mknod', ['-m', '000', path, 'c', '0', '0']),
  opaque: (dir) => tool('setfattr', ['-n', OVERLAY_OPAQUE_XATTR, '-v', 'y', dir]),
  mknod: (path, kind, major, minor) =>
    tool('mknod', kind === 'fifo' ? [path, 'p'] : [path, kind === 'char' ? 'c' : 'b', String(major), String(minor)]),
  setXattr: (path, name, value) => tool('setfattr', ['-h', '-n', name, '-v', `0x${value.toString('hex')}`, path]),
};

/** Reads one xattr (for tests and checks); undefined when the file has none by that name. */
export async function getXattr(path: string, name: string): Promise<string | undefined> {
  try {
    const { stdout } = await run('getfattr', ['--only-values', '-h', '-n', name, path]);
    return stdout;
  } catch {
    return undefined;
  }
}
