import assert from 'node:assert/strict';
import { test } from 'node:test';
import { runCommand } from './run-command.js';

test('the child reads its stdin and its output and status come back', async () => {
  const r = await runCommand('/bin/sh', ['-c', 'cat; echo oops >&2; exit 3'], { input: 'hello' });
  assert.deepEqual(r, { code: 3, signal: null, stdout: 'hello', stderr: 'oops\n' });
});

test('the child sees only the environment it is given', async () => {
  const r = await runCommand('/bin/sh', ['-c', 'echo "$A-$HOME"'], { env: { A: 'x' } });
  assert.equal(r.stdout, 'x-\n');
});

test('a child that outlives its timeout is killed', async () => {
  const r = await runCommand('/bin/sh', ['-c', 'exec sleep 10'], { timeoutMs: 100 });
  assert.equal(r.signal, 'SIGKILL');
});

test('a program that does not exist is a rejection', async () => {
  await assert.rejects(runCommand('/nonexistent/plugin', []), { code: 'ENOENT' });
});
