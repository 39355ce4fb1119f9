// The server side of one SPDY/3.1 connection, as far as Kubernetes' streaming
// protocols use it (k8s.io/apimachinery pkg/util/httpstream/spdy/connection.go
// over moby/spdystream): the client opens every stream with SYN_STREAM, the
// server answers each with SYN_REPLY at once (spdystream drops DATA for a
// stream it has not seen replied, kubectl-contract.md 9.1), PINGs are echoed,
// GOAWAY ends the session. Flow control is not used by spdystream, so SETTINGS
// and WINDOW_UPDATE are ignored.
//
// Frames leave through one ordered queue, so a SYN_REPLY, whose header block
// compresses asynchronously, can never be overtaken by DATA on its stream;
// frames arriving are handled one at a time for the same reason.
import { HeaderCompressor, HeaderDecompressor } from './spdy-header-codec.js';
import type { SpdyHeaders } from './spdy-header-codec.js';
import { RST_PROTOCOL_ERROR, RST_REFUSED_STREAM, SpdyFrameReader, encodeFrame } from './spdy-frames.js';
import type { SpdyFrame } from './spdy-frames.js';

/** Where the session's bytes go (a socket, or a WebSocket tunnel). */
export interface SpdyTransport {
  write(bytes: Buffer): void;
  /** Closes the underlying connection; idempotent. */
  end(): void;
}

/** Largest DATA frame sent (the peer accepts up to 16 MiB; small frames keep latency low). */
const DATA_CHUNK = 32 * 1024;

export class SpdyStream {
  /** Bytes from the client. */
  onData: (chunk: Buffer) => void = () => {};
  /** The client half-closed (FIN) its side. */
  onEnd: () => void = () => {};
  /** The stream was reset by the client or the session ended before it closed. */
  onReset: () => void = () => {};
  private localClosed = false;
  private remoteClosed = false;
  private wasReset = false;

  constructor(
    readonly id: number,
    readonly headers: SpdyHeaders,
    private readonly session: SpdySession,
  ) {}

  /** Sends bytes to the client (after the SYN_REPLY, in order). */
  write(data: Uint8Array): void {
    if (this.localClosed || this.wasReset) {
      return;
    }
    const buf = Buffer.from(data);
    for (let at = 0; at < buf.length; at += DATA_CHUNK) {
      this.session.send({ type: 'data', streamId: this.id, fin: false, data: buf.subarray(at, at + DATA_CHUNK) });
    }
  }

  /** Half-closes the server side (DATA with FIN); idempotent. */
  end(): void {
    if (this.localClosed || this.wasReset) {
      return;
    }
    this.localClosed = true;
    this.session.send({ type: 'data', streamId: this.id, fin: true, data: Buffer.alloc(0) });
    this.maybeDone();
  }

  /** Refuses or abandons the stream: RST_STREAM to the client (default REFUSED_STREAM). */
  reset(status = RST_REFUSED_STREAM): void {
    if (this.wasReset) {
      return;
    }
    this.session.send({ type: 'rst_stream', streamId: this.id, status });
    this.remoteReset();
  }

  get closed(): boolean {
    return this.wasReset || (this.localClosed && this.remoteClosed);
  }

  /** @internal */ remoteData(chunk: Buffer, fin: boolean): void {
    if (this.wasReset) {
      return;
    }
    if (chunk.length > 0 && !this.remoteClosed) {
      this.onData(chunk);
    }
    if (fin && !this.remoteClosed) {
      this.remoteClosed = true;
      this.onEnd();
      this.maybeDone();
    }
  }

  /** @internal */ remoteReset(): void {
    if (this.wasReset) {
      return;
    }
    this.wasReset = true;
    this.session.forget(this.id);
    this.onReset();
  }

  private maybeDone(): void {
    if (this.localClosed && this.remoteClosed) {
      this.session.forget(this.id);
    }
  }
}

export interface SpdySessionOptions {
  transport: SpdyTransport;
  /** A new stream from the client (already replied to). */
  onStream(stream: SpdyStream): void;
  /** The session ended (GOAWAY, transport closed, protocol error). */
  onClose?(): void;
  onError?(e: unknown): void;
}

