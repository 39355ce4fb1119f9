// validatePodCreate against the rules of pod-semantics.md §11.3 and the other PodSpec rules
// of pkg/apis/core/validation/validation.go; every expectation is the exact string the
// Kubernetes API prints.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { defaultPod } from '../defaults.js';
import { newInvalid } from '../errors.js';
import type { Pod } from '../types/index.js';
import { validatePodUpdate } from './pod-update.js';
import { validatePodCreate } from './pod.js';
import { LABEL_MSG, SUBDOMAIN_MSG, basePod, container, podWith, probe, render } from './testing/fixtures.js';

const NOT_FOR_INIT = 'may not be set for init containers without restartPolicy=Always';

const cases: Record<string, { pod: (p: Pod) => void; want: string[] }> = {
  'accepts a valid defaulted pod': { pod: () => {}, want: [] },

  // #1, #2: metadata
  'requires a name or generateName (#1)': {
    pod: (p) => delete p.metadata.name,
    want: ['metadata.name: Required value: name or generateName is required'],
  },
  'rejects a pod name that is not a DNS subdomain (#2)': {
    pod: (p) => (p.metadata.name = 'My_Pod'),
    want: [`metadata.name: Invalid value: "My_Pod": ${SUBDOMAIN_MSG}`],
  },
  'accepts a dotted pod name, a valid subdomain (#2)': { pod: (p) => (p.metadata.name = 'web.v1'), want: [] },
  'validates generateName as a prefix, allowing a trailing dash': {
    pod: (p) => {
      p.metadata.generateName = 'web-';
      p.metadata.name = 'web-x7k2p';
    },
    want: [],
  },
  'reports a bad generateName and the bad generated name': {
    pod: (p) => {
      p.metadata.generateName = 'Web-';
      p.metadata.name = 'Web-x7k2p';
    },
    want: [
      `metadata.generateName: Invalid value: "Web-": ${SUBDOMAIN_MSG}`,
      `metadata.name: Invalid value: "Web-x7k2p": ${SUBDOMAIN_MSG}`,
    ],
  },
  'requires a namespace for a pod': {
    pod: (p) => delete p.metadata.namespace,
    want: ['metadata.namespace: Required value'],
  },
  'rejects a namespace that is not a DNS label': {
    pod: (p) => (p.metadata.namespace = 'team.a'),
    want: ['metadata.namespace: Invalid value: "team.a": must not contain dots'],
  },

  // #3 – #7: containers
  'requires at least one container (#3)': {
    pod: (p) => (p.spec.containers = []),
    want: ['spec.containers: Required value'],
  },
  'requires a container name (#4)': {
    pod: (p) => (p.spec.containers[0]!.name = ''),
    want: ['spec.containers[0].name: Required value'],
  },
  'rejects a container name that is not a DNS label (#5)': {
    pod: (p) => (p.spec.containers[0]!.name = 'Web_1'),
    want: [`spec.containers[0].name: Invalid value: "Web_1": ${LABEL_MSG}`],
  },
  'rejects a container name longer than 63 characters (#5)': {
    pod: (p) => (p.spec.containers[0]!.name = 'a'.repeat(64)),
    want: [`spec.containers[0].name: Invalid value: "${'a'.repeat(64)}": must be no more than 63 characters`],
  },
  'rejects a duplicate container name (#6)': {
    pod: (p) => p.spec.containers.push(container('web')),
    want: ['spec.containers[1].name: Duplicate value: "web"'],
  },
  'rejects an init container named like a regular one (#6)': {
    pod: (p) => (p.spec.initContainers = [container('web')]),
    want: ['spec.initContainers[0].name: Duplicate value: "web"'],
  },
  'requires an image (#7)': {
    pod: (p) => delete p.spec.containers[0]!.image,
    want: ['spec.containers[0].image: Required value'],
  },
  'rejects an image with surrounding whitespace': {
    pod: (p) => (p.spec.containers[0]!.image = ' nginx'),
    want: ['spec.containers[0].image: Invalid value: " nginx": must not have leading or trailing whitespace'],
  },

  // #8 – #10: volumes and mounts
  'requires a volume name (#8)': {
    pod: (p) => (p.spec.volumes = [{ name: '', emptyDir: {} }]),
    want: ['spec.volumes[0].name: Required value'],
  },
  'rejects a volume name that is not a DNS label (#8)': {
    pod: (p) => (p.spec.volumes = [{ name: 'Data', emptyDir: {} }]),
    want: [`spec.volumes[0].name: Invalid value: "Data": ${LABEL_MSG}`],
  },
  'rejects a duplicate volume name (#8)': {
    pod: (p) =>
      (p.spec.volumes = [
        { name: 'data', emptyDir: {} },
        { name: 'data', emptyDir: {} },
      ]),
    want: ['spec.volumes[1].name: Duplicate value: "data"'],
  },
  'rejects a volume with two sources (#8)': {
    pod: (p) => (p.spec.volumes = [{ name: 'data', emptyDir: {}, hostPath: { path: '/srv' } }]),
    want: ['spec.volumes[0].hostPath: Forbidden: may not specify more than 1 volume type'],
  },
  'reports the misspelled path upstream uses for a second downwardAPI source': {
    pod: (p) => (p.spec.volumes = [{ name: 'data', emptyDir: {}, downwardAPI: {} }]),
    want: ['spec.volumes[0].downwarAPI: Forbidden: may not specify more than 1 volume type'],
  },
  'requires a volume source': {
    pod: (p) => (p.spec.volumes = [{ name: 'data' }]),
    want: ['spec.volumes[0]: Required value: must specify a volume type'],
  },
  'rejects a negative emptyDir sizeLimit': {
    pod: (p) => (p.spec.volumes = [{ name: 'data', emptyDir: { sizeLimit: '-1Gi' } }]),
    want: ['spec.volumes[0].emptyDir.sizeLimit: Forbidden: SizeLimit field must be a valid resource quantity'],
  },
  'requires a hostPath path': {
    pod: (p) => (p.spec.volumes = [{ name: 'data', hostPath: { path: '' } }]),
    want: ['spec.volumes[0].hostPath.path: Required value'],
  },
  'rejects a hostPath path with ..': {
    pod: (p) => (p.spec.volumes = [{ name: 'data', hostPath: { path: '/srv/../etc' } }]),
    want: [`spec.volumes[0].hostPath.path: Invalid value: "/srv/../etc": must not contain '..'`],
  },
  'rejects an unknown hostPath type': {
    pod: (p) => (p.spec.volumes = [{ name: 'data', hostPath: { path: '/srv', type: 'Dir' as 'Directory' } }]),
    want: [
      'spec.volumes[0].hostPath.type: Unsupported value: "Dir": supported values: "", "BlockDevice", "CharDevice", "Directory", "DirectoryOrCreate", "File", "FileOrCreate", "Socket"',
    ],
  },
  'requires a configMap volume name and checks item paths': {
    pod: (p) =>
      (p.spec.volumes = [
        {
          name: 'cfg',
          configMap: {
            items: [
              { key: 'a', path: '/etc/a' },
              { key: 'b', path: '../b' },
              { key: 'c', path: '..c' },
            ],
          },
        },
      ]),
    want: [
      'spec.volumes[0].configMap.name: Required value',
      'spec.volumes[0].configMap.items[0].path: Invalid value: "/etc/a": must be a relative path',
      `spec.volumes[0].configMap.items[1].path: Invalid value: "../b": must not contain '..'`,
      `spec.volumes[0].configMap.items[2].path: Invalid value: "..c": must not start with '..'`,
    ],
  },
  'rejects a secret defaultMode above 0777': {
    pod: (p) => (p.spec.volumes = [{ name: 'sec', secret: { secretName: 'tls', defaultMode: 1000 } }]),
    want: [
      'spec.volumes[0].secret.defaultMode: Invalid value: 1000: must be a number between 0 and 0777 (octal), both inclusive',
    ],
  },
  'requires a secret volume secretName and an item key': {
    pod: (p) => (p.spec.volumes = [{ name: 'sec', secret: { items: [{ key: '', path: 'k', mode: -1 }] } }]),
    want: [
      'spec.volumes[0].secret.secretName: Required value',
      'spec.volumes[0].secret.items[0].key: Required value',
      'spec.volumes[0].secret.items[0].mode: Invalid value: -1: must be a number between 0 and 0777 (octal), both inclusive',
    ],
  },
  'rejects a mount of an unknown volume (#9)': {
    pod: (p) => (p.spec.containers[0]!.volumeMounts = [{ name: 'data', mountPath: '/data' }]),
    want: ['spec.containers[0].volumeMounts[0].name: Not found: "data"'],
  },
  'requires a mountPath (#10)': {
    pod: (p) => {
      p.spec.volumes = [{ name: 'data', emptyDir: {} }];
      p.spec.containers[0]!.volumeMounts = [{ name: 'data', mountPath: '' }];
    },
    want: ['spec.containers[0].volumeMounts[0].mountPath: Required value'],
  },
  'rejects a repeated mountPath (#10)': {
    pod: (p) => {
      p.spec.volumes = [
        { name: 'data', emptyDir: {} },
        { name: 'logs', emptyDir: {} },
      ];
      p.spec.containers[0]!.volumeMounts = [
        { name: 'data', mountPath: '/data' },
        { name: 'logs', mountPath: '/data' },
      ];
    },
    want: ['spec.containers[0].volumeMounts[1].mountPath: Invalid value: "/data": must be unique'],
  },
  'rejects an absolute subPath and subPath with subPathExpr, at upstream paths': {
    pod: (p) => {
      p.spec.volumes = [{ name: 'data', emptyDir: {} }];
      p.spec.containers[0]!.volumeMounts = [{ name: 'data', mountPath: '/data', subPath: '/x', subPathExpr: 'a/../b' }];
    },
    want: [
      'spec.containers[0].volumeMounts.subPath: Invalid value: "/x": must be a relative path',
      'spec.containers[0].volumeMounts[0].subPathExpr: Invalid value: "a/../b": subPathExpr and subPath are mutually exclusive',
      `spec.containers[0].volumeMounts.subPathExpr: Invalid value: "a/../b": must not contain '..'`,
    ],
  },
  'needs readOnly for a recursive read-only mount': {
    pod: (p) => {
      p.spec.volumes = [{ name: 'data', emptyDir: {} }];
      p.spec.containers[0]!.volumeMounts = [{ name: 'data', mountPath: '/data', recursiveReadOnly: 'Enabled' }];
    },
    want: ['spec.containers[0].volumeMounts.recursiveReadOnly: Forbidden: may only be specified when readOnly is true'],
  },
  'allows Bidirectional mount propagation only to privileged containers': {
    pod: (p) => {
      p.spec.volumes = [{ name: 'data', emptyDir: {} }];
      p.spec.containers[0]!.volumeMounts = [{ name: 'data', mountPath: '/data', mountPropagation: 'Bidirectional' }];
    },
    want: [
      'spec.containers[0].volumeMounts.mountPropagation: Forbidden: Bidirectional mount propagation is available only to privileged containers',
    ],
  },

  // #11 – #13
  'rejects an unknown restartPolicy (#11)': {
    pod: (p) => (p.spec.restartPolicy = 'Sometimes' as 'Always'),
    want: ['spec.restartPolicy: Unsupported value: "Sometimes": supported values: "Always", "OnFailure", "Never"'],
  },
  'rejects an unknown dnsPolicy (#12)': {
    pod: (p) => (p.spec.dnsPolicy = 'Foo' as 'None'),
    want: [
      'spec.dnsPolicy: Unsupported value: "Foo": supported values: "ClusterFirstWithHostNet", "ClusterFirst", "Default", "None"',
    ],
  },
  'rejects an unknown imagePullPolicy (#13)': {
    pod: (p) => (p.spec.containers[0]!.imagePullPolicy = 'Sometimes' as 'Always'),
    want: [
      'spec.containers[0].imagePullPolicy: Unsupported value: "Sometimes": supported values: "Always", "IfNotPresent", "Never"',
    ],
  },

  // #14 – #18: ports
  'requires a containerPort (#14)': {
    pod: (p) => (p.spec.containers[0]!.ports = [{ containerPort: 0, protocol: 'TCP' }]),
    want: ['spec.containers[0].ports[0].containerPort: Required value'],
  },
  'rejects a containerPort out of range (#14)': {
    pod: (p) => (p.spec.containers[0]!.ports = [{ containerPort: 70000, protocol: 'TCP' }]),
    want: ['spec.containers[0].ports[0].containerPort: Invalid value: 70000: must be between 1 and 65535, inclusive'],
  },
  'rejects an unknown protocol (#15)': {
    pod: (p) => (p.spec.containers[0]!.ports = [{ containerPort: 80, protocol: 'HTTP' as 'TCP' }]),
    want: ['spec.containers[0].ports[0].protocol: Unsupported value: "HTTP": supported values: "SCTP", "TCP", "UDP"'],
  },
  'rejects bad port names and a duplicate one (#16)': {
    pod: (p) =>
      (p.spec.containers[0]!.ports = [
        { name: 'abcdefghijklmnop', containerPort: 1, protocol: 'TCP' },
        { name: 'Http', containerPort: 2, protocol: 'TCP' },
        { name: '8080', containerPort: 3, protocol: 'TCP' },
        { name: 'a--b', containerPort: 4, protocol: 'TCP' },
        { name: '-ab', containerPort: 5, protocol: 'TCP' },
        { name: 'http', containerPort: 6, protocol: 'TCP' },
        { name: 'http', containerPort: 7, protocol: 'TCP' },
      ]),
    want: [
      'spec.containers[0].ports[0].name: Invalid value: "abcdefghijklmnop": must be no more than 15 characters',
      'spec.containers[0].ports[1].name: Invalid value: "Http": must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)',
      'spec.containers[0].ports[2].name: Invalid value: "8080": must contain at least one letter (a-z)',
      'spec.containers[0].ports[3].name: Invalid value: "a--b": must not contain consecutive hyphens',
      'spec.containers[0].ports[4].name: Invalid value: "-ab": must not begin or end with a hyphen',
      'spec.containers[0].ports[6].name: Duplicate value: "http"',
    ],
  },
  'rejects the same hostPort in two containers (#17)': {
    pod: (p) => {
      p.spec.containers[0]!.ports = [{ containerPort: 80, hostPort: 8080, protocol: 'TCP' }];
      p.spec.containers.push(container('side', { ports: [{ containerPort: 81, hostPort: 8080, protocol: 'TCP' }] }));
    },
    want: ['spec.containers[1].ports[0].hostPort: Duplicate value: "TCP//8080"'],
  },
  'allows the same hostPort with another protocol or hostIP (#17)': {
    pod: (p) => {
      p.spec.containers[0]!.ports = [{ containerPort: 80, hostPort: 8080, protocol: 'TCP' }];
      p.spec.containers.push(
        container('side', {
          ports: [
            { containerPort: 81, hostPort: 8080, protocol: 'UDP' },
            { containerPort: 82, hostPort: 8080, protocol: 'TCP', hostIP: '127.0.0.1' },
          ],
        }),
      );
    },
    want: [],
  },
  'checks init containers’ hostPorts one by one (#17)': {
    pod: (p) => {
      p.spec.containers[0]!.ports = [{ containerPort: 80, hostPort: 8080, protocol: 'TCP' }];
      p.spec.initContainers = [container('init', { ports: [{ containerPort: 80, hostPort: 8080, protocol: 'TCP' }] })];
    },
    want: [],
  },
  'requires hostPort to match containerPort with hostNetwork (#18)': {
    pod: (p) => {
      p.spec.hostNetwork = true;
      p.spec.containers[0]!.ports = [{ containerPort: 8080, hostPort: 9090, protocol: 'TCP' }];
    },
    want: [
      'spec.containers[0].ports[0].hostPort: Invalid value: 9090: must match `containerPort` when `hostNetwork` is true',
    ],
  },

  // #19, #20: resources
  'rejects a request above its limit (#19)': {
    pod: (p) => (p.spec.containers[0]!.resources = { limits: { cpu: '1' }, requests: { cpu: '2' } }),
    want: ['spec.containers[0].resources.requests: Invalid value: "2": must be less than or equal to cpu limit of 1'],
  },
  'requires hugepages requests to equal limits (#19)': {
    pod: (p) =>
      (p.spec.containers[0]!.resources = {
        limits: { memory: '1Gi', 'hugepages-2Mi': '4Mi' },
        requests: { memory: '1Gi', 'hugepages-2Mi': '2Mi' },
      }),
    want: ['spec.containers[0].resources.requests: Invalid value: "2Mi": must be equal to hugepages-2Mi limit of 4Mi'],
  },
  'requires a limit for an extended resource (#19)': {
    pod: (p) => (p.spec.containers[0]!.resources = { requests: { 'example.com/gpu': '1' } }),
    want: ['spec.containers[0].resources.limits: Required value: Limit must be set for non overcommitable resources'],
  },
  'rejects a negative quantity (#20)': {
    pod: (p) => (p.spec.containers[0]!.resources = { limits: { cpu: '-1' } }),
    want: ['spec.containers[0].resources.limits[cpu]: Invalid value: "-1": must be greater than or equal to 0'],
  },
  'rejects an unknown resource name (#20)': {
    pod: (p) => (p.spec.containers[0]!.resources = { limits: { foo: '1' } }),
    want: [
      'spec.containers[0].resources.limits[foo]: Invalid value: "foo": must be a standard resource type or fully qualified',
      'spec.containers[0].resources.limits[foo]: Invalid value: "foo": must be a standard resource for containers',
    ],
  },
  'rejects a fractional extended resource': {
    pod: (p) =>
      (p.spec.containers[0]!.resources = {
        limits: { 'example.com/gpu': '500m' },
        requests: { 'example.com/gpu': '500m' },
      }),
    want: [
      'spec.containers[0].resources.limits[example.com/gpu]: Invalid value: 500m: must be an integer',
      'spec.containers[0].resources.requests[example.com/gpu]: Invalid value: 500m: must be an integer',
    ],
  },
  'rejects hugepages that are not a whole number of pages, and without cpu or memory': {
    pod: (p) => (p.spec.containers[0]!.resources = { limits: { 'hugepages-2Mi': '3Mi' } }),
    want: [
      'spec.containers[0].resources.limits[hugepages-2Mi]: Invalid value: "3Mi": 3Mi is not positive integer multiple of hugepages-2Mi',
      'spec.containers[0].resources: Forbidden: HugePages require cpu or memory',
    ],
  },

  // #21: env
  'rejects an env name with = under the relaxed rule of v1.32+ (#21)': {
    pod: (p) => (p.spec.containers[0]!.env = [{ name: 'A=B', value: 'x' }]),
    want: [
      `spec.containers[0].env[0].name: Invalid value: "A=B": a valid environment variable name must consist only of printable ASCII characters other than '='`,
    ],
  },
  'accepts an env name starting with a digit under the relaxed rule (#21)': {
    pod: (p) => (p.spec.containers[0]!.env = [{ name: '1A', value: 'x' }]),
    want: [],
  },
  'requires an env name': {
    pod: (p) => (p.spec.containers[0]!.env = [{ name: '', value: 'x' }]),
    want: ['spec.containers[0].env[0].name: Required value'],
  },
  'requires one valueFrom source': {
    pod: (p) => (p.spec.containers[0]!.env = [{ name: 'A', valueFrom: {} }]),
    want: [
      'spec.containers[0].env[0].valueFrom: Invalid value: "": must specify one of: `fieldRef`, `resourceFieldRef`, `configMapKeyRef` or `secretKeyRef`',
    ],
  },
  'rejects valueFrom with a value': {
    pod: (p) =>
      (p.spec.containers[0]!.env = [
        { name: 'A', value: 'x', valueFrom: { fieldRef: { apiVersion: 'v1', fieldPath: 'metadata.name' } } },
      ]),
    want: ['spec.containers[0].env[0].valueFrom: Invalid value: "": may not be specified when `value` is not empty'],
  },
  'rejects two valueFrom sources': {
    pod: (p) =>
      (p.spec.containers[0]!.env = [
        {
          name: 'A',
          valueFrom: {
            fieldRef: { apiVersion: 'v1', fieldPath: 'metadata.name' },
            secretKeyRef: { name: 's', key: 'k' },
          },
        },
      ]),
    want: [
      'spec.containers[0].env[0].valueFrom: Invalid value: "": may not have more than one field specified at a time',
    ],
  },
  'lists the fieldRef paths env supports': {
    pod: (p) =>
      (p.spec.containers[0]!.env = [
        { name: 'A', valueFrom: { fieldRef: { apiVersion: 'v1', fieldPath: 'status.phase' } } },
      ]),
    want: [
      'spec.containers[0].env[0].valueFrom.fieldRef.fieldPath: Unsupported value: "status.phase": supported values: "metadata.name", "metadata.namespace", "metadata.uid", "spec.nodeName", "spec.serviceAccountName", "status.hostIP", "status.hostIPs", "status.podIP", "status.podIPs"',
    ],
  },
  'rejects a fieldRef path the downward API cannot convert': {
    pod: (p) =>
      (p.spec.containers[0]!.env = [
        { name: 'A', valueFrom: { fieldRef: { apiVersion: 'v1', fieldPath: 'spec.foo' } } },
      ]),
    want: [
      'spec.containers[0].env[0].valueFrom.fieldRef.fieldPath: Invalid value: "spec.foo": error converting fieldPath: field label not supported: spec.foo',
    ],
  },
  'accepts a subscripted label fieldRef': {
    pod: (p) =>
      (p.spec.containers[0]!.env = [
        { name: 'A', valueFrom: { fieldRef: { apiVersion: 'v1', fieldPath: "metadata.labels['app']" } } },
      ]),
    want: [],
  },
  'lists the resources resourceFieldRef supports': {
    pod: (p) =>
      (p.spec.containers[0]!.env = [{ name: 'A', valueFrom: { resourceFieldRef: { resource: 'limits.gpu' } } }]),
    want: [
      'spec.containers[0].env[0].valueFrom.resourceFieldRef.resource: Unsupported value: "limits.gpu": supported values: "limits.cpu", "limits.ephemeral-storage", "limits.memory", "requests.cpu", "requests.ephemeral-storage", "requests.memory"',
    ],
  },
  'rejects a cpu divisor other than 1m or 1': {
    pod: (p) =>
      (p.spec.containers[0]!.env = [
        { name: 'A', valueFrom: { resourceFieldRef: { resource: 'limits.cpu', divisor: '2' } } },
      ]),
    want: [
      `spec.containers[0].env[0].valueFrom.resourceFieldRef.divisor: Invalid value: "limits.cpu": only divisor's values 1m and 1 are supported with the cpu resource`,
    ],
  },
  'checks the name and key of a secretKeyRef, even an empty name': {
    pod: (p) => (p.spec.containers[0]!.env = [{ name: 'A', valueFrom: { secretKeyRef: { key: 'a/b' } } }]),
    want: [
      `spec.containers[0].env[0].valueFrom.secretKeyRef.name: Invalid value: "": ${SUBDOMAIN_MSG}`,
      `spec.containers[0].env[0].valueFrom.secretKeyRef.key: Invalid value: "a/b": a valid config key must consist of alphanumeric characters, '-', '_' or '.' (e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation is '[-._a-zA-Z0-9]+')`,
    ],
  },
  'requires one envFrom source, reported at the list': {
    pod: (p) => (p.spec.containers[0]!.envFrom = [{ prefix: 'X_' }]),
    want: ['spec.containers[0].envFrom: Invalid value: "": must specify one of: `configMapRef` or `secretRef`'],
  },
  'requires an envFrom configMapRef name': {
    pod: (p) => (p.spec.containers[0]!.envFrom = [{ configMapRef: {} }]),
    want: ['spec.containers[0].envFrom[0].configMapRef.name: Required value'],
  },

  // #22 – #25: probes, lifecycle, init containers
  'requires a probe handler (#22)': {
    pod: (p) => (p.spec.containers[0]!.livenessProbe = probe({})),
    want: ['spec.containers[0].livenessProbe: Required value: must specify a handler type'],
  },
  'rejects two probe handlers (#22)': {
    pod: (p) =>
      (p.spec.containers[0]!.livenessProbe = probe({
        exec: { command: ['true'] },
        httpGet: { path: '/', port: 80, scheme: 'HTTP' },
      })),
    want: ['spec.containers[0].livenessProbe.httpGet: Forbidden: may not specify more than 1 handler type'],
  },
  'requires successThreshold 1 for liveness and startup probes (#23)': {
    pod: (p) => {
      p.spec.containers[0]!.livenessProbe = { ...probe(), successThreshold: 2 };
      p.spec.containers[0]!.startupProbe = { ...probe(), successThreshold: 2 };
      p.spec.containers[0]!.readinessProbe = { ...probe(), successThreshold: 2 };
    },
    want: [
      'spec.containers[0].livenessProbe.successThreshold: Invalid value: 2: must be 1',
      'spec.containers[0].startupProbe.successThreshold: Invalid value: 2: must be 1',
    ],
  },
  'rejects negative probe timings and a non-positive probe grace period (#23)': {
    pod: (p) =>
      (p.spec.containers[0]!.livenessProbe = { ...probe(), periodSeconds: -1, terminationGracePeriodSeconds: 0 }),
    want: [
      'spec.containers[0].livenessProbe.periodSeconds: Invalid value: -1: must be greater than or equal to 0',
      'spec.containers[0].livenessProbe.terminationGracePeriodSeconds: Invalid value: 0: must be greater than 0',
    ],
  },
  'rejects a grace period on a readiness probe (#23)': {
    pod: (p) => (p.spec.containers[0]!.readinessProbe = { ...probe(), terminationGracePeriodSeconds: 10 }),
    want: [
      'spec.containers[0].readinessProbe.terminationGracePeriodSeconds: Invalid value: 10: must not be set for readinessProbes',
    ],
  },
  'checks httpGet port, path and scheme': {
    pod: (p) =>
      (p.spec.containers[0]!.readinessProbe = probe({
        httpGet: { path: '', port: 'HTTP', scheme: 'FTP' as 'HTTP', httpHeaders: [{ name: 'X Y', value: '1' }] },
      })),
    want: [
      'spec.containers[0].readinessProbe.httpGet.path: Required value',
      'spec.containers[0].readinessProbe.httpGet.port: Invalid value: "HTTP": must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)',
      'spec.containers[0].readinessProbe.httpGet.port: Invalid value: "HTTP": must contain at least one letter (a-z)',
      'spec.containers[0].readinessProbe.httpGet.scheme: Unsupported value: "FTP": supported values: "HTTP", "HTTPS"',
      `spec.containers[0].readinessProbe.httpGet.httpHeaders: Invalid value: "X Y": a valid HTTP header must consist of alphanumeric characters or '-' (e.g. 'X-Header-Name', regex used for validation is '[-A-Za-z0-9]+')`,
    ],
  },
  'checks tcpSocket and grpc ports': {
    pod: (p) => {
      p.spec.containers[0]!.livenessProbe = probe({ tcpSocket: { port: 0 } });
      p.spec.containers[0]!.readinessProbe = probe({ grpc: { port: 70000 } });
    },
    want: [
      'spec.containers[0].livenessProbe.tcpSocket.port: Invalid value: 0: must be between 1 and 65535, inclusive',
      'spec.containers[0].readinessProbe.grpc.port: Invalid value: 70000: must be between 1 and 65535, inclusive',
    ],
  },
  'requires an exec command': {
    pod: (p) => (p.spec.containers[0]!.livenessProbe = probe({ exec: { command: [] } })),
    want: ['spec.containers[0].livenessProbe.exec.command: Required value'],
  },
  'requires a lifecycle hook handler and bounds sleep by the grace period': {
    pod: (p) => (p.spec.containers[0]!.lifecycle = { postStart: {}, preStop: { sleep: { seconds: 31 } } }),
    want: [
      'spec.containers[0].lifecycle.postStart: Required value: must specify a handler type',
      'spec.containers[0].lifecycle.preStop.sleep: Invalid value: 31: must be non-negative and less than terminationGracePeriodSeconds (30)',
    ],
  },
  'forbids probes and lifecycle on a regular init container (#24)': {
    pod: (p) =>
      (p.spec.initContainers = [
        container('init', {
          lifecycle: { preStop: { exec: { command: ['x'] } } },
          livenessProbe: probe(),
          readinessProbe: probe(),
          startupProbe: probe(),
        }),
      ]),
    want: [
      `spec.initContainers[0].lifecycle: Forbidden: ${NOT_FOR_INIT}`,
      `spec.initContainers[0].livenessProbe: Forbidden: ${NOT_FOR_INIT}`,
      `spec.initContainers[0].readinessProbe: Forbidden: ${NOT_FOR_INIT}`,
      `spec.initContainers[0].startupProbe: Forbidden: ${NOT_FOR_INIT}`,
    ],
  },
  'allows probes and lifecycle on a sidecar, and validates them': {
    pod: (p) =>
      (p.spec.initContainers = [
        container('proxy', {
          restartPolicy: 'Always',
          startupProbe: probe(),
          readinessProbe: probe(),
          livenessProbe: { ...probe(), successThreshold: 3 },
          lifecycle: { preStop: { sleep: { seconds: 5 } } },
        }),
      ]),
    want: ['spec.initContainers[0].livenessProbe.successThreshold: Invalid value: 3: must be 1'],
  },
  'allows only Always as an init container restartPolicy (#25)': {
    pod: (p) => (p.spec.initContainers = [container('init', { restartPolicy: 'OnFailure' })]),
    want: ['spec.initContainers[0].restartPolicy: Unsupported value: "OnFailure": supported values: "Always"'],
  },
  'forbids restartPolicy on a regular container (#25)': {
    pod: (p) => (p.spec.containers[0]!.restartPolicy = 'Always'),
    want: ['spec.containers[0].restartPolicy: Forbidden: may not be set for non-init containers'],
  },

  // #26 – #28, #30
  'rejects activeDeadlineSeconds below 1 (#26)': {
    pod: (p) => (p.spec.activeDeadlineSeconds = 0),
    want: ['spec.activeDeadlineSeconds: Invalid value: 0: must be between 1 and 2147483647, inclusive'],
  },
  'rejects shareProcessNamespace with hostPID (#27)': {
    pod: (p) => {
      p.spec.shareProcessNamespace = true;
      p.spec.hostPID = true;
    },
    want: [
      'spec.securityContext.shareProcessNamespace: Invalid value: true: ShareProcessNamespace and HostPID cannot both be enabled',
    ],
  },
  'forbids ephemeral containers on create (#28)': {
    pod: (p) => (p.spec.ephemeralContainers = [{ ...container('debug'), targetContainerName: 'web' }]),
    want: ['spec.ephemeralContainers: Forbidden: cannot be set on create'],
  },
  'reports what an ephemeral container may not set, then that it cannot be set on create (#28)': {
    pod: (p) =>
      (p.spec.ephemeralContainers = [
        { ...container('debug', { ports: [{ containerPort: 80, protocol: 'TCP' }] }), targetContainerName: 'nope' },
      ]),
    want: [
      'spec.ephemeralContainers[0].targetContainerName: Not found: "nope"',
      'spec.ephemeralContainers[0].ports: Forbidden: cannot be set for an Ephemeral Container',
      'spec.ephemeralContainers: Forbidden: cannot be set on create',
    ],
  },
  'forbids nodeName while scheduling gates remain (#28)': {
    pod: (p) => {
      p.spec.nodeName = 'node-1';
      p.spec.schedulingGates = [{ name: 'example.com/wait' }];
    },
    want: ['spec.nodeName: Forbidden: cannot be set until all schedulingGates have been cleared'],
  },
  'rejects an unknown terminationMessagePolicy (#30)': {
    pod: (p) => (p.spec.containers[0]!.terminationMessagePolicy = 'X' as 'File'),
    want: [
      'spec.containers[0].terminationMessagePolicy: Unsupported value: "X": supported values: "File", "FallbackToLogsOnError"',
    ],
  },

  // security context
  'rejects a negative runAsUser': {
    pod: (p) => (p.spec.containers[0]!.securityContext = { runAsUser: -1 }),
    want: [
      'spec.containers[0].securityContext.runAsUser: Invalid value: -1: must be between 0 and 4294967295, inclusive',
    ],
  },
  'rejects a negative pod runAsGroup and fsGroup': {
    pod: (p) => (p.spec.securityContext = { fsGroup: -2, runAsGroup: -1 }),
    want: [
      'spec.securityContext.fsGroup: Invalid value: -2: must be between 0 and 4294967295, inclusive',
      'spec.securityContext.runAsGroup: Invalid value: -1: must be between 0 and 4294967295, inclusive',
    ],
  },
  'rejects privileged with allowPrivilegeEscalation false': {
    pod: (p) => (p.spec.containers[0]!.securityContext = { privileged: true, allowPrivilegeEscalation: false }),
    want: [
      'spec.containers[0].securityContext: Invalid value: {"privileged":true,"allowPrivilegeEscalation":false}: cannot set `allowPrivilegeEscalation` to false and `privileged` to true',
    ],
  },
  'rejects adding CAP_SYS_ADMIN with allowPrivilegeEscalation false': {
    pod: (p) =>
      (p.spec.containers[0]!.securityContext = {
        allowPrivilegeEscalation: false,
        capabilities: { add: ['CAP_SYS_ADMIN'] },
      }),
    want: [
      'spec.containers[0].securityContext: Invalid value: {"allowPrivilegeEscalation":false,"capabilities":{"add":["CAP_SYS_ADMIN"]}}: cannot set `allowPrivilegeEscalation` to false and `capabilities.Add` CAP_SYS_ADMIN',
    ],
  },
  'checks downward API volume items, at the volume’s path as upstream does': {
    pod: (p) =>
      (p.spec.volumes = [
        {
          name: 'info',
          downwardAPI: {
            items: [
              { path: 'name', fieldRef: { apiVersion: 'v1', fieldPath: 'spec.nodeName' } },
              { path: 'cpu', resourceFieldRef: { resource: 'limits.cpu' } },
              { path: 'none' },
            ],
          },
        },
      ]),
    want: [
      'spec.volumes[0].downwardAPI.fieldRef.fieldPath: Unsupported value: "spec.nodeName": supported values: "metadata.annotations", "metadata.labels", "metadata.name", "metadata.namespace", "metadata.uid"',
      'spec.volumes[0].downwardAPI.resourceFieldRef.containerName: Required value',
      'spec.volumes[0].downwardAPI: Required value: one of fieldRef and resourceFieldRef is required',
    ],
  },
  'rejects conflicting paths and two kinds in one projected source': {
    pod: (p) => {
      p.spec.serviceAccountName = 'default';
      p.spec.volumes = [
        {
          name: 'all',
          projected: {
            sources: [
              { configMap: { name: 'a', items: [{ key: 'k', path: 'p' }] } },
              {
                secret: { name: 'b', items: [{ key: 'k', path: 'p' }] },
                serviceAccountToken: { path: 'token', expirationSeconds: 60 },
              },
            ],
          },
        },
      ];
    },
    want: [
      'spec.volumes[0].projected: Invalid value: "b": conflicting duplicate paths',
      'spec.volumes[0].projected.sources[1].serviceAccountToken.expirationSeconds: Invalid value: 60: may not specify a duration less than 10 minutes',
      'spec.volumes[0].projected.sources[1]: Forbidden: may not specify more than 1 volume type per source',
    ],
  },
  'rejects a Localhost seccomp profile without a profile': {
    pod: (p) => (p.spec.securityContext = { seccompProfile: { type: 'Localhost' } }),
    want: [
      'spec.securityContext.seccompProfile.localhostProfile: Required value: must be set when seccomp type is Localhost',
    ],
  },
  'rejects Unmasked procMount with host users': {
    pod: (p) => (p.spec.containers[0]!.securityContext = { procMount: 'Unmasked' }),
    want: [
      'spec.containers[0].securityContext.procMount: Invalid value: "Unmasked": `hostUsers` must be false to use `Unmasked`',
    ],
  },
  'rejects a net sysctl with hostNetwork': {
    pod: (p) => {
      p.spec.hostNetwork = true;
      p.spec.securityContext = { sysctls: [{ name: 'net.ipv4.ip_forward', value: '1' }] };
    },
    want: [
      `spec.securityContext.sysctls[0].name: Invalid value: "net.ipv4.ip_forward": may not be specified when 'hostNetwork' is true`,
    ],
  },

  // scheduling
  'checks nodeSelector keys and values': {
    pod: (p) => (p.spec.nodeSelector = { 'disk type': 'ssd!' }),
    want: [
      `spec.nodeSelector: Invalid value: "disk type": name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')`,
      `spec.nodeSelector: Invalid value: "ssd!": a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')`,
    ],
  },
  'rejects an unknown toleration operator': {
    pod: (p) => (p.spec.tolerations = [{ key: 'k', operator: 'Is' as 'Equal', value: 'v' }]),
    want: ['spec.tolerations[0].operator: Unsupported value: "Is": supported values: "Equal", "Exists"'],
  },
  'requires an empty value with operator Exists': {
    pod: (p) => (p.spec.tolerations = [{ key: 'k', operator: 'Exists', value: 'v' }]),
    want: ['spec.tolerations[0].operator: Invalid value: "v": value must be empty when `operator` is \'Exists\''],
  },
  'requires operator Exists for an empty key': {
    pod: (p) => (p.spec.tolerations = [{ operator: 'Equal', value: 'v' }]),
    want: [
      'spec.tolerations[0].operator: Invalid value: "Equal": operator must be Exists when `key` is empty, which means "match all values and all keys"',
    ],
  },
  'allows tolerationSeconds only with NoExecute': {
    pod: (p) => (p.spec.tolerations = [{ key: 'k', operator: 'Exists', effect: 'NoSchedule', tolerationSeconds: 60 }]),
    want: [
      'spec.tolerations[0].effect: Invalid value: "NoSchedule": effect must be \'NoExecute\' when `tolerationSeconds` is set',
    ],
  },
  'rejects an unknown toleration effect': {
    pod: (p) => (p.spec.tolerations = [{ key: 'k', operator: 'Exists', effect: 'NoRun' as 'NoExecute' }]),
    want: [
      'spec.tolerations[0].effect: Unsupported value: "NoRun": supported values: "NoSchedule", "PreferNoSchedule", "NoExecute"',
    ],
  },
  'checks node affinity terms': {
    pod: (p) =>
      (p.spec.affinity = {
        nodeAffinity: {
          requiredDuringSchedulingIgnoredDuringExecution: {
            nodeSelectorTerms: [
              {
                matchExpressions: [
                  { key: 'zone', operator: 'In' },
                  { key: 'zone', operator: 'Near' as 'In', values: ['a'] },
                ],
                matchFields: [{ key: 'metadata.uid', operator: 'In', values: ['x'] }],
              },
            ],
          },
          preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 0, preference: {} }],
        },
      }),
    want: [
      "spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[0].matchExpressions[0].values: Required value: must be specified when `operator` is 'In' or 'NotIn'",
      'spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[0].matchExpressions[1].operator: Invalid value: "Near": not a valid selector operator',
      'spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[0].matchFields[0].key: Invalid value: "metadata.uid": not a valid field selector key',
      'spec.affinity.nodeAffinity.preferredDuringSchedulingIgnoredDuringExecution[0].weight: Invalid value: 0: must be in the range 1-100',
    ],
  },
  'requires at least one node selector term': {
    pod: (p) =>
      (p.spec.affinity = {
        nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [] } },
      }),
    want: [
      'spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms: Required value: must have at least one node selector term',
    ],
  },
  'requires a pod affinity topologyKey': {
    pod: (p) =>
      (p.spec.affinity = { podAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [{ topologyKey: '' }] } }),
    want: [
      'spec.affinity.podAffinity.requiredDuringSchedulingIgnoredDuringExecution[0].topologyKey: Required value: can not be empty',
      `spec.affinity.podAffinity.requiredDuringSchedulingIgnoredDuringExecution[0].topologyKey: Invalid value: "": name part must be non-empty`,
      `spec.affinity.podAffinity.requiredDuringSchedulingIgnoredDuringExecution[0].topologyKey: Invalid value: "": name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')`,
    ],
  },

  // hostname, dns, gates, grace
  'checks hostname and subdomain as DNS labels': {
    pod: (p) => {
      p.spec.hostname = 'Web';
      p.spec.subdomain = 'a.b';
    },
    want: [
      `spec.hostname: Invalid value: "Web": ${LABEL_MSG}`,
      'spec.subdomain: Invalid value: "a.b": must not contain dots',
    ],
  },
  'requires dnsConfig with dnsPolicy None': {
    pod: (p) => (p.spec.dnsPolicy = 'None'),
    want: ['spec.dnsConfig: Required value: must provide `dnsConfig` when `dnsPolicy` is None'],
  },
  'requires a nameserver with dnsPolicy None': {
    pod: (p) => {
      p.spec.dnsPolicy = 'None';
      p.spec.dnsConfig = { searches: ['svc.cluster.local'] };
    },
    want: [
      'spec.dnsConfig.nameservers: Required value: must provide at least one DNS nameserver when `dnsPolicy` is None',
    ],
  },
  'checks dnsConfig nameservers, searches and options': {
    pod: (p) =>
      (p.spec.dnsConfig = {
        nameservers: ['1.1.1.1', '8.8.8.8', '9.9.9.9', 'dns'],
        searches: ['Bad_'],
        options: [{ name: '' }],
      }),
    want: [
      'spec.dnsConfig.nameservers: Invalid value: []string{"1.1.1.1", "8.8.8.8", "9.9.9.9", "dns"}: must not have more than 3 nameservers',
      'spec.dnsConfig.nameservers[3]: Invalid value: "dns": must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)',
      `spec.dnsConfig.searches[0]: Invalid value: "Bad_": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '_', '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '_?[a-z0-9]([-_a-z0-9]*[a-z0-9])?(\\._?[a-z0-9]([-_a-z0-9]*[a-z0-9])?)*')`,
      'spec.dnsConfig.options[0]: Required value: must not be empty',
    ],
  },
  'checks readiness gate condition types as qualified names': {
    pod: (p) => (p.spec.readinessGates = [{ conditionType: 'a/b/c' }]),
    want: [
      `spec.readinessGates[0].conditionType: Invalid value: "a/b/c": a qualified name must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]') with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')`,
    ],
  },
  'rejects duplicate scheduling gates': {
    pod: (p) => (p.spec.schedulingGates = [{ name: 'example.com/a' }, { name: 'example.com/a' }]),
    want: ['spec.schedulingGates[1]: Duplicate value: "example.com/a"'],
  },
  'requires terminationGracePeriodSeconds (set by defaulting)': {
    pod: (p) => delete p.spec.terminationGracePeriodSeconds,
    want: ['spec.terminationGracePeriodSeconds: Required value'],
  },
  'checks hostAliases': {
    pod: (p) => (p.spec.hostAliases = [{ ip: '10.0.0.300', hostnames: ['DB'] }]),
    want: [
      'spec.hostAliases[0].ip: Invalid value: "10.0.0.300": must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)',
      `spec.hostAliases[0].hostnames[0]: Invalid value: "DB": ${SUBDOMAIN_MSG}`,
    ],
  },
  'checks serviceAccountName and nodeName as subdomains': {
    pod: (p) => {
      p.spec.serviceAccountName = 'Robot';
      p.spec.nodeName = 'Node_1';
    },
    want: [
      `spec.serviceAccountName: Invalid value: "Robot": ${SUBDOMAIN_MSG}`,
      `spec.nodeName: Invalid value: "Node_1": ${SUBDOMAIN_MSG}`,
    ],
  },
  'forbids a projected service account token without serviceAccountName': {
    pod: (p) =>
      (p.spec.volumes = [
        { name: 'tok', projected: { sources: [{ serviceAccountToken: { path: 'token', expirationSeconds: 3600 } }] } },
      ]),
    want: [
      'spec.volumes[0].projected.sources[0].serviceAccountToken: Forbidden: must not be specified when serviceAccountName is not set',
    ],
  },
  'checks topology spread constraints': {
    pod: (p) =>
      (p.spec.topologySpreadConstraints = [
        { maxSkew: 0, topologyKey: '', whenUnsatisfiable: 'Maybe' },
        { maxSkew: 1, topologyKey: 'zone', whenUnsatisfiable: 'ScheduleAnyway', minDomains: 2 },
        { maxSkew: 1, topologyKey: 'zone', whenUnsatisfiable: 'ScheduleAnyway', matchLabelKeys: ['app'] },
      ]),
    want: [
      'spec.topologySpreadConstraints[0].maxSkew: Invalid value: 0: must be greater than zero',
      'spec.topologySpreadConstraints[0].topologyKey: Required value: can not be empty',
      'spec.topologySpreadConstraints[0].whenUnsatisfiable: Unsupported value: "Maybe": supported values: "DoNotSchedule", "ScheduleAnyway"',
      'spec.topologySpreadConstraints[1].{topologyKey, whenUnsatisfiable}: Duplicate value: "{zone, ScheduleAnyway}"',
      'spec.topologySpreadConstraints[1].minDomains: Invalid value: 2: can only use minDomains if whenUnsatisfiable=DoNotSchedule, not ScheduleAnyway',
      'spec.topologySpreadConstraints[2].matchLabelKeys: Forbidden: must not be specified when labelSelector is not set',
    ],
  },
  'rejects an unknown os, at spec.os': {
    pod: (p) => (p.spec.os = { name: 'plan9' as 'linux' }),
    want: ['spec.os: Unsupported value: "plan9": supported values: "linux", "windows"'],
  },
  'forbids Linux-only settings on a windows pod': {
    pod: (p) => {
      p.spec.os = { name: 'windows' };
      p.spec.hostPID = true;
      p.spec.securityContext = { runAsUser: 1000 };
      p.spec.containers[0]!.securityContext = { privileged: false };
    },
    want: [
      'spec.hostPID: Forbidden: cannot be set for a windows pod',
      'spec.securityContext.runAsUser: Forbidden: cannot be set for a windows pod',
      'spec.containers[0].securityContext.privileged: Forbidden: cannot be set for a windows pod',
    ],
  },
  'checks managedFields operations': {
    pod: (p) => (p.metadata.managedFields = [{ manager: 'kubectl', operation: 'Patch' as 'Apply' }]),
    want: ['metadata.managedFields[0].operation: Invalid value: "Patch": must be `Apply` or `Update`'],
  },
  'checks nfs, persistentVolumeClaim and ephemeral sources': {
    pod: (p) =>
      (p.spec.volumes = [
        { name: 'a', nfs: { server: '', path: 'exports' } },
        { name: 'b', persistentVolumeClaim: { claimName: '' } },
        { name: 'c', ephemeral: {} },
      ]),
    want: [
      'spec.volumes[0].nfs.server: Required value',
      'spec.volumes[0].nfs.path: Invalid value: "exports": must be an absolute path',
      'spec.volumes[1].persistentVolumeClaim.claimName: Required value',
      'spec.volumes[2].ephemeral.volumeClaimTemplate: Required value',
    ],
  },
  'forbids a claim on the PVC an ephemeral volume creates': {
    pod: (p) =>
      (p.spec.volumes = [
        { name: 'scratch', ephemeral: { volumeClaimTemplate: { spec: {} } } },
        { name: 'other', persistentVolumeClaim: { claimName: 'web-scratch' } },
      ]),
    want: [
      'spec.volumes[1].persistentVolumeClaim.claimName: Invalid value: "web-scratch": must not reference a PVC that gets created for an ephemeral volume',
    ],
  },
  'rejects a memory divisor upstream does not list': {
    pod: (p) =>
      (p.spec.containers[0]!.env = [
        { name: 'MEM', valueFrom: { resourceFieldRef: { resource: 'requests.memory', divisor: '3' } } },
      ]),
    want: [
      `spec.containers[0].env[0].valueFrom.resourceFieldRef.divisor: Invalid value: "requests.memory": only divisor's values 1, 1k, 1M, 1G, 1T, 1P, 1E, 1Ki, 1Mi, 1Gi, 1Ti, 1Pi, 1Ei are supported with the memory resource`,
    ],
  },
  'checks an envFrom prefix with the relaxed rule and rejects two sources': {
    pod: (p) =>
      (p.spec.containers[0]!.envFrom = [{ prefix: 'A=', configMapRef: { name: 'c' }, secretRef: { name: 's' } }]),
    want: [
      `spec.containers[0].envFrom[0].prefix: Invalid value: "A=": a valid environment variable name must consist only of printable ASCII characters other than '='`,
      'spec.containers[0].envFrom: Invalid value: "": may not have more than one field specified at a time',
    ],
  },
  'checks resize policies': {
    pod: (p) => {
      p.spec.restartPolicy = 'Never';
      p.spec.containers[0]!.resizePolicy = [
        { resourceName: 'cpu', restartPolicy: 'RestartContainer' },
        { resourceName: 'gpu', restartPolicy: 'NotRequired' },
      ];
    },
    want: [
      "spec.containers[0].resizePolicy: Invalid value: \"RestartContainer\": must be 'NotRequired' when `restartPolicy` is 'Never'",
      'spec.containers[0].resizePolicy: Unsupported value: "gpu": supported values: "cpu", "memory"',
    ],
  },
  'forbids subPath in an ephemeral container mount': {
    pod: (p) => {
      p.spec.volumes = [{ name: 'data', emptyDir: {} }];
      p.spec.ephemeralContainers = [
        { ...container('debug', { volumeMounts: [{ name: 'data', mountPath: '/d', subPath: 'x' }] }) },
      ];
    },
    want: [
      'spec.ephemeralContainers[0].volumeMounts[0].subPath: Forbidden: cannot be set for an Ephemeral Container',
      'spec.ephemeralContainers: Forbidden: cannot be set on create',
    ],
  },
  'rejects an ephemeral container named like a regular one': {
    pod: (p) => (p.spec.ephemeralContainers = [{ ...container('web') }]),
    want: [
      'spec.ephemeralContainers[0].name: Duplicate value: "web"',
      'spec.ephemeralContainers: Forbidden: cannot be set on create',
    ],
  },
  'checks sysctl names, duplicates and the IPC namespace with hostIPC': {
    pod: (p) => {
      p.spec.hostIPC = true;
      p.spec.securityContext = {
        sysctls: [
          { name: 'Kernel.X', value: '1' },
          { name: 'kernel.shmmax', value: '1' },
          { name: 'kernel.shmmax', value: '2' },
        ],
      };
    },
    want: [
      'spec.securityContext.sysctls[0].name: Invalid value: "Kernel.X": must have at most 253 characters and match regex ^([a-z0-9]([-_a-z0-9]*[a-z0-9])?[\\./])*[a-z0-9]([-_a-z0-9]*[a-z0-9])?$',
      'spec.securityContext.sysctls[1].name: Invalid value: "kernel.shmmax": may not be specified when \'hostIPC\' is true',
      'spec.securityContext.sysctls[2].name: Duplicate value: "kernel.shmmax"',
      'spec.securityContext.sysctls[2].name: Invalid value: "kernel.shmmax": may not be specified when \'hostIPC\' is true',
    ],
  },
  'checks fsGroupChangePolicy and supplementalGroups': {
    pod: (p) =>
      (p.spec.securityContext = { fsGroupChangePolicy: 'Sometimes' as 'Always', supplementalGroups: [1, -1] }),
    want: [
      'spec.securityContext.supplementalGroups[1]: Invalid value: -1: must be between 0 and 4294967295, inclusive',
      'spec.securityContext.fsGroupChangePolicy: Unsupported value: "Sometimes": supported values: "Always", "OnRootMismatch"',
    ],
  },
  'forbids host namespaces with user namespaces, at upstream’s paths': {
    pod: (p) => {
      p.spec.hostUsers = false;
      p.spec.hostNetwork = true;
      p.spec.hostPID = true;
      p.spec.hostIPC = true;
    },
    want: [
      'spec.hostNetwork: Forbidden: when `pod.Spec.HostUsers` is false',
      'spec.HostPID: Forbidden: when `pod.Spec.HostUsers` is false',
      'spec.HostIPC: Forbidden: when `pod.Spec.HostUsers` is false',
    ],
  },
  'checks priorityClassName, runtimeClassName, preemptionPolicy and overhead': {
    pod: (p) => {
      p.spec.priorityClassName = 'High';
      p.spec.runtimeClassName = 'gVisor';
      p.spec.preemptionPolicy = 'Always' as 'Never';
      p.spec.overhead = { cpu: '-250m' };
    },
    want: [
      `spec.priorityClassName: Invalid value: "High": ${SUBDOMAIN_MSG}`,
      `spec.runtimeClassName: Invalid value: "gVisor": ${SUBDOMAIN_MSG}`,
      'spec.preemptionPolicy: Unsupported value: "Always": supported values: "PreemptLowerPriority", "Never"',
      'spec.overhead.limits[cpu]: Invalid value: "-250m": must be greater than or equal to 0',
    ],
  },
  'checks scheduling gate names as qualified names': {
    pod: (p) => (p.spec.schedulingGates = [{ name: 'a b' }]),
    want: [
      `spec.schedulingGates[0]: Invalid value: "a b": name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')`,
    ],
  },
  'checks Gt/Lt and Exists node selector requirements': {
    pod: (p) =>
      (p.spec.affinity = {
        nodeAffinity: {
          requiredDuringSchedulingIgnoredDuringExecution: {
            nodeSelectorTerms: [
              {
                matchExpressions: [
                  { key: 'cores', operator: 'Gt', values: ['1', '2'] },
                  { key: 'gpu', operator: 'Exists', values: ['x'] },
                  { key: 'zone', operator: 'In', values: ['eu west'] },
                ],
              },
            ],
          },
        },
      }),
    want: [
      "spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[0].matchExpressions[0].values: Required value: must be specified single value when `operator` is 'Lt' or 'Gt'",
      "spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[0].matchExpressions[1].values: Forbidden: may not be specified when `operator` is 'Exists' or 'DoesNotExist'",
      `spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[0].matchExpressions[2].values[0]: Invalid value: "eu west": a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')`,
    ],
  },
  'checks pod anti-affinity label selectors and weights': {
    pod: (p) =>
      (p.spec.affinity = {
        podAntiAffinity: {
          preferredDuringSchedulingIgnoredDuringExecution: [
            {
              weight: 101,
              podAffinityTerm: {
                topologyKey: 'kubernetes.io/hostname',
                labelSelector: { matchExpressions: [{ key: 'app', operator: 'In' }] },
              },
            },
          ],
        },
      }),
    want: [
      'spec.affinity.podAntiAffinity.preferredDuringSchedulingIgnoredDuringExecution[0].weight: Invalid value: 101: must be in the range 1-100',
      "spec.affinity.podAntiAffinity.preferredDuringSchedulingIgnoredDuringExecution[0].podAffinityTerm.labelSelector.matchExpressions[0].values: Required value: must be specified when `operator` is 'In' or 'NotIn'",
    ],
  },
  'requires the mirror-pod annotation to come with nodeName': {
    pod: (p) => (p.metadata.annotations = { 'kubernetes.io/config.mirror': 'abc' }),
    want: [
      'metadata.annotations[kubernetes.io/config.mirror]: Invalid value: "abc": must set spec.nodeName if mirror pod annotation is set',
    ],
  },
  'checks the deprecated seccomp annotations, at upstream’s Child path': {
    pod: (p) =>
      (p.metadata.annotations = {
        'seccomp.security.alpha.kubernetes.io/pod': 'strict',
        'container.seccomp.security.alpha.kubernetes.io/web': 'localhost/../x',
      }),
    want: [
      'metadata.annotations.seccomp.security.alpha.kubernetes.io/pod: Invalid value: "strict": must be a valid seccomp profile',
      `metadata.annotations.container.seccomp.security.alpha.kubernetes.io/web: Invalid value: "../x": must not contain '..'`,
    ],
  },
  'checks the deprecated AppArmor annotations': {
    pod: (p) => (p.metadata.annotations = { 'container.apparmor.security.beta.kubernetes.io/db': 'strict' }),
    want: [
      'metadata.annotations[container.apparmor.security.beta.kubernetes.io/db]: Invalid value: "db": container not found',
      'metadata.annotations[container.apparmor.security.beta.kubernetes.io/db]: Invalid value: "strict": invalid AppArmor profile name: "strict"',
    ],
  },
  'requires pod-deletion-cost to be an int32': {
    pod: (p) => (p.metadata.annotations = { 'controller.kubernetes.io/pod-deletion-cost': '+10' }),
    want: [
      'metadata.annotations[controller.kubernetes.io/pod-deletion-cost]: Invalid value: "+10": must be a 32bit integer',
    ],
  },
};

