import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { IpAllocator } from './ip-allocator.js';

test('hands out addresses after the gateway, never the network or gateway address', () => {
  const a = new IpAllocator('10.88.0.0/16');
  assert.equal(a.gateway(), '10.88.0.1');
  assert.equal(a.allocate(), '10.88.0.2');
  assert.equal(a.allocate(), '10.88.0.3');
});

test('gives every allocation a distinct address', () => {
  const a = new IpAllocator('10.88.0.0/16');
  const seen = new Set<string>();
  for (let i = 0; i < 10_000; i++) {
    seen.add(a.allocate());
  }
  assert.equal(seen.size, 10_000);
  assert.equal(a.inUse(), 10_000);
});

test('reuses a released address only after the rest of the range (round-robin like host-local)', () => {
  const a = new IpAllocator('192.168.5.0/29'); // hosts .2 .. .6
  const got = [a.allocate(), a.allocate()];
  assert.deepEqual(got, ['192.168.5.2', '192.168.5.3']);
  a.release('192.168.5.2');
  assert.equal(a.allocate(), '192.168.5.4');
  assert.equal(a.allocate(), '192.168.5.5');
  assert.equal(a.allocate(), '192.168.5.6');
  assert.equal(a.allocate(), '192.168.5.2');
});

test('fails when the range is exhausted and recovers after a release', () => {
  const a = new IpAllocator('10.0.0.0/30'); // only .2
  assert.equal(a.allocate(), '10.0.0.2');
  assert.throws(() => a.allocate(), /no IP addresses available in range set: 10.0.0.0\/30/);
  a.release('10.0.0.2');
  assert.equal(a.allocate(), '10.0.0.2');
});

test('normalises a CIDR whose address has host bits set', () => {
  const a = new IpAllocator('10.88.3.7/16');
  assert.equal(a.allocate(), '10.88.0.2');
});

for (const bad of ['10.88.0.0', '10.88.0.0/31', '300.1.1.1/16', 'fd00::/64']) {
  test(`rejects the pod CIDR ${bad}`, () => {
    assert.throws(() => new IpAllocator(bad), /invalid pod CIDR/);
  });
}
