// Cases after k8s pkg/kubelet/qos/policy_test.go (TestGetContainerOOMScoreAdjust)
// and pod-semantics.md §8.2.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { containerOomScoreAdj } from './container-oom-score-adj.js';
import { resourcePod } from './testing/pod-builder.js';
import type { ResourcePodOptions } from './testing/pod-builder.js';

const GB = 1_000_000_000;

const cases: { name: string; pod: ResourcePodOptions; container?: string; capacity: number; want: number }[] = [
  {
    name: 'a Guaranteed container is -997',
    pod: { containers: [{ limits: { cpu: '1', memory: '1G' } }] },
    capacity: 10 * GB,
    want: -997,
  },
  { name: 'a BestEffort container is 1000', pod: {}, capacity: 10 * GB, want: 1000 },
  {
    name: 'a Burstable container requesting 10% of memory is 900',
    pod: { containers: [{ requests: { memory: '1G' } }] },
    capacity: 10 * GB,
    want: 900,
  },
  {
    name: 'a Burstable container requesting no memory is 999, just below BestEffort',
    pod: { containers: [{ requests: { cpu: '100m' } }] },
    capacity: 10 * GB,
    want: 999,
  },
  {
    name: 'a Burstable container requesting a sliver of memory is 999, just below BestEffort',
    pod: { containers: [{ requests: { memory: '1' } }] },
    capacity: 10 * GB,
    want: 999,
  },
  {
    name: 'a Burstable container requesting all the memory is clamped to 3, just above Guaranteed',
    pod: { containers: [{ requests: { memory: '10G' } }] },
    capacity: 10 * GB,
    want: 3,
  },
  {
    name: 'a Burstable container requesting more than the machine has is clamped to 3',
    pod: { containers: [{ requests: { memory: '20G' } }] },
    capacity: 10 * GB,
    want: 3,
  },
  {
    name: 'a Burstable score is truncated by integer division',
    pod: { containers: [{ requests: { memory: '1000' } }] },
    capacity: 3000,
    want: 667,
  },
  {
    name: 'a Burstable container requesting 99.8% of memory is 3 (the clamp, not 2)',
    pod: { containers: [{ requests: { memory: '998' } }] },
    capacity: 1000,
    want: 3,
  },
  {
    name: 'a sidecar scores no higher than the regular container with the smallest memory request',
    pod: {
      containers: [{ requests: { memory: '5G' } }, { requests: { memory: '2G' } }],
      initContainers: [{ name: 'side', requests: { cpu: '10m' }, restartPolicy: 'Always' }],
    },
    container: 'side',
    capacity: 10 * GB,
    want: 800,
  },
  {
    name: 'a sidecar requesting more than the regular containers keeps its own lower score',
    pod: {
      containers: [{ requests: { memory: '1G' } }],
      initContainers: [{ name: 'side', requests: { memory: '4G' }, restartPolicy: 'Always' }],
    },
    container: 'side',
    capacity: 10 * GB,
    want: 600,
  },
  {
    name: 'a regular init container is not capped like a sidecar',
    pod: {
      containers: [{ requests: { memory: '5G' } }],
      initContainers: [{ name: 'init', requests: { cpu: '10m' } }],
    },
    container: 'init',
    capacity: 10 * GB,
    want: 999,
  },
  {
    name: 'a node-critical Burstable pod is -997',
    pod: { containers: [{ requests: { memory: '1G' } }], priorityClassName: 'system-node-critical' },
    capacity: 10 * GB,
    want: -997,
  },
  {
    name: 'the system-node-critical class with a non-critical priority does not count',
    pod: { containers: [{ requests: { memory: '1G' } }], priorityClassName: 'system-node-critical', priority: 1000 },
    capacity: 10 * GB,
    want: 900,
  },
  {
    name: 'system-cluster-critical is not node-critical',
    pod: { containers: [{ requests: { memory: '1G' } }], priorityClassName: 'system-cluster-critical' },
    capacity: 10 * GB,
    want: 900,
  },
  {
    name: 'with a pod-level request, each container adds an equal share of what its containers leave unclaimed',
    // (4G − 1G) / 3 containers = 1G more each: 1000 − 1000×2G/10G
    pod: {
      containers: [{ requests: { memory: '1G' } }, {}],
      initContainers: [{ name: 'init' }],
      podResources: { requests: { memory: '4G' } },
    },
    capacity: 10 * GB,
    want: 800,
  },
  {
    name: 'with a pod-level request a container without its own request still gets the share',
    pod: { containers: [{}, {}], podResources: { requests: { memory: '4G' } } },
    capacity: 10 * GB,
    want: 800,
  },
  {
    name: 'a pod-level cpu request alone adds no memory share',
    pod: { containers: [{ requests: { memory: '1G' } }], podResources: { requests: { cpu: '1' } } },
    capacity: 10 * GB,
    want: 900,
  },
];

for (const c of cases) {
  test(c.name, () => {
    const pod = resourcePod(c.pod);
    const all = [...(pod.spec.initContainers ?? []), ...pod.spec.containers];
    const container = c.container ? all.find((x) => x.name === c.container) : pod.spec.containers[0];
    assert.ok(container);
    assert.equal(containerOomScoreAdj(pod, container, c.capacity), c.want);
  });
}

test('a Burstable score needs a positive memory capacity', () => {
  const pod = resourcePod({ containers: [{ requests: { memory: '1G' } }] });
  const [container] = pod.spec.containers;
  assert.ok(container);
  assert.throws(() => containerOomScoreAdj(pod, container, 0), /memory capacity must be positive/);
});
