// qos_container_manager_linux.go#setCPUCgroupConfig and the node-allocatable
// kubepods cgroup (node_container_manager_linux.go); pod-semantics.md §8.3.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { LinuxResources } from '../../runtime/runtime.js';
import { computeQosCgroupConfigs, syncQosCgroups } from './qos-cgroups.js';
import { resourcePod } from './testing/pod-builder.js';

const allocatable = { cpuMilli: 2000, memoryBytes: 8 * 1024 ** 3 };

test('the burstable cgroup gets the shares of the summed cpu requests of Burstable pods only', () => {
  const pods = [
    resourcePod({ uid: 'g', containers: [{ limits: { cpu: '1', memory: '1Gi' } }] }),
    resourcePod({ uid: 'b1', containers: [{ requests: { cpu: '100m' } }] }),
    resourcePod({ uid: 'b2', containers: [{ requests: { cpu: '250m', memory: '1Mi' } }] }),
    resourcePod({ uid: 'be' }),
  ];
  assert.deepEqual(computeQosCgroupConfigs(pods, allocatable), [
    { path: '/podbay/kubepods', resources: { cpuShares: 2048, memoryLimitInBytes: 8 * 1024 ** 3 } },
    { path: '/podbay/kubepods/burstable', resources: { cpuShares: 358 } },
    { path: '/podbay/kubepods/besteffort', resources: { cpuShares: 2 } },
  ]);
});

test('with no Burstable pods the burstable cgroup has the minimum 2 shares', () => {
  const configs = computeQosCgroupConfigs([resourcePod()], allocatable, '/');
  assert.deepEqual(
    configs.map((c) => [c.path, c.resources.cpuShares]),
    [
      ['/kubepods', 2048],
      ['/kubepods/burstable', 2],
      ['/kubepods/besteffort', 2],
    ],
  );
});

test('syncQosCgroups ensures kubepods before its QoS children', async () => {
  const calls: [string, LinuxResources][] = [];
  const driver = {
    ensure: async (path: string, r: LinuxResources) => {
      calls.push([path, r]);
    },
  };
  await syncQosCgroups(driver, [], allocatable);
  assert.deepEqual(
    calls.map(([p]) => p),
    ['/podbay/kubepods', '/podbay/kubepods/burstable', '/podbay/kubepods/besteffort'],
  );
  assert.deepEqual(calls[2]?.[1], { cpuShares: 2 });
});
