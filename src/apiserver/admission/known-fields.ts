// The fields each served kind has, for strict decoding (fieldValidation=Strict|Warn) and
// for dropping unknown fields as decoding into Go structs does. Mirrors the json tags
// of k8s.io/api core/v1, coordination/v1, events/v1 and apimachinery meta/v1 types.
// Notation: LEAF a scalar (or a value not checked further), MAP an object with free
// keys, [S] a list of S, and an object literal a struct with exactly these fields.
export const LEAF = 0 as const;
export const MAP = 1 as const;
export type FieldSchema = typeof LEAF | typeof MAP | FieldSchema[] | { readonly [field: string]: FieldSchema };

const s = <T extends Record<string, FieldSchema>>(fields: T): T => fields;
const leaves = (...names: string[]): Record<string, FieldSchema> => Object.fromEntries(names.map((n) => [n, LEAF]));

const ownerReference = s(leaves('apiVersion', 'kind', 'name', 'uid', 'controller', 'blockOwnerDeletion'));
const managedFieldsEntry = s({
  ...leaves('manager', 'operation', 'apiVersion', 'time', 'fieldsType', 'subresource'),
  fieldsV1: MAP,
});

export const OBJECT_META = s({
  ...leaves(
    'name',
    'generateName',
    'namespace',
    'selfLink',
    'uid',
    'resourceVersion',
    'generation',
    'creationTimestamp',
    'deletionTimestamp',
    'deletionGracePeriodSeconds',
  ),
  labels: MAP,
  annotations: MAP,
  ownerReferences: [ownerReference],
  finalizers: [LEAF],
  managedFields: [managedFieldsEntry],
});

const typeMeta = leaves('apiVersion', 'kind');
const labelSelector = s({
  matchLabels: MAP,
  matchExpressions: [s({ ...leaves('key', 'operator'), values: [LEAF] })],
});
const objectFieldSelector = s(leaves('apiVersion', 'fieldPath'));
const resourceFieldSelector = s(leaves('containerName', 'resource', 'divisor'));
const keySelector = s(leaves('name', 'key', 'optional'));
const resourceRequirements = s({ limits: MAP, requests: MAP, claims: [s(leaves('name', 'request'))] });
const execAction = s({ command: [LEAF] });
const httpGet = s({ ...leaves('path', 'port', 'host', 'scheme'), httpHeaders: [s(leaves('name', 'value'))] });
const tcpSocket = s(leaves('port', 'host'));
const grpc = s(leaves('port', 'service'));
const probe = s({
  exec: execAction,
  httpGet,
  tcpSocket,
  grpc,
  ...leaves(
    'initialDelaySeconds',
    'timeoutSeconds',
    'periodSeconds',
    'successThreshold',
    'failureThreshold',
    'terminationGracePeriodSeconds',
  ),
});
const lifecycleHandler = s({ exec: execAction, httpGet, tcpSocket, sleep: s(leaves('seconds')) });
const seLinuxOptions = s(leaves('user', 'role', 'type', 'level'));
const seccompProfile = s(leaves('type', 'localhostProfile'));
const appArmorProfile = s(leaves('type', 'localhostProfile'));
const windowsOptions = s(leaves('gmsaCredentialSpecName', 'gmsaCredentialSpec', 'runAsUserName', 'hostProcess'));
const securityContext = s({
  capabilities: s({ add: [LEAF], drop: [LEAF] }),
  seLinuxOptions,
  seccompProfile,
  appArmorProfile,
  windowsOptions,
  ...leaves(
    'privileged',
    'runAsUser',
    'runAsGroup',
    'runAsNonRoot',
    'readOnlyRootFilesystem',
    'allowPrivilegeEscalation',
    'procMount',
  ),
});

