import assert from 'node:assert/strict';
import { test } from 'node:test';
import { computePodRequests, DEFAULT_MEMORY_REQUEST, DEFAULT_MILLI_CPU_REQUEST } from './pod-requests.js';
import { container, podWith } from './testing/builders.js';
import type { Pod } from '../api/types/index.js';

// Vectors from k8s.io/component-helpers/resource/helpers_test.go TestPodResourceRequests
// (restartable init container cases) and the KEP-753 formula.
const cases: { name: string; pod: (p: Pod) => void; cpu: number; memory?: number }[] = [
  {
    name: 'sums the regular containers',
    pod: (p) => (p.spec.containers = [container('a', { cpu: '100m' }), container('b', { cpu: '250m' })]),
    cpu: 350,
  },
  {
    name: 'takes the largest init container when it exceeds the regular sum',
    pod: (p) => {
      p.spec.containers = [container('a', { cpu: '1' })];
      p.spec.initContainers = [container('i1', { cpu: '2' }), container('i2', { cpu: '3' })];
    },
    cpu: 3000,
  },
  {
    name: 'adds sidecars to the regular sum',
    pod: (p) => {
      p.spec.containers = [container('a', { cpu: '1' })];
      p.spec.initContainers = [container('s', { cpu: '1' }, { restartPolicy: 'Always' })];
    },
    cpu: 2000,
  },
  {
    name: 'counts earlier sidecars under a later init container',
    pod: (p) => {
      p.spec.containers = [container('a', { cpu: '1' })];
      p.spec.initContainers = [
        container('s1', { cpu: '1' }, { restartPolicy: 'Always' }),
        container('i1', { cpu: '2' }),
      ];
    },
    // init use of i1 = 1 (s1) + 2 = 3 > regular 1 + 1 = 2
    cpu: 3000,
  },
  {
    name: 'does not count a sidecar declared after an init container for that init container',
    pod: (p) => {
      p.spec.containers = [container('a', { cpu: '1' })];
      p.spec.initContainers = [
        container('i1', { cpu: '2' }),
        container('s1', { cpu: '1' }, { restartPolicy: 'Always' }),
      ];
    },
    // max(init i1 = 2, sidecar cumulative = 1) vs regular 1 + 1 = 2 → 2
    cpu: 2000,
  },
  {
    name: 'adds pod overhead on top',
    pod: (p) => {
      p.spec.containers = [container('a', { cpu: '500m', memory: '64Mi' })];
      p.spec.overhead = { cpu: '250m', memory: '120Mi' };
    },
    cpu: 750,
    memory: 184 * 1024 * 1024,
  },
  {
    name: 'rounds fractional millicores up',
    pod: (p) => (p.spec.containers = [container('a', { cpu: '0.0001' })]),
    cpu: 1,
  },
];

for (const c of cases) {
  test(`pod requests: ${c.name}`, () => {
    const r = computePodRequests(podWith('p', c.pod));
    assert.equal(r.milliCPU, c.cpu);
    if (c.memory !== undefined) {
      assert.equal(r.memory, c.memory);
    }
  });
}

test('non-zero requests give containers without requests the scoring defaults, but keep an explicit zero', () => {
  const p = podWith('p', (p) => {
    p.spec.containers = [container('a'), container('b', { cpu: '0' })];
  });
  const r = computePodRequests(p, { nonZero: true });
  assert.equal(r.milliCPU, DEFAULT_MILLI_CPU_REQUEST);
  assert.equal(r.memory, 2 * DEFAULT_MEMORY_REQUEST);
});
