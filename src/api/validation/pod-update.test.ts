// validatePodUpdate (rule #29 and the fields a pod may still change), validatePodStatusUpdate
// and validatePodBinding, with the exact strings the Kubernetes API prints.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { newInvalid } from '../errors.js';
import type { Binding, Pod } from '../types/index.js';
import {
  POD_SPEC_IMMUTABLE_MSG,
  validatePodBinding,
  validatePodStatusUpdate,
  validatePodUpdate,
} from './pod-update.js';
import { basePod, container, podWith, render } from './testing/fixtures.js';

function oldPod(mutate: (p: Pod) => void = () => {}): Pod {
  return podWith((p) => {
    p.metadata.uid = 'u1';
    p.metadata.resourceVersion = '5';
    p.metadata.creationTimestamp = '2026-11-25T06:00:00Z';
    mutate(p);
  });
}

function updated(old: Pod, mutate: (p: Pod) => void): Pod {
  const p = structuredClone(old);
  mutate(p);
  return p;
}

const IMMUTABLE_HEAD =
  'spec: Forbidden: pod updates may not change fields other than `spec.containers[*].image`,`spec.initContainers[*].image`,`spec.activeDeadlineSeconds`,`spec.tolerations` (only additions to existing tolerations),`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)\n';

const cases: Record<string, { old?: (p: Pod) => void; change: (p: Pod) => void; want: string[] }> = {
  'allows an unchanged pod': { change: () => {}, want: [] },
  'allows a new container image': { change: (p) => (p.spec.containers[0]!.image = 'nginx:1.28'), want: [] },
  'allows a new init container image': {
    old: (p) => (p.spec.initContainers = [container('init')]),
    change: (p) => (p.spec.initContainers![0]!.image = 'busybox:2'),
    want: [],
  },
  'forbids adding a container (#29)': {
    change: (p) => p.spec.containers.push(container('side')),
    want: ['spec.containers: Forbidden: pod updates may not add or remove containers'],
  },
  'forbids removing an init container (#29)': {
    old: (p) => (p.spec.initContainers = [container('init')]),
    change: (p) => (p.spec.initContainers = []),
    want: ['spec.initContainers: Forbidden: pod updates may not add or remove containers'],
  },
  'forbids changing another spec field, with the diff (#29)': {
    change: (p) => (p.spec.restartPolicy = 'Never'),
    want: [`${IMMUTABLE_HEAD}  core.PodSpec{\n- \tRestartPolicy: "Always",\n+ \tRestartPolicy: "Never",\n  }\n`],
  },
  'shows a nested change in the diff (#29)': {
    change: (p) => (p.spec.containers[0]!.ports = [{ containerPort: 80, protocol: 'TCP' }]),
    want: [
      `${IMMUTABLE_HEAD}  core.PodSpec{\n- \tContainers[0].Ports: nil,\n+ \tContainers[0].Ports: [{"containerPort":80,"protocol":"TCP"}],\n  }\n`,
    ],
  },
  'treats equal quantities as unchanged': {
    old: (p) => (p.spec.containers[0]!.resources = { limits: { cpu: '1' } }),
    change: (p) => (p.spec.containers[0]!.resources = { limits: { cpu: '1000m' } }),
    want: [],
  },
  'requires an image on update as on create, and reports it twice as upstream does': {
    change: (p) => (p.spec.containers[0]!.image = ''),
    want: ['spec.containers[0].image: Required value', 'spec.containers[0].image: Required value'],
  },
  'allows setting activeDeadlineSeconds': { change: (p) => (p.spec.activeDeadlineSeconds = 30), want: [] },
  'allows lowering activeDeadlineSeconds': {
    old: (p) => (p.spec.activeDeadlineSeconds = 60),
    change: (p) => (p.spec.activeDeadlineSeconds = 30),
    want: [],
  },
  'forbids raising activeDeadlineSeconds': {
    old: (p) => (p.spec.activeDeadlineSeconds = 30),
    change: (p) => (p.spec.activeDeadlineSeconds = 60),
    want: ['spec.activeDeadlineSeconds: Invalid value: 60: must be less than or equal to previous value'],
  },
  'forbids removing activeDeadlineSeconds': {
    old: (p) => (p.spec.activeDeadlineSeconds = 30),
    change: (p) => delete p.spec.activeDeadlineSeconds,
    want: ['spec.activeDeadlineSeconds: Invalid value: "null": must not update from a positive integer to nil value'],
  },
  'rejects a negative activeDeadlineSeconds on update': {
    old: (p) => (p.spec.activeDeadlineSeconds = 30),
    change: (p) => (p.spec.activeDeadlineSeconds = -1),
    want: [
      'spec.activeDeadlineSeconds: Invalid value: -1: must be between 1 and 2147483647, inclusive',
      'spec.activeDeadlineSeconds: Invalid value: -1: must be between 0 and 2147483647, inclusive',
    ],
  },
  'rejects an init container image with whitespace on update': {
    old: (p) => (p.spec.initContainers = [container('init')]),
    change: (p) => (p.spec.initContainers![0]!.image = 'busybox '),
    want: [
      'spec.initContainers[0].image: Invalid value: "busybox ": must not have leading or trailing whitespace',
      'spec.initContainers[0].image: Invalid value: "busybox ": must not have leading or trailing whitespace',
    ],
  },
  'allows adding a toleration': {
    change: (p) => (p.spec.tolerations = [{ key: 'k', operator: 'Exists' }]),
    want: [],
  },
  'allows changing a toleration’s tolerationSeconds': {
    old: (p) => (p.spec.tolerations = [{ key: 'k', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 }]),
    change: (p) => (p.spec.tolerations![0]!.tolerationSeconds = 10),
    want: [],
  },
  'forbids changing an existing toleration': {
    old: (p) => (p.spec.tolerations = [{ key: 'k', operator: 'Exists' }]),
    change: (p) => (p.spec.tolerations = [{ key: 'other', operator: 'Exists' }]),
    want: ['spec.tolerations: Forbidden: existing toleration can not be modified except its tolerationSeconds'],
  },
  'allows removing a scheduling gate': {
    old: (p) => (p.spec.schedulingGates = [{ name: 'example.com/a' }]),
    change: (p) => (p.spec.schedulingGates = []),
    want: [],
  },
  'forbids adding a scheduling gate': {
    change: (p) => (p.spec.schedulingGates = [{ name: 'example.com/a' }]),
    want: [
      "spec.schedulingGates[0].name: Forbidden: only deletion is allowed, but found new scheduling gate 'example.com/a'",
    ],
  },
  'allows adding nodeSelector entries while gated': {
    old: (p) => (p.spec.schedulingGates = [{ name: 'example.com/a' }]),
    change: (p) => (p.spec.nodeSelector = { zone: 'a' }),
    want: [],
  },
  'forbids changing nodeSelector entries while gated': {
    old: (p) => {
      p.spec.schedulingGates = [{ name: 'example.com/a' }];
      p.spec.nodeSelector = { zone: 'a' };
    },
    change: (p) => (p.spec.nodeSelector = { zone: 'b', disk: 'ssd' }),
    want: [
      'spec.nodeSelector: Invalid value: map[string]string{"disk":"ssd", "zone":"b"}: only additions to spec.nodeSelector are allowed (no mutations or deletions)',
    ],
  },
  'allows a negative grace period to become 1': {
    old: (p) => (p.spec.terminationGracePeriodSeconds = -1),
    change: (p) => (p.spec.terminationGracePeriodSeconds = 1),
    want: [],
  },
  'keeps the name immutable': {
    change: (p) => (p.metadata.name = 'web2'),
    want: ['metadata.name: Invalid value: "web2": field is immutable'],
  },
  'keeps the creationTimestamp immutable, printed as Go prints a time': {
    change: (p) => (p.metadata.creationTimestamp = '2026-11-25T07:00:00Z'),
    want: ['metadata.creationTimestamp: Invalid value: 2026-11-25 07:00:00 +0000 UTC: field is immutable'],
  },
  'forbids new finalizers on a pod being deleted': {
    old: (p) => {
      p.metadata.deletionTimestamp = '2026-11-25T06:30:00Z';
      p.metadata.finalizers = ['example.com/a'];
    },
    change: (p) => (p.metadata.finalizers = ['example.com/a', 'example.com/c', 'example.com/b']),
    want: [
      'metadata.finalizers: Forbidden: no new finalizers can be added if the object is being deleted, found new finalizers []string{"example.com/b", "example.com/c"}',
    ],
  },
  'forbids changing an AppArmor annotation': {
    old: (p) => (p.metadata.annotations = { 'container.apparmor.security.beta.kubernetes.io/web': 'runtime/default' }),
    change: (p) => (p.metadata.annotations = { 'container.apparmor.security.beta.kubernetes.io/web': 'unconfined' }),
    want: [
      'metadata.annotations[container.apparmor.security.beta.kubernetes.io/web]: Forbidden: may not remove or update AppArmor annotations',
    ],
  },
  'forbids adding the mirror-pod annotation': {
    old: (p) => (p.spec.nodeName = 'node-1'),
    change: (p) => (p.metadata.annotations = { 'kubernetes.io/config.mirror': 'x' }),
    want: ['metadata.annotations[kubernetes.io/config.mirror]: Forbidden: may not add mirror pod annotation'],
  },
};

