import assert from 'node:assert/strict';
import { test } from 'node:test';
import { normalizeScores, scoreBalancedAllocation } from './node-scores.js';
import { newNodeInfo } from './node-info.js';
import { computePodRequests } from './pod-requests.js';
import { container, nodeWith, podWith } from './testing/builders.js';

test('normalises raw scores to 0–100 by the maximum, and reverses them for lower-is-better', () => {
  assert.deepEqual(normalizeScores([0, 5, 10], false), [0, 50, 100]);
  assert.deepEqual(normalizeScores([0, 5, 10], true), [100, 50, 0]);
  assert.deepEqual(normalizeScores([0, 0], true), [100, 100]);
  assert.deepEqual(normalizeScores([0, 0], false), [0, 0]);
});

test('scores a node whose cpu and memory would be used evenly higher than a lopsided one', () => {
  const ni = newNodeInfo(nodeWith('n1', { cpu: '4', memory: '4Gi' }));
  const even = computePodRequests(
    podWith('p', (p) => (p.spec.containers = [container('c', { cpu: '2', memory: '2Gi' })])),
    { nonZero: true },
  );
  const lopsided = computePodRequests(
    podWith('p', (p) => (p.spec.containers = [container('c', { cpu: '4', memory: '200Mi' })])),
    { nonZero: true },
  );
  assert.equal(scoreBalancedAllocation(ni, even), 100);
  assert.ok(scoreBalancedAllocation(ni, lopsided) < 60);
});