const container = s({
  ...leaves(
    'name',
    'image',
    'workingDir',
    'restartPolicy',
    'terminationMessagePath',
    'terminationMessagePolicy',
    'imagePullPolicy',
    'stdin',
    'stdinOnce',
    'tty',
    'targetContainerName',
  ),
  command: [LEAF],
  args: [LEAF],
  ports: [s(leaves('name', 'hostPort', 'containerPort', 'protocol', 'hostIP'))],
  envFrom: [s({ prefix: LEAF, configMapRef: s(leaves('name', 'optional')), secretRef: s(leaves('name', 'optional')) })],
  env: [
    s({
      ...leaves('name', 'value'),
      valueFrom: s({
        fieldRef: objectFieldSelector,
        resourceFieldRef: resourceFieldSelector,
        configMapKeyRef: keySelector,
        secretKeyRef: keySelector,
        fileKeyRef: MAP,
      }),
    }),
  ],
  resources: resourceRequirements,
  resizePolicy: [s(leaves('resourceName', 'restartPolicy'))],
  restartPolicyRules: [MAP],
  volumeMounts: [
    s(leaves('name', 'readOnly', 'recursiveReadOnly', 'mountPath', 'subPath', 'mountPropagation', 'subPathExpr')),
  ],
  volumeDevices: [s(leaves('name', 'devicePath'))],
  livenessProbe: probe,
  readinessProbe: probe,
  startupProbe: probe,
  lifecycle: s({ postStart: lifecycleHandler, preStop: lifecycleHandler, stopSignal: LEAF }),
  securityContext,
});

const keyToPath = s(leaves('key', 'path', 'mode'));
const downwardApiFile = s({
  ...leaves('path', 'mode'),
  fieldRef: objectFieldSelector,
  resourceFieldRef: resourceFieldSelector,
});
const volume = s({
  name: LEAF,
  emptyDir: s(leaves('medium', 'sizeLimit')),
  hostPath: s(leaves('path', 'type')),
  configMap: s({ ...leaves('name', 'defaultMode', 'optional'), items: [keyToPath] }),
  secret: s({ ...leaves('secretName', 'defaultMode', 'optional'), items: [keyToPath] }),
  downwardAPI: s({ items: [downwardApiFile], defaultMode: LEAF }),
  projected: s({
    defaultMode: LEAF,
    sources: [
      s({
        secret: s({ ...leaves('name', 'optional'), items: [keyToPath] }),
        configMap: s({ ...leaves('name', 'optional'), items: [keyToPath] }),
        downwardAPI: s({ items: [downwardApiFile] }),
        serviceAccountToken: s(leaves('audience', 'expirationSeconds', 'path')),
        clusterTrustBundle: MAP,
        podCertificate: MAP,
      }),
    ],
  }),
  persistentVolumeClaim: s(leaves('claimName', 'readOnly')),
  image: s(leaves('reference', 'pullPolicy')),
  // Volume types podbay does not implement are accepted without looking inside.
  ...Object.fromEntries(
    [
      'ephemeral',
      'nfs',
      'csi',
      'gitRepo',
      'iscsi',
      'glusterfs',
      'rbd',
      'flexVolume',
      'cinder',
      'cephfs',
      'flocker',
      'fc',
      'azureFile',
      'azureDisk',
      'vsphereVolume',
      'quobyte',
      'photonPersistentDisk',
      'portworxVolume',
      'scaleIO',
      'storageos',
      'gcePersistentDisk',
      'awsElasticBlockStore',
    ].map((n) => [n, MAP]),
  ),
});

const nodeSelectorRequirement = s({ ...leaves('key', 'operator'), values: [LEAF] });
const nodeSelectorTerm = s({ matchExpressions: [nodeSelectorRequirement], matchFields: [nodeSelectorRequirement] });
const podAffinityTerm = s({
  labelSelector,
  namespaceSelector: labelSelector,
  namespaces: [LEAF],
  topologyKey: LEAF,
  matchLabelKeys: [LEAF],
  mismatchLabelKeys: [LEAF],
});
const podAffinity = s({
  requiredDuringSchedulingIgnoredDuringExecution: [podAffinityTerm],
  preferredDuringSchedulingIgnoredDuringExecution: [s({ weight: LEAF, podAffinityTerm })],
});

