// Namespace, Node, ConfigMap, Secret, Event and Lease validation, with the exact strings
// the Kubernetes API prints.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { newInvalid } from '../errors.js';
import type { ConfigMap, Lease, Namespace, Node, Secret } from '../types/index.js';
import {
  validateConfigMap,
  validateConfigMapUpdate,
  validateEvent,
  validateLease,
  validateLeaseUpdate,
  validateNamespace,
  validateNamespaceFinalizeUpdate,
  validateNamespaceStatusUpdate,
  validateNode,
  validateNodeUpdate,
  validateSecret,
  validateSecretUpdate,
} from './objects.js';
import { LABEL_MSG, SUBDOMAIN_MSG, render } from './testing/fixtures.js';

const CONFIG_KEY_MSG =
  "a valid config key must consist of alphanumeric characters, '-', '_' or '.' (e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation is '[-._a-zA-Z0-9]+')";

function b64(s: string): string {
  return btoa(s);
}

const cases: Record<string, { got: () => string[]; want: string[] }> = {
  // Namespace
  'accepts a namespace': { got: () => render(validateNamespace({ metadata: { name: 'team-a' } })), want: [] },
  'names namespaces by DNS label': {
    got: () => render(validateNamespace({ metadata: { name: 'Team' } })),
    want: [`metadata.name: Invalid value: "Team": ${LABEL_MSG}`],
  },
  'checks namespace spec.finalizers': {
    got: () => render(validateNamespace({ metadata: { name: 'a' }, spec: { finalizers: ['custom'] } })),
    want: [
      'spec.finalizers: Invalid value: "custom": name is neither a standard finalizer name nor is it fully qualified',
    ],
  },
  'ties a namespace phase to its deletionTimestamp': {
    got: () => {
      const old: Namespace = { metadata: { name: 'a', uid: '1' }, status: { phase: 'Active' } };
      return render(validateNamespaceStatusUpdate({ ...old, status: { phase: 'Terminating' } }, old));
    },
    want: ['status.Phase: Invalid value: "Terminating": may only be \'Active\' if `deletionTimestamp` is empty'],
  },

  // Node
  'accepts a node': {
    got: () => render(validateNode({ metadata: { name: 'node-1' }, status: { capacity: { cpu: '4', pods: '110' } } })),
    want: [],
  },
  'forbids a namespace on a node and checks its name': {
    got: () => render(validateNode({ metadata: { name: 'Node_1', namespace: 'default' } })),
    want: [
      `metadata.name: Invalid value: "Node_1": ${SUBDOMAIN_MSG}`,
      'metadata.namespace: Forbidden: not allowed on this type',
    ],
  },
  'checks node taints at upstream’s metadata.taints path': {
    got: () =>
      render(
        validateNode({
          metadata: { name: 'n' },
          spec: {
            taints: [
              { key: 'k', effect: '' as 'NoSchedule' },
              { key: 'k', effect: 'NoSchedule' },
              { key: 'k', value: 'v', effect: 'NoSchedule' },
            ],
          },
        }),
      ),
    want: [
      'metadata.taints[0].effect: Required value',
      'metadata.taints[2]: Duplicate value: core.Taint{Key:"k", Value:"v", Effect:"NoSchedule", TimeAdded:(*v1.Time)(nil)}: taints must be unique by key and effect pair',
    ],
  },
  'rejects negative and fractional node capacity': {
    got: () => render(validateNode({ metadata: { name: 'n' }, status: { capacity: { cpu: '-1', pods: '1.5' } } })),
    want: [
      'status.capacity.cpu: Invalid value: "-1": must be greater than or equal to 0',
      'status.capacity.pods: Invalid value: 1500m: must be an integer',
    ],
  },
  'checks node podCIDRs': {
    got: () => render(validateNode({ metadata: { name: 'n' }, spec: { podCIDRs: ['10.0.0.0/33'] } })),
    want: [
      'spec.podCIDRs[0]: Invalid value: "10.0.0.0/33": must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)',
    ],
  },
  'sets podCIDRs and providerID once': {
    got: () => {
      const old: Node = { metadata: { name: 'n', uid: '1' }, spec: { podCIDRs: ['10.0.0.0/24'], providerID: 'p1' } };
      return render(validateNodeUpdate({ ...old, spec: { podCIDRs: ['10.0.1.0/24'], providerID: 'p2' } }, old));
    },
    want: [
      'spec.podCIDRs: Forbidden: node updates may not change podCIDR except from "" to valid',
      'spec.providerID: Forbidden: node updates may not change providerID except from "" to valid',
    ],
  },

  'checks node podCIDRs families and duplicates': {
    got: () => render(validateNode({ metadata: { name: 'n' }, spec: { podCIDRs: ['10.0.0.0/24', '10.0.0.0/24'] } })),
    want: [
      'spec.podCIDRs: Invalid value: []string{"10.0.0.0/24", "10.0.0.0/24"}: may specify no more than one CIDR for each IP family',
      'spec.podCIDRs[1]: Duplicate value: "10.0.0.0/24"',
    ],
  },
  'rejects duplicate node addresses on update': {
    got: () => {
      const old: Node = { metadata: { name: 'n', uid: '1' } };
      const addr = { type: 'InternalIP' as const, address: '10.0.0.5' };
      return render(validateNodeUpdate({ ...old, status: { addresses: [addr, addr] } }, old));
    },
    want: ['status.addresses[1]: Duplicate value: core.NodeAddress{Type:"InternalIP", Address:"10.0.0.5"}'],
  },
  'checks finalizers on the namespace finalize subresource, by index': {
    got: () => {
      const old: Namespace = { metadata: { name: 'a', uid: '1' }, spec: { finalizers: ['kubernetes'] } };
      return render(validateNamespaceFinalizeUpdate({ ...old, spec: { finalizers: ['kubernetes', 'mine'] } }, old));
    },
    want: [
      'spec.finalizers[1]: Invalid value: "mine": name is neither a standard finalizer name nor is it fully qualified',
    ],
  },

  // ConfigMap
  'accepts a configmap': {
    got: () =>
      render(validateConfigMap({ metadata: { name: 'cfg', namespace: 'default' }, data: { 'app.conf': 'x' } })),
    want: [],
  },
  'checks configmap keys and keys in both data and binaryData': {
    got: () =>
      render(
        validateConfigMap({
          metadata: { name: 'cfg', namespace: 'default' },
          data: { 'a/b': 'x', k: 'v' },
          binaryData: { k: b64('v') },
        }),
      ),
    want: [
      `data[a/b]: Invalid value: "a/b": ${CONFIG_KEY_MSG}`,
      'data[k]: Invalid value: "k": duplicate of key present in binaryData',
    ],
  },
  'limits a configmap to 1 MiB, reported at the root path `[]`': {
    got: () =>
      render(
        validateConfigMap({
          metadata: { name: 'cfg', namespace: 'default' },
          data: { a: 'x'.repeat(1024 * 1024 + 1) },
        }),
      ),
    want: ['[]: Too long: may not be more than 1048576 bytes'],
  },
  'keeps an immutable configmap immutable': {
    got: () => {
      const old: ConfigMap = {
        metadata: { name: 'c', namespace: 'default', uid: '1' },
        immutable: true,
        data: { a: '1' },
      };
      return render(validateConfigMapUpdate({ ...old, immutable: false, data: { a: '2' } }, old));
    },
    want: [
      'immutable: Forbidden: field is immutable when `immutable` is set',
      'data: Forbidden: field is immutable when `immutable` is set',
    ],
  },
  'lets a mutable configmap become immutable': {
    got: () => {
      const old: ConfigMap = { metadata: { name: 'c', namespace: 'default', uid: '1' }, data: { a: '1' } };
      return render(validateConfigMapUpdate({ ...old, immutable: true, data: { a: '2' } }, old));
    },
    want: [],
  },

  // Secret
  'accepts an opaque secret': {
    got: () => render(validateSecret({ metadata: { name: 's', namespace: 'default' }, data: { password: b64('x') } })),
    want: [],
  },
  'requires the keys of a TLS secret': {
    got: () =>
      render(validateSecret({ metadata: { name: 's', namespace: 'default' }, type: 'kubernetes.io/tls', data: {} })),
    want: ['data[tls.crt]: Required value', 'data[tls.key]: Required value'],
  },
  'counts stringData as data': {
    got: () =>
      render(
        validateSecret({
          metadata: { name: 's', namespace: 'default' },
          type: 'kubernetes.io/tls',
          stringData: { 'tls.crt': 'c', 'tls.key': 'k' },
        }),
      ),
    want: [],
  },
  'requires username or password in a basic-auth secret': {
    got: () =>
      render(validateSecret({ metadata: { name: 's', namespace: 'default' }, type: 'kubernetes.io/basic-auth' })),
    want: ['data[username]: Required value', 'data[password]: Required value'],
  },
  'requires the service account annotation on a token secret': {
    got: () =>
      render(
        validateSecret({ metadata: { name: 's', namespace: 'default' }, type: 'kubernetes.io/service-account-token' }),
      ),
    want: ['metadata.annotations[kubernetes.io/service-account.name]: Required value'],
  },
  'requires .dockerconfigjson in a docker config secret': {
    got: () =>
      render(validateSecret({ metadata: { name: 's', namespace: 'default' }, type: 'kubernetes.io/dockerconfigjson' })),
    want: ['data[.dockerconfigjson]: Required value'],
  },
  'limits secret data to 1 MiB': {
    got: () =>
      render(
        validateSecret({
          metadata: { name: 's', namespace: 'default' },
          stringData: { a: 'x'.repeat(1024 * 1024 + 1) },
        }),
      ),
    want: ['data: Too long: may not be more than 1048576 bytes'],
  },
  'keeps a secret’s type and immutable data': {
    got: () => {
      const old: Secret = {
        metadata: { name: 's', namespace: 'default', uid: '1' },
        immutable: true,
        data: { a: b64('1') },
      };
      return render(validateSecretUpdate({ ...old, type: 'Opaque', data: { a: b64('2') } }, old));
    },
    want: [
      'type: Invalid value: "Opaque": field is immutable',
      'data: Forbidden: field is immutable when `immutable` is set',
    ],
  },

  // Event
  'accepts a core/v1 event in its object’s namespace': {
    got: () =>
      render(
        validateEvent({
          metadata: { name: 'web.1', namespace: 'default' },
          involvedObject: { kind: 'Pod', namespace: 'default', name: 'web' },
          reason: 'Started',
        }),
      ),
    want: [],
  },
  'requires an event’s namespace to match its object’s': {
    got: () =>
      render(
        validateEvent({
          metadata: { name: 'e', namespace: 'default' },
          involvedObject: { kind: 'Pod', namespace: 'other' },
        }),
      ),
    want: ['involvedObject.namespace: Invalid value: "other": does not match event.namespace'],
  },
  'requires the reporting fields on an event with eventTime': {
    got: () =>
      render(
        validateEvent({
          metadata: { name: 'e', namespace: 'default' },
          involvedObject: { kind: 'Pod', namespace: 'default' },
          eventTime: '2026-11-25T06:00:00.000000Z',
        }),
      ),
    want: [
      'reportingController: Required value',
      'reportingController: Invalid value: "": name part must be non-empty',
      "reportingController: Invalid value: \"\": name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')",
      'reportingInstance: Required value',
      'action: Required value',
      'reason: Required value',
    ],
  },

  'accepts an event about a cluster-scoped object in default': {
    got: () =>
      render(
        validateEvent({ metadata: { name: 'n.1', namespace: 'default' }, involvedObject: { kind: 'Node', name: 'n' } }),
      ),
    want: [],
  },
  'rejects an event about a cluster-scoped object in another namespace': {
    got: () =>
      render(
        validateEvent({ metadata: { name: 'n.1', namespace: 'team-a' }, involvedObject: { kind: 'Node', name: 'n' } }),
      ),
    want: ['involvedObject.namespace: Invalid value: "": does not match event.namespace'],
  },
  'limits an eventTime event’s reason, action and note': {
    got: () =>
      render(
        validateEvent({
          metadata: { name: 'e', namespace: 'default' },
          involvedObject: { kind: 'Pod', namespace: 'default' },
          eventTime: '2026-11-25T06:00:00.000000Z',
          reportingComponent: 'kubelet',
          reportingInstance: 'node-1',
          action: 'x'.repeat(129),
          reason: 'r'.repeat(129),
          message: 'm'.repeat(1025),
        }),
      ),
    want: [
      'action: Invalid value: "": can have at most 128 characters',
      'reason: Invalid value: "": can have at most 128 characters',
      'message: Invalid value: "": can have at most 1024 characters',
    ],
  },
  'checks configmap binaryData keys': {
    got: () =>
      render(validateConfigMap({ metadata: { name: 'c', namespace: 'default' }, binaryData: { '..x': b64('1') } })),
    want: ['binaryData[..x]: Invalid value: "..x": must not start with \'..\''],
  },
  'requires an ssh private key': {
    got: () =>
      render(
        validateSecret({
          metadata: { name: 's', namespace: 'default' },
          type: 'kubernetes.io/ssh-auth',
          data: { 'ssh-privatekey': '' },
        }),
      ),
    want: ['data[ssh-privatekey]: Required value'],
  },

  // Lease
  'accepts a lease': {
    got: () =>
      render(
        validateLease({
          metadata: { name: 'node-1', namespace: 'kube-node-lease' },
          spec: { holderIdentity: 'node-1', leaseDurationSeconds: 40 },
        }),
      ),
    want: [],
  },
  'requires a positive lease duration and non-negative transitions': {
    got: () =>
      render(
        validateLease({
          metadata: { name: 'l', namespace: 'x' },
          spec: { leaseDurationSeconds: 0, leaseTransitions: -1 },
        }),
      ),
    want: [
      'spec.leaseDurationSeconds: Invalid value: 0: must be greater than 0',
      'spec.leaseTransitions: Invalid value: -1: must be greater than or equal to 0',
    ],
  },
  'does not apply core’s legacy finalizer rule to leases': {
    got: () => render(validateLease({ metadata: { name: 'l', namespace: 'x', finalizers: ['custom'] } })),
    want: [],
  },
  'keeps a lease’s name on update': {
    got: () => {
      const old: Lease = { metadata: { name: 'l', namespace: 'x', uid: '1' }, spec: {} };
      return render(validateLeaseUpdate({ ...old, metadata: { ...old.metadata, name: 'm' } }, old));
    },
    want: ['metadata.name: Invalid value: "m": field is immutable'],
  },
};

for (const [name, c] of Object.entries(cases)) {
  test(name, () => {
    assert.deepEqual(c.got(), c.want);
  });
}

test('qualifies the kind with its group in the 422 message of a Lease', () => {
  const errs = validateLease({ metadata: { name: 'l', namespace: 'x' }, spec: { leaseDurationSeconds: 0 } });
  assert.equal(
    newInvalid('Lease', 'l', errs, 'coordination.k8s.io').status.message,
    'Lease.coordination.k8s.io "l" is invalid: spec.leaseDurationSeconds: Invalid value: 0: must be greater than 0',
  );
});
