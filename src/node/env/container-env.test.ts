import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { Buffer } from 'node:buffer';
import { newNotFound } from '../../api/errors.js';
import type { ConfigMap, Container, ObjectReference, Pod, Secret } from '../../api/types/index.js';
import type { EnvLookups } from './container-env.js';
import { makeEnvironment } from './container-env.js';

function b64(s: string): string {
  return Buffer.from(s, 'utf8').toString('base64');
}

function basePod(container: Partial<Container> = {}): Pod {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name: 'web',
      namespace: 'shop',
      uid: 'uid-1',
      labels: { app: 'web', tier: 'front' },
      annotations: { 'example.com/owner': 'team "a"' },
    },
    spec: {
      nodeName: 'node-1',
      serviceAccountName: 'default',
      containers: [{ name: 'app', image: 'busybox', ...container }],
    },
  };
}

interface Recorded {
  type: string;
  reason: string;
  message: string;
}

function lookups(extra: Partial<EnvLookups> = {}, events: Recorded[] = []): EnvLookups {
  const cms: Record<string, ConfigMap> = {
    settings: {
      metadata: { name: 'settings', namespace: 'shop' },
      data: { MODE: 'fast', 'log.level': 'debug', '1bad': 'x', 'has space': 'y' },
    },
  };
  const secrets: Record<string, Secret> = {
    creds: { metadata: { name: 'creds', namespace: 'shop' }, data: { PASSWORD: b64('s3cr3t'), '2alsobad': b64('z') } },
  };
  return {
    configMap: async (ns, name) => (ns === 'shop' ? cms[name] : undefined),
    secret: async (ns, name) => {
      if (ns === 'shop' && secrets[name]) {
        return secrets[name];
      }
      throw newNotFound('secrets', name);
    },
    nodeName: 'node-1',
    podIP: '10.88.0.5',
    podIPs: ['10.88.0.5', 'fd00::5'],
    hostIP: '192.168.1.10',
    nodeAllocatable: { cpu: '4', memory: '8Gi', 'ephemeral-storage': '100Gi' },
    recorder: {
      event(_t: Pod | ObjectReference, type: string, reason: string, message: string) {
        events.push({ type, reason, message });
      },
    },
    ...extra,
  };
}

async function envOf(c: Partial<Container>, extra: Partial<EnvLookups> = {}): Promise<Record<string, string>> {
  const pod = basePod(c);
  const r = await makeEnvironment(pod, pod.spec.containers[0]!, lookups(extra));
  if ('error' in r) {
    assert.fail(`unexpected error ${r.error.message}`);
  }
  return Object.fromEntries(r.env.map((e) => [e.key, e.value]));
}

const fieldCases: [string, string, string][] = [
  ['metadata.name', 'metadata.name', 'web'],
  ['metadata.namespace', 'metadata.namespace', 'shop'],
  ['metadata.uid', 'metadata.uid', 'uid-1'],
  ['a label by key', "metadata.labels['tier']", 'front'],
  ['a missing label as empty', "metadata.labels['nope']", ''],
  ['an annotation by key', "metadata.annotations['example.com/owner']", 'team "a"'],
  ['all labels as sorted key="value" lines', 'metadata.labels', 'app="web"\ntier="front"'],
  ['spec.nodeName', 'spec.nodeName', 'node-1'],
  ['spec.serviceAccountName', 'spec.serviceAccountName', 'default'],
  ['status.podIP (the primary)', 'status.podIP', '10.88.0.5'],
  ['status.podIPs joined by commas', 'status.podIPs', '10.88.0.5,fd00::5'],
  ['status.hostIP', 'status.hostIP', '192.168.1.10'],
  ['status.hostIPs', 'status.hostIPs', '192.168.1.10'],
];
for (const [name, fieldPath, want] of fieldCases) {
  test(`fieldRef resolves ${name}`, async () => {
    const env = await envOf({ env: [{ name: 'X', valueFrom: { fieldRef: { fieldPath } } }] });
    assert.equal(env.X, want);
  });
}

const resourceCases: [string, Partial<Container>, string, string | undefined, string][] = [
  ['limits.cpu in whole cores rounded up', { resources: { limits: { cpu: '1500m' } } }, 'limits.cpu', undefined, '2'],
  ['limits.cpu in millicores with divisor 1m', { resources: { limits: { cpu: '1500m' } } }, 'limits.cpu', '1m', '1500'],
  ['limits.memory in bytes', { resources: { limits: { memory: '64Mi' } } }, 'limits.memory', undefined, '67108864'],
  ['limits.memory in Mi with divisor 1Mi', { resources: { limits: { memory: '64Mi' } } }, 'limits.memory', '1Mi', '64'],
  [
    'requests.memory rounded up to the divisor',
    { resources: { requests: { memory: '1500k' } } },
    'requests.memory',
    '1M',
    '2',
  ],
  ['a missing cpu limit as node allocatable', {}, 'limits.cpu', undefined, '4'],
  ['a missing memory limit as node allocatable in Gi', {}, 'limits.memory', '1Gi', '8'],
  ['a missing ephemeral-storage limit as node allocatable', {}, 'limits.ephemeral-storage', '1Gi', '100'],
  ['a missing cpu request as 0', {}, 'requests.cpu', undefined, '0'],
];
for (const [name, c, resource, divisor, want] of resourceCases) {
  test(`resourceFieldRef reports ${name}`, async () => {
    const env = await envOf({
      ...c,
      env: [{ name: 'R', valueFrom: { resourceFieldRef: { resource, ...(divisor ? { divisor } : {}) } } }],
    });
    assert.equal(env.R, want);
  });
}