export class SpdySession {
  private readonly reader = new SpdyFrameReader();
  private readonly compressor = new HeaderCompressor();
  private readonly decompressor = new HeaderDecompressor();
  private readonly streams = new Map<number, SpdyStream>();
  private out: Promise<void> = Promise.resolve();
  private inbound: Promise<void> = Promise.resolve();
  /** No more frames are queued (close() was called or the transport is gone). */
  private closed = false;
  /** The transport is gone: queued frames are dropped. */
  private dead = false;
  private lastStreamId = 0;

  constructor(private readonly opts: SpdySessionOptions) {}

  /** Bytes from the client, in any chunking. */
  receive(chunk: Uint8Array): void {
    if (this.closed) {
      return;
    }
    let frames: SpdyFrame[];
    try {
      frames = this.reader.push(chunk);
    } catch (e) {
      this.opts.onError?.(e);
      this.close();
      return;
    }
    for (const f of frames) {
      this.inbound = this.inbound
        .then(() => this.handle(f))
        .catch((e: unknown) => {
          this.opts.onError?.(e);
          this.close();
        });
    }
  }

  /** Queues a frame; frames leave in the order queued. */
  send(frame: SpdyFrame | Promise<SpdyFrame>): void {
    if (this.closed) {
      return;
    }
    this.out = this.out
      .then(async () => {
        const f = await frame;
        if (!this.dead) {
          this.opts.transport.write(encodeFrame(f));
        }
      })
      .catch((e: unknown) => this.opts.onError?.(e));
  }

  /** Sends GOAWAY once queued frames are out, then ends the transport. Idempotent. */
  close(): void {
    if (this.closed) {
      return;
    }
    this.send({ type: 'goaway', lastGoodStreamId: this.lastStreamId, status: 0 });
    this.closed = true;
    void this.out.then(() => this.teardown());
  }

  /** The transport went away: every open stream is reset. */
  transportClosed(): void {
    this.closed = true;
    this.teardown();
  }

  /** @internal */ forget(id: number): void {
    this.streams.delete(id);
  }

  private teardown(): void {
    if (this.dead) {
      return;
    }
    this.dead = true;
    for (const s of [...this.streams.values()]) {
      s.remoteReset();
    }
    this.streams.clear();
    this.compressor.close();
    this.decompressor.close();
    this.opts.transport.end();
    this.opts.onClose?.();
  }

  private async handle(f: SpdyFrame): Promise<void> {
    if (this.closed) {
      return;
    }
    switch (f.type) {
      case 'syn_stream': {
        // Decompress even for a stream refused below: the zlib state spans every block.
        const headers = await this.decompressor.decompress(f.headerBlock);
        if (f.streamId % 2 === 0 || f.streamId <= this.lastStreamId || this.streams.has(f.streamId)) {
          this.send({ type: 'rst_stream', streamId: f.streamId, status: RST_PROTOCOL_ERROR });
          return;
        }
        this.lastStreamId = f.streamId;
        const stream = new SpdyStream(f.streamId, headers, this);
        this.streams.set(f.streamId, stream);
        this.send(
          this.compressor
            .compress({})
            .then((headerBlock): SpdyFrame => ({ type: 'syn_reply', streamId: f.streamId, fin: false, headerBlock })),
        );
        this.opts.onStream(stream);
        if (f.fin) {
          stream.remoteData(Buffer.alloc(0), true);
        }
        return;
      }
      case 'headers':
        await this.decompressor.decompress(f.headerBlock);
        if (f.fin) {
          this.streams.get(f.streamId)?.remoteData(Buffer.alloc(0), true);
        }
        return;
      case 'syn_reply':
        // The server opens no streams; keep the zlib state in step anyway.
        await this.decompressor.decompress(f.headerBlock);
        return;
      case 'data':
        this.streams.get(f.streamId)?.remoteData(f.data, f.fin);
        return;
      case 'rst_stream':
        this.streams.get(f.streamId)?.remoteReset();
        return;
      case 'ping':
        this.send(f);
        return;
      case 'goaway':
        this.close();
        return;
      default:
        return;
    }
  }
}
