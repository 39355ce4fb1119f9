// Writes tar streams the way Go's archive/tar does for layers: ustar headers, with a
// pax record when a name, link name or number does not fit (image-spec
// layer.md: "Layer changesets ... MUST be a tar archive ... pax/ustar").
import type { TarEntryType, TarHeader } from './tar-reader.js';

const BLOCK = 512;
const TYPEFLAG: Record<TarEntryType, string> = {
  file: '0',
  hardlink: '1',
  symlink: '2',
  char: '3',
  block: '4',
  dir: '5',
  fifo: '6',
};

/** A header with defaults for everything but name and type. */
export type TarHeaderInput = Pick<TarHeader, 'name' | 'type'> & Partial<Omit<TarHeader, 'name' | 'type'>>;

function writeString(block: Buffer, offset: number, length: number, s: string): boolean {
  const b = Buffer.from(s, 'utf8');
  if (b.length > length) {
    return false;
  }
  b.copy(block, offset);
  return true;
}

function writeOctal(block: Buffer, offset: number, length: number, n: number): boolean {
  const s = Math.max(0, Math.floor(n)).toString(8);
  if (s.length > length - 1) {
    return false;
  }
  block.write(s.padStart(length - 1, '0') + '\0', offset, 'ascii');
  return true;
}

function paxRecord(key: string, value: Buffer | string): Buffer {
  const v = typeof value === 'string' ? Buffer.from(value, 'utf8') : value;
  const rest = Buffer.byteLength(` ${key}=`) + v.length + 1;
  let len = rest + String(rest).length;
  if (String(len).length !== String(rest).length) {
    len = rest + String(len).length;
  }
  return Buffer.concat([Buffer.from(`${len} ${key}=`, 'utf8'), v, Buffer.from('\n')]);
}

function ustarBlock(h: TarHeader, typeflag: string, pax: Buffer[] | undefined): Buffer {
  const block = Buffer.alloc(BLOCK);
  const need = (ok: boolean, key: string, value: string | number): void => {
    if (!ok) {
      if (pax === undefined) {
        throw new Error(`tar: ${key} does not fit a pax header`);
      }
      pax.push(paxRecord(key, String(value)));
    }
  };
  need(writeString(block, 0, 100, h.name), 'path', h.name);
  writeOctal(block, 100, 8, h.mode & 0o7777);
  need(writeOctal(block, 108, 8, h.uid), 'uid', h.uid);
  need(writeOctal(block, 116, 8, h.gid), 'gid', h.gid);
  need(writeOctal(block, 124, 12, h.size), 'size', h.size);
  need(writeOctal(block, 136, 12, h.mtime), 'mtime', h.mtime);
  block.write(typeflag, 156, 'ascii');
  need(writeString(block, 157, 100, h.linkname), 'linkpath', h.linkname);
  block.write('ustar\x0000', 257, 'binary');
  writeOctal(block, 329, 8, h.devmajor);
  writeOctal(block, 337, 8, h.devminor);
  block.fill(0x20, 148, 156);
  let sum = 0;
  for (const x of block) {
    sum += x;
  }
  block.write(sum.toString(8).padStart(6, '0') + '\0 ', 148, 'ascii');
  return block;
}

export function normalizeHeader(input: TarHeaderInput): TarHeader {
  return {
    mode: input.type === 'dir' ? 0o755 : 0o644,
    uid: 0,
    gid: 0,
    size: 0,
    mtime: 0,
    linkname: '',
    devmajor: 0,
    devminor: 0,
    xattrs: {},
    ...input,
  };
}

/** The header block(s) of one entry: a pax header first when something does not fit ustar. */
export function tarHeaderBlocks(input: TarHeaderInput): Buffer {
  const h = normalizeHeader(input);
  const pax: Buffer[] = [];
  for (const [k, v] of Object.entries(h.xattrs)) {
    pax.push(paxRecord(`SCHILY.xattr.${k}`, v));
  }
  const main = ustarBlock(h, TYPEFLAG[h.type], pax);
  if (pax.length === 0) {
    return main;
  }
  const body = Buffer.concat(pax);
  const paxHeader = ustarBlock(
    normalizeHeader({ name: 'PaxHeaders/' + h.name.slice(-80), type: 'file', size: body.length }),
    'x',
    undefined,
  );
  // The ustar block of the entry itself keeps truncated fields; readers take pax first.
  const fallback = ustarBlock(
    { ...h, name: h.name.slice(0, 100), linkname: h.linkname.slice(0, 100) },
    TYPEFLAG[h.type],
    [],
  );
  return Buffer.concat([paxHeader, body, tarPadding(body.length), fallback]);
}

/** Zero bytes that round a body of `size` up to the 512-byte block. */
export function tarPadding(size: number): Buffer {
  return Buffer.alloc((BLOCK - (size % BLOCK)) % BLOCK);
}

/** The end-of-archive marker: two zero blocks. */
export const TAR_END = Buffer.alloc(2 * BLOCK);

/** One entry for buildTar: a header and, for files, its bytes. */
export interface TarInputEntry extends Partial<Omit<TarHeader, 'name' | 'type' | 'size'>> {
  name: string;
  type: TarEntryType;
  data?: Buffer | string;
}

/** A whole tar archive in memory (small archives: tests, configs, manifests). */
export function buildTar(entries: readonly TarInputEntry[]): Buffer {
  const parts: Buffer[] = [];
  for (const { data, ...e } of entries) {
    const body = data === undefined ? Buffer.alloc(0) : Buffer.from(data);
    parts.push(tarHeaderBlocks({ ...e, size: body.length }), body, tarPadding(body.length));
  }
  parts.push(TAR_END);
  return Buffer.concat(parts);
}
