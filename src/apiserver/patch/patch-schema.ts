// Patch metadata of the kinds podbay serves: the `patchStrategy`/`patchMergeKey` struct tags
// that strategic merge patch reads (staging/src/k8s.io/api/core/v1/types.go,
// apimachinery/pkg/apis/meta/v1/types.go) and the `+listType`/`+listMapKey` markers that
// server-side apply reads (the same files, as published in the OpenAPI
// x-kubernetes-list-type / x-kubernetes-list-map-keys extensions).
//
// Paths are JSON field names joined by `.`, with `[]` for "an item of this list":
// `spec.containers[].ports` is the ports list of any container.

export interface FieldMeta {
  /** SMP patchStrategy: 'merge' or 'merge,retainKeys'; absent means the list is replaced. */
  patchStrategy?: string;
  /** SMP patchMergeKey of a list of objects. */
  patchMergeKey?: string;
  /** SSA list type; absent means atomic. */
  listType?: 'atomic' | 'set' | 'map';
  /** SSA keys of a `map` list, in schema order. */
  listMapKeys?: string[];
  /** Defaults of key fields SSA needs to identify an item (ports' protocol defaults to TCP). */
  keyDefaults?: Record<string, unknown>;
  /**
   * `+structType=atomic` (x-kubernetes-map-type: atomic): owned and applied as one value,
   * never field by field (SMD treats it as a leaf).
   */
  atomic?: boolean;
  /**
   * A non-pointer Go struct: present (empty) even in a zero object, so a write that fills it
   * does not make the struct itself a new member of the manager's set.
   */
  struct?: boolean;
}

type Table = Record<string, FieldMeta>;

const keyed = (key: string, ...ssaKeys: string[]): FieldMeta => ({
  patchStrategy: 'merge',
  patchMergeKey: key,
  listType: 'map',
  listMapKeys: ssaKeys.length > 0 ? ssaKeys : [key],
});

const METADATA: Table = {
  metadata: { struct: true },
  // ObjectMeta.Finalizers: `patchStrategy:"merge"`, +listType=set.
  'metadata.finalizers': { patchStrategy: 'merge', listType: 'set' },
  // ObjectMeta.OwnerReferences: `patchStrategy:"merge" patchMergeKey:"uid"`, +listMapKey=uid.
  'metadata.ownerReferences': keyed('uid'),
};

/** Container, used by containers, initContainers and ephemeralContainers. */
const CONTAINER: Table = {
  // ContainerPort: patchMergeKey containerPort; SSA keys containerPort+protocol (protocol defaults to TCP).
  ports: { ...keyed('containerPort', 'containerPort', 'protocol'), keyDefaults: { protocol: 'TCP' } },
  env: keyed('name'),
  volumeMounts: keyed('mountPath'),
  volumeDevices: keyed('devicePath'),
  resources: { struct: true },
  'resources.claims': { listType: 'map', listMapKeys: ['name'] },
  // ConfigMapKeySelector, SecretKeySelector, ObjectFieldSelector, ResourceFieldSelector: +structType=atomic.
  'env[].valueFrom.configMapKeyRef': { atomic: true },
  'env[].valueFrom.secretKeyRef': { atomic: true },
  'env[].valueFrom.fieldRef': { atomic: true },
  'env[].valueFrom.resourceFieldRef': { atomic: true },
};

const POD_SPEC: Table = {
  spec: { struct: true },
  'spec.volumes': { ...keyed('name'), patchStrategy: 'merge,retainKeys' },
  'spec.containers': keyed('name'),
  'spec.initContainers': keyed('name'),
  'spec.ephemeralContainers': keyed('name'),
  'spec.imagePullSecrets': keyed('name'),
  // LocalObjectReference is +structType=atomic: an image pull secret item is one value.
  'spec.imagePullSecrets[]': { atomic: true },
  // NodeSelector is +structType=atomic.
  'spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution': { atomic: true },
  'spec.hostAliases': keyed('ip'),
  'spec.topologySpreadConstraints': keyed('topologyKey', 'topologyKey', 'whenUnsatisfiable'),
  'spec.schedulingGates': keyed('name'),
  'spec.resourceClaims': { ...keyed('name'), patchStrategy: 'merge,retainKeys' },
  // Tolerations, readinessGates, envFrom, command, args: no patch strategy, +listType=atomic.
};

const POD_STATUS: Table = {
  status: { struct: true },
  'status.conditions': keyed('type'),
  'status.podIPs': keyed('ip'),
  'status.hostIPs': keyed('ip'),
  'status.resourceClaimStatuses': { ...keyed('name'), patchStrategy: 'merge,retainKeys' },
};

const NODE: Table = {
  spec: { struct: true },
  status: { struct: true },
  // NodeSpec.Taints has no patch strategy (+listType=atomic): a patch replaces the whole list.
  'spec.podCIDRs': { patchStrategy: 'merge', listType: 'set' },
  'status.conditions': keyed('type'),
  'status.addresses': keyed('type'),
  'status.daemonEndpoints': { struct: true },
  'status.daemonEndpoints.kubeletEndpoint': { struct: true },
  'status.nodeInfo': { struct: true },
};

const NAMESPACE: Table = {
  spec: { struct: true },
  status: { struct: true },
  'status.conditions': keyed('type'),
};

const EVENT: Table = {
  involvedObject: { struct: true },
  source: { struct: true },
};

const LEASE: Table = { spec: { struct: true } };

function withContainers(table: Table): Table {
  const out: Table = { ...table };
  for (const list of ['spec.containers', 'spec.initContainers', 'spec.ephemeralContainers']) {
    for (const [sub, meta] of Object.entries(CONTAINER)) {
      out[`${list}[].${sub}`] = meta;
    }
  }
  return out;
}

const KINDS: Record<string, Table> = {
  Pod: withContainers({ ...METADATA, ...POD_SPEC, ...POD_STATUS }),
  Node: { ...METADATA, ...NODE },
  Namespace: { ...METADATA, ...NAMESPACE },
  Event: { ...METADATA, ...EVENT },
  Lease: { ...METADATA, ...LEASE },
};

const NONE: FieldMeta = {};

/** The metadata of the field at `path` in an object of `kind`; unknown kinds know only ObjectMeta. */
export function lookupFieldMeta(kind: string, path: string): FieldMeta {
  return (KINDS[kind] ?? METADATA)[path] ?? NONE;
}

/** `parent.child`, or `child` at the root. */
export function childPath(parent: string, key: string): string {
  return parent === '' ? key : `${parent}.${key}`;
}

/** The path of an item of the list at `parent`. */
export function itemPath(parent: string): string {
  return `${parent}[]`;
}
