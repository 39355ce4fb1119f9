// Every worked vector of pod-semantics.md §1.4, plus the counter rules of §1.2
// (after k8s pkg/kubelet/kubelet_pods_test.go TestPodPhaseWithRestart*).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ContainerState, ContainerStatus, PodPhase, PodSpec, RestartPolicy } from '../types/index.js';
import { derivePodPhase, getPhase, hasAnyRegularContainerStarted } from './phase.js';

const running: ContainerState = { running: { startedAt: '2024-01-01T00:00:00Z' } };
const waiting = (reason = 'ContainerCreating'): ContainerState => ({ waiting: { reason } });
const exited = (exitCode: number): ContainerState => ({ terminated: { exitCode } });

function st(name: string, state: ContainerState, extra: Partial<ContainerStatus> = {}): ContainerStatus {
  return { name, state, ready: false, restartCount: 0, image: 'busybox', imageID: '', ...extra };
}
/** waiting after a termination (CrashLoopBackOff with lastState.terminated). */
const backoff = (name: string, lastExit: number, extra: Partial<ContainerStatus> = {}): ContainerStatus =>
  st(name, waiting('CrashLoopBackOff'), { lastState: { terminated: { exitCode: lastExit } }, ...extra });

function spec(
  restartPolicy: RestartPolicy,
  containers: string[] = ['a'],
  init: { name: string; sidecar?: boolean }[] = [],
): PodSpec {
  return {
    restartPolicy,
    containers: containers.map((name) => ({ name, image: 'busybox' })),
    initContainers: init.map((c) => ({
      name: c.name,
      image: 'busybox',
      ...(c.sidecar ? { restartPolicy: 'Always' as const } : {}),
    })),
  };
}

interface Vector {
  spec: PodSpec;
  init?: ContainerStatus[];
  statuses?: ContainerStatus[];
  terminal?: boolean;
  want: PodPhase;
}

test('derives the phase of every worked vector in pod-semantics.md §1.4', () => {
  const vectors: Record<string, Vector> = {
    'scheduled, no statuses yet': { spec: spec('Always'), want: 'Pending' },
    'scheduled, container waiting ContainerCreating': {
      spec: spec('Always'),
      statuses: [st('a', waiting())],
      want: 'Pending',
    },
    'Always; running': { spec: spec('Always'), statuses: [st('a', running)], want: 'Running' },
    'Always; exited 1, now waiting CrashLoopBackOff': {
      spec: spec('Always'),
      statuses: [backoff('a', 1)],
      want: 'Running',
    },
    'Always; exited 0 (not yet restarted)': { spec: spec('Always'), statuses: [st('a', exited(0))], want: 'Running' },
    'Never; exited 0': { spec: spec('Never'), statuses: [st('a', exited(0))], want: 'Succeeded' },
    'Never; exited 1': { spec: spec('Never'), statuses: [st('a', exited(1))], want: 'Failed' },
    'OnFailure; exited 0': { spec: spec('OnFailure'), statuses: [st('a', exited(0))], want: 'Succeeded' },
    'OnFailure; exited 1 then waiting': {
      spec: spec('OnFailure'),
      statuses: [backoff('a', 1)],
      want: 'Running',
    },
    '2 containers, Never: A exited 0, B running': {
      spec: spec('Never', ['a', 'b']),
      statuses: [st('a', exited(0)), st('b', running)],
      want: 'Running',
    },
    'init container running': {
      spec: spec('Always', ['a'], [{ name: 'i' }]),
      init: [st('i', running)],
      statuses: [st('a', waiting('PodInitializing'))],
      want: 'Pending',
    },
    'init failed (exit 1), Never': {
      spec: spec('Never', ['a'], [{ name: 'i' }]),
      init: [st('i', exited(1))],
      statuses: [st('a', waiting('PodInitializing'))],
      want: 'Failed',
    },
    'init failed, OnFailure (waiting to be retried)': {
      spec: spec('OnFailure', ['a'], [{ name: 'i' }]),
      init: [backoff('i', 1)],
      statuses: [st('a', waiting('PodInitializing'))],
      want: 'Pending',
    },
    'init failed, Always (waiting to be retried)': {
      spec: spec('Always', ['a'], [{ name: 'i' }]),
      init: [backoff('i', 1)],
      statuses: [st('a', waiting('PodInitializing'))],
      want: 'Pending',
    },
    'sidecar running, startup probe not yet passed, no main container started': {
      spec: spec('Always', ['a'], [{ name: 's', sidecar: true }]),
      init: [st('s', running, { started: false })],
      statuses: [st('a', waiting('PodInitializing'))],
      want: 'Pending',
    },
    'Never; main exited 0, sidecar still running': {
      spec: spec('Never', ['a'], [{ name: 's', sidecar: true }]),
      init: [st('s', running, { started: true })],
      statuses: [st('a', exited(0))],
      want: 'Running',
    },
    'Never; main exited 0, sidecar killed afterwards': {
      spec: spec('Never', ['a'], [{ name: 's', sidecar: true }]),
      init: [st('s', exited(143), { started: false })],
      statuses: [st('a', exited(0))],
      terminal: true,
      want: 'Succeeded',
    },
  };
  for (const [name, v] of Object.entries(vectors)) {
    assert.equal(derivePodPhase(v.spec, v.init, v.statuses, { podIsTerminal: v.terminal ?? false }), v.want, name);
  }
});

