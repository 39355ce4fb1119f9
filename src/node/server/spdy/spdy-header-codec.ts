// SPDY/3 header blocks (draft 3.1 section 2.6.10): a pair count, then length-
// prefixed lowercase names and values (several values of one name joined by
// NUL), compressed by zlib with the SPDY dictionary. The zlib state is shared by
// every header block of one direction of a connection, and each block ends with
// a Z_SYNC_FLUSH, so one deflate and one inflate stream live per session and
// blocks go through them strictly one at a time (kubectl-contract.md 9.3: the
// synchronous zlib API closes its handle after one call and cannot hold it).
import { constants, createDeflate, createInflate } from 'node:zlib';
import type { Deflate, Inflate } from 'node:zlib';
import { SPDY3_DICTIONARY } from './spdy-dictionary.js';
import { SpdyProtocolError } from './spdy-frames.js';

export type SpdyHeaders = Record<string, string>;

export function encodeHeaderBlock(headers: SpdyHeaders): Buffer {
  const entries = Object.entries(headers);
  const parts: Buffer[] = [u32(entries.length)];
  for (const [name, value] of entries) {
    const n = Buffer.from(name.toLowerCase(), 'utf8');
    const v = Buffer.from(value, 'utf8');
    parts.push(u32(n.length), n, u32(v.length), v);
  }
  return Buffer.concat(parts);
}

export function decodeHeaderBlock(raw: Buffer): SpdyHeaders {
  let at = 0;
  const read = (): Buffer => {
    if (at + 4 > raw.length) {
      throw new SpdyProtocolError('truncated header block');
    }
    const len = raw.readUInt32BE(at);
    at += 4;
    if (at + len > raw.length) {
      throw new SpdyProtocolError('truncated header block');
    }
    const b = raw.subarray(at, at + len);
    at += len;
    return b;
  };
  if (raw.length < 4) {
    throw new SpdyProtocolError('truncated header block');
  }
  const count = raw.readUInt32BE(0);
  at = 4;
  const headers: SpdyHeaders = {};
  for (let i = 0; i < count; i++) {
    const name = read().toString('utf8');
    const value = read().toString('utf8');
    headers[name] = name in headers ? `${headers[name]}\0${value}` : value;
  }
  return headers;
}

function u32(v: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(v);
  return b;
}

/** Runs `chunk` through a zlib stream and returns what one Z_SYNC_FLUSH yields. */
function flushThrough(z: Deflate | Inflate, chunk: Buffer): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const out: Buffer[] = [];
    const onData = (b: Buffer): void => {
      out.push(b);
    };
    const onError = (e: Error): void => {
      z.off('data', onData);
      reject(new SpdyProtocolError(`header block compression: ${e.message}`));
    };
    z.on('data', onData);
    z.once('error', onError);
    z.write(chunk);
    z.flush(constants.Z_SYNC_FLUSH, () => {
      // Output of the flush is pushed before its callback runs; read what is still buffered.
      for (let b = z.read() as Buffer | null; b !== null; b = z.read() as Buffer | null) {
        out.push(b);
      }
      z.off('data', onData);
      z.off('error', onError);
      resolve(Buffer.concat(out));
    });
  });
}

/** One direction's compressor (server → client header blocks). */
export class HeaderCompressor {
  private readonly z: Deflate = createDeflate({ dictionary: SPDY3_DICTIONARY, level: 9 });
  private queue: Promise<unknown> = Promise.resolve();

  compress(headers: SpdyHeaders): Promise<Buffer> {
    const next = this.queue.then(() => flushThrough(this.z, encodeHeaderBlock(headers)));
    this.queue = next.catch(() => undefined);
    return next;
  }

  close(): void {
    this.z.close();
  }
}

/** One direction's decompressor (client → server header blocks). */
export class HeaderDecompressor {
  private readonly z: Inflate = createInflate({ dictionary: SPDY3_DICTIONARY });
  private queue: Promise<unknown> = Promise.resolve();

  decompress(block: Buffer): Promise<SpdyHeaders> {
    const next = this.queue.then(async () => decodeHeaderBlock(await flushThrough(this.z, block)));
    this.queue = next.catch(() => undefined);
    return next;
  }

  close(): void {
    this.z.close();
  }
}
