import assert from 'node:assert/strict';
import { test } from 'node:test';
import { cniPluginError } from './cni-plugin-error.js';

test('a CNI error object becomes libcni-style message with its code and details', () => {
  const e = cniPluginError(
    'bridge',
    'ADD',
    '{"cniVersion":"1.0.0","code":11,"msg":"failed to allocate","details":"range is full"}',
    '',
    'exit 1',
  );
  assert.equal(e.message, 'plugin type="bridge" failed (add): failed to allocate: range is full');
  assert.equal(e.code, 11);
  assert.equal(e.plugin, 'bridge');
  assert.equal(e.command, 'ADD');
});

test('without an error object the last lines of stderr explain the failure', () => {
  const e = cniPluginError('portmap', 'DEL', '', 'line1\nline2\nline3\nline4\n', 'exit 2');
  assert.equal(e.message, 'plugin type="portmap" failed (del): line2; line3; line4');
  assert.equal(e.code, 0);
});

test('a silent failure is described by its exit status', () => {
  assert.equal(
    cniPluginError('bridge', 'CHECK', '', '', 'exit 1').message,
    'plugin type="bridge" failed (check): exit 1',
  );
});
