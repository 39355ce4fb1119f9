// pod-semantics.md §1.4 (worked vectors) and §2 through generatePodStatus:
// runtime view + last start failures → phase, container states, conditions.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Pod, PodStatus } from '../../api/types/index.js';
import { generatePodStatus } from './generate-pod-status.js';
import type { StartFailure } from './container-statuses.js';
import type { PodRuntimeStatus } from '../podworker/runtime-pod-status.js';
import { exited, podWith, running, runtimeWith } from '../testing/builders.js';
import type { PodWithOptions } from '../testing/builders.js';

interface Case {
  pod?: PodWithOptions;
  status: (p: Pod) => PodRuntimeStatus;
  reasons?: Record<string, StartFailure>;
  notStarted?: string[];
  terminal?: boolean;
  phase: string;
  check?: (s: PodStatus) => void;
}

const crashLoop = {
  reason: 'CrashLoopBackOff',
  message: 'back-off 10s restarting failed container=app pod=p_default(u)',
};

const cases: Record<string, Case> = {
  'a scheduled pod with no containers yet is Pending, its container waiting ContainerCreating': {
    status: (p) => runtimeWith(p, []),
    phase: 'Pending',
    check: (s) => assert.deepEqual(s.containerStatuses![0]!.state, { waiting: { reason: 'ContainerCreating' } }),
  },
  'Always and running is Running': { status: (p) => runtimeWith(p, [running(p, 'app')]), phase: 'Running' },
  'Always, exited 1 and waiting in CrashLoopBackOff is Running': {
    status: (p) => runtimeWith(p, [exited(p, 'app', 1)]),
    reasons: { app: crashLoop },
    phase: 'Running',
    check: (s) => {
      const c = s.containerStatuses![0]!;
      assert.equal(c.state?.waiting?.reason, 'CrashLoopBackOff');
      assert.equal(c.lastState?.terminated?.exitCode, 1);
      assert.equal(c.lastState?.terminated?.reason, 'Error');
    },
  },
  'Always and exited 0, not yet restarted, is Running': {
    status: (p) => runtimeWith(p, [exited(p, 'app', 0)]),
    phase: 'Running',
  },
  'Never and exited 0 is Succeeded': {
    pod: { restartPolicy: 'Never' },
    status: (p) => runtimeWith(p, [exited(p, 'app', 0)]),
    phase: 'Succeeded',
    check: (s) => {
      assert.equal(s.containerStatuses![0]!.state?.terminated?.reason, 'Completed');
      assert.deepEqual(
        s.conditions!.find((c) => c.type === 'ContainersReady'),
        { type: 'ContainersReady', status: 'False', reason: 'PodCompleted' },
      );
    },
  },
  'Never and exited 1 is Failed': {
    pod: { restartPolicy: 'Never' },
    status: (p) => runtimeWith(p, [exited(p, 'app', 1)]),
    phase: 'Failed',
    check: (s) => assert.equal(s.conditions!.find((c) => c.type === 'Ready')?.reason, 'PodFailed'),
  },
  'OnFailure and exited 0 is Succeeded': {
    pod: { restartPolicy: 'OnFailure' },
    status: (p) => runtimeWith(p, [exited(p, 'app', 0)]),
    phase: 'Succeeded',
  },
  'OnFailure, exited 1 then waiting, is Running': {
    pod: { restartPolicy: 'OnFailure' },
    status: (p) => runtimeWith(p, [exited(p, 'app', 1)]),
    reasons: { app: crashLoop },
    phase: 'Running',
  },
  'two containers under Never, one exited 0 and one running, is Running': {
    pod: { restartPolicy: 'Never', containers: ['a', 'b'] },
    status: (p) => runtimeWith(p, [exited(p, 'a', 0), running(p, 'b')]),
    phase: 'Running',
  },
  'a running init container keeps the pod Pending, every container waiting PodInitializing': {
    pod: { initContainers: ['init'] },
    status: (p) => runtimeWith(p, [running(p, 'init')]),
    phase: 'Pending',
    check: (s) => {
      assert.equal(s.containerStatuses![0]!.state?.waiting?.reason, 'PodInitializing');
      assert.deepEqual(
        s.conditions!.find((c) => c.type === 'Initialized'),
        {
          type: 'Initialized',
          status: 'False',
          reason: 'ContainersNotInitialized',
          message: 'containers with incomplete status: [init]',
        },
      );
    },
  },
  'an init container failed under Never is Failed': {
    pod: { restartPolicy: 'Never', initContainers: ['init'] },
    status: (p) => runtimeWith(p, [exited(p, 'init', 1)]),
    phase: 'Failed',
  },
  'an init container failed under OnFailure, waiting to be retried, is Pending': {
    pod: { restartPolicy: 'OnFailure', initContainers: ['init'] },
    status: (p) => runtimeWith(p, [exited(p, 'init', 1)]),
    reasons: { init: { reason: 'CrashLoopBackOff', message: 'x' } },
    phase: 'Pending',
  },
  'an init container failed under Always is Pending': {
    pod: { initContainers: ['init'] },
    status: (p) => runtimeWith(p, [exited(p, 'init', 1)]),
    phase: 'Pending',
  },
  'a running sidecar whose startup probe has not passed keeps the pod Pending': {
    pod: { sidecars: ['log'] },
    status: (p) => runtimeWith(p, [running(p, 'log')]),
    notStarted: ['log'],
    phase: 'Pending',
  },
  'under Never, main exited 0 and sidecar still running is Running': {
    pod: { restartPolicy: 'Never', sidecars: ['log'] },
    status: (p) => runtimeWith(p, [exited(p, 'app', 0), running(p, 'log')]),
    phase: 'Running',
  },
  'under Never, main exited 0 and sidecar killed is Succeeded': {
    pod: { restartPolicy: 'Never', sidecars: ['log'] },
    status: (p) => runtimeWith(p, [exited(p, 'log', 137), exited(p, 'app', 0)]),
    phase: 'Succeeded',
  },
  'a crash-looping Always pod becomes Failed only when terminal': {
    status: (p) => runtimeWith(p, [exited(p, 'app', 1)]),
    terminal: true,
    phase: 'Failed',
  },
  'an Always pod whose containers exited 0 becomes Succeeded when terminal': {
    status: (p) => runtimeWith(p, [exited(p, 'app', 0)]),
    terminal: true,
    phase: 'Succeeded',
  },
  'a first image pull failure makes the pod Pending with ErrImagePull': {
    status: (p) => runtimeWith(p, []),
    reasons: { app: { reason: 'ErrImagePull', message: 'manifest unknown' } },
    phase: 'Pending',
    check: (s) =>
      assert.deepEqual(s.containerStatuses![0]!.state, {
        waiting: { reason: 'ErrImagePull', message: 'manifest unknown' },
      }),
  },
  'a waiting container with no history makes the pod Pending even while another runs': {
    pod: { containers: ['a', 'b'] },
    status: (p) => runtimeWith(p, [running(p, 'a')]),
    reasons: { b: { reason: 'ImagePullBackOff', message: 'Back-off pulling image "x"' } },
    phase: 'Pending',
  },
  'the previous instance becomes lastState and the restart count comes from the newest': {
    status: (p) => runtimeWith(p, [running(p, 'app', { restartCount: 2 }), exited(p, 'app', 1, { restartCount: 1 })]),
    phase: 'Running',
    check: (s) => {
      const c = s.containerStatuses![0]!;
      assert.equal(c.restartCount, 2);
      assert.equal(c.lastState?.terminated?.exitCode, 1);
      assert.equal(c.ready, true);
      assert.equal(c.started, true);
      assert.match(c.containerID!, /^sim:\/\//);
    },
  },
};

for (const [name, c] of Object.entries(cases)) {
  test(name, () => {
    const pod = podWith(c.pod);
    const s = generatePodStatus({
      pod,
      runtime: c.status(pod),
      previous: undefined,
      reasons: new Map(Object.entries(c.reasons ?? {})),
      isStarted: (n) => !(c.notStarted ?? []).includes(n),
      isReady: () => true,
      podIsTerminal: c.terminal ?? false,
      hostIPs: ['10.0.0.10'],
      runtimeType: 'sim',
    });
    assert.equal(s.phase, c.phase);
    c.check?.(s);
  });
}

test('the conditions come in the kubelet order after conditions owned by others', () => {
  const pod = podWith();
  pod.status!.conditions = [{ type: 'example.com/gate', status: 'True' }];
  const s = generatePodStatus({
    pod,
    runtime: runtimeWith(pod, [running(pod, 'app')]),
    previous: undefined,
    reasons: new Map(),
    isStarted: () => true,
    isReady: () => true,
    podIsTerminal: false,
    hostIPs: ['10.0.0.10'],
    runtimeType: 'sim',
  });
  assert.deepEqual(
    s.conditions!.map((c) => `${c.type}=${c.status}`),
    [
      'example.com/gate=True',
      'PodReadyToStartContainers=True',
      'Initialized=True',
      'Ready=True',
      'ContainersReady=True',
      'PodScheduled=True',
    ],
  );
  assert.equal(s.podIP, '10.88.0.2');
  assert.equal(s.hostIP, '10.0.0.10');
});

test('a terminal phase is kept even if the runtime view would say otherwise', () => {
  const pod = podWith({ restartPolicy: 'Never' });
  const s = generatePodStatus({
    pod,
    runtime: runtimeWith(pod, []),
    previous: { phase: 'Failed', reason: 'DeadlineExceeded', message: 'm' },
    reasons: new Map(),
    isStarted: () => true,
    isReady: () => true,
    podIsTerminal: false,
    hostIPs: [],
    runtimeType: 'sim',
  });
  assert.equal(s.phase, 'Failed');
  assert.equal(s.reason, 'DeadlineExceeded');
});
