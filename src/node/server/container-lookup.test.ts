import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ContainerStatus, PodStatus } from '../../api/types/index.js';
import { StreamRequestError, logContainerId, runtimeIdOf } from './container-lookup.js';

function status(c: Partial<ContainerStatus>): PodStatus {
  return {
    containerStatuses: [{ name: 'c', ready: false, restartCount: 0, image: 'i', imageID: '', ...c }],
  };
}

test('runtime ids lose their scheme', () => {
  assert.equal(runtimeIdOf('sim://abc'), 'abc');
  assert.equal(runtimeIdOf('containerd://x'), 'x');
  assert.equal(runtimeIdOf('plain'), 'plain');
});

test('the log of the running, terminated or previous instance is chosen as the kubelet does', () => {
  const cases: [string, PodStatus, boolean, string][] = [
    ['running', status({ containerID: 'sim://run', state: { running: { startedAt: 't' } } }), false, 'run'],
    [
      'terminated',
      status({ containerID: 'sim://t', state: { terminated: { exitCode: 1, containerID: 'sim://t' } } }),
      false,
      't',
    ],
    [
      'crash loop: waiting, with a last state',
      status({
        state: { waiting: { reason: 'CrashLoopBackOff' } },
        lastState: { terminated: { exitCode: 1, containerID: 'sim://old' } },
      }),
      false,
      'old',
    ],
    [
      '--previous',
      status({
        containerID: 'sim://new',
        state: { running: { startedAt: 't' } },
        lastState: { terminated: { exitCode: 1, containerID: 'sim://old' } },
      }),
      true,
      'old',
    ],
  ];
  for (const [what, s, previous, id] of cases) {
    assert.equal(logContainerId('p', s, 'c', previous), id, what);
  }
});

test('containers without a log answer 400 with the kubelet messages', () => {
  const cases: [PodStatus, string, boolean, string][] = [
    [
      status({ state: { running: { startedAt: 't' } }, containerID: 'sim://x' }),
      'c',
      true,
      'previous terminated container "c" in pod "p" not found',
    ],
    [
      status({ state: { waiting: { reason: 'ContainerCreating' } } }),
      'c',
      false,
      'container "c" in pod "p" is waiting to start: ContainerCreating',
    ],
    [
      status({ state: { waiting: { reason: 'ErrImagePull' } } }),
      'c',
      false,
      `container "c" in pod "p" is waiting to start: image can't be pulled`,
    ],
    [
      status({ state: { waiting: { reason: 'ImagePullBackOff' } } }),
      'c',
      false,
      'container "c" in pod "p" is waiting to start: trying and failing to pull image',
    ],
    [{}, 'c', false, 'container "c" in pod "p" is not available'],
  ];
  for (const [s, name, previous, message] of cases) {
    assert.throws(
      () => logContainerId('p', s, name, previous),
      (e: unknown) => e instanceof StreamRequestError && e.code === 400 && e.message === message,
      message,
    );
  }
});
