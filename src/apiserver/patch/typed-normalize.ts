// What decoding a patched map into the typed Go object and encoding it again does to empty
// values: fields tagged `json:",omitempty"` whose map or slice is empty disappear
// (k8s.io/apimachinery/pkg/runtime DefaultUnstructuredConverter, encoding/json omitempty).
// Without this, removing the last label (`kubectl label pod p k-`) would leave `labels: {}`
// where a cluster shows no labels at all. Only fields known to be omitempty maps or slices
// are touched: an empty struct such as `emptyDir: {}` is a value and stays.
import { isJsonObject } from './json-value.js';

/** omitempty maps and slices of ObjectMeta (apimachinery/pkg/apis/meta/v1/types.go). */
const METADATA_FIELDS = ['labels', 'annotations', 'finalizers', 'ownerReferences', 'managedFields'];

/** omitempty maps and slices of Container (core/v1 types.go). */
const CONTAINER_FIELDS = [
  'command',
  'args',
  'ports',
  'envFrom',
  'env',
  'volumeMounts',
  'volumeDevices',
  'resizePolicy',
];

/** omitempty maps and slices of PodSpec. */
const POD_SPEC_FIELDS = [
  'volumes',
  'initContainers',
  'ephemeralContainers',
  'nodeSelector',
  'imagePullSecrets',
  'tolerations',
  'hostAliases',
  'readinessGates',
  'topologySpreadConstraints',
  'overhead',
  'schedulingGates',
  'resourceClaims',
];

const TOP_LEVEL_FIELDS: Record<string, string[]> = {
  ConfigMap: ['data', 'binaryData'],
  Secret: ['data', 'stringData'],
};

function isEmpty(v: unknown): boolean {
  return (Array.isArray(v) && v.length === 0) || (isJsonObject(v) && Object.keys(v).length === 0);
}

function dropEmpty(o: unknown, fields: readonly string[]): void {
  if (!isJsonObject(o)) {
    return;
  }
  for (const f of fields) {
    if (Object.hasOwn(o, f) && isEmpty(o[f])) {
      delete o[f];
    }
  }
}

/**
 * Drops, in place, the empty omitempty maps and slices a typed round trip would drop.
 * `kind` defaults to the object's own `kind`.
 */
export function normalizeAsTyped(obj: unknown, kindName?: string): unknown {
  if (!isJsonObject(obj)) {
    return obj;
  }
  const kind = kindName ?? (typeof obj.kind === 'string' ? obj.kind : '');
  dropEmpty(obj.metadata, METADATA_FIELDS);
  dropEmpty(obj, TOP_LEVEL_FIELDS[kind] ?? []);
  if (kind === 'Pod' && isJsonObject(obj.spec)) {
    const spec = obj.spec;
    for (const list of ['containers', 'initContainers', 'ephemeralContainers']) {
      const containers = spec[list];
      if (Array.isArray(containers)) {
        for (const c of containers) {
          dropEmpty(c, CONTAINER_FIELDS);
          if (isJsonObject(c) && isJsonObject(c.resources)) {
            dropEmpty(c.resources, ['limits', 'requests', 'claims']);
          }
        }
      }
    }
    dropEmpty(spec, POD_SPEC_FIELDS);
  }
  return obj;
}
