import assert from 'node:assert/strict';
import { test } from 'node:test';
import { defaultDataDir, resolveDataDir } from './data-dir.js';

test('root keeps its data in /var/lib/podbay', () => assert.equal(defaultDataDir(0, '/root'), '/var/lib/podbay'));
test('other users keep their data in ~/.podbay', () =>
  assert.equal(defaultDataDir(1000, '/home/a'), '/home/a/.podbay'));
test('a relative --data-dir becomes absolute', () => {
  assert.equal(resolveDataDir('rel/dir', 1000, '/home/a'), `${process.cwd()}/rel/dir`);
});
