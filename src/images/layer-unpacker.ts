// Applies one layer tar to an empty directory, in the form overlayfs stacks: AUFS-style
// whiteout entries (image-spec layer.md "Whiteouts": `.wh.<name>` deletes <name>,
// `.wh..wh..opq` makes its directory opaque) become overlay marks (overlay-marks.ts).
// The directory is one layer on its own, never merged with its parents: overlayfs
// does the merging at mount time, so each layer is unpacked once and shared.
//
// Safety: entry names are cleaned and must stay inside the layer; no entry is written
// through a symlink (each parent component is lstat'ed, as containerd's
// archive.applyNaive refuses "breakout" paths); hardlinks must point inside the layer.
import { createWriteStream } from 'node:fs';
import { chmod, lchown, link, lstat, lutimes, mkdir, rm, symlink, utimes } from 'node:fs/promises';
import { posix, join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { decompress, type ByteSource } from './decompress.js';
import { DigestCounter, type Digest } from './digest.js';
import { overlayFsMarks, type FsMarks } from './overlay-marks.js';
import { readTar, type TarHeader } from './tar-reader.js';

const WHITEOUT_PREFIX = '.wh.';
const WHITEOUT_META_PREFIX = '.wh..wh.';
const OPAQUE_WHITEOUT = '.wh..wh..opq';

export interface UnpackOptions {
  /** Where whiteouts, opaque dirs, devices and xattrs go (overlayFsMarks unless a test says otherwise). */
  marks?: FsMarks;
  /** Apply tar uid/gid (default: when running as root, as containerd does). */
  chown?: boolean;
}

export interface UnpackResult {
  /** sha256 of the uncompressed tar: the layer's DiffID (image-spec config.md rootfs.diff_ids). */
  diffId: Digest;
  /** Uncompressed bytes. */
  size: number;
}

/** What a tar entry means for the layer directory. */
export type LayerAction =
  | { kind: 'skip' }
  | { kind: 'opaque'; dir: string }
  | { kind: 'whiteout'; path: string }
  | { kind: 'entry'; path: string };

/** Thrown for a layer entry that would write outside the layer. */
export class LayerBreakoutError extends Error {
  constructor(name: string, why: string) {
    super(`invalid layer entry ${JSON.stringify(name)}: ${why}`);
    this.name = 'LayerBreakoutError';
  }
}

/** The entry name relative to the layer root ("" for the root itself); throws on escapes. */
export function cleanEntryName(name: string): string {
  // Absolute names count from the layer root (Go archive/tar writers never emit them).
  const cleaned = posix.normalize(name.replace(/^\/+/, '')).replace(/\/$/, '');
  if (cleaned === '..' || cleaned.startsWith('../')) {
    throw new LayerBreakoutError(name, 'path escapes the layer');
  }
  return cleaned === '.' ? '' : cleaned;
}

/**
 * Decides what an entry does, from its name alone: the whiteout conversion
 * (containerd pkg/archive/tar.go createTarFile / overlay ConvertWhiteout).
 */
export function computeLayerAction(name: string): LayerAction {
  const rel = cleanEntryName(name);
  const base = posix.basename(rel);
  const dir = posix.dirname(rel) === '.' ? '' : posix.dirname(rel);
  if (base === OPAQUE_WHITEOUT) {
    return { kind: 'opaque', dir };
  }
  if (base.startsWith(WHITEOUT_META_PREFIX)) {
    // Other AUFS metadata (.wh..wh.plnk, .wh..wh.aufs): not content.
    return { kind: 'skip' };
  }
  if (base.startsWith(WHITEOUT_PREFIX)) {
    const target = base.slice(WHITEOUT_PREFIX.length);
    if (target === '' || target === '.' || target === '..') {
      throw new LayerBreakoutError(name, 'invalid whiteout name');
    }
    return { kind: 'whiteout', path: dir === '' ? target : `${dir}/${target}` };
  }
  if (rel === '') {
    return { kind: 'skip' };
  }
  return { kind: 'entry', path: rel };
}

/**
 * Xattrs a layer may set: file capabilities and user.*. trusted.* (overlay's own
 * opaque/redirect/metacopy marks) and security.* labels other than capabilities would
 * let an image steer the overlay mount or the host's LSM, so they are dropped.
 */
export function isLayerXattr(name: string): boolean {
  return name === 'security.capability' || name.startsWith('user.');
}

async function* counted(source: AsyncIterable<Buffer>, counter: DigestCounter): AsyncGenerator<Buffer> {
  for await (const c of source) {
    counter.update(c);
    yield c;
  }
}

function errno(e: unknown): string | undefined {
  return (e as NodeJS.ErrnoException).code;
}

/** Unpacks a (possibly compressed) layer tar into the empty directory `dest`. */
export async function unpackLayer(blob: ByteSource, dest: string, opts: UnpackOptions = {}): Promise<UnpackResult> {
  const marks = opts.marks ?? overlayFsMarks;
  const doChown = opts.chown ?? process.getuid?.() === 0;
  const counter = new DigestCounter();
  // Directories known to be real directories inside the layer ("" is the root).
  const dirs = new Set<string>(['']);
  const dirTimes: [string, number][] = [];

  const ensureParents = async (rel: string): Promise<void> => {
    const parts = rel.split('/');
    parts.pop();
    let cur = '';
    for (const p of parts) {
      cur = cur === '' ? p : `${cur}/${p}`;
      if (dirs.has(cur)) {
        continue;
      }
      const abs = join(dest, cur);
      try {
        const st = await lstat(abs);
        if (!st.isDirectory()) {
          throw new LayerBreakoutError(rel, `parent ${cur} is not a directory`);
        }
      } catch (e) {
        if (errno(e) !== 'ENOENT') {
          throw e;
        }
        await mkdir(abs, { mode: 0o755 });
      }
      dirs.add(cur);
    }
  };

  /** Removes whatever is at rel (a later entry replaces an earlier one). */
  const clear = async (rel: string, keepDir: boolean): Promise<boolean> => {
    const abs = join(dest, rel);
    try {
      const st = await lstat(abs);
      if (keepDir && st.isDirectory()) {
        return true;
      }
      await rm(abs, { recursive: true, force: true });
      for (const d of dirs) {
        if (d === rel || d.startsWith(rel + '/')) {
          dirs.delete(d);
        }
      }
    } catch (e) {
      if (errno(e) !== 'ENOENT') {
        throw e;
      }
    }
    return false;
  };

  const applyMeta = async (abs: string, h: TarHeader): Promise<void> => {
    if (doChown) {
      await lchown(abs, h.uid, h.gid);
    }
    for (const [name, value] of Object.entries(h.xattrs)) {
      if (isLayerXattr(name)) {
        await marks.setXattr(abs, name, value);
      }
    }
    if (h.type !== 'symlink') {
      // After chown: chown clears setuid/setgid.
      await chmod(abs, h.mode);
    }
    if (h.type === 'dir') {
      dirTimes.push([abs, h.mtime]);
    } else {
      await lutimes(abs, h.mtime, h.mtime);
    }
  };

  for await (const { header: h, body } of readTar(counted(decompress(blob), counter))) {
    const action = computeLayerAction(h.name);
    switch (action.kind) {
      case 'skip':
        break;
      case 'opaque':
        // Makes the directory itself (and its parents) exist: "<dir>/x" has <dir> as parent.
        await ensureParents(action.dir === '' ? 'x' : `${action.dir}/x`);
        await marks.opaque(join(dest, action.dir));
        break;
      case 'whiteout':
        await ensureParents(action.path);
        await clear(action.path, false);
        await marks.whiteout(join(dest, action.path));
        break;
      case 'entry': {
        const rel = action.path;
        const abs = join(dest, rel);
        await ensureParents(rel);
        const kept = await clear(rel, h.type === 'dir');
        switch (h.type) {
          case 'dir':
            if (!kept) {
              await mkdir(abs, { mode: 0o700 });
            }
            dirs.add(rel);
            break;
          case 'file':
            await pipeline(body, createWriteStream(abs, { flags: 'wx', mode: 0o600 }));
            break;
          case 'symlink':
            await symlink(h.linkname, abs);
            break;
          case 'hardlink': {
            const target = cleanEntryName(h.linkname);
            if (target === '') {
              throw new LayerBreakoutError(h.name, 'hardlink to the layer root');
            }
            await ensureParents(target);
            const st = await lstat(join(dest, target)).catch(() => undefined);
            if (!st || st.isDirectory()) {
              throw new LayerBreakoutError(h.name, `hardlink target ${h.linkname} is not a file in this layer`);
            }
            await link(join(dest, target), abs);
            continue; // a hardlink shares its target's metadata
          }
          case 'char':
          case 'block':
          case 'fifo':
            await marks.mknod(abs, h.type, h.devmajor, h.devminor);
            break;
        }
        await applyMeta(abs, h);
        break;
      }
    }
  }
  // Directory times last: creating children changed them (containerd does the same).
  for (const [abs, mtime] of dirTimes.reverse()) {
    await utimes(abs, mtime, mtime);
  }
  return { diffId: counter.digest(), size: counter.size };
}
