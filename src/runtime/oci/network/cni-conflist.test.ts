import assert from 'node:assert/strict';
import { test } from 'node:test';
import { buildCniConflist, checkBridgeName, checkPodCidr } from './cni-conflist.js';

const base = {
  networkName: 'podbay',
  bridgeName: 'podbay0',
  podCidr: '10.85.0.0/16',
  ipamDataDir: '/d',
  ipMasq: false,
};

test('the conflist chains a gateway bridge with host-local IPAM and portmap, masquerading nothing', () => {
  assert.deepEqual(buildCniConflist(base), {
    cniVersion: '1.0.0',
    name: 'podbay',
    plugins: [
      {
        type: 'bridge',
        bridge: 'podbay0',
        isGateway: true,
        ipMasq: false,
        hairpinMode: true,
        ipam: {
          type: 'host-local',
          ranges: [[{ subnet: '10.85.0.0/16' }]],
          routes: [{ dst: '0.0.0.0/0' }],
          dataDir: '/d',
        },
      },
      { type: 'portmap', capabilities: { portMappings: true }, snat: true },
    ],
  });
});

test('the pod CIDR, masquerading and MTU are options', () => {
  const c = buildCniConflist({ ...base, podCidr: '172.30.4.0/24', ipMasq: true, mtu: 1400 });
  const bridge = c.plugins[0];
  assert.equal(bridge?.ipMasq, true);
  assert.equal(bridge?.mtu, 1400);
  assert.deepEqual((bridge?.ipam as { ranges: unknown }).ranges, [[{ subnet: '172.30.4.0/24' }]]);
});

for (const bad of ['10.85.0.0', '10.85.0.0/31', '10.85.0.0/4', '300.1.1.0/24', 'fd00::/64', '']) {
  test(`the pod CIDR ${JSON.stringify(bad)} is refused`, () => {
    assert.throws(() => checkPodCidr(bad), /pod CIDR/);
  });
}

for (const bad of ['', 'a-very-long-bridge0', 'br 0', 'br/0']) {
  test(`the bridge name ${JSON.stringify(bad)} is refused`, () => {
    assert.throws(() => checkBridgeName(bad), /bridge name/);
  });
}
