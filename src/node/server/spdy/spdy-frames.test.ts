import assert from 'node:assert/strict';
import { test } from 'node:test';
import { adler32 } from './testing/adler32.js';
import { SPDY3_DICTIONARY } from './spdy-dictionary.js';
import { SpdyFrameReader, SpdyProtocolError, encodeFrame } from './spdy-frames.js';
import type { SpdyFrame } from './spdy-frames.js';

test('the SPDY/3 dictionary has the length and adler32 of the draft', () => {
  assert.equal(SPDY3_DICTIONARY.length, 1423);
  assert.equal(adler32(SPDY3_DICTIONARY), 0xe3c6a7c2);
});

const frames: SpdyFrame[] = [
  { type: 'data', streamId: 3, fin: false, data: Buffer.from('hello') },
  { type: 'data', streamId: 1, fin: true, data: Buffer.alloc(0) },
  {
    type: 'syn_stream',
    streamId: 5,
    associatedId: 0,
    priority: 3,
    fin: false,
    unidirectional: false,
    headerBlock: Buffer.from([1, 2, 3]),
  },
  { type: 'syn_reply', streamId: 5, fin: true, headerBlock: Buffer.from([9]) },
  { type: 'headers', streamId: 5, fin: false, headerBlock: Buffer.from([7, 7]) },
  { type: 'rst_stream', streamId: 7, status: 5 },
  { type: 'ping', id: 1 },
  { type: 'goaway', lastGoodStreamId: 7, status: 0 },
  { type: 'window_update', streamId: 3, delta: 65536 },
  { type: 'settings', payload: Buffer.from([0, 0, 0, 0]) },
];

test('every frame type survives encode then decode', () => {
  for (const f of frames) {
    const [back, ...rest] = new SpdyFrameReader().push(encodeFrame(f));
    assert.deepEqual(back, f, f.type);
    assert.equal(rest.length, 0);
  }
});

test('control frames carry version 3 and the control bit; data frames a 31-bit stream id', () => {
  const ping = encodeFrame({ type: 'ping', id: 9 });
  assert.deepEqual([...ping], [0x80, 0x03, 0x00, 0x06, 0x00, 0x00, 0x00, 0x04, 0, 0, 0, 9]);
  const data = encodeFrame({ type: 'data', streamId: 3, fin: true, data: Buffer.from('ab') });
  assert.deepEqual([...data], [0, 0, 0, 3, 0x01, 0, 0, 2, 0x61, 0x62]);
});

test('a byte stream in any chunking yields the same frames in order', () => {
  const all = Buffer.concat(frames.map(encodeFrame));
  for (const size of [1, 3, 8, 13, all.length]) {
    const reader = new SpdyFrameReader();
    const got: SpdyFrame[] = [];
    for (let at = 0; at < all.length; at += size) {
      got.push(...reader.push(all.subarray(at, at + size)));
    }
    assert.deepEqual(got, frames, `chunks of ${size}`);
  }
});

test('a control frame of another SPDY version is a protocol error', () => {
  const v2 = encodeFrame({ type: 'ping', id: 1 });
  v2.writeUInt16BE(0x8002, 0);
  assert.throws(() => new SpdyFrameReader().push(v2), SpdyProtocolError);
});
