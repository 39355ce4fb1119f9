// SPDY/3.1 framing, the part kubectl's port-forward (and exec fallback) speaks:
// SPDY Protocol draft 3.1 section 2.2 (frame layout) and 2.6 (control frames);
// moby/spdystream's spdy/read.go and write.go are the peer's implementation.
// Header blocks stay compressed here; spdy-header-codec.ts (de)compresses them.

export const SPDY_VERSION = 3;
export const FLAG_FIN = 0x01;
export const FLAG_UNIDIRECTIONAL = 0x02;

/** Control frame types (section 2.6). */
export const CONTROL = {
  SYN_STREAM: 1,
  SYN_REPLY: 2,
  RST_STREAM: 3,
  SETTINGS: 4,
  PING: 6,
  GOAWAY: 7,
  HEADERS: 8,
  WINDOW_UPDATE: 9,
} as const;

/** RST_STREAM status codes (section 2.6.3). */
export const RST_PROTOCOL_ERROR = 1;
export const RST_INVALID_STREAM = 2;
export const RST_REFUSED_STREAM = 3;
export const RST_CANCEL = 5;

export type SpdyFrame =
  | { type: 'data'; streamId: number; fin: boolean; data: Buffer }
  | {
      type: 'syn_stream';
      streamId: number;
      associatedId: number;
      priority: number;
      fin: boolean;
      unidirectional: boolean;
      headerBlock: Buffer;
    }
  | { type: 'syn_reply'; streamId: number; fin: boolean; headerBlock: Buffer }
  | { type: 'headers'; streamId: number; fin: boolean; headerBlock: Buffer }
  | { type: 'rst_stream'; streamId: number; status: number }
  | { type: 'ping'; id: number }
  | { type: 'goaway'; lastGoodStreamId: number; status: number }
  | { type: 'window_update'; streamId: number; delta: number }
  | { type: 'settings'; payload: Buffer }
  | { type: 'unknown'; frameType: number; flags: number; payload: Buffer };

/** Largest payload a frame's 24-bit length can carry. */
export const MAX_FRAME_PAYLOAD = 0xffffff;

function controlFrame(type: number, flags: number, payload: Buffer): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt16BE(0x8000 | SPDY_VERSION, 0);
  head.writeUInt16BE(type, 2);
  head.writeUInt32BE(((flags & 0xff) << 24) | payload.length, 4);
  return Buffer.concat([head, payload]);
}

function u32(...values: number[]): Buffer {
  const b = Buffer.alloc(4 * values.length);
  values.forEach((v, i) => b.writeUInt32BE(v >>> 0, i * 4));
  return b;
}

/** The wire bytes of one frame. */
export function encodeFrame(f: SpdyFrame): Buffer {
  switch (f.type) {
    case 'data': {
      if (f.data.length > MAX_FRAME_PAYLOAD) {
        throw new RangeError(`DATA frame of ${f.data.length} bytes is too large`);
      }
      const head = Buffer.alloc(8);
      head.writeUInt32BE(f.streamId & 0x7fffffff, 0);
      head.writeUInt32BE(((f.fin ? FLAG_FIN : 0) << 24) | f.data.length, 4);
      return Buffer.concat([head, f.data]);
    }
    case 'syn_stream': {
      const fixed = Buffer.alloc(10);
      fixed.writeUInt32BE(f.streamId & 0x7fffffff, 0);
      fixed.writeUInt32BE(f.associatedId & 0x7fffffff, 4);
      fixed.writeUInt8((f.priority & 0x7) << 5, 8);
      fixed.writeUInt8(0, 9);
      const flags = (f.fin ? FLAG_FIN : 0) | (f.unidirectional ? FLAG_UNIDIRECTIONAL : 0);
      return controlFrame(CONTROL.SYN_STREAM, flags, Buffer.concat([fixed, f.headerBlock]));
    }
    case 'syn_reply':
      return controlFrame(CONTROL.SYN_REPLY, f.fin ? FLAG_FIN : 0, Buffer.concat([u32(f.streamId), f.headerBlock]));
    case 'headers':
      return controlFrame(CONTROL.HEADERS, f.fin ? FLAG_FIN : 0, Buffer.concat([u32(f.streamId), f.headerBlock]));
    case 'rst_stream':
      return controlFrame(CONTROL.RST_STREAM, 0, u32(f.streamId, f.status));
    case 'ping':
      return controlFrame(CONTROL.PING, 0, u32(f.id));
    case 'goaway':
      return controlFrame(CONTROL.GOAWAY, 0, u32(f.lastGoodStreamId, f.status));
    case 'window_update':
      return controlFrame(CONTROL.WINDOW_UPDATE, 0, u32(f.streamId, f.delta));
    case 'settings':
      return controlFrame(CONTROL.SETTINGS, 0, f.payload);
    case 'unknown':
      return controlFrame(f.frameType, f.flags, f.payload);
  }
}

