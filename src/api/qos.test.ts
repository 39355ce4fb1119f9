// Cases after k8s pkg/apis/core/v1/helper/qos/qos_test.go (TestComputePodQOS).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { computePodQOS, getPodQOS } from './qos.js';
import type { Container, Pod, ResourceList } from './types/index.js';

const ctr = (name: string, requests?: ResourceList, limits?: ResourceList): Container => ({
  name,
  image: 'busybox',
  resources: { ...(requests ? { requests } : {}), ...(limits ? { limits } : {}) },
});
const pod = (containers: Container[], init: Container[] = [], resources?: Pod['spec']['resources']): Pod => ({
  metadata: { name: 'p' },
  spec: { containers, initContainers: init, ...(resources ? { resources } : {}) },
});
const g = { cpu: '100m', memory: '100Mi' };

test('classifies pods as upstream TestComputePodQOS does', () => {
  const cases: [string, Pod, string][] = [
    ['no resources anywhere', pod([ctr('a'), ctr('b')]), 'BestEffort'],
    ['only extended resources', pod([ctr('a', { 'nvidia.com/gpu': '1' }, { 'nvidia.com/gpu': '1' })]), 'BestEffort'],
    ['zero requests are ignored', pod([ctr('a', { cpu: '0', memory: '0' })]), 'BestEffort'],
    ['equal cpu and memory requests and limits', pod([ctr('a', g, g), ctr('b', g, g)]), 'Guaranteed'],
    ['limits without requests, before defaulting copies them', pod([ctr('a', undefined, g)]), 'Burstable'],
    ['one container without limits', pod([ctr('a', g, g), ctr('b')]), 'Burstable'],
    ['cpu limit only', pod([ctr('a', { cpu: '100m' }, { cpu: '100m' })]), 'Burstable'],
    ['request lower than limit', pod([ctr('a', { cpu: '50m', memory: '100Mi' }, g)]), 'Burstable'],
    ['request only', pod([ctr('a', { cpu: '100m' })]), 'Burstable'],
    ['init container without limits', pod([ctr('a', g, g)], [ctr('i')]), 'Burstable'],
    ['init container with equal limits', pod([ctr('a', g, g)], [ctr('i', g, g)]), 'Guaranteed'],
    ['init container with a request only', pod([ctr('a')], [ctr('i', { memory: '1Gi' })]), 'Burstable'],
    [
      'equal sums across formats',
      pod([ctr('a', { cpu: '0.1', memory: '0.1Gi' }, { cpu: '100m', memory: '102.4Mi' })]),
      'Guaranteed',
    ],
    ['extra requested resource beyond the limited ones', pod([ctr('a', { ...g }, { ...g })]), 'Guaranteed'],
    ['pod-level limits and requests equal', pod([ctr('a')], [], { requests: g, limits: g }), 'Guaranteed'],
    ['pod-level requests only', pod([ctr('a', g, g)], [], { requests: g }), 'Burstable'],
    ['pod-level cpu limit only', pod([ctr('a', g, g)], [], { limits: { cpu: '1' } }), 'Burstable'],
    ['pod-level empty resources decide BestEffort', pod([ctr('a', g, g)], [], {}), 'BestEffort'],
  ];
  for (const [name, p, want] of cases) {
    assert.equal(computePodQOS(p), want, name);
  }
});

test('getPodQOS prefers the stored class', () => {
  const p = pod([ctr('a')]);
  assert.equal(getPodQOS(p), 'BestEffort');
  p.status = { qosClass: 'Burstable' };
  assert.equal(getPodQOS(p), 'Burstable');
});

test('a pod with limits only is Guaranteed once defaulting has copied them into requests', async () => {
  const { defaultPod } = await import('./defaults.js');
  assert.equal(computePodQOS(defaultPod(pod([ctr('a', undefined, g)]))), 'Guaranteed');
});
