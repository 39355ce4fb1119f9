import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { CAPABILITY_NAMES, capabilitiesInMask, computeCapabilities, DEFAULT_CAPABILITIES } from './capabilities.js';

const ALL = [...CAPABILITY_NAMES];

test('the runtime default set is containerd’s 14 capabilities', () => {
  assert.deepEqual(computeCapabilities(undefined, false, ALL).sort(), [...DEFAULT_CAPABILITIES].sort());
  assert.equal(DEFAULT_CAPABILITIES.length, 14);
});

for (const c of [
  {
    name: 'add puts a capability in, with or without the CAP_ prefix',
    add: ['NET_ADMIN', 'CAP_SYS_TIME'],
    drop: [],
    has: ['CAP_NET_ADMIN', 'CAP_SYS_TIME', 'CAP_CHOWN'],
    lacks: [],
  },
  { name: 'drop takes one out', add: [], drop: ['CHOWN'], has: ['CAP_KILL'], lacks: ['CAP_CHOWN'] },
  {
    name: 'drop ALL then add keeps only the added one',
    add: ['NET_BIND_SERVICE'],
    drop: ['ALL'],
    has: ['CAP_NET_BIND_SERVICE'],
    lacks: ['CAP_CHOWN'],
  },
  {
    name: 'add ALL then drop one gives all but that one',
    add: ['ALL'],
    drop: ['SYS_ADMIN'],
    has: ['CAP_NET_ADMIN', 'CAP_BPF'],
    lacks: ['CAP_SYS_ADMIN'],
  },
]) {
  test(`capabilities: ${c.name}`, () => {
    const got = computeCapabilities({ add: c.add, drop: c.drop }, false, ALL);
    for (const h of c.has) {
      assert.ok(got.includes(h), `${h} in ${got.join(',')}`);
    }
    for (const l of c.lacks) {
      assert.ok(!got.includes(l), `${l} not in ${got.join(',')}`);
    }
  });
}

test('drop ALL alone leaves no capability', () => {
  assert.deepEqual(computeCapabilities({ add: [], drop: ['ALL'] }, false, ALL), []);
});

test('privileged gets every capability the caller holds, never more', () => {
  const bounding = ALL.filter((c) => c !== 'CAP_SYS_RESOURCE');
  const got = computeCapabilities({ add: [], drop: ['ALL'] }, true, bounding);
  assert.equal(got.length, ALL.length - 1);
  assert.ok(!got.includes('CAP_SYS_RESOURCE'));
  assert.ok(!computeCapabilities({ add: ['SYS_RESOURCE'], drop: [] }, false, bounding).includes('CAP_SYS_RESOURCE'));
});

test('a /proc status mask decodes to capability names by bit', () => {
  assert.deepEqual(capabilitiesInMask('0000000000000003'), ['CAP_CHOWN', 'CAP_DAC_OVERRIDE']);
  assert.equal(capabilitiesInMask('000001fffeffffff').length, 40);
  assert.ok(!capabilitiesInMask('000001fffeffffff').includes('CAP_SYS_RESOURCE'));
});
