import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Pod, Taint } from '../../api/types/index.js';
import { boundPod, nodeWith } from '../testing/builders.js';
import { computeConditionTaints } from './condition-taints.js';
import { computeLostNodeConditions, isNodeLost } from './node-health.js';
import { computeNodeLostPodStatus } from './node-lost-pod-status.js';
import { computeEvictionDelayMs } from './taint-eviction.js';

const NOW = Date.UTC(2026, 0, 1, 12, 0, 0);
const iso = (ms: number): string => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

test('a node is lost only when the grace period has fully passed since the last probe', () => {
  assert.equal(isNodeLost(NOW, NOW + 40_000, 40_000), false);
  assert.equal(isNodeLost(NOW, NOW + 40_001, 40_000), true);
});

test('a lost node gets Ready and the pressure conditions Unknown with the upstream reason and message', () => {
  const node = nodeWith('n1', {}, (n) => {
    n.status!.conditions = [
      {
        type: 'Ready',
        status: 'True',
        reason: 'KubeletReady',
        lastHeartbeatTime: iso(NOW - 60_000),
        lastTransitionTime: iso(NOW - 600_000),
      },
      { type: 'MemoryPressure', status: 'False', reason: 'KubeletHasSufficientMemory' },
      { type: 'NetworkUnavailable', status: 'False', reason: 'RouteCreated' },
    ];
  });
  const conds = computeLostNodeConditions(node, NOW)!;
  const ready = conds.find((c) => c.type === 'Ready')!;
  assert.deepEqual(ready, {
    type: 'Ready',
    status: 'Unknown',
    reason: 'NodeStatusUnknown',
    message: 'Kubelet stopped posting node status.',
    lastHeartbeatTime: iso(NOW - 60_000),
    lastTransitionTime: iso(NOW),
  });
  assert.equal(conds.find((c) => c.type === 'MemoryPressure')!.status, 'Unknown');
  assert.equal(conds.find((c) => c.type === 'NetworkUnavailable')!.status, 'False');
  const never = conds.find((c) => c.type === 'DiskPressure')!;
  assert.equal(never.reason, 'NodeStatusNeverUpdated');
  assert.equal(never.message, 'Kubelet never posted node status.');
});

test('a node already Unknown needs no new conditions', () => {
  const node = nodeWith('n1');
  const once = computeLostNodeConditions(node, NOW)!;
  node.status!.conditions = once;
  assert.equal(computeLostNodeConditions(node, NOW + 5000), null);
});

const taintCases: { name: string; ready: 'True' | 'False' | 'Unknown'; taints: Taint[]; want: string[] | null }[] = [
  {
    name: 'Unknown adds unreachable NoExecute and NoSchedule',
    ready: 'Unknown',
    taints: [],
    want: ['node.kubernetes.io/unreachable:NoExecute', 'node.kubernetes.io/unreachable:NoSchedule'],
  },
  {
    name: 'False adds not-ready NoExecute and NoSchedule',
    ready: 'False',
    taints: [],
    want: ['node.kubernetes.io/not-ready:NoExecute', 'node.kubernetes.io/not-ready:NoSchedule'],
  },
  {
    name: 'True removes the condition taints and keeps the others',
    ready: 'True',
    taints: [
      { key: 'dedicated', value: 'x', effect: 'NoSchedule' },
      { key: 'node.kubernetes.io/unreachable', effect: 'NoExecute' },
      { key: 'node.kubernetes.io/unreachable', effect: 'NoSchedule' },
    ],
    want: ['dedicated:NoSchedule'],
  },
  {
    name: 'Unknown swaps not-ready for unreachable',
    ready: 'Unknown',
    taints: [{ key: 'node.kubernetes.io/not-ready', effect: 'NoExecute' }],
    want: ['node.kubernetes.io/unreachable:NoExecute', 'node.kubernetes.io/unreachable:NoSchedule'],
  },
  { name: 'True with no taints changes nothing', ready: 'True', taints: [], want: null },
];
for (const c of taintCases) {
  test(`condition taints: ${c.name}`, () => {
    const node = nodeWith('n1', {}, (n) => {
      n.status!.conditions![0]!.status = c.ready;
      n.spec!.taints = c.taints;
    });
    const got = computeConditionTaints(node, NOW);
    assert.deepEqual(got && got.map((t) => `${t.key}:${t.effect}`), c.want);
  });
}

test('the NoExecute condition taint carries timeAdded', () => {
  const node = nodeWith('n1', {}, (n) => (n.status!.conditions![0]!.status = 'Unknown'));
  const t = computeConditionTaints(node, NOW)!.find((x) => x.effect === 'NoExecute')!;
  assert.equal(t.timeAdded, iso(NOW));
});

test('pods of a lost node get phase Unknown and Ready=False with reason NodeLost (kubectl shows Unknown)', () => {
  const pod = boundPod('web', 'n1', (p) => {
    p.status = {
      phase: 'Running',
      conditions: [{ type: 'Ready', status: 'True', lastTransitionTime: iso(NOW - 1000) }],
    };
  });
  const st = computeNodeLostPodStatus(pod, NOW)!;
  assert.equal(st.phase, 'Unknown');
  assert.equal(st.reason, undefined);
  assert.equal(st.message, 'Node n1 which was running pod web is unresponsive');
  assert.deepEqual(st.conditions, [
    {
      type: 'Ready',
      status: 'False',
      lastTransitionTime: iso(NOW),
      reason: 'NodeLost',
      message: 'Node n1 which was running pod web is unresponsive',
    },
  ]);
  pod.status = st;
  assert.equal(computeNodeLostPodStatus(pod, NOW + 1), null);
});

test('finished pods of a lost node keep their phase', () => {
  const pod = boundPod('job', 'n1', (p) => (p.status = { phase: 'Succeeded' }));
  assert.equal(computeNodeLostPodStatus(pod, NOW), null);
});

const unreachable: Taint[] = [{ key: 'node.kubernetes.io/unreachable', effect: 'NoExecute' }];
const evictionCases: { name: string; pod: (p: Pod) => void; taints: Taint[]; want: number | undefined }[] = [
  { name: 'evicts after the default 300 s without tolerations', pod: () => {}, taints: unreachable, want: 300_000 },
  {
    name: "uses the pod's own tolerationSeconds",
    pod: (p) =>
      (p.spec.tolerations = [
        { key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 30 },
      ]),
    taints: unreachable,
    want: 30_000,
  },
  {
    name: 'never evicts a pod that tolerates forever',
    pod: (p) => (p.spec.tolerations = [{ operator: 'Exists' }]),
    taints: unreachable,
    want: undefined,
  },
  {
    name: 'evicts at once on an untolerated NoExecute taint',
    pod: () => {},
    taints: [{ key: 'maintenance', effect: 'NoExecute' }],
    want: 0,
  },
  {
    name: 'treats a negative tolerationSeconds as now',
    pod: (p) =>
      (p.spec.tolerations = [
        { key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: -5 },
      ]),
    taints: unreachable,
    want: 0,
  },
  { name: 'ignores NoSchedule taints', pod: () => {}, taints: [{ key: 'x', effect: 'NoSchedule' }], want: undefined },
];
for (const c of evictionCases) {
  test(`taint eviction ${c.name}`, () => {
    assert.equal(computeEvictionDelayMs(boundPod('p', 'n1', c.pod), c.taints), c.want);
  });
}
