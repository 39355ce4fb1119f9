import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Pod } from '../api/types/index.js';
import { SchedulerCache } from './scheduler-cache.js';
import { boundPod, container, nodeWith, podWith } from './testing/builders.js';

const cpu = (m: string) => (p: Pod) => (p.spec.containers = [container('c', { cpu: m })]);

test('counts bound pods on their node, also when the node arrives after them', () => {
  const c = new SchedulerCache();
  c.updatePod(boundPod('a', 'n1', cpu('500m')));
  c.setNode(nodeWith('n1'));
  const ni = c.nodeInfos().get('n1')!;
  assert.equal(ni.requested.milliCPU, 500);
  assert.equal(ni.pods.length, 1);
});

test('an assumed pod counts until its binding is seen, and is replaced (not doubled) by it', () => {
  const c = new SchedulerCache();
  c.setNode(nodeWith('n1'));
  const p = podWith('a', cpu('300m'));
  c.assume(p, 'n1');
  assert.equal(c.isAssumed(p), true);
  assert.equal(c.nodeInfos().get('n1')!.requested.milliCPU, 300);
  c.updatePod(boundPod('a', 'n1', cpu('300m')));
  assert.equal(c.isAssumed(p), false);
  assert.equal(c.nodeInfos().get('n1')!.requested.milliCPU, 300);
  assert.equal(c.nodeInfos().get('n1')!.pods.length, 1);
});

test('forgetting a failed assumption frees its resources', () => {
  const c = new SchedulerCache();
  c.setNode(nodeWith('n1'));
  const p = podWith('a', cpu('300m'));
  c.assume(p, 'n1');
  c.forget(p);
  assert.equal(c.nodeInfos().get('n1')!.requested.milliCPU, 0);
});

test('a pod that finishes or is deleted frees its node, host ports included', () => {
  const c = new SchedulerCache();
  c.setNode(nodeWith('n1'));
  const withPort = (p: Pod) =>
    (p.spec.containers = [container('c', { cpu: '1' }, { ports: [{ containerPort: 80, hostPort: 80 }] })]);
  c.updatePod(boundPod('a', 'n1', withPort));
  c.updatePod(boundPod('b', 'n1', withPort));
  assert.equal(c.nodeInfos().get('n1')!.usedPorts.get('0.0.0.0')?.get('TCP/80'), 2);
  c.updatePod(
    boundPod('a', 'n1', (p) => {
      withPort(p);
      p.status = { phase: 'Succeeded' };
    }),
  );
  c.removePod(boundPod('b', 'n1'));
  const ni = c.nodeInfos().get('n1')!;
  assert.equal(ni.requested.milliCPU, 0);
  assert.equal(ni.usedPorts.get('0.0.0.0')?.has('TCP/80'), false);
  assert.equal(ni.pods.length, 0);
});

test('a node update keeps its pods and re-reads allocatable and taints', () => {
  const c = new SchedulerCache();
  c.setNode(nodeWith('n1', { cpu: '1' }));
  c.updatePod(boundPod('a', 'n1', cpu('500m')));
  c.setNode(nodeWith('n1', { cpu: '8' }, (n) => (n.spec!.taints = [{ key: 'k', effect: 'NoSchedule' }])));
  const ni = c.nodeInfos().get('n1')!;
  assert.equal(ni.allocatable.milliCPU, 8000);
  assert.equal(ni.pods.length, 1);
  assert.deepEqual(
    ni.taints.map((t) => t.key),
    ['k'],
  );
});
