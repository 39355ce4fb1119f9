// The post-processing of generateAPIPodStatus (pod-semantics.md §1.3).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { reconcilePodPhase } from './reconcile-phase.js';

test('keeps a terminal phase from the status manager over a non-terminal computed one', () => {
  const r = reconcilePodPhase({
    computed: 'Running',
    previous: { phase: 'Failed', reason: 'DeadlineExceeded' },
    api: { phase: 'Running' },
  });
  assert.deepEqual(r, { phase: 'Failed', reason: 'DeadlineExceeded', illegalTransition: false });
});

test('keeps a terminal phase from the API when the status manager has none', () => {
  const r = reconcilePodPhase({ computed: 'Pending', previous: { phase: 'Running' }, api: { phase: 'Succeeded' } });
  assert.equal(r.phase, 'Succeeded');
  assert.equal(r.illegalTransition, false);
});

test('keeps reason and message while the phase does not change, falling back to the API ones', () => {
  assert.deepEqual(
    reconcilePodPhase({
      computed: 'Running',
      previous: { phase: 'Running', reason: 'R', message: 'M' },
      api: { phase: 'Running', reason: 'api', message: 'api msg' },
    }),
    { phase: 'Running', reason: 'R', message: 'M', illegalTransition: false },
  );
  assert.deepEqual(
    reconcilePodPhase({
      computed: 'Running',
      previous: { phase: 'Running' },
      api: { phase: 'Running', reason: 'api', message: 'm' },
    }),
    { phase: 'Running', reason: 'api', message: 'm', illegalTransition: false },
  );
});

test('drops reason and message when the phase changes', () => {
  assert.deepEqual(
    reconcilePodPhase({
      computed: 'Succeeded',
      previous: { phase: 'Running', reason: 'R' },
      api: { phase: 'Running' },
    }),
    { phase: 'Succeeded', illegalTransition: false },
  );
});

test('an eviction forces Failed with its reason and message', () => {
  assert.deepEqual(
    reconcilePodPhase({
      computed: 'Running',
      previous: { phase: 'Running' },
      api: { phase: 'Running' },
      evict: { reason: 'DeadlineExceeded', message: 'Pod was active on the node longer than the specified deadline' },
    }),
    {
      phase: 'Failed',
      reason: 'DeadlineExceeded',
      message: 'Pod was active on the node longer than the specified deadline',
      illegalTransition: false,
    },
  );
});

test('never leaves a terminal API phase and reports the illegal transition', () => {
  const r = reconcilePodPhase({
    computed: 'Failed',
    previous: { phase: 'Succeeded' },
    api: { phase: 'Succeeded' },
  });
  assert.equal(r.phase, 'Succeeded');
  assert.equal(r.illegalTransition, true);
  const evicted = reconcilePodPhase({
    computed: 'Running',
    previous: { phase: 'Succeeded' },
    api: { phase: 'Succeeded' },
    evict: { reason: 'Evicted', message: 'x' },
  });
  assert.equal(evicted.phase, 'Succeeded');
  assert.equal(evicted.illegalTransition, true);
});
