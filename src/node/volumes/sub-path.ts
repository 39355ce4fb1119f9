// subPath and subPathExpr: a volumeMount that mounts one path inside a volume.
// k8s pkg/kubelet/kubelet_pods.go#makeMounts (the checks and the messages the
// container's CreateContainerConfigError shows) and
// pkg/volume/util/subpath/subpath_linux.go (SafeMakeDir, doBindSubPath,
// doSafeOpen), with pkg/kubelet/container/helpers.go#ExpandContainerVolumeMounts.
//
// The rule: whatever the volume contains (symlinks to /etc, chains of them,
// directories swapped for links while we look), the path given to the runtime
// is inside the volume. Symlinks are resolved once; the result must be within
// the volume's real path; then it is opened again one component at a time,
// each component opened relative to the previous one's file descriptor with
// O_NOFOLLOW (Node has no openat(2): `/proc/self/fd/<parent>/<name>` is the
// same lookup), and the final descriptor — not a path — is bind-mounted at
// `<podDir>/volume-subpaths/<volume>/<container>/<index>`, which is what the
// runtime mounts. A path that is swapped after the check can only make the
// open fail.
import { constants as fsConstants } from 'node:fs';
import type { Stats } from 'node:fs';
import { lstat, mkdir, open, realpath, rm, rmdir, stat, writeFile } from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';
import { posix } from 'node:path';
import process from 'node:process';
import type { VolumeMount } from '../../api/types/index.js';
import { expand } from '../env/expand.js';
import { errnoCode, goPathError } from './go-error-text.js';
import type { VolumeHost } from './volume-host.js';

/** Linux O_PATH (010000000 on x86-64 and arm64); node:fs does not export it. */
const O_PATH = 0o10000000;
/** subpath_linux.go nofollowFlags / openFDFlags */
const NOFOLLOW_FLAGS = fsConstants.O_RDONLY | fsConstants.O_NOFOLLOW;
const OPEN_FD_FLAGS = O_PATH | fsConstants.O_NOFOLLOW;

export const SUBPATH_DIR_NAME = 'volume-subpaths';

/** An error whose message is what the user sees; `detail` is the reason, for logs and tests. */
export class SubPathError extends Error {
  constructor(
    message: string,
    readonly detail?: string,
  ) {
    super(message);
  }
}

/**
 * ExpandContainerVolumeMounts: `$(VAR)` from the container's resolved
 * environment; an unknown or empty variable is an error listing them all,
 * sorted: `missing value for A, B`.
 */
export function expandSubPathExpr(expr: string, env: ReadonlyMap<string, string>): string {
  const missing = new Set<string>();
  const out = expand(expr, (name) => {
    const v = env.get(name);
    if (v === undefined || v === '') {
      missing.add(name);
    }
    return v ?? '';
  });
  if (missing.size > 0) {
    throw new SubPathError(`missing value for ${[...missing].sort().join(', ')}`);
  }
  return out;
}

/** The subPath a mount asks for ('' = none): subPath, or subPathExpr expanded. */
export function subPathOf(mount: VolumeMount, env: ReadonlyMap<string, string>): string {
  if (mount.subPathExpr) {
    return expandSubPathExpr(mount.subPathExpr, env);
  }
  return mount.subPath ?? '';
}

/** mount.PathWithinBase: the relative path from base does not step out. */
export function pathWithinBase(fullPath: string, basePath: string): boolean {
  const rel = posix.relative(basePath, fullPath);
  return !(rel === '..' || rel.startsWith('../') || posix.isAbsolute(rel));
}

export interface SubPathRequest {
  /** The volume's host path (emptyDir dir, configMap dir, hostPath path). */
  volumePath: string;
  subPath: string;
  /** `<podsDir>/<uid>` */
  podDir: string;
  volumeName: string;
  containerName: string;
  /** Index of the mount in container.volumeMounts. */
  mountIndex: number;
  /** The volumeMount's name, for the messages. */
  mountName: string;
}

/**
 * makeMounts' subPath branch. Returns the host path to give the runtime.
 * Throws SubPathError with the kubelet's message; the host-revealing detail
 * stays in `detail` (upstream logs it and does not show it to the user).
 */
