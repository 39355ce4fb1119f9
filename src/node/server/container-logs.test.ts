import assert from 'node:assert/strict';
import type { ServerResponse } from 'node:http';
import { test } from 'node:test';
import type { LogEntry, LogFollower, LogReadOptions } from '../../runtime/runtime.js';
import { formatLogEntry, formatLogTimestamp, logReadOptions, serveContainerLogs } from './container-logs.js';

const T = Date.UTC(2024, 0, 2, 3, 4, 5, 678);

test('timestamps are RFC3339 with a fixed 9-digit fraction; partial entries get no newline', () => {
  assert.equal(formatLogTimestamp(T), '2024-01-02T03:04:05.678000000Z');
  assert.equal(formatLogEntry({ time: T, stream: 'stdout', partial: false, content: 'a' }, false), 'a\n');
  assert.equal(formatLogEntry({ time: T, stream: 'stdout', partial: true, content: 'a' }, false), 'a');
  assert.equal(
    formatLogEntry({ time: T, stream: 'stderr', partial: false, content: 'b' }, true),
    '2024-01-02T03:04:05.678000000Z b\n',
  );
});

test('--since counts back from now; --since-time is taken as is; --tail passes through', () => {
  const base = { follow: false, previous: false, timestamps: false };
  assert.deepEqual(logReadOptions({ ...base, sinceSeconds: 10, tailLines: 3 }, T), {
    sinceTime: T - 10_000,
    tailLines: 3,
  });
  assert.deepEqual(logReadOptions({ ...base, sinceTime: 5 }, T), { sinceTime: 5 });
  assert.deepEqual(logReadOptions(base, T), {});
});

/** A ServerResponse stand-in that records what is written. */
function recorder(): ServerResponse & { body: string; status: number } {
  const r = {
    body: '',
    status: 0,
    writableEnded: false,
    writeHead(code: number) {
      r.status = code;
      return r;
    },
    flushHeaders() {},
    write(chunk: Buffer | string) {
      r.body += chunk.toString();
      return true;
    },
    end() {
      r.writableEnded = true;
      return r;
    },
    once() {
      return r;
    },
  };
  return r as unknown as ServerResponse & { body: string; status: number };
}

const entries: LogEntry[] = [
  { time: T, stream: 'stdout', partial: false, content: 'one' },
  { time: T, stream: 'stdout', partial: true, content: 'tw' },
  { time: T, stream: 'stdout', partial: false, content: 'o' },
];

test('limitBytes cuts the output at that many bytes, reading or following', async () => {
  const runtime = {
    readContainerLog: async (_id: string, _o?: LogReadOptions) => entries,
    followContainerLog: (_id: string, _o: LogReadOptions, on: (e: LogEntry) => void): LogFollower => {
      entries.forEach(on);
      return { stop: () => {}, done: Promise.resolve() };
    },
  };
  const base = { previous: false, timestamps: false };
  const all = recorder();
  await serveContainerLogs(all, runtime, 'id', { ...base, follow: false }, T);
  assert.equal(all.status, 200);
  assert.equal(all.body, 'one\ntwo\n');
  const cut = recorder();
  await serveContainerLogs(cut, runtime, 'id', { ...base, follow: false, limitBytes: 5 }, T);
  assert.equal(cut.body, 'one\nt');
  const followed = recorder();
  await serveContainerLogs(followed, runtime, 'id', { ...base, follow: true, limitBytes: 6 }, T);
  assert.equal(followed.body, 'one\ntw');
  assert.equal(followed.writableEnded, true);
});
