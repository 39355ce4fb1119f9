// The indexed trigger of a watch: when a pod watch's field selector requires an exact
// spec.nodeName, the store only hands it events about that node's pods (the object's
// or the previous object's spec.nodeName). kube-apiserver registers the same trigger
// for pods (pkg/registry/core/pod/storage/storage.go: TriggerFunc
// {"spec.nodeName": NodeNameTriggerFunc}) and its cacher takes the value from the
// selector only for an exact match (k8s.io/apiserver pkg/storage/cacher/cacher.go
// Watch: `pred.Field.RequiresExactMatch(field)`). Every node agent watches its pods
// so, and without the index each pod event is matched against every agent's selector.
import type { KubeObject, Pod } from '../../api/types/index.js';
import { convertFieldLabel, parseFieldSelector, transformFieldSelector } from '../../api/selectors/index.js';
import type { WatchTrigger } from '../../store/store.js';

export const NODE_NAME_INDEX = 'spec.nodeName';

/** pod.NodeNameTriggerFunc: the pod's spec.nodeName ("" when unscheduled). */
function podNodeName(obj: KubeObject): string {
  return (obj as Pod).spec?.nodeName ?? '';
}

/**
 * The trigger for a watch of `resource` (the stored plural) with this field selector,
 * or undefined when the selector does not pin one index value. A selector that does
 * not parse gives none (the request's filter rejects it with a 400 first).
 */
export function watchTriggerFor(resource: string, fieldSelector: string | undefined): WatchTrigger | undefined {
  if (resource !== 'pods' || !fieldSelector) {
    return undefined;
  }
  let requirements;
  try {
    requirements = transformFieldSelector(parseFieldSelector(fieldSelector), (f, v) =>
      convertFieldLabel(resource, f, v),
    ).requirements;
  } catch {
    return undefined;
  }
  // fields.Selector.RequiresExactMatch: a `=` term on the field (an AND of terms, so
  // any one of them bounds the set; two different values match nothing either way).
  const exact = requirements.find((r) => r.field === NODE_NAME_INDEX && r.operator === '=');
  return exact === undefined ? undefined : { index: NODE_NAME_INDEX, value: exact.value, indexValue: podNodeName };
}
