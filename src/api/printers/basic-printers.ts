// The small tables of printers.go: printNamespace, printSecret, printConfigMap,
// printLease; and the default table of k8s.io/apiserver/pkg/registry/rest/table.go
// (Name, Created At) for resources without a printer.
import type { ConfigMap, KubeObject, Lease, Namespace, Secret, TableColumnDefinition } from '../types/index.js';
import { translateTimestampSince } from '../duration.js';
import { AGE_COLUMN, DOC_CREATION_TIMESTAMP, NAME_COLUMN, column } from './column-docs.js';

export const NAMESPACE_COLUMNS: TableColumnDefinition[] = [
  NAME_COLUMN,
  column('Status', 'string', 'The status of the namespace'),
  AGE_COLUMN,
];

export const SECRET_COLUMNS: TableColumnDefinition[] = [
  NAME_COLUMN,
  column(
    'Type',
    'string',
    'Used to facilitate programmatic handling of secret data. More info: https://kubernetes.io/docs/concepts/configuration/secret/#secret-types',
  ),
  column(
    'Data',
    'string',
    "Data contains the secret data. Each key must consist of alphanumeric characters, '-', '_' or '.'. The serialized form of the secret data is a base64 encoded string, representing the arbitrary (possibly non-string) data value here. Described in https://tools.ietf.org/html/rfc4648#section-4",
  ),
  AGE_COLUMN,
];

export const CONFIGMAP_COLUMNS: TableColumnDefinition[] = [
  NAME_COLUMN,
  column(
    'Data',
    'string',
    "Data contains the configuration data. Each key must consist of alphanumeric characters, '-', '_' or '.'. Values with non-UTF-8 byte sequences must use the BinaryData field. The keys stored in Data must not overlap with the keys in the BinaryData field, this is enforced during validation process.",
  ),
  AGE_COLUMN,
];

export const LEASE_COLUMNS: TableColumnDefinition[] = [
  NAME_COLUMN,
  column(
    'Holder',
    'string',
    'holderIdentity contains the identity of the holder of a current lease. If Coordinated Leader Election is used, the holder identity must be equal to the elected LeaseCandidate.metadata.name field.',
  ),
  AGE_COLUMN,
];

export const DEFAULT_COLUMNS: TableColumnDefinition[] = [
  NAME_COLUMN,
  column('Created At', 'date', DOC_CREATION_TIMESTAMP),
];

const count = (m: Record<string, string> | undefined): number => Object.keys(m ?? {}).length;

export function namespaceRowCells(ns: Namespace, nowMs: number): unknown[] {
  return [
    ns.metadata.name ?? '',
    ns.status?.phase ?? '',
    translateTimestampSince(ns.metadata.creationTimestamp, nowMs),
  ];
}

export function secretRowCells(s: Secret, nowMs: number): unknown[] {
  return [
    s.metadata.name ?? '',
    s.type ?? '',
    count(s.data),
    translateTimestampSince(s.metadata.creationTimestamp, nowMs),
  ];
}

export function configMapRowCells(cm: ConfigMap, nowMs: number): unknown[] {
  return [
    cm.metadata.name ?? '',
    count(cm.data) + count(cm.binaryData),
    translateTimestampSince(cm.metadata.creationTimestamp, nowMs),
  ];
}

export function leaseRowCells(l: Lease, nowMs: number): unknown[] {
  return [
    l.metadata.name ?? '',
    l.spec?.holderIdentity ?? '',
    translateTimestampSince(l.metadata.creationTimestamp, nowMs),
  ];
}

/** defaultTableConvertor: the name and the creation time in RFC3339 (Go's zero time when unset). */
export function defaultRowCells(obj: KubeObject): unknown[] {
  const ts = obj.metadata.creationTimestamp ? Date.parse(obj.metadata.creationTimestamp) : Number.NaN;
  const created = Number.isNaN(ts) ? '0001-01-01T00:00:00Z' : new Date(ts).toISOString().replace(/\.\d{3}Z$/, 'Z');
  return [obj.metadata.name ?? '', created];
}
