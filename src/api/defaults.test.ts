// Expected objects follow pod-semantics.md §10 and k8s pkg/apis/core/v1/defaults_test.go.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  defaultEvent,
  defaultLease,
  defaultNamespace,
  defaultNode,
  defaultObject,
  defaultPod,
  defaultResourceList,
  defaultSecret,
} from './defaults.js';
import type { Container, Pod } from './types/index.js';

const podWith = (mut: (p: Pod) => void = () => {}): Pod => {
  const p: Pod = {
    metadata: { name: 'p', namespace: 'default' },
    spec: { containers: [{ name: 'c', image: 'nginx:1.25' }] },
  };
  mut(p);
  return p;
};
const c0 = (p: Pod): Container => p.spec.containers[0]!;

test('defaults a minimal pod exactly like kube-apiserver returns it', () => {
  const got = defaultPod(podWith());
  assert.deepEqual(got.spec, {
    containers: [
      {
        name: 'c',
        image: 'nginx:1.25',
        imagePullPolicy: 'IfNotPresent',
        terminationMessagePath: '/dev/termination-log',
        terminationMessagePolicy: 'File',
        resources: {},
      },
    ],
    dnsPolicy: 'ClusterFirst',
    restartPolicy: 'Always',
    securityContext: {},
    terminationGracePeriodSeconds: 30,
    schedulerName: 'default-scheduler',
    enableServiceLinks: true,
    serviceAccountName: 'default',
    serviceAccount: 'default',
    tolerations: [
      { key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 },
      { key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 },
    ],
    priority: 0,
    preemptionPolicy: 'PreemptLowerPriority',
  });
});

test('returns a copy and leaves its input untouched', () => {
  const input = podWith();
  const before = structuredClone(input);
  const got = defaultPod(input);
  assert.deepEqual(input, before);
  assert.notEqual(got, input);
  assert.deepEqual(defaultPod(got), got, 'defaulting is idempotent');
});

test('defaults imagePullPolicy from the image tag', () => {
  const cases: [string, string][] = [
    ['nginx', 'Always'],
    ['nginx:latest', 'Always'],
    ['nginx:1.25', 'IfNotPresent'],
    ['nginx@sha256:' + 'a'.repeat(64), 'IfNotPresent'],
  ];
  for (const [image, want] of cases) {
    assert.equal(c0(defaultPod(podWith((p) => (c0(p).image = image)))).imagePullPolicy, want, image);
  }
  const kept = defaultPod(podWith((p) => (c0(p).imagePullPolicy = 'Never')));
  assert.equal(c0(kept).imagePullPolicy, 'Never');
});

test('copies limits into missing requests and rounds every quantity up to milli', () => {
  const got = defaultPod(
    podWith((p) => {
      c0(p).resources = { limits: { cpu: '0.1m', memory: '1.5Gi' }, requests: { memory: '1Gi' } };
      p.spec.initContainers = [{ name: 'i', image: 'busybox', resources: { limits: { cpu: 2 } } }];
      p.spec.ephemeralContainers = [{ name: 'e', image: 'busybox', resources: { limits: { cpu: '1' } } }];
      p.spec.overhead = { cpu: '250u' };
    }),
  );
  assert.deepEqual(c0(got).resources, {
    limits: { cpu: '1m', memory: '1536Mi' },
    requests: { memory: '1Gi', cpu: '1m' },
  });
  assert.deepEqual(got.spec.initContainers![0]!.resources, { limits: { cpu: '2' }, requests: { cpu: '2' } });
  assert.deepEqual(
    got.spec.ephemeralContainers![0]!.resources,
    { limits: { cpu: '1' } },
    'not for ephemeral containers',
  );
  assert.deepEqual(got.spec.overhead, { cpu: '1m' });
});

test('leaves unparseable quantities for validation', () => {
  assert.deepEqual(defaultResourceList({ cpu: 'lots', memory: '1000Mi' }), { cpu: 'lots', memory: '1000Mi' });
});

