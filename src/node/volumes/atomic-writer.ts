// The kubelet's atomic writer, k8s pkg/volume/util/atomic_writer.go: how
// configMap, secret, downwardAPI and projected volumes are written so a
// reader never sees a half-updated set of files.
//
//   <target>/key            -> ..data/key        (one symlink per top-level path)
//   <target>/..data         -> ..2026_01_01_00_00_00.123456   (the atomic switch)
//   <target>/..2026_01_…    the real files, with their modes
//
// An update writes a whole new timestamped directory, points `..data_tmp` at
// it and renames that over `..data` (rename(2) is atomic), then adds new
// user-visible links, removes stale ones and deletes the old directory.
// Paths beginning with `..` are reserved for the writer.
//
// Not safe for concurrent use on one target: the volume manager serializes
// per pod.
import {
  lstat,
  mkdir,
  mkdtemp,
  readFile,
  readdir,
  readlink,
  rename,
  rm,
  symlink,
  unlink,
  writeFile,
  chmod,
} from 'node:fs/promises';
import { posix } from 'node:path';
import { errnoCode } from './go-error-text.js';

export interface FileProjection {
  data: Buffer;
  /** File mode (permission bits), e.g. 0o644. */
  mode: number;
}

export const DATA_DIR_NAME = '..data';
export const NEW_DATA_DIR_NAME = '..data_tmp';
const MAX_FILE_NAME_LENGTH = 255;
const MAX_PATH_LENGTH = 4096;

/**
 * atomic_writer.go#validatePath: not empty, relative, ≤4096 chars, no `..`
 * element, no element over 255 chars, and the first element may not start
 * with `..`. Returns the error text, or undefined when valid.
 */
export function validatePayloadPath(targetPath: string): string | undefined {
  if (targetPath === '') {
    return 'invalid path: must not be empty: ""';
  }
  if (targetPath.startsWith('/')) {
    return `invalid path: must be relative path: ${targetPath}`;
  }
  if (targetPath.length > MAX_PATH_LENGTH) {
    return `invalid path: must be less than or equal to ${MAX_PATH_LENGTH} characters`;
  }
  const items = targetPath.split('/');
  for (const item of items) {
    if (item === '..') {
      return `invalid path: must not contain '..': ${targetPath}`;
    }
    if (item.length > MAX_FILE_NAME_LENGTH) {
      return `invalid path: filenames must be less than or equal to ${MAX_FILE_NAME_LENGTH} characters`;
    }
  }
  if (items[0]!.startsWith('..') && items[0]!.length > 2) {
    return `invalid path: must not start with '..': ${targetPath}`;
  }
  return undefined;
}

/** filepath.Clean for relative paths that passed validatePayloadPath. */
function clean(p: string): string {
  const n = posix.normalize(p);
  return n.length > 1 && n.endsWith('/') ? n.slice(0, -1) : n;
}

/** `..2006_01_02_15_04_05.` in UTC, the prefix of a new timestamped directory. */
export function timestampDirPrefix(nowMs: number): string {
  const d = new Date(nowMs);
  const p = (n: number): string => String(n).padStart(2, '0');
  return `..${d.getUTCFullYear()}_${p(d.getUTCMonth() + 1)}_${p(d.getUTCDate())}_${p(d.getUTCHours())}_${p(d.getUTCMinutes())}_${p(d.getUTCSeconds())}.`;
}

/**
 * AtomicWriter.Write. `targetDir` must exist. Returns whether a new data
 * directory was written (false: the content was already up to date).
 * `setPerms` runs on the new data before the switch (fsGroup ownership).
 * Throws with the first validation error, or the failing fs call's error.
 */
