import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  PORT_FORWARD_WEBSOCKET_PROTOCOLS,
  REMOTE_COMMAND_PROTOCOLS,
  decodeChannelMessage,
  encodeChannelMessage,
  execExitStatus,
  internalErrorStatus,
  negotiateProtocol,
  parseProtocolHeader,
  parseResize,
} from './channel-protocol.js';

test('a channel message is the channel byte followed by the data', () => {
  assert.deepEqual([...encodeChannelMessage(1, 'hi')], [1, 0x68, 0x69]);
  assert.deepEqual([...encodeChannelMessage(255, new Uint8Array([0]))], [255, 0]);
  const m = decodeChannelMessage(new Uint8Array([2, 0x61]))!;
  assert.equal(m.channel, 2);
  assert.equal(m.data.toString(), 'a');
  assert.equal(decodeChannelMessage(new Uint8Array([])), undefined);
});

test('the protocol is the first the client offered that the server speaks', () => {
  const kubectl = parseProtocolHeader('v5.channel.k8s.io');
  const clientNode = parseProtocolHeader(
    'v5.channel.k8s.io, v4.channel.k8s.io, v3.channel.k8s.io, v2.channel.k8s.io, channel.k8s.io',
  );
  assert.equal(negotiateProtocol(kubectl, REMOTE_COMMAND_PROTOCOLS), 'v5.channel.k8s.io');
  assert.equal(negotiateProtocol(clientNode, REMOTE_COMMAND_PROTOCOLS), 'v5.channel.k8s.io');
  assert.equal(negotiateProtocol(clientNode, PORT_FORWARD_WEBSOCKET_PROTOCOLS), 'v4.channel.k8s.io');
  assert.equal(negotiateProtocol(['channel.k8s.io'], REMOTE_COMMAND_PROTOCOLS), undefined);
  assert.deepEqual(parseProtocolHeader(['a, b', 'c']), ['a', 'b', 'c']);
  assert.deepEqual(parseProtocolHeader(undefined), []);
});

test('a resize message is TerminalSize JSON; anything else is ignored', () => {
  assert.deepEqual(parseResize(Buffer.from('{"Width":80,"Height":24}\n')), { width: 80, height: 24 });
  assert.equal(parseResize(Buffer.from('{"Width":"80"}')), undefined);
  assert.equal(parseResize(Buffer.from('nope')), undefined);
});

test('exit code 0 is Success; another code is NonZeroExitCode with an ExitCode cause kubectl exits with', () => {
  assert.deepEqual(execExitStatus(['ls'], 0), { metadata: {}, status: 'Success' });
  assert.deepEqual(execExitStatus(['sh', '-c', 'exit 3'], 3), {
    metadata: {},
    status: 'Failure',
    message: 'command terminated with non-zero exit code: error executing command [sh -c exit 3], exit code 3',
    reason: 'NonZeroExitCode',
    details: { causes: [{ reason: 'ExitCode', message: '3' }] },
  });
  const internal = internalErrorStatus('error executing command in container: boom');
  assert.equal(internal.reason, 'InternalError');
  assert.equal(internal.message, 'Internal error occurred: error executing command in container: boom');
  assert.equal(internal.code, 500);
});
