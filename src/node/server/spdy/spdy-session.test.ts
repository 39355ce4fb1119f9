import assert from 'node:assert/strict';
import { test } from 'node:test';
import { RST_PROTOCOL_ERROR, encodeFrame } from './spdy-frames.js';
import { SpdySession } from './spdy-session.js';
import type { SpdyStream } from './spdy-session.js';
import { SpdyTestClient } from './testing/spdy-test-client.js';

/** A session wired to a test client; `until` waits for a condition on what the client got. */
function connect(onStream: (s: SpdyStream) => void = () => {}) {
  const client = new SpdyTestClient();
  const state = { ended: false, closed: false };
  const session = new SpdySession({
    transport: { write: (b) => client.receive(b), end: () => (state.ended = true) },
    onStream,
    onClose: () => (state.closed = true),
  });
  const until = async (cond: () => boolean, what: string): Promise<void> => {
    const deadline = performance.now() + 5000;
    while (!cond() && performance.now() < deadline) {
      await client.settled();
      await new Promise<void>((r) => setImmediate(r));
    }
    assert.ok(cond(), `${what}; frames: ${JSON.stringify(client.received.map((f) => f.type))}`);
  };
  return { client, session, state, until };
}

test('a new stream is answered with SYN_REPLY before the data the server writes on it', async () => {
  const streams: SpdyStream[] = [];
  const { client, session, until } = connect((s) => {
    streams.push(s);
    s.write(Buffer.from('hello'));
    s.end();
  });
  session.receive(await client.synStream(1, { streamtype: 'data', port: '80' }));
  await until(() => client.received.length >= 3, 'reply and data');
  const [reply, data, fin] = client.received;
  assert.equal(reply?.type, 'syn_reply');
  assert.deepEqual(reply?.headers, {});
  assert.deepEqual([data?.type, fin?.type], ['data', 'data']);
  assert.equal(client.stream(1).text, 'hello');
  assert.equal(client.stream(1).fin, true);
  assert.deepEqual(streams[0]?.headers, { streamtype: 'data', port: '80' });
  await client.close();
});

test('client data reaches the stream, FIN ends it, RST_STREAM resets it', async () => {
  const got: string[] = [];
  const events: string[] = [];
  const { client, session, until } = connect((s) => {
    s.onData = (c) => got.push(`${s.id}:${c.toString()}`);
    s.onEnd = () => events.push(`end ${s.id}`);
    s.onReset = () => events.push(`reset ${s.id}`);
  });
  const bytes = Buffer.concat([
    await client.synStream(1, { streamtype: 'error' }),
    client.data(1, '', true),
    await client.synStream(3, { streamtype: 'data' }),
    client.data(3, 'abc'),
    encodeFrame({ type: 'rst_stream', streamId: 3, status: 5 }),
  ]);
  // In any chunking.
  for (let at = 0; at < bytes.length; at += 7) {
    session.receive(bytes.subarray(at, at + 7));
  }
  await until(
    () => events.length === 2 && client.received.filter((f) => f.type === 'syn_reply').length === 2,
    'end, reset and both replies',
  );
  assert.deepEqual(got, ['3:abc']);
  assert.deepEqual(events, ['end 1', 'reset 3']);
  await client.close();
});

test('PING is echoed; an even stream id is refused; GOAWAY ends the session and resets open streams', async () => {
  const events: string[] = [];
  const { client, session, state, until } = connect((s) => {
    s.onReset = () => events.push(`reset ${s.id}`);
  });
  session.receive(encodeFrame({ type: 'ping', id: 7 }));
  session.receive(await client.synStream(2, { streamtype: 'data' }));
  session.receive(await client.synStream(5, { streamtype: 'data' }));
  await until(() => client.received.some((f) => f.type === 'rst_stream'), 'the refusal');
  assert.deepEqual(client.received[0], { type: 'ping', id: 7 });
  assert.ok(
    client.received.some((f) => f.type === 'rst_stream' && f.streamId === 2 && f.status === RST_PROTOCOL_ERROR),
  );
  session.receive(encodeFrame({ type: 'goaway', lastGoodStreamId: 5, status: 0 }));
  await until(() => state.closed, 'the session closed');
  await client.settled();
  assert.equal(state.ended, true);
  assert.deepEqual(events, ['reset 5']);
  assert.ok(client.received.some((f) => f.type === 'goaway'));
  await client.close();
});
