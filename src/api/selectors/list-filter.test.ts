import { test } from 'node:test';
import assert from 'node:assert/strict';
import { StatusError } from '../errors.js';
import type { Event, KubeObject, Namespace, Node, Pod, Secret } from '../types/index.js';
import { compileListFilter } from './list-filter.js';
import { selectableFields } from './selectable-fields.js';

const pod = (name: string, extra: Partial<Pod> = {}): Pod => ({
  metadata: { name, namespace: 'default', labels: { app: name } },
  spec: { containers: [{ name: 'c', image: 'busybox' }], nodeName: 'n1', ...extra.spec },
  status: { phase: 'Running', podIPs: [{ ip: '10.0.0.5' }], podIP: '10.0.0.5', ...extra.status },
});

function badRequest(fn: () => unknown, message: string): void {
  assert.throws(
    fn,
    (e: unknown) => e instanceof StatusError && e.code === 400 && e.reason === 'BadRequest' && e.message === message,
  );
}

test('filters pods by the selectors kubectl sends', () => {
  const pods = [pod('a'), pod('b', { status: { phase: 'Succeeded' } }), pod('nginx')];
  const names = (label?: string, field?: string): string[] =>
    pods.filter(compileListFilter('pods', label, field)).map((p) => p.metadata.name!);
  assert.deepEqual(names(undefined, 'metadata.name=a'), ['a']);
  assert.deepEqual(names(undefined, 'spec.nodeName=n1,status.phase!=Succeeded,status.phase!=Failed'), ['a', 'nginx']);
  assert.deepEqual(names('app in (nginx,x)'), ['nginx']);
  assert.deepEqual(names('app=a', 'status.phase=Running'), ['a']);
  assert.deepEqual(names(undefined, 'spec.host=n1'), ['a', 'b', 'nginx']);
  assert.deepEqual(names(undefined, 'status.podIP=10.0.0.5,spec.hostNetwork=false'), ['a', 'b', 'nginx']);
});

test('answers 400 BadRequest with the converter message for unsupported field labels', () => {
  badRequest(() => compileListFilter('pods', undefined, 'foo=bar'), 'field label not supported: foo');
  badRequest(
    () => compileListFilter('nodes', undefined, 'metadata.namespace=x'),
    'field label not supported: metadata.namespace',
  );
  badRequest(
    () => compileListFilter('configmaps', undefined, 'data.x=y'),
    '"data.x" is not a known field selector: only "metadata.name", "metadata.namespace"',
  );
  badRequest(() => compileListFilter('pods', 'a in', undefined), "unable to parse requirement: found '' expected: '('");
  badRequest(() => compileListFilter('pods', undefined, 'a'), "invalid selector: 'a'; can't understand 'a'");
});

test('exposes the per-kind selectable field sets of the registry strategies', () => {
  const ev: Event = {
    metadata: { name: 'e1', namespace: 'default' },
    involvedObject: { kind: 'Pod', name: 'p', namespace: 'default', uid: 'u1', fieldPath: 'spec.containers{c}' },
    reason: 'Started',
    type: 'Normal',
    reportingComponent: 'kubelet',
  };
  assert.deepEqual(selectableFields('events', ev), {
    'metadata.name': 'e1',
    'metadata.namespace': 'default',
    'involvedObject.kind': 'Pod',
    'involvedObject.namespace': 'default',
    'involvedObject.name': 'p',
    'involvedObject.uid': 'u1',
    'involvedObject.apiVersion': '',
    'involvedObject.resourceVersion': '',
    'involvedObject.fieldPath': 'spec.containers{c}',
    reason: 'Started',
    reportingComponent: 'kubelet',
    source: 'kubelet',
    type: 'Normal',
  });
  const node: Node = { metadata: { name: 'n1' }, spec: { unschedulable: true } };
  assert.deepEqual(selectableFields('nodes', node), { 'metadata.name': 'n1', 'spec.unschedulable': 'true' });
  const ns: Namespace = { metadata: { name: 'x' }, status: { phase: 'Active' } };
  assert.deepEqual(selectableFields('namespaces', ns), { 'metadata.name': 'x', 'status.phase': 'Active' });
  const secret: Secret = { metadata: { name: 's', namespace: 'd' }, type: 'Opaque' };
  assert.deepEqual(selectableFields('secrets', secret), {
    'metadata.name': 's',
    'metadata.namespace': 'd',
    type: 'Opaque',
  });
  const cm: KubeObject = { metadata: { name: 'c', namespace: 'd' } };
  assert.deepEqual(selectableFields('configmaps', cm), { 'metadata.name': 'c', 'metadata.namespace': 'd' });
  assert.equal(selectableFields('pods', pod('a'))['spec.hostNetwork'], 'false');
});

test('matches events the way kubectl describe asks for them', () => {
  const ev: Event = {
    metadata: { name: 'e1', namespace: 'default' },
    involvedObject: { kind: 'Node', name: 'n1', uid: 'u' },
    source: { component: 'kubelet' },
  };
  assert.equal(compileListFilter('events', undefined, 'involvedObject.kind=Node,involvedObject.name=n1')(ev), true);
  assert.equal(compileListFilter('events', undefined, 'involvedObject.uid=other')(ev), false);
  assert.equal(compileListFilter('events', undefined, 'source=kubelet')(ev), true);
});
