// runc 1.1 libcontainer/cgroups/utils.go ConvertCPUSharesToCgroupV2Value: the endpoints (0, 2, 262144)
// are those of its utils_test.go; the others follow from 1 + (shares−2)×9999/262142.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { cpuSharesToWeight } from './cpu-weight.js';

const cases: [shares: number, weight: number][] = [
  [0, 0],
  [2, 1],
  [102, 4],
  [1024, 39],
  [2048, 79],
  [262_144, 10_000],
];
for (const [shares, weight] of cases) {
  test(`${shares} cpu shares are cpu.weight ${weight}`, () => {
    assert.equal(cpuSharesToWeight(shares), weight);
  });
}
