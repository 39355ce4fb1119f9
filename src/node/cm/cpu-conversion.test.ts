// Vectors from k8s pkg/kubelet/cm/helpers_linux_test.go (TestMilliCPUToQuota,
// TestMilliCPUToShares) and pod-semantics.md §8.4.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { milliCpuToQuota, milliCpuToShares } from './cpu-conversion.js';

const shares: [milli: number, want: number][] = [
  [0, 2],
  [1, 2],
  [2, 2],
  [3, 3],
  [100, 102],
  [500, 512],
  [1000, 1024],
  [1500, 1536],
  [256_000, 262_144],
  [300_000, 262_144],
];
for (const [m, want] of shares) {
  test(`${m}m of cpu requested is ${want} cpu shares`, () => {
    assert.equal(milliCpuToShares(m), want);
  });
}

const quotas: [milli: number, period: number, want: number][] = [
  [0, 100_000, 0],
  [1, 100_000, 1000],
  [5, 100_000, 1000],
  [9, 100_000, 1000],
  [10, 100_000, 1000],
  [200, 100_000, 20_000],
  [500, 100_000, 50_000],
  [1000, 100_000, 100_000],
  [1500, 100_000, 150_000],
  [500, 50_000, 25_000],
];
for (const [m, period, want] of quotas) {
  test(`${m}m of cpu limit over a ${period}µs period is a ${want}µs quota`, () => {
    assert.equal(milliCpuToQuota(m, period), want);
  });
}

test('the quota period defaults to 100 ms', () => {
  assert.equal(milliCpuToQuota(250), 25_000);
});
