// A directory tree as a layer tar (what `podbay image import DIR` stores): sorted
// names so the same tree gives the same DiffID, hardlinks kept as links, uid/gid,
// modes and mtimes as on disk (Go archive/tar's FileInfoHeader fields).
import { createReadStream } from 'node:fs';
import { lstat, readdir, readlink } from 'node:fs/promises';
import { join } from 'node:path';
import type { TarEntryType } from './tar-reader.js';
import { TAR_END, tarHeaderBlocks, tarPadding } from './tar-writer.js';

/** Linux's dev_t split (glibc sys/sysmacros.h major()/minor()). */
function major(rdev: number): number {
  return Number(((BigInt(rdev) >> 8n) & 0xfffn) | ((BigInt(rdev) >> 32n) & ~0xfffn));
}
function minor(rdev: number): number {
  return Number((BigInt(rdev) & 0xffn) | ((BigInt(rdev) >> 12n) & ~0xffn));
}

/** The tar stream of everything under `root` (root itself is not an entry). */
export async function* packDirectory(root: string): AsyncGenerator<Buffer> {
  const seen = new Map<string, string>(); // dev:ino → first path, for hardlinks
  async function* walk(rel: string): AsyncGenerator<Buffer> {
    const names = (await readdir(join(root, rel))).sort();
    for (const name of names) {
      const r = rel === '' ? name : `${rel}/${name}`;
      const abs = join(root, r);
      const st = await lstat(abs);
      const base = { uid: st.uid, gid: st.gid, mode: st.mode & 0o7777, mtime: Math.floor(st.mtimeMs / 1000) };
      if (st.isDirectory()) {
        yield tarHeaderBlocks({ ...base, name: `${r}/`, type: 'dir' });
        yield* walk(r);
      } else if (st.isSymbolicLink()) {
        yield tarHeaderBlocks({ ...base, name: r, type: 'symlink', linkname: await readlink(abs) });
      } else if (st.isFile()) {
        const key = `${st.dev}:${st.ino}`;
        const first = st.nlink > 1 ? seen.get(key) : undefined;
        if (first !== undefined) {
          yield tarHeaderBlocks({ ...base, name: r, type: 'hardlink', linkname: first });
          continue;
        }
        if (st.nlink > 1) {
          seen.set(key, r);
        }
        yield tarHeaderBlocks({ ...base, name: r, type: 'file', size: st.size });
        let n = 0;
        for await (const c of createReadStream(abs)) {
          n += (c as Buffer).length;
          yield c as Buffer;
        }
        if (n !== st.size) {
          throw new Error(`${abs} changed size while it was packed`);
        }
        yield tarPadding(st.size);
      } else {
        const type: TarEntryType | undefined = st.isCharacterDevice()
          ? 'char'
          : st.isBlockDevice()
            ? 'block'
            : st.isFIFO()
              ? 'fifo'
              : undefined;
        if (type === undefined) {
          continue; // sockets are not part of an image
        }
        yield tarHeaderBlocks({ ...base, name: r, type, devmajor: major(st.rdev), devminor: minor(st.rdev) });
      }
    }
  }
  yield* walk('');
  yield TAR_END;
}
