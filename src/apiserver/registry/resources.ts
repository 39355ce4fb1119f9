// The resources podbay serves, with kube-apiserver's names, short names, categories,
// verbs and subresources (as `kubectl api-resources -o wide` shows them on v1.32).
import { eventsV1View } from './event-view.js';
import { STANDARD_VERBS, type ResourceInfo } from './resource-info.js';
import { configMapStrategy, secretStrategy } from './strategies/config-strategy.js';
import { eventStrategy, leaseStrategy } from './strategies/event-strategy.js';
import {
  namespaceFinalizeStrategy,
  namespaceStatusStrategy,
  namespaceStrategy,
} from './strategies/namespace-strategy.js';
import { nodeStatusStrategy, nodeStrategy } from './strategies/node-strategy.js';
import { podStatusStrategy, podStrategy } from './strategies/pod-strategy.js';

const STATUS_VERBS = ['get', 'patch', 'update'];

export const RESOURCES: readonly ResourceInfo[] = [
  {
    group: '',
    version: 'v1',
    kind: 'Namespace',
    listKind: 'NamespaceList',
    plural: 'namespaces',
    singular: 'namespace',
    shortNames: ['ns'],
    categories: [],
    namespaced: false,
    // Namespaces have no deletecollection (pkg/registry/core/namespace/storage).
    verbs: ['create', 'delete', 'get', 'list', 'patch', 'update', 'watch'],
    storageResource: 'namespaces',
    selectorResource: 'namespaces',
    strategy: namespaceStrategy,
    subresources: [
      { name: 'finalize', kind: 'Namespace', verbs: ['update'], strategy: namespaceFinalizeStrategy },
      { name: 'status', kind: 'Namespace', verbs: STATUS_VERBS, strategy: namespaceStatusStrategy },
    ],
    returnDeletedObject: true,
  },
  {
    group: '',
    version: 'v1',
    kind: 'Pod',
    listKind: 'PodList',
    plural: 'pods',
    singular: 'pod',
    shortNames: ['po'],
    categories: ['all'],
    namespaced: true,
    verbs: STANDARD_VERBS,
    storageResource: 'pods',
    selectorResource: 'pods',
    strategy: podStrategy,
    subresources: [
      { name: 'attach', kind: 'PodAttachOptions', verbs: ['create', 'get'] },
      { name: 'binding', kind: 'Binding', verbs: ['create'] },
      { name: 'exec', kind: 'PodExecOptions', verbs: ['create', 'get'] },
      { name: 'log', kind: 'Pod', verbs: ['get'] },
      { name: 'portforward', kind: 'PodPortForwardOptions', verbs: ['create', 'get'] },
      { name: 'status', kind: 'Pod', verbs: STATUS_VERBS, strategy: podStatusStrategy },
    ],
    returnDeletedObject: true,
  },
  {
    group: '',
    version: 'v1',
    kind: 'Node',
    listKind: 'NodeList',
    plural: 'nodes',
    singular: 'node',
    shortNames: ['no'],
    categories: [],
    namespaced: false,
    verbs: STANDARD_VERBS,
    storageResource: 'nodes',
    selectorResource: 'nodes',
    strategy: nodeStrategy,
    subresources: [{ name: 'status', kind: 'Node', verbs: STATUS_VERBS, strategy: nodeStatusStrategy }],
    returnDeletedObject: false,
  },
  {
    group: '',
    version: 'v1',
    kind: 'Event',
    listKind: 'EventList',
    plural: 'events',
    singular: 'event',
    shortNames: ['ev'],
    categories: [],
    namespaced: true,
    verbs: STANDARD_VERBS,
    storageResource: 'events',
    selectorResource: 'events',
    strategy: eventStrategy,
    subresources: [],
    returnDeletedObject: false,
  },
  {
    group: '',
    version: 'v1',
    kind: 'ConfigMap',
    listKind: 'ConfigMapList',
    plural: 'configmaps',
    singular: 'configmap',
    shortNames: ['cm'],
    categories: [],
    namespaced: true,
    verbs: STANDARD_VERBS,
    storageResource: 'configmaps',
    selectorResource: 'configmaps',
    strategy: configMapStrategy,
    subresources: [],
    returnDeletedObject: false,
  },
  {
    group: '',
    version: 'v1',
    kind: 'Secret',
    listKind: 'SecretList',
    plural: 'secrets',
    singular: 'secret',
    shortNames: [],
    categories: [],
    namespaced: true,
    verbs: STANDARD_VERBS,
    storageResource: 'secrets',
    selectorResource: 'secrets',
    strategy: secretStrategy,
    subresources: [],
    returnDeletedObject: false,
  },
  {
    group: 'coordination.k8s.io',
    version: 'v1',
    kind: 'Lease',
    listKind: 'LeaseList',
    plural: 'leases',
    singular: 'lease',
    shortNames: [],
    categories: [],
    namespaced: true,
    verbs: STANDARD_VERBS,
    storageResource: 'leases.coordination.k8s.io',
    selectorResource: 'leases',
    strategy: leaseStrategy,
    subresources: [],
    returnDeletedObject: false,
  },
  {
    group: 'events.k8s.io',
    version: 'v1',
    kind: 'Event',
    listKind: 'EventList',
    plural: 'events',
    singular: 'event',
    shortNames: ['ev'],
    categories: [],
    namespaced: true,
    verbs: STANDARD_VERBS,
    storageResource: 'events',
    selectorResource: 'events',
    strategy: eventStrategy,
    subresources: [],
    returnDeletedObject: false,
    view: eventsV1View,
  },
];

/** The resource of a group/version/plural, or undefined (→ 404). */
export function findResource(group: string, version: string, plural: string): ResourceInfo | undefined {
  return RESOURCES.find((r) => r.group === group && r.version === version && r.plural === plural);
}

/** The API groups (other than core) in discovery order, each with its versions. */
export function apiGroups(): { name: string; versions: string[] }[] {
  const out: { name: string; versions: string[] }[] = [];
  for (const r of RESOURCES) {
    if (!r.group) {
      continue;
    }
    let g = out.find((x) => x.name === r.group);
    if (!g) {
      g = { name: r.group, versions: [] };
      out.push(g);
    }
    if (!g.versions.includes(r.version)) {
      g.versions.push(r.version);
    }
  }
  return out;
}
