// A streaming tar reader for image layers and archives: ustar, the GNU long-name
// records (L/K) and POSIX pax headers (path, linkpath, size, ids, mtime and
// SCHILY.xattr.*), which is what `docker save`, BuildKit and the registries' layer
// tars use (Go archive/tar, the writer behind all three). Hand-written rather than a
// dependency because the unpacker needs every header field raw (device numbers,
// xattrs, link names) to apply overlayfs whiteouts and to refuse path escapes.

/** What an entry is, from the ustar typeflag. */
export type TarEntryType = 'file' | 'dir' | 'symlink' | 'hardlink' | 'char' | 'block' | 'fifo';

export interface TarHeader {
  /** The path as stored ("./etc/passwd", "bin/", "usr/lib/x.so"): not yet cleaned. */
  name: string;
  type: TarEntryType;
  /** Permission bits including setuid/setgid/sticky (mode & 0o7777). */
  mode: number;
  uid: number;
  gid: number;
  size: number;
  /** Seconds since the epoch. */
  mtime: number;
  /** Target of a symlink or hardlink. */
  linkname: string;
  devmajor: number;
  devminor: number;
  /** Extended attributes from pax SCHILY.xattr.* records. */
  xattrs: Record<string, Buffer>;
}

export interface TarEntry {
  header: TarHeader;
  /** The entry's bytes; read it before asking for the next entry, or it is skipped. */
  body: AsyncIterable<Buffer>;
}

const BLOCK = 512;

/** Buffers an async byte source so the parser can take exact-length pieces. */
class ByteReader {
  private chunks: Buffer[] = [];
  private buffered = 0;
  private done = false;
  private readonly it: AsyncIterator<Uint8Array>;

  constructor(source: AsyncIterable<Uint8Array> | Iterable<Uint8Array>) {
    this.it = (async function* () {
      yield* source;
    })();
  }

  private async fill(n: number): Promise<boolean> {
    while (this.buffered < n && !this.done) {
      const r = await this.it.next();
      if (r.done === true) {
        this.done = true;
      } else if (r.value.length > 0) {
        const b = Buffer.isBuffer(r.value) ? r.value : Buffer.from(r.value.buffer, r.value.byteOffset, r.value.length);
        this.chunks.push(b);
        this.buffered += b.length;
      }
    }
    return this.buffered >= n;
  }

  /** Up to n buffered bytes (at least 1 unless the source ended). */
  private async takeSome(n: number): Promise<Buffer | undefined> {
    if (this.buffered === 0 && !(await this.fill(1))) {
      return undefined;
    }
    const first = this.chunks[0]!;
    if (first.length <= n) {
      this.chunks.shift();
      this.buffered -= first.length;
      return first;
    }
    this.chunks[0] = first.subarray(n);
    this.buffered -= n;
    return first.subarray(0, n);
  }

  /** Exactly n bytes, or undefined at a clean end of input; throws on a truncated one. */
  async read(n: number): Promise<Buffer | undefined> {
    if (!(await this.fill(n))) {
      if (this.buffered === 0) {
        return undefined;
      }
      throw new Error('unexpected end of tar archive');
    }
    const parts: Buffer[] = [];
    let want = n;
    while (want > 0) {
      const b = (await this.takeSome(want))!;
      parts.push(b);
      want -= b.length;
    }
    return parts.length === 1 ? parts[0]! : Buffer.concat(parts, n);
  }

  async *stream(n: number): AsyncGenerator<Buffer> {
    let left = n;
    while (left > 0) {
      const b = await this.takeSome(Math.min(left, 1 << 20));
      if (b === undefined) {
        throw new Error('unexpected end of tar archive');
      }
      left -= b.length;
      yield b;
    }
  }

  async skip(n: number): Promise<void> {
    for await (const _ of this.stream(n)) {
      // discard
    }
  }

  /** Drains the source so the producer (a decompressor, a hash) sees all of it. */
  async drain(): Promise<void> {
    this.chunks = [];
    this.buffered = 0;
    while (!this.done) {
      const r = await this.it.next();
      this.done = r.done === true;
    }
  }
}

function cString(b: Buffer): string {
  const nul = b.indexOf(0);
  return b.toString('utf8', 0, nul === -1 ? b.length : nul);
}

/** Octal, or GNU base-256 when the high bit of the first byte is set. */
function parseNumber(b: Buffer): number {
  if (b.length > 0 && (b[0]! & 0x80) !== 0) {
    let n = b[0]! & 0x7f;
    for (let i = 1; i < b.length; i++) {
      n = n * 256 + b[i]!;
    }
    return n;
  }
  const s = cString(b).trim();
  return s === '' ? 0 : parseInt(s, 8);
}

function checksumOk(block: Buffer): boolean {
  const stored = parseNumber(block.subarray(148, 156));
  let sum = 0;
  for (let i = 0; i < BLOCK; i++) {
    sum += i >= 148 && i < 156 ? 32 : block[i]!;
  }
  return sum === stored;
}