test('applies the counter rules of getPhase', () => {
  const vectors: Record<string, Vector> = {
    'Always pods never finish by themselves, even all crash-looping': {
      spec: spec('Always', ['a', 'b']),
      statuses: [backoff('a', 1), st('b', exited(1))],
      want: 'Running',
    },
    'a deleted Always pod with all exited 0 is Succeeded': {
      spec: spec('Always', ['a', 'b']),
      statuses: [st('a', exited(0)), st('b', exited(0))],
      terminal: true,
      want: 'Succeeded',
    },
    'a deleted Always pod with one failure is Failed': {
      spec: spec('Always', ['a', 'b']),
      statuses: [st('a', exited(0)), st('b', exited(137))],
      terminal: true,
      want: 'Failed',
    },
    'waiting after a termination counts as stopped but never succeeded': {
      spec: spec('Never'),
      statuses: [backoff('a', 0)],
      want: 'Failed',
    },
    'a container waiting with no history makes the pod Pending even with others running': {
      spec: spec('Always', ['a', 'b']),
      statuses: [st('a', running), st('b', waiting('ErrImagePull'))],
      want: 'Pending',
    },
    'a missing regular container status keeps the pod Pending': {
      spec: spec('Always', ['a', 'b']),
      statuses: [st('a', running)],
      want: 'Pending',
    },
    'a regular container that started lets pending init containers pass (sandbox recreated)': {
      spec: spec('Always', ['a'], [{ name: 'i' }]),
      init: [st('i', waiting('PodInitializing'))],
      statuses: [st('a', running)],
      want: 'Running',
    },
    'a succeeded init container adds nothing': {
      spec: spec('Always', ['a'], [{ name: 'i' }]),
      init: [st('i', exited(0))],
      statuses: [st('a', running)],
      want: 'Running',
    },
    'init waiting after a success adds nothing': {
      spec: spec('Never', ['a'], [{ name: 'i' }]),
      init: [st('i', waiting('PodInitializing'), { lastState: { terminated: { exitCode: 0 } } })],
      statuses: [st('a', exited(0))],
      want: 'Succeeded',
    },
    'a failed init container with a running main under Never is Failed': {
      spec: spec('Never', ['a'], [{ name: 'i' }]),
      init: [st('i', exited(2))],
      statuses: [st('a', running)],
      want: 'Failed',
    },
    'a sidecar without status is unknown': {
      spec: spec('Always', ['a'], [{ name: 's', sidecar: true }]),
      statuses: [st('a', running)],
      want: 'Pending',
    },
    'a restarting sidecar is ignored': {
      spec: spec('Always', ['a'], [{ name: 's', sidecar: true }]),
      init: [backoff('s', 1)],
      statuses: [st('a', running)],
      want: 'Running',
    },
    'a sidecar waiting without history keeps the pod Pending': {
      spec: spec('Always', ['a'], [{ name: 's', sidecar: true }]),
      init: [st('s', waiting())],
      statuses: [st('a', waiting('PodInitializing'))],
      want: 'Pending',
    },
    'a status without any state is unknown': {
      spec: spec('Always'),
      statuses: [{ name: 'a', ready: false, restartCount: 0, image: '', imageID: '' }],
      want: 'Pending',
    },
    'a static pod ignores podIsTerminal': {
      spec: spec('Always'),
      statuses: [st('a', exited(0))],
      terminal: true,
      want: 'Running',
    },
  };
  for (const [name, v] of Object.entries(vectors)) {
    const isStatic = name.startsWith('a static pod');
    assert.equal(
      derivePodPhase(v.spec, v.init, v.statuses, { podIsTerminal: v.terminal ?? false, isStatic }),
      v.want,
      name,
    );
  }
});

test('never returns Unknown and defaults restartPolicy to Always', () => {
  const s: PodSpec = { containers: [{ name: 'a' }] };
  assert.equal(derivePodPhase(s, undefined, [st('a', exited(1))], { podIsTerminal: false }), 'Running');
});

test('hasAnyRegularContainerStarted looks only at regular containers', () => {
  const s = spec('Always', ['a'], [{ name: 'i' }]);
  assert.equal(hasAnyRegularContainerStarted(s, [st('i', running)]), false);
  assert.equal(hasAnyRegularContainerStarted(s, [st('a', exited(0))]), true);
  assert.equal(hasAnyRegularContainerStarted(s, [st('a', waiting())]), false);
  assert.equal(hasAnyRegularContainerStarted(s, undefined), false);
});

test('getPhase takes init and regular statuses in one list, as upstream does', () => {
  const s = spec('Never', ['a'], [{ name: 'i' }]);
  assert.equal(getPhase(s, [st('a', waiting('PodInitializing')), st('i', exited(1))], false), 'Failed');
  assert.equal(getPhase(s, [st('i', exited(0)), st('a', exited(0))], false), 'Succeeded');
});
