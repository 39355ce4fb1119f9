// Vectors after k8s pkg/printers/internalversion/printers_test.go (TestPrintPod,
// TestPrintPodWithRestartableInitContainer, TestPrintNonTerminatedPod…).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ContainerState, ContainerStatus, Pod, PodCondition, PodPhase } from '../types/index.js';
import { podReadyString, podRestartsString, podStatusString } from './pod-printer.js';
import { tableFor } from './table-for.js';

const NOW = Date.parse('2024-05-01T12:00:00Z');
const ago = (ms: number): string => new Date(NOW - ms).toISOString();
const MIN = 60_000;

const running: ContainerState = { running: { startedAt: ago(10 * MIN) } };
const waiting = (reason?: string): ContainerState => ({ waiting: reason ? { reason } : {} });
const terminated = (exitCode: number, reason?: string, signal?: number): ContainerState => ({
  terminated: { exitCode, ...(reason ? { reason } : {}), ...(signal ? { signal } : {}) },
});
const cs = (name: string, state: ContainerState, extra: Partial<ContainerStatus> = {}): ContainerStatus => ({
  name,
  state,
  ready: false,
  restartCount: 0,
  image: 'busybox',
  imageID: '',
  ...extra,
});

interface Shape {
  containers?: string[];
  init?: { name: string; sidecar?: boolean }[];
  phase?: PodPhase;
  reason?: string;
  statuses?: ContainerStatus[];
  initStatuses?: ContainerStatus[];
  conditions?: PodCondition[];
  deleting?: boolean;
}

function pod(s: Shape): Pod {
  return {
    metadata: {
      name: 'p',
      namespace: 'default',
      creationTimestamp: ago(30 * MIN),
      ...(s.deleting ? { deletionTimestamp: ago(MIN) } : {}),
    },
    spec: {
      containers: (s.containers ?? ['a']).map((name) => ({ name, image: 'busybox' })),
      initContainers: (s.init ?? []).map((c) => ({
        name: c.name,
        image: 'busybox',
        ...(c.sidecar ? { restartPolicy: 'Always' as const } : {}),
      })),
    },
    status: {
      phase: s.phase ?? 'Running',
      ...(s.reason ? { reason: s.reason } : {}),
      containerStatuses: s.statuses ?? [],
      initContainerStatuses: s.initStatuses ?? [],
      conditions: s.conditions ?? [],
    },
  };
}

const readyCond = (status: 'True' | 'False'): PodCondition => ({ type: 'Ready', status });

