// Per-kind field selector support, as the real apiserver has it:
// - which labels a kind accepts (AddFieldLabelConversionFunc in
//   k8s pkg/apis/core/v1/conversion.go; runtime.DefaultMetaV1FieldSelectorConversion
//   in apimachinery/pkg/runtime/conversion.go for every other kind);
// - the field set an object is matched against (ToSelectableFields /
//   GetAttrs in k8s pkg/registry/core/{pod,event,node,namespace,secret}/strategy.go,
//   generic.ObjectMetaFieldsSet elsewhere).
import type { Event, KubeObject, Namespace, Node, Pod, Secret } from '../types/index.js';
import { FieldSelectorParseError } from './field-selector.js';

const POD_LABELS = new Set([
  'metadata.name',
  'metadata.namespace',
  'spec.nodeName',
  'spec.restartPolicy',
  'spec.schedulerName',
  'spec.serviceAccountName',
  'spec.hostNetwork',
  'status.phase',
  'status.podIP',
  'status.podIPs',
  'status.nominatedNodeName',
]);
const NODE_LABELS = new Set(['metadata.name', 'spec.unschedulable']);
const EVENT_LABELS = new Set([
  'involvedObject.kind',
  'involvedObject.namespace',
  'involvedObject.name',
  'involvedObject.uid',
  'involvedObject.apiVersion',
  'involvedObject.resourceVersion',
  'involvedObject.fieldPath',
  'reason',
  'reportingComponent',
  'source',
  'type',
  'metadata.namespace',
  'metadata.name',
]);
const NAMESPACE_LABELS = new Set(['status.phase', 'metadata.name']);
const SECRET_LABELS = new Set(['type', 'metadata.namespace', 'metadata.name']);

const LABELS_BY_RESOURCE: Record<string, Set<string> | undefined> = {
  pods: POD_LABELS,
  nodes: NODE_LABELS,
  events: EVENT_LABELS,
  namespaces: NAMESPACE_LABELS,
  secrets: SECRET_LABELS,
};

/** Resources podbay serves that are cluster-scoped (no metadata.namespace field). */
const CLUSTER_SCOPED = new Set(['nodes', 'namespaces']);

/**
 * ConvertFieldLabel: the label (renamed if upstream renames it, e.g. pods' legacy
 * `spec.host` → `spec.nodeName`), or a FieldSelectorParseError with the apiserver's text.
 */
export function convertFieldLabel(resource: string, label: string, value: string): { field: string; value: string } {
  const known = LABELS_BY_RESOURCE[resource];
  if (!known) {
    if (label === 'metadata.name' || label === 'metadata.namespace') {
      return { field: label, value };
    }
    throw new FieldSelectorParseError(
      `${JSON.stringify(label)} is not a known field selector: only "metadata.name", "metadata.namespace"`,
    );
  }
  if (resource === 'pods' && label === 'spec.host') {
    return { field: 'spec.nodeName', value };
  }
  if (!known.has(label)) {
    throw new FieldSelectorParseError(`field label not supported: ${label}`);
  }
  return { field: label, value };
}

/** generic.ObjectMetaFieldsSet. */
function objectMetaFields(obj: KubeObject, namespaced: boolean): Record<string, string> {
  const f: Record<string, string> = { 'metadata.name': obj.metadata.name ?? '' };
  if (namespaced) {
    f['metadata.namespace'] = obj.metadata.namespace ?? '';
  }
  return f;
}

function podFields(pod: Pod): Record<string, string> {
  const status = pod.status ?? {};
  return {
    ...objectMetaFields(pod, true),
    'spec.nodeName': pod.spec?.nodeName ?? '',
    'spec.restartPolicy': pod.spec?.restartPolicy ?? '',
    'spec.schedulerName': pod.spec?.schedulerName ?? '',
    'spec.serviceAccountName': pod.spec?.serviceAccountName ?? '',
    'spec.hostNetwork': String(pod.spec?.hostNetwork === true),
    'status.phase': status.phase ?? '',
    // ToSelectableFields reads the first of status.podIPs
    'status.podIP': status.podIPs?.[0]?.ip ?? status.podIP ?? '',
    'status.nominatedNodeName': status.nominatedNodeName ?? '',
  };
}

function eventFields(ev: Event): Record<string, string> {
  const io = ev.involvedObject ?? {};
  return {
    ...objectMetaFields(ev, true),
    'involvedObject.kind': io.kind ?? '',
    'involvedObject.namespace': io.namespace ?? '',
    'involvedObject.name': io.name ?? '',
    'involvedObject.uid': io.uid ?? '',
    'involvedObject.apiVersion': io.apiVersion ?? '',
    'involvedObject.resourceVersion': io.resourceVersion ?? '',
    'involvedObject.fieldPath': io.fieldPath ?? '',
    reason: ev.reason ?? '',
    // core/v1 reportingComponent is the internal ReportingController
    reportingComponent: ev.reportingComponent ?? '',
    source: ev.source?.component || ev.reportingComponent || '',
    type: ev.type ?? '',
  };
}

/** The field set an object of `resource` (plural) is matched against. */
export function selectableFields(resource: string, obj: KubeObject): Record<string, string> {
  switch (resource) {
    case 'pods':
      return podFields(obj as Pod);
    case 'events':
      return eventFields(obj as Event);
    case 'nodes':
      return {
        ...objectMetaFields(obj, false),
        'spec.unschedulable': String((obj as Node).spec?.unschedulable === true),
      };
    case 'namespaces':
      return { ...objectMetaFields(obj, false), 'status.phase': (obj as Namespace).status?.phase ?? '' };
    case 'secrets':
      return { ...objectMetaFields(obj, true), type: (obj as Secret).type ?? '' };
    default:
      return objectMetaFields(obj, !CLUSTER_SCOPED.has(resource));
  }
}
