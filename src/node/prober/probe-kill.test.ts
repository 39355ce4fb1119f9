import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import type { Container, Pod } from '../../api/types/index.js';
import { probeKillGracePeriodSeconds, probeKillMessage } from './probe-kill.js';

const container: Container = {
  name: 'app',
  livenessProbe: { exec: { command: ['x'] }, terminationGracePeriodSeconds: 5 },
  startupProbe: { exec: { command: ['x'] } },
};

function pod(
  patch: {
    deletionGracePeriodSeconds?: number;
    terminationGracePeriodSeconds?: number;
    restartPolicy?: 'Always' | 'OnFailure' | 'Never';
  } = {},
): Pod {
  return {
    metadata: {
      name: 'p',
      ...(patch.deletionGracePeriodSeconds !== undefined
        ? { deletionGracePeriodSeconds: patch.deletionGracePeriodSeconds }
        : {}),
    },
    spec: {
      containers: [container],
      ...(patch.terminationGracePeriodSeconds !== undefined
        ? { terminationGracePeriodSeconds: patch.terminationGracePeriodSeconds }
        : {}),
      ...(patch.restartPolicy ? { restartPolicy: patch.restartPolicy } : {}),
    },
  };
}

const graceCases: [string, Pod, 'liveness' | 'startup', number][] = [
  ['the probe-level grace period for a liveness kill', pod({ terminationGracePeriodSeconds: 60 }), 'liveness', 5],
  ['the pod grace period when the probe sets none', pod({ terminationGracePeriodSeconds: 60 }), 'startup', 60],
  ['30 s when neither is set', pod(), 'startup', 30],
  [
    'deletionGracePeriodSeconds over both',
    pod({ deletionGracePeriodSeconds: 1, terminationGracePeriodSeconds: 60 }),
    'liveness',
    1,
  ],
];
for (const [name, p, probe, want] of graceCases) {
  test(`a probe kill uses ${name}`, () => {
    assert.equal(probeKillGracePeriodSeconds(p, container, probe), want);
  });
}

const messageCases: [string, Pod, 'liveness' | 'startup', string][] = [
  ['says it will restart under Always', pod(), 'liveness', 'Container app failed liveness probe, will be restarted'],
  [
    'says it will restart under OnFailure',
    pod({ restartPolicy: 'OnFailure' }),
    'startup',
    'Container app failed startup probe, will be restarted',
  ],
  ['has no suffix under Never', pod({ restartPolicy: 'Never' }), 'liveness', 'Container app failed liveness probe'],
];
for (const [name, p, probe, want] of messageCases) {
  test(`the Killing message ${name}`, () => {
    assert.equal(probeKillMessage(p, container, probe), want);
  });
}
