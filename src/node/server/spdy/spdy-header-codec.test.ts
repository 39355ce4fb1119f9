import assert from 'node:assert/strict';
import { test } from 'node:test';
import { inflateSync } from 'node:zlib';
import { SPDY3_DICTIONARY } from './spdy-dictionary.js';
import { HeaderCompressor, HeaderDecompressor, decodeHeaderBlock, encodeHeaderBlock } from './spdy-header-codec.js';
import type { SpdyHeaders } from './spdy-header-codec.js';

test('a header block is a count then length-prefixed lowercase names and values', () => {
  const raw = encodeHeaderBlock({ StreamType: 'data', port: '80' });
  assert.deepEqual(
    [...raw],
    [
      ...[0, 0, 0, 2],
      ...[0, 0, 0, 10],
      ...Buffer.from('streamtype'),
      ...[0, 0, 0, 4],
      ...Buffer.from('data'),
      ...[0, 0, 0, 4],
      ...Buffer.from('port'),
      ...[0, 0, 0, 2],
      ...Buffer.from('80'),
    ],
  );
  assert.deepEqual(decodeHeaderBlock(raw), { streamtype: 'data', port: '80' });
});

test('compressed blocks share one zlib stream per direction and each ends with a sync flush', async () => {
  const c = new HeaderCompressor();
  const d = new HeaderDecompressor();
  try {
    const blocks: SpdyHeaders[] = [
      { streamtype: 'error', port: '80', requestid: '0' },
      { streamtype: 'data', port: '80', requestid: '0' },
      {},
      { streamtype: 'data', port: '8080', requestid: '1' },
    ];
    const compressed: Buffer[] = [];
    for (const h of blocks) {
      const z = await c.compress(h);
      assert.deepEqual([...z.subarray(-4)], [0, 0, 0xff, 0xff], 'Z_SYNC_FLUSH marker');
      compressed.push(z);
    }
    // The later blocks reference the earlier ones (shared window): they are smaller than the first.
    assert.ok(compressed[1]!.length < compressed[0]!.length);
    for (const [i, z] of compressed.entries()) {
      assert.deepEqual(await d.decompress(z), blocks[i]);
    }
    // The whole stream is plain zlib with the SPDY dictionary.
    const whole = inflateSync(Buffer.concat(compressed), { dictionary: SPDY3_DICTIONARY, finishFlush: 2 });
    assert.deepEqual(decodeHeaderBlock(whole), blocks[0]);
  } finally {
    c.close();
    d.close();
  }
});

test('a garbled block is rejected', async () => {
  const d = new HeaderDecompressor();
  try {
    await assert.rejects(d.decompress(Buffer.from('not zlib at all')));
  } finally {
    d.close();
  }
});
