// Deleting a pod's volume directories without ever deleting anything else.
// Symlinks are unlinked, never followed (a configMap's `key -> ..data/key` or
// a user's link to /etc). A directory on another filesystem is a mount point
// that is still mounted (a tmpfs, a subPath bind of a hostPath): the removal
// stops there with an error instead of emptying whatever is mounted, which
// could be the host's own files. The caller unmounts first; this is the
// second line of defence (kubelet: mount.CleanupMountPoint + RemoveAll after
// unmount, and `removeAllOneFilesystem` in pkg/kubelet/kubelet_getters.go's
// orphaned pod cleanup).
import { lstat, readdir, rmdir, unlink } from 'node:fs/promises';
import { posix } from 'node:path';
import { errnoCode } from './go-error-text.js';

export class MountedUnderError extends Error {}

/** Removes `path` and everything under it on its own filesystem; absent is fine. */
export async function removeAllOneFilesystem(path: string): Promise<void> {
  let root;
  try {
    root = await lstat(path, { bigint: true });
  } catch (e) {
    if (errnoCode(e) === 'ENOENT') {
      return;
    }
    throw e;
  }
  if (!root.isDirectory()) {
    await unlink(path);
    return;
  }
  const dev = root.dev;
  const remove = async (dir: string): Promise<void> => {
    for (const name of await readdir(dir)) {
      const p = posix.join(dir, name);
      const st = await lstat(p, { bigint: true });
      if (st.isDirectory()) {
        if (st.dev !== dev) {
          throw new MountedUnderError(`refusing to remove ${p}: another filesystem is mounted there`);
        }
        await remove(p);
      } else {
        if (st.dev !== dev) {
          throw new MountedUnderError(`refusing to remove ${p}: another filesystem is mounted there`);
        }
        await unlink(p);
      }
    }
    await rmdir(dir);
  };
  await remove(path);
}