test('envFrom copies ConfigMap and Secret keys with the prefix and env entries override them', async () => {
  const events: Recorded[] = [];
  const pod = basePod({
    envFrom: [{ configMapRef: { name: 'settings' } }, { prefix: 'DB_', secretRef: { name: 'creds' } }],
    env: [{ name: 'MODE', value: 'slow' }],
  });
  const r = await makeEnvironment(pod, pod.spec.containers[0]!, lookups({}, events));
  assert.ok('env' in r);
  assert.deepEqual(r.env, [
    { key: 'MODE', value: 'slow' },
    { key: 'log.level', value: 'debug' },
    { key: 'DB_PASSWORD', value: 's3cr3t' },
    { key: 'DB_2alsobad', value: 'z' },
  ]);
  // invalid names are skipped with one warning per source, sorted (kubelet_pods.go)
  assert.deepEqual(events, [
    {
      type: 'Warning',
      reason: 'InvalidEnvironmentVariableNames',
      message:
        'Keys [1bad, has space] from the EnvFrom configMap shop/settings were skipped since they are considered invalid environment variable names.',
    },
  ]);
});

test('env values expand $(VAR) from envFrom and earlier entries only, with $$ escaping', async () => {
  const env = await envOf({
    envFrom: [{ configMapRef: { name: 'settings' } }],
    env: [
      { name: 'A', value: 'mode=$(MODE)' },
      { name: 'B', value: '$(A)/$(C)' },
      { name: 'C', value: 'c' },
      { name: 'D', value: '$$(A)' },
      { name: 'E', value: '' },
    ],
  });
  assert.equal(env.A, 'mode=fast');
  assert.equal(env.B, 'mode=fast/$(C)');
  assert.equal(env.D, '$(A)');
  assert.equal(env.E, '');
});

test('configMapKeyRef and secretKeyRef read one key each', async () => {
  const env = await envOf({
    env: [
      { name: 'M', valueFrom: { configMapKeyRef: { name: 'settings', key: 'MODE' } } },
      { name: 'P', valueFrom: { secretKeyRef: { name: 'creds', key: 'PASSWORD' } } },
    ],
  });
  assert.deepEqual([env.M, env.P], ['fast', 's3cr3t']);
});

test('optional references to missing objects or keys leave the variable out', async () => {
  const env = await envOf({
    envFrom: [{ configMapRef: { name: 'absent', optional: true } }, { secretRef: { name: 'absent', optional: true } }],
    env: [
      { name: 'A', valueFrom: { configMapKeyRef: { name: 'absent', key: 'k', optional: true } } },
      { name: 'B', valueFrom: { configMapKeyRef: { name: 'settings', key: 'nope', optional: true } } },
      { name: 'C', valueFrom: { secretKeyRef: { name: 'creds', key: 'nope', optional: true } } },
      { name: 'D', value: 'kept' },
    ],
  });
  assert.deepEqual(env, { D: 'kept' });
});

const errorCases: [string, Partial<Container>, string][] = [
  [
    'a missing ConfigMap in envFrom',
    { envFrom: [{ configMapRef: { name: 'absent' } }] },
    'configmap "absent" not found',
  ],
  ['a missing Secret in envFrom', { envFrom: [{ secretRef: { name: 'absent' } }] }, 'secret "absent" not found'],
  [
    'a missing ConfigMap in configMapKeyRef',
    { env: [{ name: 'X', valueFrom: { configMapKeyRef: { name: 'absent', key: 'k' } } }] },
    'configmap "absent" not found',
  ],
  [
    'a missing key in a ConfigMap',
    { env: [{ name: 'X', valueFrom: { configMapKeyRef: { name: 'settings', key: 'k' } } }] },
    "couldn't find key k in ConfigMap shop/settings",
  ],
  [
    'a missing key in a Secret',
    { env: [{ name: 'X', valueFrom: { secretKeyRef: { name: 'creds', key: 'k' } } }] },
    "couldn't find key k in Secret shop/creds",
  ],
  [
    'a resourceFieldRef to an unknown container',
    { env: [{ name: 'X', valueFrom: { resourceFieldRef: { containerName: 'nope', resource: 'limits.cpu' } } }] },
    'container nope not found',
  ],
];
for (const [name, c, message] of errorCases) {
  test(`${name} fails the start with CreateContainerConfigError`, async () => {
    const pod = basePod(c);
    const r = await makeEnvironment(pod, pod.spec.containers[0]!, lookups());
    assert.deepEqual(r, { error: { reason: 'CreateContainerConfigError', message } });
  });
}

test('a lookup failure other than NotFound is reported with its own message', async () => {
  const pod = basePod({ envFrom: [{ configMapRef: { name: 'settings', optional: true } }] });
  const r = await makeEnvironment(
    pod,
    pod.spec.containers[0]!,
    lookups({
      configMap: async () => {
        throw new Error('connection refused');
      },
    }),
  );
  assert.deepEqual(r, { error: { reason: 'CreateContainerConfigError', message: 'connection refused' } });
});

test('a resourceFieldRef may name another container of the pod', async () => {
  const pod = basePod({
    env: [
      {
        name: 'SIDE',
        valueFrom: { resourceFieldRef: { containerName: 'side', resource: 'limits.memory', divisor: '1Mi' } },
      },
    ],
  });
  pod.spec.containers.push({ name: 'side', image: 'busybox', resources: { limits: { memory: '32Mi' } } });
  const r = await makeEnvironment(pod, pod.spec.containers[0]!, lookups());
  assert.deepEqual(r, { env: [{ key: 'SIDE', value: '32' }] });
});