const podSpec = s({
  volumes: [volume],
  initContainers: [container],
  containers: [container],
  ephemeralContainers: [container],
  ...leaves(
    'restartPolicy',
    'terminationGracePeriodSeconds',
    'activeDeadlineSeconds',
    'dnsPolicy',
    'serviceAccountName',
    'serviceAccount',
    'automountServiceAccountToken',
    'nodeName',
    'hostNetwork',
    'hostPID',
    'hostIPC',
    'shareProcessNamespace',
    'hostname',
    'subdomain',
    'schedulerName',
    'priorityClassName',
    'priority',
    'runtimeClassName',
    'enableServiceLinks',
    'preemptionPolicy',
    'setHostnameAsFQDN',
    'hostUsers',
  ),
  nodeSelector: MAP,
  securityContext: s({
    seLinuxOptions,
    seccompProfile,
    appArmorProfile,
    windowsOptions,
    sysctls: [s(leaves('name', 'value'))],
    supplementalGroups: [LEAF],
    ...leaves(
      'runAsUser',
      'runAsGroup',
      'runAsNonRoot',
      'fsGroup',
      'fsGroupChangePolicy',
      'supplementalGroupsPolicy',
      'seLinuxChangePolicy',
    ),
  }),
  imagePullSecrets: [s(leaves('name'))],
  affinity: s({
    nodeAffinity: s({
      requiredDuringSchedulingIgnoredDuringExecution: s({ nodeSelectorTerms: [nodeSelectorTerm] }),
      preferredDuringSchedulingIgnoredDuringExecution: [s({ weight: LEAF, preference: nodeSelectorTerm })],
    }),
    podAffinity,
    podAntiAffinity: podAffinity,
  }),
  tolerations: [s(leaves('key', 'operator', 'value', 'effect', 'tolerationSeconds'))],
  hostAliases: [s({ ip: LEAF, hostnames: [LEAF] })],
  dnsConfig: s({ nameservers: [LEAF], searches: [LEAF], options: [s(leaves('name', 'value'))] }),
  readinessGates: [s(leaves('conditionType'))],
  overhead: MAP,
  topologySpreadConstraints: [MAP],
  os: s(leaves('name')),
  schedulingGates: [s(leaves('name'))],
  resourceClaims: [MAP],
  resources: resourceRequirements,
});

const containerState = s({
  waiting: s(leaves('reason', 'message')),
  running: s(leaves('startedAt')),
  terminated: s(leaves('exitCode', 'signal', 'reason', 'message', 'startedAt', 'finishedAt', 'containerID')),
});
const containerStatus = s({
  ...leaves('name', 'ready', 'restartCount', 'image', 'imageID', 'containerID', 'started', 'stopSignal'),
  state: containerState,
  lastState: containerState,
  allocatedResources: MAP,
  allocatedResourcesStatus: [MAP],
  resources: resourceRequirements,
  volumeMounts: [MAP],
  user: MAP,
});
const podStatus = s({
  ...leaves(
    'observedGeneration',
    'phase',
    'message',
    'reason',
    'nominatedNodeName',
    'hostIP',
    'podIP',
    'startTime',
    'qosClass',
    'resize',
  ),
  conditions: [
    s(leaves('type', 'status', 'observedGeneration', 'lastProbeTime', 'lastTransitionTime', 'reason', 'message')),
  ],
  hostIPs: [s(leaves('ip'))],
  podIPs: [s(leaves('ip'))],
  initContainerStatuses: [containerStatus],
  containerStatuses: [containerStatus],
  ephemeralContainerStatuses: [containerStatus],
  resourceClaimStatuses: [MAP],
});

const objectReference = s(leaves('kind', 'namespace', 'name', 'uid', 'apiVersion', 'resourceVersion', 'fieldPath'));
const eventSource = s(leaves('component', 'host'));

