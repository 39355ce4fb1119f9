import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseCniResult, primaryIPv4 } from './cni-result.js';

test('the pod IP is the first IPv4 on an interface inside the sandbox, without its prefix length', () => {
  const r = parseCniResult(
    'bridge',
    JSON.stringify({
      cniVersion: '1.0.0',
      interfaces: [{ name: 'podbay0' }, { name: 'veth' }, { name: 'eth0', sandbox: '/run/netns/x' }],
      ips: [
        { address: '10.85.0.1/16', interface: 0 },
        { address: 'fd00::5/64', interface: 2 },
        { address: '10.85.0.5/16', interface: 2 },
      ],
    }),
  );
  assert.equal(primaryIPv4(r), '10.85.0.5');
});

test('a result without interface indexes gives its first IPv4', () => {
  assert.equal(primaryIPv4({ cniVersion: '1.0.0', ips: [{ address: '10.1.2.3/24' }] }), '10.1.2.3');
});

test('a result without IPv4 gives no pod IP', () => {
  assert.equal(primaryIPv4({ cniVersion: '1.0.0', ips: [{ address: 'fd00::1/64' }] }), undefined);
});

test('output that is not a CNI result is an error naming the plugin', () => {
  assert.throws(() => parseCniResult('bridge', 'oops'), /plugin type="bridge" printed no JSON result/);
  assert.throws(() => parseCniResult('bridge', '{}'), /without cniVersion/);
});
