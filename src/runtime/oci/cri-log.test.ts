import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { appendFileSync, mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { LogEntry } from '../runtime.js';
import { followCriLogFile, parseCriLog, parseCriLogLine, selectLogEntries } from './cri-log.js';

const T0 = Date.parse('2026-01-02T03:04:05.123Z');

test('a CRI log line gives time (ms), stream, partial flag and content', () => {
  assert.deepEqual(parseCriLogLine('2026-01-02T03:04:05.123456789+00:00 stderr P half a li'), {
    time: T0,
    stream: 'stderr',
    partial: true,
    content: 'half a li',
  });
  assert.deepEqual(parseCriLogLine('2026-01-02T03:04:05.123456789Z stdout F '), {
    time: T0,
    stream: 'stdout',
    partial: false,
    content: '',
  });
  assert.equal(parseCriLogLine('garbage'), undefined);
});

test('tail and since select entries as kubectl logs --since --tail does', () => {
  const entries = parseCriLog(
    [0, 1, 2, 3].map((i) => `2026-01-02T03:04:0${5 + i}.123Z stdout F line${i}`).join('\n') + '\n',
  );
  const contents = (es: LogEntry[]): string[] => es.map((e) => e.content);
  assert.deepEqual(contents(selectLogEntries(entries, { tailLines: 2 })), ['line2', 'line3']);
  assert.deepEqual(contents(selectLogEntries(entries, { sinceTime: T0 + 2000 })), ['line2', 'line3']);
  assert.deepEqual(contents(selectLogEntries(entries, { sinceTime: T0 + 1000, tailLines: 1 })), ['line3']);
  assert.deepEqual(contents(selectLogEntries(entries, { tailLines: 0 })), []);
});

test('following delivers existing entries at once, then new complete lines, and ends after the exit', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'podbay-test-log-'));
  try {
    const path = join(dir, '0.log');
    writeFileSync(path, '2026-01-02T03:04:05.123Z stdout F one\n2026-01-02T03:04:05.123Z stdout F tw');
    let exited = false;
    const seen: string[] = [];
    const f = followCriLogFile(
      path,
      {},
      () => exited,
      (e) => seen.push(e.content),
      20,
    );
    assert.deepEqual(seen, ['one'], 'existing entries synchronously; the unfinished line waits');
    appendFileSync(path, 'o\n2026-01-02T03:04:05.123Z stderr F three\n');
    exited = true;
    await f.done;
    assert.deepEqual(seen, ['one', 'two', 'three']);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('following continues in a new file after the log was rotated', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'podbay-test-log-'));
  try {
    const path = join(dir, '0.log');
    writeFileSync(path, '2026-01-02T03:04:05.123Z stdout F first line of the old file\n');
    let exited = false;
    const seen: string[] = [];
    const f = followCriLogFile(
      path,
      {},
      () => exited,
      (e) => seen.push(e.content),
      20,
    );
    renameSync(path, `${path}.1`);
    writeFileSync(path, '2026-01-02T03:04:06.123Z stdout F new\n');
    await new Promise((r) => setTimeout(r, 100));
    exited = true;
    await f.done;
    assert.deepEqual(seen, ['first line of the old file', 'new']);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