test('prints STATUS and READY as kubectl does for every documented case', () => {
  const cases: [string, Shape, string, string][] = [
    ['pending with no statuses shows the phase', { phase: 'Pending' }, 'Pending', '0/1'],
    ['a running ready container', { statuses: [cs('a', running, { ready: true })] }, 'Running', '1/1'],
    ['a running container that is not ready', { statuses: [cs('a', running)] }, 'Running', '0/1'],
    [
      'a waiting container shows its reason',
      { phase: 'Pending', statuses: [cs('a', waiting('ContainerCreating'))] },
      'ContainerCreating',
      '0/1',
    ],
    ['CrashLoopBackOff', { statuses: [cs('a', waiting('CrashLoopBackOff'))] }, 'CrashLoopBackOff', '0/1'],
    ['ErrImagePull', { phase: 'Pending', statuses: [cs('a', waiting('ErrImagePull'))] }, 'ErrImagePull', '0/1'],
    ['Completed', { phase: 'Succeeded', statuses: [cs('a', terminated(0, 'Completed'))] }, 'Completed', '0/1'],
    ['Error', { phase: 'Failed', statuses: [cs('a', terminated(1, 'Error'))] }, 'Error', '0/1'],
    ['OOMKilled', { statuses: [cs('a', terminated(137, 'OOMKilled'))] }, 'OOMKilled', '0/1'],
    ['a signal without reason', { statuses: [cs('a', terminated(137, undefined, 9))] }, 'Signal:9', '0/1'],
    ['an exit code without reason', { statuses: [cs('a', terminated(2))] }, 'ExitCode:2', '0/1'],
    [
      'the first container wins because they are scanned from last to first',
      { containers: ['a', 'b'], statuses: [cs('a', waiting('CrashLoopBackOff')), cs('b', terminated(1, 'Error'))] },
      'CrashLoopBackOff',
      '0/2',
    ],
    [
      'Completed with another container ready and running, pod Ready',
      {
        containers: ['a', 'b'],
        statuses: [cs('a', terminated(0, 'Completed')), cs('b', running, { ready: true })],
        conditions: [readyCond('True')],
      },
      'Running',
      '1/2',
    ],
    [
      'Completed with another container ready and running, pod not Ready',
      {
        containers: ['a', 'b'],
        statuses: [cs('a', terminated(0, 'Completed')), cs('b', running, { ready: true })],
        conditions: [readyCond('False')],
      },
      'NotReady',
      '1/2',
    ],
    [
      'an init container running shows Init:i/n',
      {
        phase: 'Pending',
        init: [{ name: 'i1' }, { name: 'i2' }],
        initStatuses: [cs('i1', terminated(0, 'Completed')), cs('i2', running)],
        statuses: [cs('a', waiting('PodInitializing'))],
      },
      'Init:1/2',
      '0/1',
    ],
    [
      'an init container waiting on PodInitializing shows Init:0/1',
      { phase: 'Pending', init: [{ name: 'i' }], initStatuses: [cs('i', waiting('PodInitializing'))] },
      'Init:0/1',
      '0/1',
    ],
    [
      'an init container in back-off',
      { phase: 'Pending', init: [{ name: 'i' }], initStatuses: [cs('i', waiting('CrashLoopBackOff'))] },
      'Init:CrashLoopBackOff',
      '0/1',
    ],
    [
      'an init container failed with a reason',
      { phase: 'Failed', init: [{ name: 'i' }], initStatuses: [cs('i', terminated(1, 'Error'))] },
      'Init:Error',
      '0/1',
    ],
    [
      'an init container failed with an exit code only',
      { phase: 'Pending', init: [{ name: 'i' }], initStatuses: [cs('i', terminated(3))] },
      'Init:ExitCode:3',
      '0/1',
    ],
    [
      'an init container killed by a signal',
      { phase: 'Pending', init: [{ name: 'i' }], initStatuses: [cs('i', terminated(143, undefined, 15))] },
      'Init:Signal:15',
      '0/1',
    ],
    [
      'a started, ready sidecar counts in READY and does not block',
      {
        init: [{ name: 's', sidecar: true }],
        initStatuses: [cs('s', running, { started: true, ready: true })],
        statuses: [cs('a', running, { ready: true })],
        conditions: [{ type: 'Initialized', status: 'True' }],
      },
      'Running',
      '2/2',
    ],
    [
      'a sidecar not yet started holds initialization',
      {
        phase: 'Pending',
        init: [{ name: 's', sidecar: true }],
        initStatuses: [cs('s', running, { started: false })],
        statuses: [cs('a', waiting('PodInitializing'))],
      },
      'Init:0/1',
      '0/2',
    ],
    [
      // upstream keeps the init reason: a running ready regular container does not override it
      'a crash-looping sidecar after initialization keeps its Init: reason',
      {
        init: [{ name: 's', sidecar: true }],
        initStatuses: [cs('s', waiting('CrashLoopBackOff'), { started: false })],
        statuses: [cs('a', running, { ready: true })],
        conditions: [{ type: 'Initialized', status: 'True' }],
      },
      'Init:CrashLoopBackOff',
      '1/2',
    ],
    ['status.reason replaces the phase', { phase: 'Failed', reason: 'Evicted' }, 'Evicted', '0/1'],
    [
      'a scheduling-gated pod',
      {
        phase: 'Pending',
        conditions: [{ type: 'PodScheduled', status: 'False', reason: 'SchedulingGated' }],
      },
      'SchedulingGated',
      '0/1',
    ],
    [
      'a deleted pod is Terminating',
      { deleting: true, statuses: [cs('a', running, { ready: true })] },
      'Terminating',
      '1/1',
    ],
    ['a deleted pod on a lost node is Unknown', { deleting: true, reason: 'NodeLost' }, 'Unknown', '0/1'],
    [
      'a deleted pod that already finished keeps its status',
      { deleting: true, phase: 'Succeeded', statuses: [cs('a', terminated(0, 'Completed'))] },
      'Completed',
      '0/1',
    ],
  ];
  for (const [name, shape, status, ready] of cases) {
    const p = pod(shape);
    assert.equal(podStatusString(p), status, `${name}: STATUS`);
    assert.equal(podReadyString(p), ready, `${name}: READY`);
  }
});

