import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import type { Pod } from '../api/types/index.js';
import { activeDeadlineRemainingMs, pastActiveDeadline } from './active-deadline.js';

const START = Date.UTC(2026, 0, 1, 0, 0, 0);

function pod(activeDeadlineSeconds: number | undefined, startTime: string | undefined): Pod {
  return {
    metadata: { name: 'p' },
    spec: { containers: [], ...(activeDeadlineSeconds !== undefined ? { activeDeadlineSeconds } : {}) },
    status: startTime ? { startTime } : {},
  };
}

const cases: [string, Pod, number, boolean, number | undefined][] = [
  ['a pod without a deadline is never past it', pod(undefined, '2026-01-01T00:00:00Z'), START + 1e9, false, undefined],
  ['a pod without startTime is never past it', pod(10, undefined), START + 1e9, false, undefined],
  ['one second before the deadline is within it', pod(60, '2026-01-01T00:00:00Z'), START + 59_000, false, 1_000],
  [
    'exactly at the deadline is past it (duration >= allowed)',
    pod(60, '2026-01-01T00:00:00Z'),
    START + 60_000,
    true,
    0,
  ],
  ['after the deadline is past it', pod(60, '2026-01-01T00:00:00Z'), START + 61_000, true, -1_000],
];
for (const [name, p, now, past, remaining] of cases) {
  test(name, () => {
    assert.deepEqual(
      pastActiveDeadline(p, now),
      past
        ? { reason: 'DeadlineExceeded', message: 'Pod was active on the node longer than the specified deadline' }
        : undefined,
    );
    assert.equal(activeDeadlineRemainingMs(p, now), remaining);
  });
}