for (const [name, c] of Object.entries(cases)) {
  test(name, () => {
    assert.deepEqual(render(validatePodCreate(podWith(c.pod))), c.want);
  });
}

test('returns all errors at once, in the order upstream walks the pod', () => {
  const pod = podWith((p) => {
    p.metadata.name = 'My_Pod';
    p.metadata.labels = { app: 'web!' };
    p.spec.volumes = [{ name: 'data', emptyDir: {}, hostPath: { path: '/x' } }];
    p.spec.containers[0]!.image = '';
    p.spec.containers[0]!.ports = [{ containerPort: 0, protocol: 'TCP' }];
    p.spec.containers.push(container('web'));
    p.spec.initContainers = [container('init', { livenessProbe: probe() })];
    p.spec.restartPolicy = 'Sometimes' as 'Always';
    p.spec.activeDeadlineSeconds = -5;
    p.spec.ephemeralContainers = [{ ...container('debug') }];
  });
  assert.deepEqual(render(validatePodCreate(pod)), [
    `metadata.name: Invalid value: "My_Pod": ${SUBDOMAIN_MSG}`,
    `metadata.labels: Invalid value: "web!": a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')`,
    'spec.volumes[0].hostPath: Forbidden: may not specify more than 1 volume type',
    'spec.containers[0].image: Required value',
    'spec.containers[0].ports[0].containerPort: Required value',
    'spec.containers[1].name: Duplicate value: "web"',
    `spec.initContainers[0].livenessProbe: Forbidden: ${NOT_FOR_INIT}`,
    'spec.restartPolicy: Unsupported value: "Sometimes": supported values: "Always", "OnFailure", "Never"',
    'spec.activeDeadlineSeconds: Invalid value: -5: must be between 1 and 2147483647, inclusive',
    'spec.ephemeralContainers: Forbidden: cannot be set on create',
  ]);
});

