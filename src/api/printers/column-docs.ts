// Column descriptions of kube-apiserver's tables: the SwaggerDoc() strings the
// printers in k8s pkg/printers/internalversion/printers.go reference, as real
// servers send them (checked against captured v1.30 pod and v1.33 node Tables).
import type { TableColumnDefinition } from '../types/index.js';

export const DOC_NAME =
  'Name must be unique within a namespace. Is required when creating resources, although some resources may allow a client to request the generation of an appropriate name automatically. Name is primarily intended for creation idempotence and configuration definition. Cannot be updated. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/names#names';
export const DOC_CREATION_TIMESTAMP =
  'CreationTimestamp is a timestamp representing the server time when this object was created. It is not guaranteed to be set in happens-before order across separate operations. Clients may not set this value. It is represented in RFC3339 form and is in UTC.\n\nPopulated by the system. Read-only. Null for lists. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#metadata';

/** A column as printers.go declares it: format defaults to "", priority to 0. */
export function column(
  name: string,
  type: string,
  description: string,
  opts: { format?: string; priority?: number } = {},
): TableColumnDefinition {
  return { name, type, format: opts.format ?? '', description, priority: opts.priority ?? 0 };
}

export const NAME_COLUMN = column('Name', 'string', DOC_NAME, { format: 'name' });
export const AGE_COLUMN = column('Age', 'string', DOC_CREATION_TIMESTAMP);