test('defaults probes, their httpGet and grpc, and lifecycle httpGet', () => {
  const got = defaultPod(
    podWith((p) => {
      c0(p).livenessProbe = { httpGet: { port: 8080 }, initialDelaySeconds: 5 };
      c0(p).readinessProbe = { grpc: { port: 9000 }, periodSeconds: 3 };
      c0(p).startupProbe = { exec: { command: ['true'] }, failureThreshold: 30 };
      c0(p).lifecycle = { preStop: { httpGet: { port: 80, path: '/stop' } } };
    }),
  );
  assert.deepEqual(c0(got).livenessProbe, {
    httpGet: { port: 8080, path: '/', scheme: 'HTTP' },
    initialDelaySeconds: 5,
    timeoutSeconds: 1,
    periodSeconds: 10,
    successThreshold: 1,
    failureThreshold: 3,
  });
  assert.deepEqual(c0(got).readinessProbe, {
    grpc: { port: 9000, service: '' },
    periodSeconds: 3,
    timeoutSeconds: 1,
    successThreshold: 1,
    failureThreshold: 3,
  });
  assert.equal(c0(got).startupProbe!.failureThreshold, 30);
  assert.deepEqual(c0(got).lifecycle!.preStop!.httpGet, { port: 80, path: '/stop', scheme: 'HTTP' });
});

test('defaults ports, and host ports under hostNetwork for containers and init containers', () => {
  const got = defaultPod(
    podWith((p) => {
      p.spec.hostNetwork = true;
      c0(p).ports = [{ containerPort: 80 }, { containerPort: 53, protocol: 'UDP', hostPort: 5353 }];
      p.spec.initContainers = [{ name: 'i', image: 'busybox', ports: [{ containerPort: 9 }] }];
    }),
  );
  assert.deepEqual(c0(got).ports, [
    { containerPort: 80, protocol: 'TCP', hostPort: 80 },
    { containerPort: 53, protocol: 'UDP', hostPort: 5353 },
  ]);
  assert.deepEqual(got.spec.initContainers![0]!.ports, [{ containerPort: 9, protocol: 'TCP', hostPort: 9 }]);
  const noHost = defaultPod(podWith((p) => (c0(p).ports = [{ containerPort: 80 }])));
  assert.deepEqual(c0(noHost).ports, [{ containerPort: 80, protocol: 'TCP' }]);
});

test('defaults volumes: emptyDir for no source, modes 0644, fieldRef v1, token expiry, hostPath type', () => {
  const got = defaultPod(
    podWith((p) => {
      p.spec.volumes = [
        { name: 'scratch' },
        { name: 's', secret: { secretName: 'x' } },
        { name: 'cm', configMap: { name: 'x', defaultMode: 0o400 } },
        { name: 'd', downwardAPI: { items: [{ path: 'n', fieldRef: { fieldPath: 'metadata.name' } }] } },
        {
          name: 'pr',
          projected: {
            sources: [
              { serviceAccountToken: { path: 't' } },
              { downwardAPI: { items: [{ path: 'l', fieldRef: { fieldPath: 'metadata.labels' } }] } },
            ],
          },
        },
        { name: 'h', hostPath: { path: '/tmp' } },
        { name: 'n', nfs: { server: 'x', path: '/' } },
      ];
      c0(p).env = [
        { name: 'A', valueFrom: { fieldRef: { fieldPath: 'status.podIP' } } },
        { name: 'B', valueFrom: { resourceFieldRef: { resource: 'limits.cpu' } } },
      ];
    }),
  );
  const vols = got.spec.volumes!;
  assert.deepEqual(vols[0], { name: 'scratch', emptyDir: {} });
  assert.equal(vols[1]!.secret!.defaultMode, 420);
  assert.equal(vols[2]!.configMap!.defaultMode, 0o400);
  assert.deepEqual(vols[3]!.downwardAPI, {
    items: [{ path: 'n', fieldRef: { fieldPath: 'metadata.name', apiVersion: 'v1' } }],
    defaultMode: 420,
  });
  assert.equal(vols[4]!.projected!.defaultMode, 420);
  assert.equal(vols[4]!.projected!.sources![0]!.serviceAccountToken!.expirationSeconds, 3600);
  assert.equal(vols[4]!.projected!.sources![1]!.downwardAPI!.items![0]!.fieldRef!.apiVersion, 'v1');
  assert.deepEqual(vols[5]!.hostPath, { path: '/tmp', type: '' });
  assert.equal(vols[6]!.emptyDir, undefined);
  assert.deepEqual(c0(got).env![0]!.valueFrom!.fieldRef, { fieldPath: 'status.podIP', apiVersion: 'v1' });
  assert.deepEqual(c0(got).env![1]!.valueFrom!.resourceFieldRef, { resource: 'limits.cpu', divisor: '0' });
});

