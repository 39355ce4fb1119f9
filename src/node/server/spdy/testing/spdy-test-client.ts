// The client half of a SPDY/3.1 connection for tests: builds frames with its own
// header compressor (as spdystream does) and reads what the server sent, header
// blocks decompressed.
import { HeaderCompressor, HeaderDecompressor } from '../spdy-header-codec.js';
import type { SpdyHeaders } from '../spdy-header-codec.js';
import { SpdyFrameReader, encodeFrame } from '../spdy-frames.js';
import type { SpdyFrame } from '../spdy-frames.js';

export type ReceivedFrame = SpdyFrame & { headers?: SpdyHeaders };

export class SpdyTestClient {
  private readonly compressor = new HeaderCompressor();
  private readonly decompressor = new HeaderDecompressor();
  private readonly reader = new SpdyFrameReader();
  /** Frames from the server, in order. */
  readonly received: ReceivedFrame[] = [];
  private pending: Promise<void> = Promise.resolve();

  async synStream(streamId: number, headers: SpdyHeaders, fin = false): Promise<Buffer> {
    const headerBlock = await this.compressor.compress(headers);
    return encodeFrame({
      type: 'syn_stream',
      streamId,
      associatedId: 0,
      priority: 0,
      fin,
      unidirectional: false,
      headerBlock,
    });
  }

  data(streamId: number, text: string, fin = false): Buffer {
    return encodeFrame({ type: 'data', streamId, fin, data: Buffer.from(text, 'utf8') });
  }

  private closed = false;

  /** Bytes the server wrote (ignored once closed). */
  receive(bytes: Buffer): void {
    if (this.closed) {
      return;
    }
    for (const f of this.reader.push(bytes)) {
      this.pending = this.pending.then(async () => {
        if (f.type === 'syn_reply' || f.type === 'headers') {
          this.received.push({ ...f, headers: await this.decompressor.decompress(f.headerBlock) });
        } else {
          this.received.push(f);
        }
      });
    }
  }

  /** Waits until every frame received so far is decoded. */
  async settled(): Promise<ReceivedFrame[]> {
    await this.pending;
    return this.received;
  }

  /** The text of the DATA frames on a stream, and whether a FIN came. */
  stream(streamId: number): { text: string; fin: boolean } {
    let text = '';
    let fin = false;
    for (const f of this.received) {
      if (f.type === 'data' && f.streamId === streamId) {
        text += f.data.toString('utf8');
        fin ||= f.fin;
      }
    }
    return { text, fin };
  }

  /** Releases the zlib streams once pending frames are decoded. */
  async close(): Promise<void> {
    this.closed = true;
    await this.pending;
    this.compressor.close();
    this.decompressor.close();
  }
}
