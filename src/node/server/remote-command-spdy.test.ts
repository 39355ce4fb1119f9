import assert from 'node:assert/strict';
import { test } from 'node:test';
import { FakeClock } from '../../lib/testing/fake-clock.js';
import type { ByteSink, ExecSession, StreamOptions } from '../../runtime/runtime.js';
import { execExitStatus } from './channel-protocol.js';
import { expectedStreamTypes, remoteCommandStreamHandler, splitJsonObjects } from './remote-command-spdy.js';
import { SpdySession } from './spdy/spdy-session.js';
import { SpdyTestClient } from './spdy/testing/spdy-test-client.js';

test('the streams expected follow the flags; a tty has resize and no stderr', () => {
  assert.deepEqual(expectedStreamTypes({ stdin: false, stdout: true, stderr: true, tty: false }), [
    'error',
    'stdout',
    'stderr',
  ]);
  assert.deepEqual(expectedStreamTypes({ stdin: true, stdout: true, stderr: true, tty: true }), [
    'error',
    'stdin',
    'stdout',
    'resize',
  ]);
});

test('resize messages are split as a JSON decoder reads them', () => {
  assert.deepEqual(splitJsonObjects('{"Width":80,"Height":24}{"Width":100,"Height":30}{"Wid'), {
    objects: ['{"Width":80,"Height":24}', '{"Width":100,"Height":30}'],
    rest: '{"Wid',
  });
  assert.deepEqual(splitJsonObjects('{"a":"}"}\n'), { objects: ['{"a":"}"}'], rest: '' });
});

test('once every expected stream exists the command runs; stdin flows; the Status ends the error stream', async () => {
  const client = new SpdyTestClient();
  let closed = false;
  const stdinSeen: string[] = [];
  let started: StreamOptions | undefined;
  let finishExec!: (code: number) => void;
  const session = new SpdySession({
    transport: { write: (b) => client.receive(b), end: () => {} },
    onStream: remoteCommandStreamHandler({
      streams: { stdin: true, stdout: true, stderr: true, tty: false },
      clock: new FakeClock(0),
      start: async (options) => {
        started = options;
        const stdin: ByteSink = {
          write: (c) => stdinSeen.push(Buffer.from(c).toString()),
          end: () => stdinSeen.push('<eof>'),
        };
        const s: ExecSession = {
          stdin,
          resize: () => {},
          exit: new Promise<number>((r) => (finishExec = r)),
          close: () => {},
        };
        return s;
      },
      exitStatus: (code) => execExitStatus(['sh', '-c', 'exit 2'], code),
      failurePrefix: 'error executing command in container',
      close: () => (closed = true),
    }),
  });
  const ids = { error: 1, stdin: 3, stdout: 5, stderr: 7 };
  for (const [type, id] of Object.entries(ids)) {
    session.receive(await client.synStream(id, { streamtype: type }));
  }
  session.receive(client.data(3, 'input'));
  session.receive(client.data(3, '', true));
  const deadline = performance.now() + 5000;
  while (stdinSeen.length < 2 && performance.now() < deadline) {
    await new Promise<void>((r) => setImmediate(r));
  }
  assert.deepEqual(stdinSeen, ['input', '<eof>']);
  started!.stdout!.write(Buffer.from('out'));
  started!.stderr!.write(Buffer.from('err'));
  finishExec(2);
  while (!client.stream(1).fin && performance.now() < deadline) {
    await client.settled();
    await new Promise<void>((r) => setImmediate(r));
  }
  assert.equal(closed, true);
  assert.equal(client.stream(5).text, 'out');
  assert.equal(client.stream(7).text, 'err');
  const status = JSON.parse(client.stream(1).text) as { reason: string; details: unknown };
  assert.equal(status.reason, 'NonZeroExitCode');
  assert.deepEqual(status.details, { causes: [{ reason: 'ExitCode', message: '2' }] });
  assert.equal(client.stream(1).fin, true);
  await client.close();
});

test('a client that does not open every stream in 30 s is disconnected', async () => {
  const client = new SpdyTestClient();
  const clock = new FakeClock(0);
  let closed = false;
  let started = false;
  const session = new SpdySession({
    transport: { write: (b) => client.receive(b), end: () => {} },
    onStream: remoteCommandStreamHandler({
      streams: { stdin: false, stdout: true, stderr: true, tty: false },
      clock,
      start: () => {
        started = true;
        return Promise.reject(new Error('not expected'));
      },
      exitStatus: () => ({ metadata: {}, status: 'Success' }),
      failurePrefix: 'error executing command in container',
      close: () => (closed = true),
    }),
  });
  session.receive(await client.synStream(1, { streamtype: 'error' }));
  session.receive(await client.synStream(3, { streamtype: 'stdout' }));
  const deadline = performance.now() + 5000;
  while (client.received.filter((f) => f.type === 'syn_reply').length < 2 && performance.now() < deadline) {
    await client.settled();
    await new Promise<void>((r) => setImmediate(r));
  }
  clock.step(29_999);
  assert.equal(closed, false);
  clock.step(1);
  assert.equal(closed, true);
  assert.equal(started, false);
  await client.close();
});
