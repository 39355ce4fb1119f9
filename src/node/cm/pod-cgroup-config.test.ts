// ResourceConfigForPod and the cgroup layout: cases after k8s pkg/kubelet/cm/
// helpers_linux_test.go (TestResourceConfigForPod, TestResourceConfigForPodWithCustomCPUCFSQuotaPeriod)
// and pod_container_manager_linux_test.go; pod-semantics.md §8.3, §8.4.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { LinuxResources } from '../../runtime/runtime.js';
import { kubepodsCgroupPath, podCgroupConfig, podCgroupPath, qosCgroupPath } from './pod-cgroup-config.js';
import type { PodCgroupOptions } from './pod-cgroup-config.js';
import { resourcePod } from './testing/pod-builder.js';
import type { ResourcePodOptions } from './testing/pod-builder.js';

const Mi = 1024 * 1024;

const cases: {
  name: string;
  pod: ResourcePodOptions;
  options?: PodCgroupOptions;
  parent: string;
  resources: LinuxResources;
}[] = [
  {
    name: 'a BestEffort pod gets 2 shares in the besteffort cgroup',
    pod: {},
    parent: '/podbay/kubepods/besteffort/podu-1',
    resources: { cpuShares: 2 },
  },
  {
    name: 'a Guaranteed pod sits in kubepods itself with shares, quota, period and memory',
    pod: { containers: [{ limits: { cpu: '500m', memory: '128Mi' } }] },
    parent: '/podbay/kubepods/podu-1',
    resources: { cpuShares: 512, cpuQuota: 50_000, cpuPeriod: 100_000, memoryLimitInBytes: 128 * Mi },
  },
  {
    name: 'a Guaranteed pod sums the values of its containers',
    pod: { containers: [{ limits: { cpu: '100m', memory: '64Mi' } }, { limits: { cpu: '200m', memory: '64Mi' } }] },
    parent: '/podbay/kubepods/podu-1',
    resources: { cpuShares: 307, cpuQuota: 30_000, cpuPeriod: 100_000, memoryLimitInBytes: 128 * Mi },
  },
  {
    name: 'a Burstable pod with requests only gets shares and no quota or memory limit',
    pod: { containers: [{ requests: { cpu: '100m', memory: '32Mi' } }] },
    parent: '/podbay/kubepods/burstable/podu-1',
    resources: { cpuShares: 102 },
  },
  {
    name: 'a Burstable pod whose containers all limit cpu gets a quota but no memory limit when one lacks it',
    pod: {
      containers: [
        { requests: { cpu: '100m' }, limits: { cpu: '200m', memory: '64Mi' } },
        { requests: { cpu: '100m' }, limits: { cpu: '300m' } },
      ],
    },
    parent: '/podbay/kubepods/burstable/podu-1',
    resources: { cpuShares: 204, cpuQuota: 50_000, cpuPeriod: 100_000 },
  },
  {
    name: 'a Burstable pod whose containers all limit memory gets a memory limit but no quota when one lacks a cpu limit',
    pod: {
      containers: [
        { requests: { cpu: '100m' }, limits: { cpu: '200m', memory: '64Mi' } },
        { requests: { memory: '10Mi' }, limits: { memory: '32Mi' } },
      ],
    },
    parent: '/podbay/kubepods/burstable/podu-1',
    resources: { cpuShares: 102, memoryLimitInBytes: 96 * Mi },
  },
  {
    name: 'a larger init container raises the pod request (max of init and the sum of the regular containers)',
    pod: { containers: [{ requests: { cpu: '100m' } }], initContainers: [{ requests: { cpu: '2' } }] },
    parent: '/podbay/kubepods/burstable/podu-1',
    resources: { cpuShares: 2048 },
  },
  {
    name: 'a sidecar adds to the regular containers for the whole life of the pod',
    pod: {
      containers: [{ requests: { cpu: '300m' } }],
      initContainers: [{ requests: { cpu: '200m' }, restartPolicy: 'Always' }],
    },
    parent: '/podbay/kubepods/burstable/podu-1',
    resources: { cpuShares: 512 },
  },
  {
    name: 'an init container after a sidecar runs beside it, so their sum counts',
    pod: {
      containers: [{ requests: { cpu: '100m' } }],
      initContainers: [{ requests: { cpu: '200m' }, restartPolicy: 'Always' }, { requests: { cpu: '1' } }],
    },
    parent: '/podbay/kubepods/burstable/podu-1',
    resources: { cpuShares: 1228 },
  },
  {
    name: 'an init container without limits leaves the pod without quota and memory limit',
    pod: {
      containers: [{ limits: { cpu: '1', memory: '64Mi' } }],
      initContainers: [{ requests: { cpu: '100m' } }],
    },
    parent: '/podbay/kubepods/burstable/podu-1',
    resources: { cpuShares: 1024 },
  },
  {
    name: 'pod overhead adds to requests and to the limits that exist',
    pod: { containers: [{ limits: { cpu: '1', memory: '64Mi' } }], overhead: { cpu: '250m', memory: '32Mi' } },
    parent: '/podbay/kubepods/podu-1',
    resources: { cpuShares: 1280, cpuQuota: 125_000, cpuPeriod: 100_000, memoryLimitInBytes: 96 * Mi },
  },
  {
    name: 'cpuCFSQuota off writes an unlimited quota (-1)',
    pod: { containers: [{ limits: { cpu: '1', memory: '64Mi' } }] },
    options: { enforceCpuLimits: false },
    parent: '/podbay/kubepods/podu-1',
    resources: { cpuShares: 1024, cpuQuota: -1, cpuPeriod: 100_000, memoryLimitInBytes: 64 * Mi },
  },
  {
    name: 'a custom CFS period scales the quota',
    pod: { containers: [{ limits: { cpu: '1', memory: '64Mi' } }] },
    options: { cpuPeriodUs: 50_000 },
    parent: '/podbay/kubepods/podu-1',
    resources: { cpuShares: 1024, cpuQuota: 50_000, cpuPeriod: 50_000, memoryLimitInBytes: 64 * Mi },
  },
  {
    name: 'the kubelet default cgroup root "/" gives the upstream paths',
    pod: { containers: [{ requests: { cpu: '1m' } }] },
    options: { cgroupRoot: '/' },
    parent: '/kubepods/burstable/podu-1',
    resources: { cpuShares: 2 },
  },
  {
    name: 'memory limits are whole bytes rounded up',
    pod: { containers: [{ limits: { cpu: '1', memory: '1000.5' } }] },
    parent: '/podbay/kubepods/podu-1',
    resources: { cpuShares: 1024, cpuQuota: 100_000, cpuPeriod: 100_000, memoryLimitInBytes: 1001 },
  },
  {
    name: 'pod-level resources decide the values when set',
    pod: {
      containers: [{ requests: { cpu: '100m' } }, {}],
      podResources: { requests: { cpu: '1', memory: '1Gi' }, limits: { cpu: '1', memory: '1Gi' } },
    },
    parent: '/podbay/kubepods/podu-1',
    resources: { cpuShares: 1024, cpuQuota: 100_000, cpuPeriod: 100_000, memoryLimitInBytes: 1024 * Mi },
  },
];

for (const c of cases) {
  test(c.name, () => {
    const got = podCgroupConfig(resourcePod(c.pod), c.options);
    assert.equal(got.cgroupParent, c.parent);
    assert.deepEqual(got.resources, c.resources);
  });
}

test('the QoS cgroups are kubepods itself, burstable and besteffort below it', () => {
  assert.equal(kubepodsCgroupPath(), '/podbay/kubepods');
  assert.equal(qosCgroupPath('Guaranteed'), '/podbay/kubepods');
  assert.equal(qosCgroupPath('Burstable', '/x'), '/x/kubepods/burstable');
  assert.equal(qosCgroupPath('BestEffort', '/'), '/kubepods/besteffort');
});

test('a recorded status.qosClass decides the cgroup even if the spec would say otherwise', () => {
  const pod = resourcePod({ containers: [{ limits: { cpu: '1', memory: '1Gi' } }] });
  pod.status = { qosClass: 'Burstable' };
  assert.equal(podCgroupPath(pod), '/podbay/kubepods/burstable/podu-1');
});

test('a pod without a uid has no cgroup path', () => {
  const pod = resourcePod({ uid: '' });
  assert.throws(() => podCgroupPath(pod), /no usable uid/);
});
