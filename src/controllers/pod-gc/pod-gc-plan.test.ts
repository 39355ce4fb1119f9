import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Node, Pod } from '../../api/types/index.js';
import { boundPod, nodeWith, podWith } from '../testing/builders.js';
import { planPodGc } from './pod-gc-plan.js';

const NOW = Date.UTC(2026, 0, 1, 12, 0, 0);
const iso = (ms: number): string => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

function nodes(...ns: Node[]): Map<string, Node> {
  return new Map(ns.map((n) => [n.metadata.name!, n]));
}

function finished(name: string, createdMs: number, mutate?: (p: Pod) => void): Pod {
  return boundPod(name, 'n1', (p) => {
    p.status = { phase: 'Succeeded' };
    p.metadata.creationTimestamp = iso(createdMs);
    mutate?.(p);
  });
}

test('removes terminated pods over the threshold, oldest first', () => {
  const pods = [
    finished('c', NOW - 1000),
    finished('a', NOW - 3000),
    finished('b', NOW - 2000),
    boundPod('live', 'n1'),
  ];
  const actions = planPodGc({
    pods,
    nodes: nodes(nodeWith('n1')),
    deletedNodes: new Set(),
    nowMs: NOW,
    terminatedThreshold: 1,
  });
  assert.deepEqual(
    actions.map((a) => [a.pod.metadata.name, a.reason, a.markFailed]),
    [
      ['a', 'terminated', false],
      ['b', 'terminated', false],
    ],
  );
});

test('removes evicted terminated pods before older ones', () => {
  const pods = [finished('old', NOW - 9000), finished('evicted', NOW - 1000, (p) => (p.status!.reason = 'Evicted'))];
  const actions = planPodGc({
    pods,
    nodes: nodes(nodeWith('n1')),
    deletedNodes: new Set(),
    nowMs: NOW,
    terminatedThreshold: 1,
  });
  assert.deepEqual(
    actions.map((a) => a.pod.metadata.name),
    ['evicted'],
  );
});

test('keeps terminated pods at or under the threshold, and all of them when the threshold is 0', () => {
  const pods = [finished('a', NOW - 3000), finished('b', NOW - 2000)];
  assert.equal(
    planPodGc({ pods, nodes: nodes(nodeWith('n1')), deletedNodes: new Set(), nowMs: NOW, terminatedThreshold: 2 })
      .length,
    0,
  );
  assert.equal(
    planPodGc({ pods, nodes: nodes(nodeWith('n1')), deletedNodes: new Set(), nowMs: NOW, terminatedThreshold: 0 })
      .length,
    0,
  );
});

test('marks orphans of a deleted node Failed with DisruptionTarget DeletionByPodGC', () => {
  const pods = [boundPod('p', 'gone'), boundPod('q', 'n1')];
  const actions = planPodGc({
    pods,
    nodes: nodes(nodeWith('n1')),
    deletedNodes: new Set(['gone']),
    nowMs: NOW,
    terminatedThreshold: 0,
  });
  assert.equal(actions.length, 1);
  assert.equal(actions[0]!.pod.metadata.name, 'p');
  assert.equal(actions[0]!.markFailed, true);
  assert.deepEqual(actions[0]!.condition, {
    type: 'DisruptionTarget',
    status: 'True',
    reason: 'DeletionByPodGC',
    message: 'PodGC: node no longer exists',
    lastTransitionTime: iso(NOW),
  });
});

test('leaves pods of a node still in quarantine alone', () => {
  const actions = planPodGc({
    pods: [boundPod('p', 'gone')],
    nodes: nodes(),
    deletedNodes: new Set(),
    nowMs: NOW,
    terminatedThreshold: 0,
  });
  assert.equal(actions.length, 0);
});

test('force-deletes terminating pods that were never scheduled', () => {
  const p = podWith('p', (p) => (p.metadata.deletionTimestamp = iso(NOW + 30_000)));
  const actions = planPodGc({ pods: [p], nodes: nodes(), deletedNodes: new Set(), nowMs: NOW, terminatedThreshold: 0 });
  assert.deepEqual(
    actions.map((a) => [a.reason, a.markFailed]),
    [['unscheduled-terminating', true]],
  );
});

test('force-deletes terminating pods on an unreachable node once their grace period is over', () => {
  const lost = nodeWith('n1', {}, (n) => (n.status!.conditions![0]!.status = 'Unknown'));
  const p = boundPod('p', 'n1', (p) => (p.metadata.deletionTimestamp = iso(NOW + 1000)));
  const early = planPodGc({
    pods: [p],
    nodes: nodes(lost),
    deletedNodes: new Set(),
    nowMs: NOW,
    terminatedThreshold: 0,
  });
  assert.equal(early.length, 0);
  const late = planPodGc({
    pods: [p],
    nodes: nodes(lost),
    deletedNodes: new Set(),
    nowMs: NOW + 1000,
    terminatedThreshold: 0,
  });
  assert.deepEqual(
    late.map((a) => a.reason),
    ['terminating-on-lost-node'],
  );
});

test('force-deletes terminating pods on a not-ready node with the out-of-service taint at once', () => {
  const oos = nodeWith('n1', {}, (n) => {
    n.status!.conditions![0]!.status = 'False';
    n.spec!.taints = [{ key: 'node.kubernetes.io/out-of-service', effect: 'NoExecute' }];
  });
  const p = boundPod('p', 'n1', (p) => (p.metadata.deletionTimestamp = iso(NOW + 30_000)));
  const actions = planPodGc({
    pods: [p],
    nodes: nodes(oos),
    deletedNodes: new Set(),
    nowMs: NOW,
    terminatedThreshold: 0,
  });
  assert.deepEqual(
    actions.map((a) => a.reason),
    ['terminating-on-lost-node'],
  );
});

test('leaves terminating pods on a ready node to their agent', () => {
  const p = boundPod('p', 'n1', (p) => (p.metadata.deletionTimestamp = iso(NOW - 1000)));
  assert.equal(
    planPodGc({ pods: [p], nodes: nodes(nodeWith('n1')), deletedNodes: new Set(), nowMs: NOW, terminatedThreshold: 0 })
      .length,
    0,
  );
});
