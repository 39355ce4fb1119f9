import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Node, Pod } from '../api/types/index.js';
import { buildNodeInfos } from './node-info.js';
import { schedulePod } from './schedule-pod.js';
import { boundPod, container, nodeWith, podWith } from './testing/builders.js';

interface Case {
  name: string;
  nodes: Node[];
  existing?: Pod[];
  pod: Pod;
  /** Expected node, or the exact FailedScheduling message. */
  node?: string;
  message?: string;
}

const NOT_HELPFUL = (n: number): string =>
  `preemption: 0/${n} nodes are available: ${n} Preemption is not helpful for scheduling.`;

const cases: Case[] = [
  {
    name: 'binds to the only ready node',
    nodes: [nodeWith('n1')],
    pod: podWith('p'),
    node: 'n1',
  },
  {
    name: "reports the upstream example: 1 Insufficient memory, 2 node(s) didn't match Pod's node affinity/selector",
    nodes: [nodeWith('n1', { memory: '1Gi', labels: { disk: 'ssd' } }), nodeWith('n2'), nodeWith('n3')],
    pod: podWith('p', (p) => {
      p.spec.nodeSelector = { disk: 'ssd' };
      p.spec.containers = [container('app', { memory: '2Gi' })];
    }),
    message:
      "0/3 nodes are available: 1 Insufficient memory, 2 node(s) didn't match Pod's node affinity/selector. " +
      'preemption: 0/3 nodes are available: 1 No preemption victims found for incoming pod, 2 Preemption is not helpful for scheduling.',
  },
  {
    name: 'counts cpu and memory shortfalls on one node as two reasons',
    nodes: [nodeWith('n1', { cpu: '1', memory: '1Gi' })],
    pod: podWith('p', (p) => (p.spec.containers = [container('app', { cpu: '2', memory: '2Gi' })])),
    message:
      '0/1 nodes are available: 1 Insufficient cpu, 1 Insufficient memory. ' +
      'preemption: 0/1 nodes are available: 1 No preemption victims found for incoming pod.',
  },
  {
    name: 'subtracts what bound pods request from allocatable',
    nodes: [nodeWith('n1', { cpu: '1' })],
    existing: [boundPod('a', 'n1', (p) => (p.spec.containers = [container('c', { cpu: '600m' })]))],
    pod: podWith('p', (p) => (p.spec.containers = [container('app', { cpu: '500m' })])),
    message:
      '0/1 nodes are available: 1 Insufficient cpu. preemption: 0/1 nodes are available: 1 No preemption victims found for incoming pod.',
  },
  {
    name: 'ignores finished pods when counting requests',
    nodes: [nodeWith('n1', { cpu: '1' })],
    existing: [
      boundPod('a', 'n1', (p) => {
        p.spec.containers = [container('c', { cpu: '600m' })];
        p.status = { phase: 'Succeeded' };
      }),
    ],
    pod: podWith('p', (p) => (p.spec.containers = [container('app', { cpu: '500m' })])),
    node: 'n1',
  },
  {
    name: 'reports Too many pods when allocatable pods are used up',
    nodes: [nodeWith('n1', { pods: '1' })],
    existing: [boundPod('a', 'n1')],
    pod: podWith('p'),
    message:
      '0/1 nodes are available: 1 Too many pods. preemption: 0/1 nodes are available: 1 No preemption victims found for incoming pod.',
  },
  {
    name: 'reports an untolerated taint with its key and value',
    nodes: [nodeWith('n1', {}, (n) => (n.spec!.taints = [{ key: 'dedicated', value: 'gpu', effect: 'NoSchedule' }]))],
    pod: podWith('p'),
    message: `0/1 nodes are available: 1 node(s) had untolerated taint {dedicated: gpu}. ${NOT_HELPFUL(1)}`,
  },
  {
    name: 'schedules onto a tainted node the pod tolerates',
    nodes: [nodeWith('n1', {}, (n) => (n.spec!.taints = [{ key: 'dedicated', value: 'gpu', effect: 'NoSchedule' }]))],
    pod: podWith(
      'p',
      (p) => (p.spec.tolerations = [{ key: 'dedicated', operator: 'Equal', value: 'gpu', effect: 'NoSchedule' }]),
    ),
    node: 'n1',
  },
  {
    name: 'ignores PreferNoSchedule taints when filtering',
    nodes: [nodeWith('n1', {}, (n) => (n.spec!.taints = [{ key: 'x', effect: 'PreferNoSchedule' }]))],
    pod: podWith('p'),
    node: 'n1',
  },
  {
    name: 'treats an unreachable node (Ready=Unknown) as tainted node.kubernetes.io/unreachable',
    nodes: [nodeWith('n1', {}, (n) => (n.status!.conditions![0]!.status = 'Unknown')), nodeWith('n2')],
    pod: podWith('p'),
    node: 'n2',
  },
  {
    name: 'reports not-ready and unreachable nodes by their taints',
    nodes: [
      nodeWith('n1', {}, (n) => (n.status!.conditions![0]!.status = 'Unknown')),
      nodeWith('n2', {}, (n) => (n.status!.conditions![0]!.status = 'False')),
    ],
    pod: podWith('p'),
    message:
      '0/2 nodes are available: 1 node(s) had untolerated taint {node.kubernetes.io/not-ready: }, ' +
      `1 node(s) had untolerated taint {node.kubernetes.io/unreachable: }. ${NOT_HELPFUL(2)}`,
  },
  {
    name: 'reports a cordoned node as unschedulable',
    nodes: [nodeWith('n1', {}, (n) => (n.spec!.unschedulable = true))],
    pod: podWith('p'),
    message: `0/1 nodes are available: 1 node(s) were unschedulable. ${NOT_HELPFUL(1)}`,
  },
  {
    name: 'lets a pod that tolerates node.kubernetes.io/unschedulable onto a cordoned node',
    nodes: [nodeWith('n1', {}, (n) => (n.spec!.unschedulable = true))],
    pod: podWith('p', (p) => (p.spec.tolerations = [{ key: 'node.kubernetes.io/unschedulable', operator: 'Exists' }])),
    node: 'n1',
  },
  {
    name: 'reports a host port taken on every node',
    nodes: [nodeWith('n1'), nodeWith('n2')],
    existing: [
      boundPod(
        'a',
        'n1',
        (p) => (p.spec.containers = [container('c', undefined, { ports: [{ containerPort: 80, hostPort: 8080 }] })]),
      ),
      boundPod(
        'b',
        'n2',
        (p) =>
          (p.spec.containers = [
            container('c', undefined, { ports: [{ containerPort: 80, hostPort: 8080, hostIP: '127.0.0.1' }] }),
          ]),
      ),
    ],
    pod: podWith(
      'p',
      (p) => (p.spec.containers = [container('app', undefined, { ports: [{ containerPort: 81, hostPort: 8080 }] })]),
    ),
    message:
      "0/2 nodes are available: 2 node(s) didn't have free ports for the requested pod ports. " +
      'preemption: 0/2 nodes are available: 2 No preemption victims found for incoming pod.',
  },
  {
    name: 'allows the same host port on another protocol',
    nodes: [nodeWith('n1')],
    existing: [
      boundPod(
        'a',
        'n1',
        (p) =>
          (p.spec.containers = [
            container('c', undefined, { ports: [{ containerPort: 53, hostPort: 53, protocol: 'UDP' }] }),
          ]),
      ),
    ],
    pod: podWith(
      'p',
      (p) =>
        (p.spec.containers = [
          container('app', undefined, { ports: [{ containerPort: 53, hostPort: 53, protocol: 'TCP' }] }),
        ]),
    ),
    node: 'n1',
  },
  {
    name: 'matches required node affinity with Gt on an integer label',
    nodes: [nodeWith('n1', { labels: { cores: '4' } }), nodeWith('n2', { labels: { cores: '16' } })],
    pod: podWith('p', (p) => {
      p.spec.affinity = {
        nodeAffinity: {
          requiredDuringSchedulingIgnoredDuringExecution: {
            nodeSelectorTerms: [{ matchExpressions: [{ key: 'cores', operator: 'Gt', values: ['8'] }] }],
          },
        },
      };
    }),
    node: 'n2',
  },
  {
    name: 'rejects nodes whose label is not an integer for Lt',
    nodes: [nodeWith('n1', { labels: { cores: 'many' } })],
    pod: podWith('p', (p) => {
      p.spec.affinity = {
        nodeAffinity: {
          requiredDuringSchedulingIgnoredDuringExecution: {
            nodeSelectorTerms: [{ matchExpressions: [{ key: 'cores', operator: 'Lt', values: ['8'] }] }],
          },
        },
      };
    }),
    message: `0/1 nodes are available: 1 node(s) didn't match Pod's node affinity/selector. ${NOT_HELPFUL(1)}`,
  },
  {
    name: 'pins a pod with matchFields metadata.name and reports the other nodes as not satisfying NodeAffinity',
    nodes: [nodeWith('n1', { cpu: '1' }), nodeWith('n2'), nodeWith('n3')],
    pod: podWith('p', (p) => {
      p.spec.containers = [container('app', { cpu: '2' })];
      p.spec.affinity = {
        nodeAffinity: {
          requiredDuringSchedulingIgnoredDuringExecution: {
            nodeSelectorTerms: [{ matchFields: [{ key: 'metadata.name', operator: 'In', values: ['n1'] }] }],
          },
        },
      };
    }),
    message:
      "0/3 nodes are available: 1 Insufficient cpu, 2 node(s) didn't satisfy plugin(s) [NodeAffinity]. " +
      'preemption: 0/3 nodes are available: 1 No preemption victims found for incoming pod, 2 Preemption is not helpful for scheduling.',
  },
  {
    name: 'binds a pinned pod to its node',
    nodes: [nodeWith('n1'), nodeWith('n2')],
    pod: podWith('p', (p) => {
      p.spec.affinity = {
        nodeAffinity: {
          requiredDuringSchedulingIgnoredDuringExecution: {
            nodeSelectorTerms: [{ matchFields: [{ key: 'metadata.name', operator: 'In', values: ['n2'] }] }],
          },
        },
      };
    }),
    node: 'n2',
  },
  {
    name: 'treats an empty node selector term as matching nothing',
    nodes: [nodeWith('n1')],
    pod: podWith('p', (p) => {
      p.spec.affinity = {
        nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{}] } },
      };
    }),
    message: `0/1 nodes are available: 1 node(s) didn't match Pod's node affinity/selector. ${NOT_HELPFUL(1)}`,
  },
  {
    name: 'reports a node name mismatch',
    nodes: [nodeWith('n1')],
    pod: podWith('p', (p) => (p.spec.nodeName = 'elsewhere')),
    message: `0/1 nodes are available: 1 node(s) didn't match the requested node name. ${NOT_HELPFUL(1)}`,
  },
  {
    name: 'reports only the first failing filter of a node (taint before resources)',
    nodes: [nodeWith('n1', { cpu: '1' }, (n) => (n.spec!.taints = [{ key: 'k', effect: 'NoExecute' }]))],
    pod: podWith('p', (p) => (p.spec.containers = [container('app', { cpu: '2' })])),
    message: `0/1 nodes are available: 1 node(s) had untolerated taint {k: }. ${NOT_HELPFUL(1)}`,
  },
  {
    name: 'sorts histogram entries as strings, so 10 comes before 2',
    nodes: [
      ...Array.from({ length: 10 }, (_, i) => nodeWith(`a${i}`, { cpu: '1' })),
      nodeWith('b0', {}, (n) => (n.spec!.unschedulable = true)),
      nodeWith('b1', {}, (n) => (n.spec!.unschedulable = true)),
    ],
    pod: podWith('p', (p) => (p.spec.containers = [container('app', { cpu: '2' })])),
    message:
      '0/12 nodes are available: 10 Insufficient cpu, 2 node(s) were unschedulable. ' +
      'preemption: 0/12 nodes are available: 10 No preemption victims found for incoming pod, 2 Preemption is not helpful for scheduling.',
  },
  {
    name: 'says a pod with preemptionPolicy Never is not eligible for preemption',
    nodes: [nodeWith('n1', { cpu: '1' })],
    pod: podWith('p', (p) => {
      p.spec.containers = [container('app', { cpu: '2' })];
      p.spec.preemptionPolicy = 'Never';
    }),
    message: '0/1 nodes are available: 1 Insufficient cpu. not eligible due to preemptionPolicy=Never.',
  },
  {
    name: 'says no nodes are available in an empty cluster',
    nodes: [],
    pod: podWith('p'),
    message: 'no nodes available to schedule pods',
  },
  {
    name: 'prefers the least allocated node',
    nodes: [nodeWith('n1'), nodeWith('n2')],
    existing: [boundPod('a', 'n1', (p) => (p.spec.containers = [container('c', { cpu: '2', memory: '4Gi' })]))],
    pod: podWith('p'),
    node: 'n2',
  },
  {
    name: 'prefers a node matching a preferred node affinity term',
    nodes: [nodeWith('n1'), nodeWith('n2', { labels: { disk: 'ssd' } })],
    pod: podWith('p', (p) => {
      p.spec.affinity = {
        nodeAffinity: {
          preferredDuringSchedulingIgnoredDuringExecution: [
            { weight: 10, preference: { matchExpressions: [{ key: 'disk', operator: 'In', values: ['ssd'] }] } },
          ],
        },
      };
    }),
    node: 'n2',
  },
  {
    name: 'avoids a node with an untolerated PreferNoSchedule taint',
    nodes: [
      nodeWith('n1', {}, (n) => (n.spec!.taints = [{ key: 'spot', effect: 'PreferNoSchedule' }])),
      nodeWith('n2'),
    ],
    pod: podWith('p'),
    node: 'n2',
  },
  {
    name: 'does not mind a PreferNoSchedule taint the pod tolerates',
    nodes: [
      nodeWith(
        'n1',
        { cpu: '8', memory: '16Gi' },
        (n) => (n.spec!.taints = [{ key: 'spot', effect: 'PreferNoSchedule' }]),
      ),
      nodeWith('n2'),
    ],
    pod: podWith('p', (p) => (p.spec.tolerations = [{ key: 'spot', operator: 'Exists' }])),
    node: 'n1',
  },
  {
    name: 'counts sidecar requests when fitting',
    nodes: [nodeWith('n1', { cpu: '1' })],
    pod: podWith('p', (p) => {
      p.spec.containers = [container('app', { cpu: '600m' })];
      p.spec.initContainers = [container('proxy', { cpu: '600m' }, { restartPolicy: 'Always' })];
    }),
    message:
      '0/1 nodes are available: 1 Insufficient cpu. preemption: 0/1 nodes are available: 1 No preemption victims found for incoming pod.',
  },
];

for (const c of cases) {
  test(`schedulePod ${c.name}`, () => {
    const r = schedulePod(c.pod, buildNodeInfos(c.nodes, c.existing ?? []));
    if (c.node !== undefined) {
      assert.equal(r.ok, true, r.ok ? '' : r.message);
      assert.equal(r.ok && r.nodeName, c.node);
    } else {
      assert.equal(r.ok, false);
      assert.equal(!r.ok && r.message, c.message);
    }
  });
}
