// Metadata rules every update obeys (apimachinery/pkg/api/validation/objectmeta.go
// ValidateObjectMetaUpdate): name, namespace, uid and creationTimestamp are immutable;
// rest/update.go BeforeUpdate copies the server-owned fields over before validation.
import { field, type FieldError } from '../../../api/errors.js';
import type { ObjectMeta } from '../../../api/types/index.js';

const IMMUTABLE = 'field is immutable';

export function validateObjectMetaUpdate(meta: ObjectMeta, old: ObjectMeta): FieldError[] {
  const errs: FieldError[] = [];
  if ((meta.name ?? '') !== (old.name ?? '')) {
    errs.push(field.invalid('metadata.name', meta.name ?? '', IMMUTABLE));
  }
  if ((meta.namespace ?? '') !== (old.namespace ?? '')) {
    errs.push(field.invalid('metadata.namespace', meta.namespace ?? '', IMMUTABLE));
  }
  if ((meta.uid ?? '') !== (old.uid ?? '')) {
    errs.push(field.invalid('metadata.uid', meta.uid ?? '', IMMUTABLE));
  }
  if ((meta.creationTimestamp ?? '') !== (old.creationTimestamp ?? '')) {
    errs.push(field.invalid('metadata.creationTimestamp', meta.creationTimestamp ?? '', IMMUTABLE));
  }
  return errs;
}

export function validateFinalizersOnTerminating(meta: ObjectMeta, old: ObjectMeta): FieldError[] {
  // objectmeta.go ValidateNoNewFinalizers: once deletionTimestamp is set, finalizers may
  // only be removed; the message prints the Go %#v of the sorted set.
  if (!old.deletionTimestamp) {
    return [];
  }
  const before = new Set(old.finalizers ?? []);
  const added = (meta.finalizers ?? []).filter((f) => !before.has(f));
  if (added.length === 0) {
    return [];
  }
  return [
    field.forbidden(
      'metadata.finalizers',
      `no new finalizers can be added if the object is being deleted, found new finalizers []string{${added
        .sort()
        .map((f) => JSON.stringify(f))
        .join(', ')}}`,
    ),
  ];
}
