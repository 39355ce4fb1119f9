import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import type { RuntimeStatus } from '../../runtime/runtime.js';
import { bytesQuantity, computeNodeStatus, nodeStatusHasChanged, readyErrors } from './node-status.js';
import type { NodeStatusInput } from './node-status.js';

const readyCases: [string, RuntimeStatus | undefined, string[]][] = [
  [
    'a ready runtime and network',
    {
      conditions: [
        { type: 'RuntimeReady', status: true },
        { type: 'NetworkReady', status: true },
      ],
    },
    [],
  ],
  ['no answer from the runtime', undefined, ['container runtime is down']],
  [
    'a runtime that is not ready',
    {
      conditions: [
        { type: 'RuntimeReady', status: false, reason: 'Starting', message: 'loading' },
        { type: 'NetworkReady', status: true },
      ],
    },
    ['container runtime not ready: RuntimeReady=false reason:Starting message:loading'],
  ],
];
for (const [name, status, want] of readyCases) {
  test(`Ready errors for ${name}`, () => {
    assert.deepEqual(readyErrors(status), want);
  });
}

test('two errors make one bracketed Ready message (utilerrors.NewAggregate)', () => {
  const input: NodeStatusInput = {
    nodeName: 'n',
    capacity: { cpuCores: 1, memoryBytes: 1024 ** 3, ephemeralStorageBytes: 1024 ** 3 },
    addresses: [],
    runtimeVersion: undefined,
    runtimeStatus: {
      conditions: [
        { type: 'RuntimeReady', status: false, reason: 'A', message: 'a' },
        { type: 'NetworkReady', status: false, reason: 'B', message: 'b' },
      ],
    },
    streamPort: 10250,
  };
  const ready = computeNodeStatus(input, undefined, 0).conditions!.find((c) => c.type === 'Ready')!;
  assert.equal(
    ready.message,
    '[container runtime not ready: RuntimeReady=false reason:A message:a, container runtime network not ready: NetworkReady=false reason:B message:b]',
  );
});

test('bytes print in Ki when whole kibibytes, else as plain bytes', () => {
  assert.equal(bytesQuantity(16 * 1024 ** 3), '16777216Ki');
  assert.equal(bytesQuantity(1000), '1000');
  assert.equal(bytesQuantity(0), '0');
});

test('a status differing only in heartbeat times or key order has not changed', () => {
  const a = {
    capacity: { cpu: '1', memory: '1Ki' },
    conditions: [{ type: 'Ready', status: 'True' as const, lastHeartbeatTime: 't1' }],
  };
  const b = {
    conditions: [{ lastHeartbeatTime: 't2', status: 'True' as const, type: 'Ready' }],
    capacity: { memory: '1Ki', cpu: '1' },
  };
  assert.equal(nodeStatusHasChanged(a, b), false);
  assert.equal(nodeStatusHasChanged(a, { ...b, capacity: { memory: '2Ki', cpu: '1' } }), true);
});

test('lastTransitionTime is kept while a condition keeps its status', () => {
  const input: NodeStatusInput = {
    nodeName: 'n',
    capacity: { cpuCores: 1, memoryBytes: 1024 ** 3, ephemeralStorageBytes: 1024 ** 3 },
    addresses: [],
    runtimeVersion: undefined,
    runtimeStatus: {
      conditions: [
        { type: 'RuntimeReady', status: true },
        { type: 'NetworkReady', status: true },
      ],
    },
    streamPort: 10250,
  };
  const first = computeNodeStatus(input, undefined, Date.UTC(2026, 0, 1));
  const later = computeNodeStatus(input, first, Date.UTC(2026, 0, 1, 1));
  const ready = later.conditions!.find((c) => c.type === 'Ready')!;
  assert.deepEqual(
    [ready.lastTransitionTime, ready.lastHeartbeatTime],
    ['2026-01-01T00:00:00Z', '2026-01-01T01:00:00Z'],
  );
});