for (const [name, c] of Object.entries(cases)) {
  test(name, () => {
    const old = oldPod(c.old);
    assert.deepEqual(render(validatePodUpdate(updated(old, c.change), old)), c.want);
  });
}

test('exports the head of the immutable-spec message', () => {
  assert.equal(`spec: Forbidden: ${POD_SPEC_IMMUTABLE_MSG}\n`, IMMUTABLE_HEAD);
});

test('reports update errors together, metadata first, in upstream order', () => {
  const old = oldPod((p) => (p.spec.activeDeadlineSeconds = 30));
  const errs = validatePodUpdate(
    updated(old, (p) => {
      p.metadata.uid = 'u2';
      p.spec.containers[0]!.terminationMessagePolicy = 'X' as 'File';
      p.spec.activeDeadlineSeconds = 40;
    }),
    old,
  );
  assert.deepEqual(render(errs), [
    'metadata.uid: Invalid value: "u2": field is immutable',
    'spec.containers[0].terminationMessagePolicy: Unsupported value: "X": supported values: "File", "FallbackToLogsOnError"',
    'spec.activeDeadlineSeconds: Invalid value: 40: must be less than or equal to previous value',
  ]);
  assert.equal(
    newInvalid('Pod', 'web', errs).status.message,
    'Pod "web" is invalid: [metadata.uid: Invalid value: "u2": field is immutable, spec.containers[0].terminationMessagePolicy: Unsupported value: "X": supported values: "File", "FallbackToLogsOnError", spec.activeDeadlineSeconds: Invalid value: 40: must be less than or equal to previous value]',
  );
});

