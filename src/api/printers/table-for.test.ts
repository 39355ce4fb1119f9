// Node, event, namespace, secret, configmap, lease and default tables
// (k8s pkg/printers/internalversion/printers_test.go TestPrintNodeStatus, TestPrintEvent…).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ConfigMap, Event, Lease, Namespace, Node, Secret } from '../types/index.js';
import { nodeRoles, nodeStatusString } from './node-printer.js';
import { tableFor } from './table-for.js';

const NOW = Date.parse('2024-05-01T12:00:00Z');
const ago = (ms: number): string => new Date(NOW - ms).toISOString();
const H = 3_600_000;

const names = (resource: string): string[] => tableFor(resource, [], NOW).columnDefinitions.map((c) => c.name);
const wide = (resource: string): string[] =>
  tableFor(resource, [], NOW)
    .columnDefinitions.filter((c) => c.priority > 0)
    .map((c) => c.name);

test('declares the columns kubectl shows for each resource', () => {
  assert.deepEqual(names('nodes'), [
    'Name',
    'Status',
    'Roles',
    'Age',
    'Version',
    'Internal-IP',
    'External-IP',
    'OS-Image',
    'Kernel-Version',
    'Container-Runtime',
  ]);
  assert.deepEqual(wide('nodes'), ['Internal-IP', 'External-IP', 'OS-Image', 'Kernel-Version', 'Container-Runtime']);
  assert.deepEqual(names('events'), [
    'Last Seen',
    'Type',
    'Reason',
    'Object',
    'Subobject',
    'Source',
    'Message',
    'First Seen',
    'Count',
    'Name',
  ]);
  assert.deepEqual(wide('events'), ['Subobject', 'Source', 'First Seen', 'Count', 'Name']);
  assert.deepEqual(names('namespaces'), ['Name', 'Status', 'Age']);
  assert.deepEqual(names('secrets'), ['Name', 'Type', 'Data', 'Age']);
  assert.deepEqual(names('configmaps'), ['Name', 'Data', 'Age']);
  assert.deepEqual(names('leases'), ['Name', 'Holder', 'Age']);
  assert.deepEqual(names('widgets'), ['Name', 'Created At']);
  for (const r of ['pods', 'nodes', 'events', 'namespaces', 'secrets', 'configmaps', 'leases', 'widgets']) {
    for (const c of tableFor(r, [], NOW).columnDefinitions) {
      assert.ok(c.description, `${r}/${c.name} has a description`);
      assert.equal(typeof c.format, 'string');
    }
  }
});

test('prints node status with SchedulingDisabled, roles and wide fields', () => {
  const cases: [string, Node, string][] = [
    ['ready', { metadata: { name: 'n' }, status: { conditions: [{ type: 'Ready', status: 'True' }] } }, 'Ready'],
    [
      'not ready',
      { metadata: { name: 'n' }, status: { conditions: [{ type: 'Ready', status: 'False' }] } },
      'NotReady',
    ],
    [
      'unknown ready',
      { metadata: { name: 'n' }, status: { conditions: [{ type: 'Ready', status: 'Unknown' }] } },
      'NotReady',
    ],
    ['no ready condition', { metadata: { name: 'n' }, status: {} }, 'Unknown'],
    [
      'cordoned',
      {
        metadata: { name: 'n' },
        spec: { unschedulable: true },
        status: { conditions: [{ type: 'Ready', status: 'True' }] },
      },
      'Ready,SchedulingDisabled',
    ],
    [
      'cordoned without conditions',
      { metadata: { name: 'n' }, spec: { unschedulable: true } },
      'Unknown,SchedulingDisabled',
    ],
  ];
  for (const [name, node, want] of cases) {
    assert.equal(nodeStatusString(node), want, name);
  }
  const node: Node = {
    metadata: {
      name: 'node1',
      creationTimestamp: ago(50 * H),
      labels: {
        'node-role.kubernetes.io/worker': '',
        'node-role.kubernetes.io/control-plane': '',
        'kubernetes.io/role': 'edge',
      },
    },
    status: {
      conditions: [{ type: 'Ready', status: 'True' }],
      addresses: [
        { type: 'Hostname', address: 'node1' },
        { type: 'InternalIP', address: '10.1.0.4' },
      ],
      nodeInfo: {
        machineID: '',
        systemUUID: '',
        bootID: '',
        kernelVersion: '6.1.0-18-amd64',
        osImage: 'Debian GNU/Linux 12 (bookworm)',
        containerRuntimeVersion: 'podbay://0.1.0',
        kubeletVersion: 'v1.32.0-podbay',
        operatingSystem: 'linux',
        architecture: 'amd64',
      },
    },
  };
  assert.deepEqual(nodeRoles(node), ['control-plane', 'edge', 'worker']);
  assert.deepEqual(tableFor('nodes', [node], NOW).rows[0]!.cells, [
    'node1',
    'Ready',
    'control-plane,edge,worker',
    '2d2h',
    'v1.32.0-podbay',
    '10.1.0.4',
    '<none>',
    'Debian GNU/Linux 12 (bookworm)',
    '6.1.0-18-amd64',
    'podbay://0.1.0',
  ]);
  assert.deepEqual(tableFor('nodes', [{ metadata: { name: 'bare' } }], NOW).rows[0]!.cells, [
    'bare',
    'Unknown',
    '<none>',
    '<unknown>',
    '',
    '<none>',
    '<none>',
    '<unknown>',
    '<unknown>',
    '<unknown>',
  ]);
});

