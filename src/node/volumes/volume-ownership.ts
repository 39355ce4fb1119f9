// fsGroup on volumes: k8s pkg/volume/volume_linux.go (SetVolumeOwnership,
// changeFilePermission, skipPermissionChange / requiresPermissionChange).
// Every file and directory of the volume gets group fsGroup (lchown, links
// themselves only); files get g+rw (g+r on read-only volumes, 0440 mask);
// directories also g+x and setgid so new files inherit the group. Links are
// never chmod-ed (that would change their target). Failures are logged
// upstream, not fatal: here they are ignored, which also lets an agent that
// is not root (the sim runtime) run pods with fsGroup.
import { chmod, lchown, lstat, readdir, stat } from 'node:fs/promises';
import { posix } from 'node:path';

const RW_MASK = 0o660;
const RO_MASK = 0o440;
const EXEC_MASK = 0o110;
const SETGID = 0o2000;

export type FSGroupChangePolicy = 'OnRootMismatch' | 'Always';

/** requiresPermissionChange: the root's group or bits differ from what fsGroup asks. */
export async function requiresPermissionChange(rootDir: string, fsGroup: number, readOnly: boolean): Promise<boolean> {
  let st;
  try {
    st = await stat(rootDir);
  } catch {
    return true;
  }
  if (st.gid !== fsGroup || !st.isDirectory()) {
    return true;
  }
  const want = (readOnly ? RO_MASK : RW_MASK) | EXEC_MASK;
  return (st.mode & want) !== want || (st.mode & SETGID) === 0;
}

async function changeFilePermission(path: string, fsGroup: number, readOnly: boolean): Promise<void> {
  let st;
  try {
    st = await lstat(path);
  } catch {
    return;
  }
  await lchown(path, st.uid, fsGroup).catch(() => undefined);
  if (st.isSymbolicLink()) {
    return;
  }
  let mask = readOnly ? RO_MASK : RW_MASK;
  if (st.isDirectory()) {
    mask |= SETGID | EXEC_MASK;
  }
  await chmod(path, (st.mode & 0o7777) | mask).catch(() => undefined);
}

/** SetVolumeOwnership over `dir` (no-op without fsGroup; OnRootMismatch skips a root that already fits). */
export async function setVolumeOwnership(
  dir: string,
  fsGroup: number | undefined,
  readOnly: boolean,
  policy: FSGroupChangePolicy | undefined,
): Promise<void> {
  if (fsGroup === undefined) {
    return;
  }
  if (policy === 'OnRootMismatch' && !(await requiresPermissionChange(dir, fsGroup, readOnly))) {
    return;
  }
  const walk = async (p: string): Promise<void> => {
    await changeFilePermission(p, fsGroup, readOnly);
    let st;
    try {
      st = await lstat(p);
    } catch {
      return;
    }
    if (st.isDirectory()) {
      let names: string[] = [];
      try {
        names = await readdir(p);
      } catch {
        return;
      }
      for (const n of names) {
        await walk(posix.join(p, n));
      }
    }
  };
  await walk(dir);
}
