// The generators of k8s pkg/kubelet/status/generate.go (generate_test.go cases) and
// the order/transition-time rules of generateAPIPodStatus (pod-semantics.md §3).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ContainerState, ContainerStatus, PodCondition, PodSpec } from '../types/index.js';
import {
  computePodConditions,
  generateContainersReadyCondition,
  generatePodInitializedCondition,
  generatePodReadyCondition,
  rfc3339Seconds,
  withTransitionTimes,
} from './conditions.js';

const running: ContainerState = { running: { startedAt: '2024-01-01T00:00:00Z' } };
const st = (name: string, state: ContainerState, extra: Partial<ContainerStatus> = {}): ContainerStatus => ({
  name,
  state,
  ready: false,
  restartCount: 0,
  image: 'busybox',
  imageID: '',
  ...extra,
});
const spec = (
  containers: string[],
  init: { name: string; sidecar?: boolean }[] = [],
  gates: string[] = [],
): PodSpec => ({
  containers: containers.map((name) => ({ name })),
  initContainers: init.map((c) => ({ name: c.name, ...(c.sidecar ? { restartPolicy: 'Always' as const } : {}) })),
  readinessGates: gates.map((conditionType) => ({ conditionType })),
});
const short = (c: PodCondition): string[] => [c.type, c.status, c.reason ?? '', c.message ?? ''];

test('ContainersReady follows generate.go', () => {
  const cases: [
    string,
    PodSpec,
    ContainerStatus[] | undefined,
    'Running' | 'Succeeded' | 'Failed' | 'Pending',
    string[],
  ][] = [
    [
      'no statuses at all',
      spec(['a']),
      undefined,
      'Pending',
      ['ContainersReady', 'False', 'UnknownContainerStatuses', ''],
    ],
    [
      'all ready',
      spec(['a', 'b']),
      [st('a', running, { ready: true }), st('b', running, { ready: true })],
      'Running',
      ['ContainersReady', 'True', '', ''],
    ],
    [
      'unknown and unready, in spec order, Go list format',
      spec(['a', 'b', 'c']),
      [st('b', running), st('c', running)],
      'Running',
      [
        'ContainersReady',
        'False',
        'ContainersNotReady',
        'containers with unknown status: [a], containers with unready status: [b c]',
      ],
    ],
    [
      'sidecars count, regular init containers do not',
      spec(['a'], [{ name: 'i' }, { name: 's', sidecar: true }]),
      [st('i', { terminated: { exitCode: 0 } }, { ready: true }), st('s', running), st('a', running, { ready: true })],
      'Running',
      ['ContainersReady', 'False', 'ContainersNotReady', 'containers with unready status: [s]'],
    ],
    [
      'succeeded with every status known',
      spec(['a']),
      [st('a', { terminated: { exitCode: 0 } })],
      'Succeeded',
      ['ContainersReady', 'False', 'PodCompleted', ''],
    ],
    [
      'failed',
      spec(['a']),
      [st('a', running, { ready: true })],
      'Failed',
      ['ContainersReady', 'False', 'PodFailed', ''],
    ],
  ];
  for (const [name, s, statuses, phase, want] of cases) {
    assert.deepEqual(short(generateContainersReadyCondition(s, statuses, phase)), want, name);
  }
});

test('Initialized follows generate.go', () => {
  const cases: [string, PodSpec, ContainerStatus[] | undefined, 'Running' | 'Succeeded' | 'Pending', string[]][] = [
    ['no init containers', spec(['a']), undefined, 'Pending', ['Initialized', 'True', '', '']],
    [
      'init containers without statuses',
      spec(['a'], [{ name: 'i' }]),
      undefined,
      'Pending',
      ['Initialized', 'False', 'UnknownContainerStatuses', ''],
    ],
    [
      'unknown and incomplete init containers',
      spec(['a'], [{ name: 'i1' }, { name: 'i2' }, { name: 'i3' }]),
      [st('i2', running), st('i3', { waiting: { reason: 'PodInitializing' } })],
      'Pending',
      [
        'Initialized',
        'False',
        'ContainersNotInitialized',
        'containers with unknown status: [i1], containers with incomplete status: [i2 i3]',
      ],
    ],
    [
      'a regular init container is done when ready',
      spec(['a'], [{ name: 'i' }]),
      [st('i', { terminated: { exitCode: 0 } }, { ready: true })],
      'Pending',
      ['Initialized', 'True', '', ''],
    ],
    [
      'a sidecar is done once started, not ready',
      spec(['a'], [{ name: 's', sidecar: true }]),
      [st('s', running, { started: true })],
      'Pending',
      ['Initialized', 'True', '', ''],
    ],
    [
      'a restarting sidecar after a regular container started stays initialized',
      spec(['a'], [{ name: 's', sidecar: true }]),
      [st('s', { waiting: { reason: 'CrashLoopBackOff' } }, { started: false }), st('a', running)],
      'Running',
      ['Initialized', 'True', '', ''],
    ],
    [
      'succeeded pods are PodCompleted',
      spec(['a'], [{ name: 'i' }]),
      [st('i', { terminated: { exitCode: 0 } })],
      'Succeeded',
      ['Initialized', 'True', 'PodCompleted', ''],
    ],
  ];
  for (const [name, s, statuses, phase, want] of cases) {
    assert.deepEqual(short(generatePodInitializedCondition(s, statuses, phase)), want, name);
  }
});