test('prints events from core/v1 and events.k8s.io fields', () => {
  const legacy: Event = {
    metadata: { name: 'p.17a', namespace: 'default' },
    involvedObject: { kind: 'Pod', name: 'p', fieldPath: 'spec.containers{app}' },
    reason: 'BackOff',
    message: 'Back-off restarting failed container app in pod p_default(u)\n',
    source: { component: 'kubelet', host: 'node1' },
    firstTimestamp: ago(10 * 60_000),
    lastTimestamp: ago(30_000),
    count: 7,
    type: 'Warning',
  };
  assert.deepEqual(tableFor('events', [legacy], NOW).rows[0]!.cells, [
    '30s',
    'Warning',
    'BackOff',
    'pod/p',
    'spec.containers{app}',
    'kubelet, node1',
    'Back-off restarting failed container app in pod p_default(u)',
    '10m',
    7,
    'p.17a',
  ]);
  const modern: Event = {
    metadata: { name: 'n.1' },
    involvedObject: { kind: 'Node' },
    reason: 'Starting',
    eventTime: ago(45_000),
    firstTimestamp: null,
    lastTimestamp: null,
    reportingComponent: 'podbay-agent',
    reportingInstance: 'node1',
    type: 'Normal',
  };
  assert.deepEqual(tableFor('events', [modern], NOW).rows[0]!.cells, [
    '45s',
    'Normal',
    'Starting',
    'node',
    '',
    'podbay-agent, node1',
    '',
    '45s',
    1,
    'n.1',
  ]);
  const series: Event = { ...modern, series: { count: 4, lastObservedTime: ago(5_000) } };
  const cells = tableFor('events', [series], NOW).rows[0]!.cells;
  assert.equal(cells[0], '5s');
  assert.equal(cells[8], 4);
});

test('prints namespaces, secrets, configmaps and leases', () => {
  const ns: Namespace = { metadata: { name: 'default', creationTimestamp: ago(3 * H) }, status: { phase: 'Active' } };
  assert.deepEqual(tableFor('namespaces', [ns], NOW).rows[0]!.cells, ['default', 'Active', '3h']);
  const secret: Secret = {
    metadata: { name: 's', creationTimestamp: ago(H) },
    type: 'Opaque',
    data: { a: 'eA==', b: 'eQ==' },
  };
  assert.deepEqual(tableFor('secrets', [secret], NOW).rows[0]!.cells, ['s', 'Opaque', 2, '60m']);
  const cm: ConfigMap = {
    metadata: { name: 'c', creationTimestamp: ago(5 * 60_000) },
    data: { a: '1' },
    binaryData: { b: 'AA==' },
  };
  assert.deepEqual(tableFor('configmaps', [cm], NOW).rows[0]!.cells, ['c', 2, '5m']);
  const lease: Lease = {
    metadata: { name: 'node1', creationTimestamp: ago(90_000) },
    spec: { holderIdentity: 'node1' },
  };
  assert.deepEqual(tableFor('leases', [lease], NOW).rows[0]!.cells, ['node1', 'node1', '90s']);
  assert.deepEqual(tableFor('leases', [{ metadata: { name: 'x' } }], NOW).rows[0]!.cells, ['x', '', '<unknown>']);
});

test('falls back to the apiserver default table for resources without a printer', () => {
  const t = tableFor(
    'widgets',
    [{ metadata: { name: 'w', creationTimestamp: '2024-05-01T11:00:00Z' } }, { metadata: { name: 'v' } }],
    NOW,
  );
  assert.equal(t.columnDefinitions[1]!.type, 'date');
  assert.deepEqual(
    t.rows.map((r) => r.cells),
    [
      ['w', '2024-05-01T11:00:00Z'],
      ['v', '0001-01-01T00:00:00Z'],
    ],
  );
});
