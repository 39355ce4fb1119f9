// Layer blobs come plain (docker save), gzip (docker, most registries) or zstd
// (image-spec mediatype "tar+zstd"). The compression is read from the first bytes,
// not from the media type, as containerd's compression.DecompressStream does:
// docker-save archives call uncompressed tars "layer.tar" and OCI archives label
// blobs inconsistently. Node 20's zlib has no zstd, so fzstd decodes it.
import { Readable, pipeline } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { Decompress } from 'fzstd';

/** Bytes in chunks: a stream, a generator, or an array of buffers. */
export type ByteSource = AsyncIterable<Uint8Array> | Iterable<Uint8Array>;

export type Compression = 'none' | 'gzip' | 'zstd';

export function detectCompression(head: Uint8Array): Compression {
  if (head.length >= 2 && head[0] === 0x1f && head[1] === 0x8b) {
    return 'gzip';
  }
  if (head.length >= 4 && head[0] === 0x28 && head[1] === 0xb5 && head[2] === 0x2f && head[3] === 0xfd) {
    return 'zstd';
  }
  return 'none';
}

/** Any ByteSource as an async iterable. */
export async function* toAsync(source: ByteSource): AsyncGenerator<Uint8Array> {
  yield* source;
}

async function* prepend(head: Buffer, it: AsyncIterator<Uint8Array>): AsyncGenerator<Uint8Array> {
  if (head.length > 0) {
    yield head;
  }
  for (;;) {
    const r = await it.next();
    if (r.done === true) {
      return;
    }
    yield r.value;
  }
}

async function* zstd(source: AsyncIterable<Uint8Array>): AsyncGenerator<Buffer> {
  const out: Buffer[] = [];
  // fzstd may hand out views of its window: copy each chunk before it moves on.
  const d = new Decompress((chunk) => void out.push(Buffer.from(chunk)));
  for await (const c of source) {
    d.push(c);
    yield* out.splice(0);
  }
  d.push(new Uint8Array(0), true);
  yield* out.splice(0);
}

/** The decompressed bytes of `source`, whichever of the three forms it is in. */
export async function* decompress(source: ByteSource): AsyncGenerator<Buffer> {
  const it = toAsync(source)[Symbol.asyncIterator]();
  const headParts: Buffer[] = [];
  let headLen = 0;
  while (headLen < 4) {
    const r = await it.next();
    if (r.done === true) {
      break;
    }
    headParts.push(Buffer.from(r.value.buffer, r.value.byteOffset, r.value.length));
    headLen += r.value.length;
  }
  const head = Buffer.concat(headParts);
  const rest = prepend(head, it);
  switch (detectCompression(head)) {
    case 'gzip': {
      // pipeline destroys the gunzip stream with the source's error, so the loop below throws it.
      const gunzip = pipeline(Readable.from(rest), createGunzip(), () => undefined);
      for await (const c of gunzip) {
        yield c as Buffer;
      }
      return;
    }
    case 'zstd':
      yield* zstd(rest);
      return;
    case 'none':
      for await (const c of rest) {
        yield Buffer.from(c.buffer, c.byteOffset, c.length);
      }
  }
}