const TYPES: Record<string, TarEntryType> = {
  '0': 'file',
  '\0': 'file',
  '7': 'file',
  '1': 'hardlink',
  '2': 'symlink',
  '3': 'char',
  '4': 'block',
  '5': 'dir',
  '6': 'fifo',
};

/** pax records: "<len> <key>=<value>\n", len counting the whole record. */
function parsePax(b: Buffer): Map<string, Buffer> {
  const out = new Map<string, Buffer>();
  let i = 0;
  while (i < b.length) {
    const sp = b.indexOf(0x20, i);
    if (sp === -1) {
      break;
    }
    const len = parseInt(b.toString('ascii', i, sp), 10);
    if (!Number.isFinite(len) || len <= 0 || i + len > b.length) {
      throw new Error('invalid pax header record');
    }
    const rec = b.subarray(sp + 1, i + len - 1); // without the trailing newline
    const eq = rec.indexOf(0x3d);
    if (eq !== -1) {
      out.set(rec.toString('utf8', 0, eq), rec.subarray(eq + 1));
    }
    i += len;
  }
  return out;
}

/**
 * The entries of a tar stream, in order. Each entry's body must be read (or left
 * alone, and it is skipped) before the next one is requested. Ends at the
 * end-of-archive marker, then drains the rest of the source.
 */
export async function* readTar(source: AsyncIterable<Uint8Array> | Iterable<Uint8Array>): AsyncGenerator<TarEntry> {
  const r = new ByteReader(source);
  let pax = new Map<string, Buffer>();
  let globalPax = new Map<string, Buffer>();
  let longName: string | undefined;
  let longLink: string | undefined;
  for (;;) {
    const block = await r.read(BLOCK);
    if (block === undefined || block.every((x) => x === 0)) {
      break;
    }
    if (!checksumOk(block)) {
      throw new Error('invalid tar header (checksum mismatch): not a tar archive, or a corrupt one');
    }
    const flag = String.fromCharCode(block[156]!);
    let size = parseNumber(block.subarray(124, 136));
    const merged = new Map([...globalPax, ...pax]);
    const paxSize = merged.get('size');
    if (paxSize !== undefined) {
      size = parseInt(paxSize.toString('ascii'), 10);
    }
    const padded = Math.ceil(size / BLOCK) * BLOCK;
    if (flag === 'x' || flag === 'g' || flag === 'L' || flag === 'K') {
      const body = (await r.read(padded)) ?? Buffer.alloc(0);
      const data = body.subarray(0, size);
      if (flag === 'x') {
        pax = parsePax(data);
      } else if (flag === 'g') {
        globalPax = parsePax(data);
      } else if (flag === 'L') {
        longName = cString(data);
      } else {
        longLink = cString(data);
      }
      continue;
    }
    const type = TYPES[flag];
    if (type === undefined) {
      // GNU sparse and vendor types are not in image layers; skip the data.
      await r.skip(padded);
      pax = new Map();
      longName = longLink = undefined;
      continue;
    }
    const magic = block.toString('ascii', 257, 262);
    const prefix = magic === 'ustar' ? cString(block.subarray(345, 500)) : '';
    let name = cString(block.subarray(0, 100));
    if (prefix !== '') {
      name = `${prefix}/${name}`;
    }
    const text = (k: string): string | undefined => merged.get(k)?.toString('utf8');
    const num = (k: string, fallback: number): number => {
      const v = text(k);
      return v === undefined ? fallback : Math.floor(Number(v));
    };
    const xattrs: Record<string, Buffer> = {};
    for (const [k, v] of merged) {
      if (k.startsWith('SCHILY.xattr.')) {
        xattrs[k.slice('SCHILY.xattr.'.length)] = v;
      }
    }
    const header: TarHeader = {
      name: text('path') ?? longName ?? name,
      type,
      mode: parseNumber(block.subarray(100, 108)) & 0o7777,
      uid: num('uid', parseNumber(block.subarray(108, 116))),
      gid: num('gid', parseNumber(block.subarray(116, 124))),
      size: type === 'file' ? size : 0,
      mtime: num('mtime', parseNumber(block.subarray(136, 148))),
      linkname: text('linkpath') ?? longLink ?? cString(block.subarray(157, 257)),
      devmajor: parseNumber(block.subarray(329, 337)),
      devminor: parseNumber(block.subarray(337, 345)),
      xattrs,
    };
    pax = new Map();
    longName = longLink = undefined;
    // Only regular files carry data in image layers; others with a size are skipped.
    const dataLen = type === 'file' ? size : 0;
    let taken = 0;
    async function* bodyOf(): AsyncGenerator<Buffer> {
      for await (const b of r.stream(dataLen - taken)) {
        taken += b.length;
        yield b;
      }
    }
    yield { header, body: bodyOf() };
    await r.skip(dataLen - taken);
    await r.skip(padded - dataLen);
  }
  await r.drain();
}
