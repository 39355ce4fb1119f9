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

/**
 * A zlib stream used one block at a time: its output is gathered by one
 * listener for its whole life, and a block's output is what arrived once its
 * Z_SYNC_FLUSH completed and pending 'data' events had their turn.
 */
class FlushedZlib {
  private out: Buffer[] = [];
  private failure: Error | undefined;
  private queue: Promise<unknown> = Promise.resolve();

  constructor(private readonly z: Deflate | Inflate) {
    z.on('data', (b: Buffer) => this.out.push(b));
    z.on('error', (e: Error) => (this.failure = e));
  }

  /** Feeds `chunk`, sync-flushes, resolves with the output; `complete` says when all of it arrived. */
  run(chunk: Buffer, complete: (out: Buffer) => boolean): Promise<Buffer> {
    const next = this.queue.then(async () => {
      this.check();
      this.out = [];
      await new Promise<void>((resolve) => {
        // A corrupt input fails the stream: the flush callback never comes, the error does.
        const onError = (): void => resolve();
        this.z.once('error', onError);
        this.z.write(chunk);
        this.z.flush(constants.Z_SYNC_FLUSH, () => {
          this.z.off('error', onError);
          resolve();
        });
      });
      let out = Buffer.concat(this.out);
      for (let i = 0; i < 1000 && !this.failure && !complete(out); i++) {
        await new Promise<void>((r) => setImmediate(r));
        out = Buffer.concat(this.out);
      }
      this.check();
      this.out = [];
      return out;
    });
    this.queue = next.catch(() => undefined);
    return next;
  }

  private check(): void {
    if (this.failure) {
      throw new SpdyProtocolError(`header block compression: ${this.failure.message}`);
    }
  }

  close(): void {
    this.z.close();
  }
}

/** A sync flush ends with an empty stored block: 00 00 ff ff. */
function endsWithSyncMarker(b: Buffer): boolean {
  return b.length >= 4 && b.readUInt32BE(b.length - 4) === 0x0000ffff;
}

function isCompleteHeaderBlock(b: Buffer): boolean {
  try {
    decodeHeaderBlock(b);
    return true;
  } catch {
    return false;
  }
}

/** One direction's compressor (server → client header blocks). */
export class HeaderCompressor {
  private readonly z = new FlushedZlib(createDeflate({ dictionary: SPDY3_DICTIONARY, level: 9 }));

  compress(headers: SpdyHeaders): Promise<Buffer> {
    return this.z.run(encodeHeaderBlock(headers), endsWithSyncMarker);
  }

  close(): void {
    this.z.close();
  }
}

/** One direction's decompressor (client → server header blocks). */
export class HeaderDecompressor {
  private readonly z = new FlushedZlib(createInflate({ dictionary: SPDY3_DICTIONARY }));

  async decompress(block: Buffer): Promise<SpdyHeaders> {
    return decodeHeaderBlock(await this.z.run(block, isCompleteHeaderBlock));
  }

  close(): void {
    this.z.close();
  }
}
