import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import type { TerminationMessagePolicy } from '../../api/types/index.js';
import { FakeClock } from '../../lib/testing/fake-clock.js';
import { FakeRuntime } from '../../runtime/testing/fake-runtime.js';
import type { ScriptedExit } from '../../runtime/testing/fake-runtime.js';
import { containerConfigFor, sandboxConfigFor } from '../../runtime/testing/runtime-builders.js';
import type { LogEntry } from '../../runtime/runtime.js';
import { composeTerminatedMessage, logTail, readTerminationMessage } from './termination-message.js';

async function exited(
  exit: ScriptedExit | undefined,
  logLines: string[] = [],
): Promise<{ runtime: FakeRuntime; id: string }> {
  const clock = new FakeClock();
  const runtime = new FakeRuntime({ clock, ...(exit ? { exits: { app: { ...exit, afterMs: 1 } } } : {}) });
  const sc = sandboxConfigFor('p');
  const sb = await runtime.runPodSandbox(sc);
  const id = await runtime.createContainer(sb, containerConfigFor('app', 'busybox'), sc);
  await runtime.startContainer(id);
  for (const l of logLines) {
    runtime.writeLog(id, l);
  }
  clock.step(1);
  return { runtime, id };
}

const cases: [string, ScriptedExit, TerminationMessagePolicy | undefined, string[], string | undefined][] = [
  ['File: the file content', { exitCode: 1, terminationMessage: 'bad config' }, undefined, ['log'], 'bad config'],
  ['File: nothing when the file is empty, even on failure', { exitCode: 1 }, 'File', ['log line'], undefined],
  [
    'Fallback: the file wins when it is not empty',
    { exitCode: 1, terminationMessage: 'from file' },
    'FallbackToLogsOnError',
    ['log'],
    'from file',
  ],
  [
    'Fallback: the log tail when the file is empty and the container failed',
    { exitCode: 2 },
    'FallbackToLogsOnError',
    ['a', 'b'],
    'a\nb\n',
  ],
  [
    'Fallback: nothing from logs when the container succeeded',
    { exitCode: 0 },
    'FallbackToLogsOnError',
    ['a'],
    undefined,
  ],
];
for (const [name, exit, policy, logs, want] of cases) {
  test(`termination message — ${name}`, async () => {
    const { runtime, id } = await exited(exit, logs);
    assert.equal((await runtime.containerStatus(id)).state, 'CONTAINER_EXITED');
    assert.equal(await readTerminationMessage(runtime, id, policy ? { terminationMessagePolicy: policy } : {}), want);
  });
}

test('termination message — none while the container runs or once it is gone', async () => {
  const { runtime, id } = await exited(undefined);
  assert.equal(
    await readTerminationMessage(runtime, id, { terminationMessagePolicy: 'FallbackToLogsOnError' }),
    undefined,
  );
  assert.equal(await readTerminationMessage(runtime, 'nope', {}), undefined);
});

function entries(lines: string[]): LogEntry[] {
  return lines.map((content) => ({ time: 0, stream: 'stdout', partial: false, content }));
}

test('the log fallback keeps the last 80 lines', () => {
  const lines = Array.from({ length: 100 }, (_, i) => `l${i}`);
  const text = logTail(entries(lines));
  assert.equal(text.split('\n').length - 1, 80);
  assert.ok(text.startsWith('l20\n') && text.endsWith('l99\n'));
});

test('the log fallback keeps the last 2048 bytes of those lines', () => {
  const lines = Array.from({ length: 10 }, (_, i) => `${i}`.repeat(500));
  const text = logTail(entries(lines));
  assert.equal(Buffer.byteLength(text), 2048);
  assert.ok(text.endsWith(`${'9'.repeat(500)}\n`));
});

test('partial log entries join the line they continue and do not count as lines', () => {
  const log: LogEntry[] = [
    { time: 0, stream: 'stdout', partial: true, content: 'hel' },
    { time: 0, stream: 'stdout', partial: false, content: 'lo' },
  ];
  assert.equal(logTail(log), 'hello\n');
});

test('the terminated message puts the runtime message first', () => {
  assert.equal(composeTerminatedMessage('', 'msg'), 'msg');
  assert.equal(composeTerminatedMessage('oom', 'msg'), 'oom: msg');
  assert.equal(composeTerminatedMessage('oom', undefined), 'oom');
});
