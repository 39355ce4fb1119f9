import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { DEFAULT_PATH_ENV, mergeEnv, resolveProcessArgs } from './process-args.js';

const image = { Entrypoint: ['/entry'], Cmd: ['default-arg'] };

for (const c of [
  {
    name: 'command and args replace ENTRYPOINT and CMD',
    command: ['/bin/app'],
    args: ['-v'],
    want: ['/bin/app', '-v'],
  },
  { name: 'command alone ignores CMD too', command: ['/bin/app'], args: [], want: ['/bin/app'] },
  { name: 'args alone follow the ENTRYPOINT', command: [], args: ['x'], want: ['/entry', 'x'] },
  { name: 'neither runs ENTRYPOINT + CMD', command: [], args: [], want: ['/entry', 'default-arg'] },
]) {
  test(`process args: ${c.name}`, () => {
    assert.deepEqual(resolveProcessArgs(c.command, c.args, image), c.want);
  });
}

test('process args: an image with only CMD and args set runs the args alone', () => {
  assert.deepEqual(resolveProcessArgs([], ['sh'], { Cmd: ['ignored'] }), ['sh']);
});

test('env: default PATH, HOSTNAME, image ENV, then container variables override by key in place', () => {
  const env = mergeEnv(
    'web-1',
    ['PATH=/bin', 'A=image', 'B=image'],
    [
      { key: 'B', value: 'pod' },
      { key: 'C', value: 'x=y' },
    ],
  );
  assert.deepEqual(env, ['PATH=/bin', 'HOSTNAME=web-1', 'A=image', 'B=pod', 'C=x=y']);
});

test('env: without an image PATH the default PATH stays; host network sets no HOSTNAME', () => {
  assert.deepEqual(mergeEnv(undefined, [], []), [DEFAULT_PATH_ENV]);
});