test('Ready copies ContainersReady, then checks readiness gates', () => {
  const s = spec(['a'], [], ['example.com/lb', 'example.com/dns']);
  const ready = [st('a', running, { ready: true })];
  assert.deepEqual(short(generatePodReadyCondition(s, [], [st('a', running)], 'Running')), [
    'Ready',
    'False',
    'ContainersNotReady',
    'containers with unready status: [a]',
  ]);
  assert.deepEqual(
    short(generatePodReadyCondition(s, [{ type: 'example.com/lb', status: 'False' }], ready, 'Running')),
    [
      'Ready',
      'False',
      'ReadinessGatesNotReady',
      'the status of pod readiness gate "example.com/lb" is not "True", but False, corresponding condition of pod readiness gate "example.com/dns" does not exist.',
    ],
  );
  assert.deepEqual(
    short(
      generatePodReadyCondition(
        s,
        [
          { type: 'example.com/lb', status: 'True' },
          { type: 'example.com/dns', status: 'True' },
        ],
        ready,
        'Running',
      ),
    ),
    ['Ready', 'True', '', ''],
  );
  assert.deepEqual(short(generatePodReadyCondition(spec(['a']), [], ready, 'Succeeded')), [
    'Ready',
    'False',
    'PodCompleted',
    '',
  ]);
});

const T0 = Date.parse('2024-06-25T14:48:12Z');
const T1 = T0 + 60_000;

test('computes the kubelet conditions in order, after the ones it does not own', () => {
  const s = spec(['a'], [], ['example.com/lb']);
  const conditions = computePodConditions({
    spec: s,
    apiConditions: [
      { type: 'example.com/lb', status: 'True', lastTransitionTime: '2024-06-25T14:00:00Z' },
      { type: 'Ready', status: 'False', lastTransitionTime: '2024-06-25T14:00:00Z' },
    ],
    statuses: [st('a', running, { ready: true })],
    phase: 'Running',
    sandboxReady: true,
    nowMs: T1,
  });
  assert.deepEqual(
    conditions.map((c) => [c.type, c.status, c.lastTransitionTime]),
    [
      ['example.com/lb', 'True', '2024-06-25T14:00:00Z'],
      ['PodReadyToStartContainers', 'True', '2024-06-25T14:49:12Z'],
      ['Initialized', 'True', '2024-06-25T14:49:12Z'],
      ['Ready', 'True', '2024-06-25T14:49:12Z'],
      ['ContainersReady', 'True', '2024-06-25T14:49:12Z'],
      ['PodScheduled', 'True', '2024-06-25T14:49:12Z'],
    ],
  );
  assert.ok(conditions.every((c) => c.lastProbeTime === null));
});

test('keeps lastTransitionTime while a status does not change', () => {
  const s = spec(['a']);
  const first = computePodConditions({
    spec: s,
    statuses: [st('a', running)],
    phase: 'Running',
    sandboxReady: true,
    nowMs: T0,
  });
  const second = computePodConditions({
    spec: s,
    previousConditions: first,
    statuses: [st('a', running, { ready: true })],
    phase: 'Running',
    sandboxReady: true,
    nowMs: T1,
  });
  const at = (cs: PodCondition[], type: string): string | null | undefined =>
    cs.find((c) => c.type === type)?.lastTransitionTime;
  assert.equal(at(second, 'Initialized'), rfc3339Seconds(T0));
  assert.equal(at(second, 'PodScheduled'), rfc3339Seconds(T0));
  assert.equal(at(second, 'Ready'), rfc3339Seconds(T1));
  assert.equal(at(second, 'ContainersReady'), rfc3339Seconds(T1));
});

test('carries DisruptionTarget from the previous status', () => {
  const disruption: PodCondition = {
    type: 'DisruptionTarget',
    status: 'True',
    reason: 'DeletionByTaintManager',
    message: 'Taint manager: deleting due to NoExecute taint',
    lastTransitionTime: '2024-06-25T14:50:00Z',
  };
  const conditions = computePodConditions({
    spec: spec(['a']),
    apiConditions: [],
    previousConditions: [disruption],
    statuses: [st('a', running)],
    phase: 'Running',
    sandboxReady: false,
    nowMs: T1,
  });
  assert.deepEqual(conditions[0], { ...disruption, lastProbeTime: null });
  assert.equal(conditions.find((c) => c.type === 'PodReadyToStartContainers')?.status, 'False');
});

test('formats transition times as RFC3339 seconds and stamps new conditions with now', () => {
  assert.equal(rfc3339Seconds(Date.parse('2024-06-25T15:19:24.987Z')), '2024-06-25T15:19:24Z');
  const out = withTransitionTimes(
    [{ type: 'Ready', status: 'True' }],
    [{ type: 'Ready', status: 'False', lastTransitionTime: 'old' }],
    T0,
  );
  assert.equal(out[0]!.lastTransitionTime, rfc3339Seconds(T0));
});