test('de-duplicates repeated errors in the 422 message', () => {
  const old = oldPod();
  const errs = validatePodUpdate(
    updated(old, (p) => (p.spec.containers[0]!.image = '')),
    old,
  );
  assert.equal(
    newInvalid('Pod', 'web', errs).status.message,
    'Pod "web" is invalid: spec.containers[0].image: Required value',
  );
});

// ---- status ----------------------------------------------------------------

function terminated(name: string, exitCode: number): NonNullable<Pod['status']>['containerStatuses'] {
  return [{ name, ready: false, restartCount: 0, image: 'nginx', imageID: '', state: { terminated: { exitCode } } }];
}
function running(name: string): NonNullable<Pod['status']>['containerStatuses'] {
  return [{ name, ready: true, restartCount: 1, image: 'nginx', imageID: '', state: { running: {} } }];
}

const statusCases: Record<string, { old?: (p: Pod) => void; change: (p: Pod) => void; want: string[] }> = {
  'allows a phase change': { change: (p) => (p.status = { phase: 'Running' }), want: [] },
  'forbids changing nodeName through status': {
    change: (p) => (p.spec.nodeName = 'node-2'),
    want: ['status.nodeName: Forbidden: may not be changed directly'],
  },
  'keeps qosClass immutable': {
    old: (p) => (p.status = { qosClass: 'BestEffort' }),
    change: (p) => (p.status = { qosClass: 'Burstable' }),
    want: ['status.qosClass: Invalid value: "Burstable": field is immutable'],
  },
  'forbids a terminated container from running again under Never': {
    old: (p) => {
      p.spec.restartPolicy = 'Never';
      p.status = { containerStatuses: terminated('web', 0) };
    },
    change: (p) => (p.status = { containerStatuses: running('web') }),
    want: ['status.containerStatuses[0].state: Forbidden: may not be transitioned to non-terminated state'],
  },
  'allows a failed container to run again under OnFailure': {
    old: (p) => {
      p.spec.restartPolicy = 'OnFailure';
      p.status = { containerStatuses: terminated('web', 1) };
    },
    change: (p) => (p.status = { containerStatuses: running('web') }),
    want: [],
  },
  'allows a terminated sidecar to run again under Never': {
    old: (p) => {
      p.spec.restartPolicy = 'Never';
      p.spec.initContainers = [container('proxy', { restartPolicy: 'Always' })];
      p.status = { initContainerStatuses: terminated('proxy', 0) };
    },
    change: (p) => (p.status = { initContainerStatuses: running('proxy') }),
    want: [],
  },
  'checks custom condition types': {
    change: (p) => (p.status = { conditions: [{ type: 'a/b/c', status: 'True' }] }),
    want: [
      `metadata.conditions[0].Type: Invalid value: "a/b/c": a qualified name must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]') with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')`,
    ],
  },
  'checks a new nominatedNodeName': {
    change: (p) => (p.status = { nominatedNodeName: 'Node_2' }),
    want: [
      `status.nominatedNodeName: Invalid value: "Node_2": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')`,
    ],
  },
  'never lets a terminated ephemeral container run again': {
    old: (p) => (p.status = { ephemeralContainerStatuses: terminated('debug', 1) }),
    change: (p) => (p.status = { ephemeralContainerStatuses: running('debug') }),
    want: ['status.ephemeralContainerStatuses[0].state: Forbidden: may not be transitioned to non-terminated state'],
  },
  'allows one pod IP per family': {
    change: (p) => (p.status = { podIP: '10.0.0.1', podIPs: [{ ip: '10.0.0.1' }, { ip: 'fd00::1' }] }),
    want: [],
  },
  'rejects two pod IPs of one family and duplicates': {
    change: (p) => (p.status = { podIPs: [{ ip: '10.0.0.1' }, { ip: '10.0.0.1' }] }),
    want: [
      'status.podIPs: Invalid value: []core.PodIP{core.PodIP{IP:"10.0.0.1"}, core.PodIP{IP:"10.0.0.1"}}: may specify no more than one IP for each IP family',
      'status.podIPs[1]: Duplicate value: core.PodIP{IP:"10.0.0.1"}',
    ],
  },
  'rejects an invalid pod IP': {
    change: (p) => (p.status = { podIPs: [{ ip: 'ten' }] }),
    want: ['status.podIPs[0]: Invalid value: "ten": must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)'],
  },
  'requires hostIPs[0] to equal hostIP': {
    change: (p) => (p.status = { hostIP: '192.168.1.2', hostIPs: [{ ip: '192.168.1.3' }] }),
    want: ['status.hostIPs[0].ip: Invalid value: "192.168.1.3": must be equal to `hostIP`'],
  },
};