test('renders one error bare in the 422 message', () => {
  const errs = validatePodCreate(podWith((p) => (p.metadata.name = 'My_Pod')));
  const status = newInvalid('Pod', 'My_Pod', errs).status;
  assert.equal(status.message, `Pod "My_Pod" is invalid: metadata.name: Invalid value: "My_Pod": ${SUBDOMAIN_MSG}`);
  assert.equal(status.code, 422);
  assert.deepEqual(status.details?.causes, [
    { reason: 'FieldValueInvalid', message: `Invalid value: "My_Pod": ${SUBDOMAIN_MSG}`, field: 'metadata.name' },
  ]);
});

test('renders several errors bracketed and comma-separated in the 422 message', () => {
  const errs = validatePodCreate(
    podWith((p) => {
      p.spec.containers[0]!.image = '';
      p.spec.restartPolicy = 'Sometimes' as 'Always';
    }),
  );
  assert.equal(
    newInvalid('Pod', 'web', errs).status.message,
    'Pod "web" is invalid: [spec.containers[0].image: Required value, spec.restartPolicy: Unsupported value: "Sometimes": supported values: "Always", "OnFailure", "Never"]',
  );
});

test('does not change the pod it validates', () => {
  const pod = basePod();
  const before = JSON.stringify(pod);
  validatePodCreate(pod);
  assert.equal(JSON.stringify(pod), before);
});