export async function prepareSubPath(host: VolumeHost, req: SubPathRequest): Promise<string> {
  const { subPath, volumePath } = req;
  if (subPath.startsWith('/')) {
    throw new SubPathError(`error SubPath \`${subPath}\` must not be an absolute path`);
  }
  if (subPath.split('/').includes('..')) {
    throw new SubPathError(`unable to provision SubPath \`${subPath}\`: must not contain '..'`);
  }
  const hostPath = posix.join(volumePath, subPath);
  if (!(await exists(hostPath))) {
    // Created now so it gets the volume's mode, and never outside the volume.
    let perm: number;
    try {
      perm = (await stat(volumePath)).mode & 0o7777;
    } catch (e) {
      throw new SubPathError(goPathError('stat', volumePath, e));
    }
    try {
      await safeMakeDir(subPath, volumePath, perm);
    } catch (e) {
      throw new SubPathError(
        `failed to create subPath directory for volumeMount "${req.mountName}" of container "${req.containerName}"`,
        (e as Error).message,
      );
    }
  }
  try {
    return await bindSubPath(host, { ...req, path: hostPath });
  } catch (e) {
    throw new SubPathError(
      `failed to prepare subPath for volumeMount "${req.mountName}" of container "${req.containerName}"`,
      (e as Error).message,
    );
  }
}

async function exists(p: string): Promise<boolean> {
  try {
    await stat(p);
    return true;
  } catch {
    return false;
  }
}

/** `/proc/self/fd/<fd>/<name>`: openat(fd, name) for a language without openat. */
function at(fh: FileHandle, name: string): string {
  return `/proc/self/fd/${fh.fd}/${name}`;
}

/**
 * doSafeOpen: opens `pathname` (already free of symlinks) component by
 * component from `base`, refusing any symlink met on the way. The caller
 * closes the returned handle (an O_PATH descriptor).
 */
export async function safeOpen(pathname: string, base: string): Promise<FileHandle> {
  pathname = posix.normalize(pathname);
  base = posix.normalize(base);
  const rel = posix.relative(base, pathname);
  const segments = rel === '' ? [] : rel.split('/');
  let parent: FileHandle;
  try {
    parent = await open(base, NOFOLLOW_FLAGS);
  } catch (e) {
    throw new Error(`cannot open directory ${base}: ${goPathError('open', base, e)}`);
  }
  let current = base;
  try {
    for (const seg of segments) {
      current = posix.join(current, seg);
      if (!pathWithinBase(current, base)) {
        throw new Error(`path ${current} is outside of allowed base ${base}`);
      }
      let child: FileHandle;
      try {
        child = await open(at(parent, seg), OPEN_FD_FLAGS);
      } catch (e) {
        throw new Error(`cannot open ${current}: ${goPathError('openat', current, e)}`);
      }
      let st: Stats;
      try {
        st = await child.stat();
      } catch (e) {
        await child.close();
        throw new Error(`error running fstat on ${current} with ${(e as Error).message}`);
      }
      if (st.isSymbolicLink()) {
        await child.close();
        throw new Error(`unexpected symlink found ${current}`);
      }
      await parent.close();
      parent = child;
    }
  } catch (e) {
    await parent.close();
    throw e;
  }
  return parent;
}

/**
 * SafeMakeDir / doSafeMakeDir: creates `subdir` under `base` one directory at
 * a time with mkdirat on a safely opened parent, then sets `perm` on the last
 * one (fchmod: the umask must not narrow it).
 */