for (const [name, c] of Object.entries(statusCases)) {
  test(`status update: ${name}`, () => {
    const old = oldPod(c.old);
    assert.deepEqual(render(validatePodStatusUpdate(updated(old, c.change), old)), c.want);
  });
}

// ---- binding ---------------------------------------------------------------

const bindingCases: Record<string, { target: Binding['target']; want: string[] }> = {
  'accepts a binding to a node': { target: { kind: 'Node', name: 'node-1' }, want: [] },
  'accepts a binding without a kind': { target: { name: 'node-1' }, want: [] },
  'rejects a binding to another kind': {
    target: { kind: 'Pod', name: 'x' },
    want: ['target.kind: Unsupported value: "Pod": supported values: "Node", "<empty>"'],
  },
  'requires a target name': { target: { name: '' }, want: ['target.name: Required value'] },
};

for (const [name, c] of Object.entries(bindingCases)) {
  test(`binding: ${name}`, () => {
    const b: Binding = { apiVersion: 'v1', kind: 'Binding', metadata: { name: 'web' }, target: c.target };
    assert.deepEqual(render(validatePodBinding(b)), c.want);
  });
}

test('the base pod fixture is a valid update of itself', () => {
  assert.deepEqual(validatePodUpdate(basePod(), basePod()), []);
});