export class SpdyProtocolError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SpdyProtocolError';
  }
}

function decodeControl(type: number, flags: number, p: Buffer): SpdyFrame {
  const fin = (flags & FLAG_FIN) !== 0;
  const need = (n: number): void => {
    if (p.length < n) {
      throw new SpdyProtocolError(`control frame type ${type} too short: ${p.length} bytes`);
    }
  };
  switch (type) {
    case CONTROL.SYN_STREAM:
      need(10);
      return {
        type: 'syn_stream',
        streamId: p.readUInt32BE(0) & 0x7fffffff,
        associatedId: p.readUInt32BE(4) & 0x7fffffff,
        priority: p.readUInt8(8) >> 5,
        fin,
        unidirectional: (flags & FLAG_UNIDIRECTIONAL) !== 0,
        headerBlock: p.subarray(10),
      };
    case CONTROL.SYN_REPLY:
      need(4);
      return { type: 'syn_reply', streamId: p.readUInt32BE(0) & 0x7fffffff, fin, headerBlock: p.subarray(4) };
    case CONTROL.HEADERS:
      need(4);
      return { type: 'headers', streamId: p.readUInt32BE(0) & 0x7fffffff, fin, headerBlock: p.subarray(4) };
    case CONTROL.RST_STREAM:
      need(8);
      return { type: 'rst_stream', streamId: p.readUInt32BE(0) & 0x7fffffff, status: p.readUInt32BE(4) };
    case CONTROL.PING:
      need(4);
      return { type: 'ping', id: p.readUInt32BE(0) };
    case CONTROL.GOAWAY:
      need(4);
      return {
        type: 'goaway',
        lastGoodStreamId: p.readUInt32BE(0) & 0x7fffffff,
        status: p.length >= 8 ? p.readUInt32BE(4) : 0,
      };
    case CONTROL.WINDOW_UPDATE:
      need(8);
      return { type: 'window_update', streamId: p.readUInt32BE(0) & 0x7fffffff, delta: p.readUInt32BE(4) & 0x7fffffff };
    case CONTROL.SETTINGS:
      return { type: 'settings', payload: p };
    default:
      return { type: 'unknown', frameType: type, flags, payload: p };
  }
}

/**
 * Cuts a byte stream into frames. Bytes may arrive in any chunking (a
 * WebSocket tunnel's message boundaries mean nothing, kubectl-contract.md 9.1).
 */
export class SpdyFrameReader {
  private buf: Buffer = Buffer.alloc(0);

  /** Adds bytes; returns the frames completed by them, in order. Throws SpdyProtocolError. */
  push(chunk: Uint8Array): SpdyFrame[] {
    this.buf = this.buf.length === 0 ? Buffer.from(chunk) : Buffer.concat([this.buf, chunk]);
    const frames: SpdyFrame[] = [];
    while (this.buf.length >= 8) {
      const length = this.buf.readUInt32BE(4) & 0xffffff;
      if (this.buf.length < 8 + length) {
        break;
      }
      const flags = this.buf.readUInt8(4);
      const payload = Buffer.from(this.buf.subarray(8, 8 + length));
      const first = this.buf.readUInt32BE(0);
      if ((first & 0x80000000) !== 0) {
        const version = (first >>> 16) & 0x7fff;
        if (version !== SPDY_VERSION) {
          throw new SpdyProtocolError(`unsupported SPDY version ${version}`);
        }
        frames.push(decodeControl(first & 0xffff, flags, payload));
      } else {
        frames.push({ type: 'data', streamId: first & 0x7fffffff, fin: (flags & FLAG_FIN) !== 0, data: payload });
      }
      this.buf = this.buf.subarray(8 + length);
    }
    return frames;
  }
}
