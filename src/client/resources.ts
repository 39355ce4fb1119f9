// Resource descriptors: where each kind lives in the REST tree
// (k8s.io/client-go/kubernetes/typed/*: one typed client per group/version/resource).
import type { Binding, ConfigMap, Event, KubeObject, Lease, Namespace, Node, Pod, Secret } from '../api/types/index.js';

export interface ResourceDescriptor<T extends KubeObject> {
  /** '' for the core group. */
  group: string;
  version: string;
  /** Lower-case plural as it appears in the URL. */
  plural: string;
  kind: string;
  namespaced: boolean;
  /** Phantom field: ties the descriptor to its object type; never set. */
  readonly _type?: T;
}

function descriptor<T extends KubeObject>(
  group: string,
  version: string,
  plural: string,
  kind: string,
  namespaced: boolean,
): ResourceDescriptor<T> {
  return { group, version, plural, kind, namespaced };
}

export const PODS = descriptor<Pod>('', 'v1', 'pods', 'Pod', true);
export const NODES = descriptor<Node>('', 'v1', 'nodes', 'Node', false);
export const NAMESPACES = descriptor<Namespace>('', 'v1', 'namespaces', 'Namespace', false);
export const EVENTS = descriptor<Event>('', 'v1', 'events', 'Event', true);
export const CONFIG_MAPS = descriptor<ConfigMap>('', 'v1', 'configmaps', 'ConfigMap', true);
export const SECRETS = descriptor<Secret>('', 'v1', 'secrets', 'Secret', true);
export const BINDINGS = descriptor<Binding>('', 'v1', 'bindings', 'Binding', true);
export const LEASES = descriptor<Lease>('coordination.k8s.io', 'v1', 'leases', 'Lease', true);

/** `apiVersion` of objects of this resource (`v1`, `coordination.k8s.io/v1`). */
export function apiVersionOf(d: ResourceDescriptor<KubeObject>): string {
  return d.group ? `${d.group}/${d.version}` : d.version;
}

/** The qualified resource name errors use: `pods`, `leases.coordination.k8s.io`. */
export function qualifiedResource(d: ResourceDescriptor<KubeObject>): string {
  return d.group ? `${d.plural}.${d.group}` : d.plural;
}

/**
 * The URL path of a collection or object:
 * `/api/v1/namespaces/ns/pods/name/status`, `/apis/coordination.k8s.io/v1/leases`.
 * A namespaced resource without a namespace addresses all namespaces (list/watch only).
 */
export function resourcePath(
  d: ResourceDescriptor<KubeObject>,
  namespace?: string,
  name?: string,
  subresource?: string,
): string {
  let p = d.group ? `/apis/${d.group}/${d.version}` : `/api/${d.version}`;
  if (d.namespaced && namespace) {
    p += `/namespaces/${encodeURIComponent(namespace)}`;
  }
  p += `/${d.plural}`;
  if (name !== undefined) {
    p += `/${encodeURIComponent(name)}`;
    if (subresource) {
      p += `/${subresource}`;
    }
  }
  return p;
}