test('prints RESTARTS with the age of the newest restart', () => {
  const cases: [string, Shape, string][] = [
    ['no restarts', { statuses: [cs('a', running)] }, '0'],
    ['restarts without a last termination time', { statuses: [cs('a', running, { restartCount: 3 })] }, '3'],
    [
      'restarts with the last termination 5 minutes ago',
      {
        statuses: [
          cs('a', running, {
            restartCount: 2,
            lastState: { terminated: { exitCode: 1, finishedAt: ago(5 * MIN) } },
          }),
        ],
      },
      '2 (5m ago)',
    ],
    [
      'sums containers and takes the newest termination',
      {
        containers: ['a', 'b'],
        statuses: [
          cs('a', running, { restartCount: 1, lastState: { terminated: { exitCode: 1, finishedAt: ago(90 * MIN) } } }),
          cs('b', running, { restartCount: 4, lastState: { terminated: { exitCode: 1, finishedAt: ago(150_000) } } }),
        ],
      },
      '5 (2m30s ago)',
    ],
    [
      'counts init container restarts while initializing',
      {
        phase: 'Pending',
        init: [{ name: 'i' }],
        initStatuses: [
          cs('i', waiting('CrashLoopBackOff'), {
            restartCount: 3,
            lastState: { terminated: { exitCode: 1, finishedAt: ago(20_000) } },
          }),
        ],
      },
      '3 (20s ago)',
    ],
    [
      'counts sidecar restarts but not finished init containers afterwards',
      {
        init: [{ name: 'i' }, { name: 's', sidecar: true }],
        initStatuses: [
          cs('i', terminated(0, 'Completed'), { restartCount: 2 }),
          cs('s', running, {
            started: true,
            restartCount: 1,
            lastState: { terminated: { exitCode: 1, finishedAt: ago(3 * 3600_000) } },
          }),
        ],
        statuses: [cs('a', running, { ready: true, restartCount: 1 })],
      },
      '2 (3h ago)',
    ],
  ];
  for (const [name, shape, want] of cases) {
    assert.equal(podRestartsString(pod(shape), NOW), want, name);
  }
});

test('builds the pods table with wide cells and completion conditions', () => {
  const p = pod({ statuses: [cs('a', running, { ready: true })] });
  p.spec.nodeName = 'node1';
  p.status!.podIPs = [{ ip: '10.0.0.5' }];
  p.spec.readinessGates = [{ conditionType: 'example.com/a' }, { conditionType: 'example.com/b' }];
  p.status!.conditions = [{ type: 'example.com/a', status: 'True' }];
  const done = pod({ phase: 'Succeeded', statuses: [cs('a', terminated(0, 'Completed'))] });
  const t = tableFor('pods', [p, done], NOW);
  assert.deepEqual(
    t.columnDefinitions.map((c) => [c.name, c.type, c.format, c.priority]),
    [
      ['Name', 'string', 'name', 0],
      ['Ready', 'string', '', 0],
      ['Status', 'string', '', 0],
      ['Restarts', 'string', '', 0],
      ['Age', 'string', '', 0],
      ['IP', 'string', '', 1],
      ['Node', 'string', '', 1],
      ['Nominated Node', 'string', '', 1],
      ['Readiness Gates', 'string', '', 1],
    ],
  );
  assert.ok(t.columnDefinitions.every((c) => c.description.length > 0));
  assert.deepEqual(t.rows[0], { cells: ['p', '1/1', 'Running', '0', '30m', '10.0.0.5', 'node1', '<none>', '1/2'] });
  assert.deepEqual(t.rows[1]!.cells, ['p', '0/1', 'Completed', '0', '30m', '<none>', '<none>', '<none>', '<none>']);
  assert.deepEqual(t.rows[1]!.conditions, [
    { type: 'Completed', status: 'True', reason: 'Succeeded', message: 'The pod has completed successfully.' },
  ]);
});