export async function writeAtomic(
  targetDir: string,
  payload: ReadonlyMap<string, FileProjection>,
  nowMs: number,
  setPerms?: (tsDirName: string) => Promise<void>,
): Promise<boolean> {
  // (1) validate
  const cleanPayload = new Map<string, FileProjection>();
  for (const [k, v] of payload) {
    const err = validatePayloadPath(k);
    if (err) {
      throw new Error(err);
    }
    cleanPayload.set(clean(k), v);
  }

  // (2) the current timestamped directory
  const dataDirPath = posix.join(targetDir, DATA_DIR_NAME);
  let oldTsDir = '';
  try {
    oldTsDir = await readlink(dataDirPath);
  } catch (e) {
    if (errnoCode(e) !== 'ENOENT') {
      throw e;
    }
  }
  const oldTsPath = posix.join(targetDir, oldTsDir);

  let pathsToRemove = new Set<string>();
  let shouldWrite = true;
  if (oldTsDir !== '') {
    // (3) user-visible paths that the new payload drops
    pathsToRemove = await computePathsToRemove(cleanPayload, oldTsPath);
    // (4) unchanged content and nothing to remove: only make sure the links exist
    // (kubernetes/kubernetes#121472), and keep the data directory.
    if (!(await shouldWritePayload(cleanPayload, oldTsPath)) && pathsToRemove.size === 0) {
      shouldWrite = false;
      oldTsDir = '';
    }
  }

  if (shouldWrite) {
    // (5) a new timestamped directory, 0755 whatever the umask
    const tsDir = await mkdtemp(posix.join(targetDir, timestampDirPrefix(nowMs)));
    await chmod(tsDir, 0o755);
    const tsDirName = posix.basename(tsDir);
    try {
      // (6) the payload
      await writePayloadToDir(cleanPayload, tsDir);
      // (7) ownership (fsGroup) before the new data becomes visible
      await setPerms?.(tsDirName);
      // (8) ..data_tmp -> new dir
      const newDataDirPath = posix.join(targetDir, NEW_DATA_DIR_NAME);
      // A ..data_tmp left by a crash between (8) and (9) would block every later update (not upstream).
      await rm(newDataDirPath, { force: true });
      await symlink(tsDirName, newDataDirPath);
      // (9) the atomic switch
      try {
        await rename(newDataDirPath, dataDirPath);
      } catch (e) {
        await rm(newDataDirPath, { force: true });
        throw e;
      }
    } catch (e) {
      await rm(tsDir, { recursive: true, force: true });
      throw e;
    }
  }

  // (10) user-visible links for new top-level paths
  await createUserVisibleFiles(targetDir, cleanPayload);
  // (11) stale top-level links
  await removeUserVisiblePaths(targetDir, pathsToRemove);
  // (12) the previous data
  if (oldTsDir !== '') {
    await rm(oldTsPath, { recursive: true, force: true });
  }
  return shouldWrite;
}

async function shouldWritePayload(payload: ReadonlyMap<string, FileProjection>, oldTsDir: string): Promise<boolean> {
  for (const [p, f] of payload) {
    const full = posix.join(oldTsDir, p);
    try {
      await lstat(full);
    } catch (e) {
      if (errnoCode(e) === 'ENOENT') {
        return true;
      }
      throw e;
    }
    // Like upstream, only the content is compared: a mode-only change waits for a content change.
    if (!(await readFile(full)).equals(f.data)) {
      return true;
    }
  }
  return false;
}

/** Every path under the old data directory that is neither a payload file nor one of its parents. */
async function computePathsToRemove(
  payload: ReadonlyMap<string, FileProjection>,
  oldTsDir: string,
): Promise<Set<string>> {
  const existing: string[] = [];
  const walk = async (dir: string, rel: string): Promise<void> => {
    let entries;
    try {
      entries = await readdir(dir, { withFileTypes: true });
    } catch (e) {
      if (errnoCode(e) === 'ENOENT' || errnoCode(e) === 'ENOTDIR') {
        return;
      }
      throw e;
    }
    for (const ent of entries) {
      const r = rel === '' ? ent.name : `${rel}/${ent.name}`;
      existing.push(r);
      if (ent.isDirectory()) {
        await walk(posix.join(dir, ent.name), r);
      }
    }
  };
  await walk(oldTsDir, '');
  const keep = new Set<string>();
  for (const file of payload.keys()) {
    for (let sub = file; sub !== '' && sub !== '.'; sub = posix.dirname(sub)) {
      keep.add(sub);
    }
  }
  return new Set(existing.filter((p) => !keep.has(p)));
}

async function writePayloadToDir(payload: ReadonlyMap<string, FileProjection>, dir: string): Promise<void> {
  for (const [p, f] of payload) {
    const full = posix.join(dir, p);
    await mkdir(posix.dirname(full), { recursive: true, mode: 0o777 });
    await writeFile(full, f.data, { mode: f.mode });
    // writeFile's mode is filtered by the umask; the projection's mode is exact.
    await chmod(full, f.mode);
  }
}

async function createUserVisibleFiles(targetDir: string, payload: ReadonlyMap<string, FileProjection>): Promise<void> {
  for (const p of payload.keys()) {
    const linkName = p.split('/')[0]!;
    const visible = posix.join(targetDir, linkName);
    try {
      await readlink(visible);
    } catch (e) {
      if (errnoCode(e) !== 'ENOENT') {
        // Exists but is not a link (EINVAL): left alone, as upstream does.
        continue;
      }
      await symlink(posix.join(DATA_DIR_NAME, linkName), visible);
    }
  }
}

async function removeUserVisiblePaths(targetDir: string, paths: ReadonlySet<string>): Promise<void> {
  let last: Error | undefined;
  for (const p of paths) {
    // Only links at the volume root (no '/'): deeper paths went with the old data directory.
    if (p.includes('/')) {
      continue;
    }
    try {
      await unlink(posix.join(targetDir, p));
    } catch (e) {
      last = e as Error;
    }
  }
  if (last !== undefined) {
    throw last;
  }
}