export async function safeMakeDir(subdir: string, base: string, perm: number): Promise<void> {
  let realBase: string;
  try {
    realBase = await realpath(base);
  } catch (e) {
    throw new Error(`error resolving symlinks in ${base}: ${goPathError('lstat', base, e)}`);
  }
  const pathname = posix.join(realBase, subdir);
  if (!pathWithinBase(pathname, realBase)) {
    throw new Error(`path ${pathname} is outside of allowed base ${realBase}`);
  }
  try {
    const st = await stat(pathname);
    if (st.isDirectory()) {
      // Exists (maybe through a link leading out): bindSubPath's check refuses that later.
      return;
    }
    throw new Error(`mkdir ${pathname}: not a directory`);
  } catch (e) {
    if (errnoCode(e) !== 'ENOENT') {
      throw e;
    }
  }
  // findExistingPrefix: the longest existing prefix (links followed) and what is left.
  const dirs = posix.relative(realBase, pathname).split('/');
  let existing = realBase;
  let toCreate: string[] = [];
  for (let i = 0; i < dirs.length; i++) {
    const next = posix.join(existing, dirs[i]!);
    try {
      await stat(next);
      existing = next;
    } catch (e) {
      if (errnoCode(e) === 'ENOENT') {
        toCreate = dirs.slice(i);
        break;
      }
      throw e;
    }
  }
  let fullExisting: string;
  try {
    fullExisting = await realpath(existing);
  } catch (e) {
    throw new Error(`error opening directory ${existing}: ${(e as Error).message}`);
  }
  if (!pathWithinBase(fullExisting, realBase)) {
    throw new Error(`path ${fullExisting} is outside of allowed base ${realBase}`);
  }
  let parent = await safeOpen(fullExisting, realBase);
  try {
    let current = fullExisting;
    for (const dir of toCreate) {
      current = posix.join(current, dir);
      try {
        await mkdir(at(parent, dir), perm);
      } catch (e) {
        throw new Error(`cannot create directory ${current}: ${goPathError('mkdirat', current, e)}`);
      }
      let child: FileHandle;
      try {
        child = await open(at(parent, dir), NOFOLLOW_FLAGS);
      } catch (e) {
        throw new Error(`cannot open ${current}: ${goPathError('openat', current, e)}`);
      }
      await parent.close();
      parent = child;
      await parent.chmod(perm);
    }
  } finally {
    await parent.close();
  }
}

/** subpath_linux.go#getSubpathBindTarget */
export function subPathBindTarget(
  req: Pick<SubPathRequest, 'podDir' | 'volumeName' | 'containerName' | 'mountIndex'>,
): string {
  return posix.join(req.podDir, SUBPATH_DIR_NAME, req.volumeName, req.containerName, String(req.mountIndex));
}

/**
 * doBindSubPath: resolve links once, require the result inside the volume,
 * open it safely and bind-mount the descriptor at the bind target (reused
 * when the same file is already mounted there, as after a container restart).
 * On a non-mounting host the checked, resolved path itself is returned.
 */
async function bindSubPath(host: VolumeHost, req: SubPathRequest & { path: string }): Promise<string> {
  let volumePath: string;
  let path: string;
  try {
    volumePath = await realpath(req.volumePath);
  } catch (e) {
    throw new Error(`error resolving symlinks in "${req.volumePath}": ${goPathError('lstat', req.volumePath, e)}`);
  }
  try {
    path = await realpath(req.path);
  } catch (e) {
    throw new Error(`error resolving symlinks in "${req.path}": ${goPathError('lstat', req.path, e)}`);
  }
  if (!pathWithinBase(path, volumePath)) {
    throw new Error(`subpath "${path}" not within volume path "${volumePath}"`);
  }
  let fh: FileHandle;
  try {
    fh = await safeOpen(path, volumePath);
  } catch (e) {
    throw new Error(`error opening subpath ${path}: ${(e as Error).message}`);
  }
  try {
    if (!host.mountsForReal) {
      return path;
    }
    const target = subPathBindTarget(req);
    const opened = await fh.stat();
    if (await host.isMountPoint(target)) {
      const t = await stat(target);
      if (t.dev === opened.dev && t.ino === opened.ino) {
        return target;
      }
      await host.unmount(target);
    }
    await mkdir(posix.dirname(target), { recursive: true, mode: 0o750 });
    const kind = await lstat(path);
    if (kind.isDirectory()) {
      try {
        await mkdir(target, 0o750);
      } catch (e) {
        if (errnoCode(e) !== 'EEXIST') {
          throw new Error(`error creating directory ${target}: ${(e as Error).message}`);
        }
      }
    } else {
      // A file is enough for every non-directory source (bind-mounting changes its type).
      await writeFile(target, '', { mode: 0o640 });
    }
    try {
      await host.bindMount(`/proc/${process.pid}/fd/${fh.fd}`, target);
    } catch (e) {
      await (kind.isDirectory() ? rmdir(target) : rm(target, { force: true })).catch(() => undefined);
      throw new Error(`error mounting ${path}: ${(e as Error).message}`);
    }
    return target;
  } finally {
    await fh.close();
  }
}