/** Known fields per kind, by `<apiVersion>/<Kind>`. */
export const KIND_SCHEMAS: Record<string, FieldSchema> = {
  'v1/Pod': s({ ...typeMeta, metadata: OBJECT_META, spec: podSpec, status: podStatus }),
  'v1/Namespace': s({
    ...typeMeta,
    metadata: OBJECT_META,
    spec: s({ finalizers: [LEAF] }),
    status: s({ phase: LEAF, conditions: [MAP] }),
  }),
  'v1/Node': s({
    ...typeMeta,
    metadata: OBJECT_META,
    spec: s({
      ...leaves('podCIDR', 'providerID', 'unschedulable', 'externalID'),
      podCIDRs: [LEAF],
      taints: [s(leaves('key', 'value', 'effect', 'timeAdded'))],
      configSource: MAP,
    }),
    status: s({
      capacity: MAP,
      allocatable: MAP,
      phase: LEAF,
      conditions: [s(leaves('type', 'status', 'lastHeartbeatTime', 'lastTransitionTime', 'reason', 'message'))],
      addresses: [s(leaves('type', 'address'))],
      daemonEndpoints: s({ kubeletEndpoint: s(leaves('Port')) }),
      nodeInfo: MAP,
      images: [s({ names: [LEAF], sizeBytes: LEAF })],
      volumesInUse: [LEAF],
      volumesAttached: [MAP],
      config: MAP,
      runtimeHandlers: [MAP],
      features: MAP,
    }),
  }),
  'v1/ConfigMap': s({ ...typeMeta, metadata: OBJECT_META, immutable: LEAF, data: MAP, binaryData: MAP }),
  'v1/Secret': s({ ...typeMeta, metadata: OBJECT_META, immutable: LEAF, data: MAP, stringData: MAP, type: LEAF }),
  'v1/Event': s({
    ...typeMeta,
    metadata: OBJECT_META,
    involvedObject: objectReference,
    related: objectReference,
    source: eventSource,
    series: s(leaves('count', 'lastObservedTime')),
    ...leaves(
      'reason',
      'message',
      'firstTimestamp',
      'lastTimestamp',
      'count',
      'type',
      'eventTime',
      'action',
      'reportingComponent',
      'reportingInstance',
    ),
  }),
  'events.k8s.io/v1/Event': s({
    ...typeMeta,
    metadata: OBJECT_META,
    regarding: objectReference,
    related: objectReference,
    deprecatedSource: eventSource,
    series: s(leaves('count', 'lastObservedTime')),
    ...leaves(
      'eventTime',
      'reportingController',
      'reportingInstance',
      'action',
      'reason',
      'note',
      'type',
      'deprecatedFirstTimestamp',
      'deprecatedLastTimestamp',
      'deprecatedCount',
    ),
  }),
  'coordination.k8s.io/v1/Lease': s({
    ...typeMeta,
    metadata: OBJECT_META,
    spec: s(
      leaves(
        'holderIdentity',
        'leaseDurationSeconds',
        'acquireTime',
        'renewTime',
        'leaseTransitions',
        'strategy',
        'preferredHolder',
      ),
    ),
  }),
  'v1/Binding': s({ ...typeMeta, metadata: OBJECT_META, target: objectReference }),
  'v1/DeleteOptions': s({
    ...typeMeta,
    ...leaves(
      'gracePeriodSeconds',
      'orphanDependents',
      'propagationPolicy',
      'ignoreStoreReadErrorWithClusterBreakingPotential',
    ),
    preconditions: s(leaves('uid', 'resourceVersion')),
    dryRun: [LEAF],
  }),
};

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * Removes the fields `schema` does not know from `value` (in place) and returns their
 * paths in document order (`spec.containers[0].foo`), as the strict JSON decoder names
 * them.
 */
export function pruneUnknownFields(value: unknown, schema: FieldSchema, path = ''): string[] {
  const out: string[] = [];
  walk(value, schema, path, out);
  return out;
}

function walk(value: unknown, schema: FieldSchema, path: string, out: string[]): void {
  if (schema === LEAF || schema === MAP || value === null || value === undefined) {
    return;
  }
  if (Array.isArray(schema)) {
    if (Array.isArray(value)) {
      value.forEach((item, i) => walk(item, schema[0]!, `${path}[${i}]`, out));
    }
    return;
  }
  if (!isPlainObject(value)) {
    return;
  }
  for (const key of Object.keys(value)) {
    const p = path ? `${path}.${key}` : key;
    const sub = (schema as Record<string, FieldSchema>)[key];
    if (sub === undefined) {
      out.push(p);
      delete value[key];
    } else {
      walk(value[key], sub, p, out);
    }
  }
}