test('accepts what defaultPod makes of typical manifests, and its updates', () => {
  const manifests: Pod[] = [
    // kubectl run web --image=nginx
    {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'web', namespace: 'default', labels: { run: 'web' } },
      spec: { containers: [{ name: 'web', image: 'nginx' }] },
    },
    // probes, resources, ports, env, a configMap volume, an init container and a sidecar
    {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { generateName: 'app-', name: 'app-x7k2p', namespace: 'team-a' },
      spec: {
        volumes: [
          { name: 'cfg', configMap: { name: 'app' } },
          { name: 'scratch', emptyDir: { sizeLimit: '1Gi' } },
        ],
        initContainers: [
          { name: 'migrate', image: 'busybox', command: ['sh', '-c', 'true'] },
          {
            name: 'proxy',
            image: 'envoy',
            restartPolicy: 'Always',
            startupProbe: { tcpSocket: { port: 9901 } },
          },
        ],
        containers: [
          {
            name: 'app',
            image: 'example/app:1.0',
            ports: [{ name: 'http', containerPort: 8080 }],
            env: [
              { name: 'POD_NAME', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } },
              { name: 'CPU', valueFrom: { resourceFieldRef: { resource: 'limits.cpu', divisor: '1m' } } },
            ],
            resources: { limits: { cpu: '500m', memory: '256Mi' } },
            readinessProbe: { httpGet: { port: 'http' } },
            livenessProbe: { exec: { command: ['true'] }, initialDelaySeconds: 5 },
            lifecycle: { preStop: { sleep: { seconds: 5 } } },
            volumeMounts: [
              { name: 'cfg', mountPath: '/etc/app', readOnly: true },
              { name: 'scratch', mountPath: '/tmp' },
            ],
          },
        ],
        restartPolicy: 'OnFailure',
      },
    },
  ];
  for (const m of manifests) {
    const pod = defaultPod(m);
    assert.deepEqual(render(validatePodCreate(pod)), [], m.metadata.name);
    const next = structuredClone(pod);
    next.spec.containers[0]!.image = 'example/app:2.0';
    assert.deepEqual(render(validatePodUpdate(next, pod)), [], m.metadata.name);
  }
});

test('validates a pod without a spec as an empty spec instead of failing', () => {
  const pod = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'web', namespace: 'default' } } as unknown as Pod;
  assert.deepEqual(render(validatePodCreate(pod)), [
    'spec.terminationGracePeriodSeconds: Required value',
    'spec.containers: Required value',
    'spec.restartPolicy: Required value',
    'spec.dnsPolicy: Required value',
  ]);
});