test('keeps tolerations that already cover the default taints', () => {
  const cases: [Pod['spec']['tolerations'], number][] = [
    [[{ operator: 'Exists' }], 1],
    [[{ key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 60 }], 2],
    [[{ key: 'node.kubernetes.io/unreachable', operator: 'Exists' }], 2],
    [[{ key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoSchedule' }], 3],
  ];
  for (const [tolerations, want] of cases) {
    const got = defaultPod(podWith((p) => (p.spec.tolerations = tolerations)));
    assert.equal(got.spec.tolerations!.length, want, JSON.stringify(tolerations));
  }
  const custom = defaultPod(
    podWith(
      (p) =>
        (p.spec.tolerations = [
          { key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 60 },
        ]),
    ),
  );
  assert.equal(custom.spec.tolerations![0]!.tolerationSeconds, 60);
  assert.equal(custom.spec.tolerations![1]!.key, 'node.kubernetes.io/unreachable');
});

test('keeps what the user set and skips admission when asked', () => {
  const got = defaultPod(
    podWith((p) => {
      p.spec.restartPolicy = 'Never';
      p.spec.dnsPolicy = 'Default';
      p.spec.terminationGracePeriodSeconds = 0;
      p.spec.schedulerName = 'mine';
      p.spec.enableServiceLinks = false;
      p.spec.serviceAccount = 'legacy';
    }),
  );
  assert.equal(got.spec.restartPolicy, 'Never');
  assert.equal(got.spec.dnsPolicy, 'Default');
  assert.equal(got.spec.terminationGracePeriodSeconds, 0);
  assert.equal(got.spec.schedulerName, 'mine');
  assert.equal(got.spec.enableServiceLinks, false);
  assert.equal(got.spec.serviceAccountName, 'legacy');
  assert.equal(got.spec.serviceAccount, 'legacy');
  const bare = defaultPod(podWith(), { admission: false });
  assert.equal(bare.spec.serviceAccountName, undefined);
  assert.equal(bare.spec.tolerations, undefined);
  assert.equal(bare.spec.priority, undefined);
});

test('defaults namespaces, secrets, nodes, events and leases', () => {
  assert.deepEqual(defaultNamespace({ metadata: { name: 'x' } }), {
    metadata: { name: 'x', labels: { 'kubernetes.io/metadata.name': 'x' } },
    spec: {},
    status: { phase: 'Active' },
  });
  assert.equal(defaultNamespace({ metadata: { generateName: 'x-' } }).metadata.labels, undefined);
  assert.equal(defaultSecret({ metadata: { name: 's' } }).type, 'Opaque');
  assert.equal(defaultSecret({ metadata: { name: 's' }, type: 'kubernetes.io/tls' }).type, 'kubernetes.io/tls');
  assert.deepEqual(defaultNode({ metadata: { name: 'n' }, status: { capacity: { cpu: 4, memory: '8Gi' } } }).status, {
    capacity: { cpu: '4', memory: '8Gi' },
    allocatable: { cpu: '4', memory: '8Gi' },
  });
  const ev = defaultEvent({ metadata: { name: 'e' }, involvedObject: { kind: 'Pod' } });
  assert.deepEqual(ev, {
    metadata: { name: 'e' },
    involvedObject: { kind: 'Pod' },
    source: {},
    firstTimestamp: null,
    lastTimestamp: null,
    eventTime: null,
    reportingComponent: '',
    reportingInstance: '',
  });
  assert.deepEqual(defaultLease({ metadata: { name: 'l' } }).spec, {});
  assert.equal((defaultObject('secrets', { metadata: { name: 's' } }) as { type?: string }).type, 'Opaque');
  assert.deepEqual(defaultObject('configmaps', { metadata: { name: 'c' } }), { metadata: { name: 'c' } });
});
