import assert from 'node:assert/strict';
import { test } from 'node:test';
import { RuntimeError } from '../../runtime/runtime.js';
import type { ByteSink } from '../../runtime/runtime.js';
import { portForwardStreamHandler } from './port-forward-spdy.js';
import { RST_REFUSED_STREAM } from './spdy/spdy-frames.js';
import { SpdySession } from './spdy/spdy-session.js';
import { SpdyTestClient } from './spdy/testing/spdy-test-client.js';

async function until(client: SpdyTestClient, cond: () => boolean, what: string): Promise<void> {
  const deadline = performance.now() + 5000;
  while (!cond() && performance.now() < deadline) {
    await client.settled();
    await new Promise<void>((r) => setImmediate(r));
  }
  assert.ok(cond(), what);
}

test('an error+data stream pair with the same requestid dials the port and copies both ways', async () => {
  const client = new SpdyTestClient();
  const dialed: number[] = [];
  const toPod: string[] = [];
  let podSide: ByteSink | undefined;
  const session = new SpdySession({
    transport: { write: (b) => client.receive(b), end: () => {} },
    onStream: portForwardStreamHandler({
      podName: 'web',
      podUid: 'u1',
      dial: async (port, toClient) => {
        dialed.push(port);
        podSide = toClient;
        return { write: (c) => toPod.push(Buffer.from(c).toString()), end: () => toPod.push('<eof>') };
      },
    }),
  });
  // kubectl: error stream (with an empty DATA+FIN at once), then the data stream and the bytes.
  session.receive(await client.synStream(1, { streamtype: 'error', port: '80', requestid: '0' }));
  session.receive(client.data(1, '', true));
  session.receive(await client.synStream(3, { streamtype: 'data', port: '80', requestid: '0' }));
  session.receive(client.data(3, 'GET / HTTP/1.1\r\n\r\n'));
  session.receive(client.data(3, '', true));
  await until(client, () => toPod.length === 2, 'bytes and EOF reach the pod');
  assert.deepEqual(dialed, [80]);
  assert.deepEqual(toPod, ['GET / HTTP/1.1\r\n\r\n', '<eof>']);
  podSide!.write(Buffer.from('HTTP/1.1 200 OK\r\n\r\n'));
  podSide!.end();
  await until(client, () => client.stream(3).fin && client.stream(1).fin, 'both streams end');
  assert.equal(client.stream(3).text, 'HTTP/1.1 200 OK\r\n\r\n');
  assert.equal(client.stream(1).text, '');
  await client.close();
});

test('a refused port is reported on the error stream with the kubelet message', async () => {
  const client = new SpdyTestClient();
  const session = new SpdySession({
    transport: { write: (b) => client.receive(b), end: () => {} },
    onStream: portForwardStreamHandler({
      podName: 'web',
      podUid: 'u1',
      dial: () =>
        Promise.reject(new RuntimeError('Unavailable', 'dial tcp 10.88.0.2:7777: connect: connection refused')),
    }),
  });
  session.receive(await client.synStream(1, { streamtype: 'error', port: '7777', requestid: '0' }));
  session.receive(await client.synStream(3, { streamtype: 'data', port: '7777', requestid: '0' }));
  await until(client, () => client.stream(1).fin && client.stream(3).fin, 'both streams end');
  assert.equal(
    client.stream(1).text,
    'error forwarding port 7777 to pod web, uid u1: dial tcp 10.88.0.2:7777: connect: connection refused',
  );
  await client.close();
});

test('a stream that is neither data nor error is refused with RST_STREAM', async () => {
  const client = new SpdyTestClient();
  const session = new SpdySession({
    transport: { write: (b) => client.receive(b), end: () => {} },
    onStream: portForwardStreamHandler({ podName: 'web', podUid: 'u1', dial: () => Promise.reject(new Error('no')) }),
  });
  session.receive(await client.synStream(1, { streamtype: 'stdin', port: '80', requestid: '0' }));
  await until(client, () => client.received.some((f) => f.type === 'rst_stream'), 'the refusal');
  assert.ok(
    client.received.some((f) => f.type === 'rst_stream' && f.streamId === 1 && f.status === RST_REFUSED_STREAM),
  );
  await client.close();
});
