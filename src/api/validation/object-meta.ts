// ObjectMeta rules on create and update: apimachinery/pkg/api/validation/objectmeta.go
// (ValidateObjectMetaAccessor, ValidateObjectMetaAccessorUpdate), the label rules of
// apimachinery/pkg/apis/meta/v1/validation/validation.go (ValidateLabels), and the extra
// finalizer check of pkg/apis/core/validation/validation.go (validateKubeFinalizerName).
import { field, type FieldError } from '../errors.js';
import type { ObjectMeta, OwnerReference } from '../types/index.js';
import { child, index } from './field-path.js';
import { goStringSlice, goTime } from './go-values.js';
import {
  IS_NEGATIVE_ERROR_MSG,
  byteLength,
  isQualifiedName,
  isValidLabelValue,
  nameIsDNSLabel,
  nameIsDNSSubdomain,
  nameIsPathSegment,
} from './names.js';

export const FIELD_IMMUTABLE_ERROR_MSG = 'field is immutable';
/** TotalAnnotationSizeLimitB: 256 KiB over all keys and values. */
export const TOTAL_ANNOTATION_SIZE_LIMIT_B = 256 * (1 << 10);

export type NameRule = 'subdomain' | 'label' | 'path';

export interface ObjectMetaOptions {
  namespaced: boolean;
  nameRule: NameRule;
  /**
   * core's ValidateObjectMeta adds validateKubeFinalizerName (an unqualified finalizer must
   * be a standard one); apimachinery's, used by other API groups (Lease), does not. Default true.
   */
  coreFinalizers?: boolean;
}

const NAME_FNS: Record<NameRule, (name: string, prefix: boolean) => string[]> = {
  subdomain: nameIsDNSSubdomain,
  label: nameIsDNSLabel,
  path: nameIsPathSegment,
};

/** ValidateLabelName: a label key (or any qualified name) at `path`. */
export function validateLabelName(name: string, path: string): FieldError[] {
  return isQualifiedName(name).map((m) => field.invalid(path, name, m));
}

/** ValidateLabels: every error is reported at the map's path, not keyed. */
export function validateLabels(labels: Record<string, string> | undefined, path: string): FieldError[] {
  const errs: FieldError[] = [];
  for (const [k, v] of Object.entries(labels ?? {})) {
    errs.push(...validateLabelName(k, path));
    for (const m of isValidLabelValue(v)) {
      errs.push(field.invalid(path, v, m));
    }
  }
  return errs;
}

/** ValidateAnnotations: keys are qualified names (case-insensitive), 256 KiB in total. */
export function validateAnnotations(annotations: Record<string, string> | undefined, path: string): FieldError[] {
  const errs: FieldError[] = [];
  let total = 0;
  for (const [k, v] of Object.entries(annotations ?? {})) {
    for (const m of isQualifiedName(k.toLowerCase())) {
      errs.push(field.invalid(path, k, m));
    }
    total += byteLength(k) + byteLength(v);
  }
  if (total > TOTAL_ANNOTATION_SIZE_LIMIT_B) {
    errs.push(field.tooLong(path, TOTAL_ANNOTATION_SIZE_LIMIT_B));
  }
  return errs;
}

/** schema.ParseGroupVersion: "" or too many slashes give no version. */
function versionOf(apiVersion: string): { group: string; version: string } {
  if (apiVersion === '' || apiVersion === '/') {
    return { group: '', version: '' };
  }
  const parts = apiVersion.split('/');
  if (parts.length === 1) {
    return { group: '', version: parts[0]! };
  }
  if (parts.length === 2) {
    return { group: parts[0]!, version: parts[1]! };
  }
  return { group: '', version: '' };
}

function validateOwnerReference(ref: OwnerReference, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const gv = versionOf(ref.apiVersion ?? '');
  if (gv.version === '') {
    errs.push(field.invalid(child(path, 'apiVersion'), ref.apiVersion ?? '', 'version must not be empty'));
  }
  if (!ref.kind) {
    errs.push(field.invalid(child(path, 'kind'), ref.kind ?? '', 'must not be empty'));
  }
  if (!ref.name) {
    errs.push(field.invalid(child(path, 'name'), ref.name ?? '', 'must not be empty'));
  }
  if (!ref.uid) {
    errs.push(field.invalid(child(path, 'uid'), ref.uid ?? '', 'must not be empty'));
  }
  // BannedOwners: core/v1 Event may not own anything. GroupVersionKind.String() is "/v1, Kind=Event".
  if (gv.group === '' && gv.version === 'v1' && ref.kind === 'Event') {
    errs.push(field.invalid(path, ref, '/v1, Kind=Event is disallowed from being an owner'));
  }
  return errs;
}

/** ValidateOwnerReferences. */
export function validateOwnerReferences(refs: OwnerReference[] | undefined, path: string): FieldError[] {
  const errs: FieldError[] = [];
  let firstController = '';
  for (const ref of refs ?? []) {
    errs.push(...validateOwnerReference(ref, path));
    if (ref.controller === true) {
      const cur = `${ref.kind}/${ref.name}`;
      if (firstController !== '') {
        errs.push(
          field.invalid(
            path,
            refs,
            `Only one reference can have Controller set to true. Found "true" in references for ${firstController} and ${cur}`,
          ),
        );
      } else {
        firstController = cur;
      }
    }
  }
  return errs;
}

/** ValidateFinalizers (apimachinery): qualified names, and not both orphan and foregroundDeletion. */
export function validateFinalizers(finalizers: string[] | undefined, path: string): FieldError[] {
  const errs: FieldError[] = [];
  let orphan = false;
  let foreground = false;
  for (const f of finalizers ?? []) {
    for (const m of isQualifiedName(f)) {
      errs.push(field.invalid(path, f, m));
    }
    orphan ||= f === 'orphan';
    foreground ||= f === 'foregroundDeletion';
  }
  if (orphan && foreground) {
    errs.push(
      field.invalid(path, goStringSlice(finalizers), 'finalizer orphan and foregroundDeletion cannot be both set'),
    );
  }
  return errs;
}

/** helper.IsStandardFinalizerName: the legacy unqualified finalizers. */
const STANDARD_FINALIZERS = new Set(['kubernetes', 'orphan', 'foregroundDeletion']);

/** validateKubeFinalizerName (core): an unqualified finalizer must be a standard one. */
export function validateKubeFinalizerName(name: string, path: string): FieldError[] {
  if (name.split('/').length === 1 && !STANDARD_FINALIZERS.has(name)) {
    return [field.invalid(path, name, 'name is neither a standard finalizer name nor is it fully qualified')];
  }
  return [];
}

function validateObjectMetaCommon(meta: ObjectMeta, namespaced: boolean, path: string): FieldError[] {
  const errs: FieldError[] = [];
  if (namespaced) {
    if (!meta.namespace) {
      errs.push(field.required(child(path, 'namespace')));
    } else {
      for (const m of nameIsDNSLabel(meta.namespace, false)) {
        errs.push(field.invalid(child(path, 'namespace'), meta.namespace, m));
      }
    }
  } else if (meta.namespace) {
    errs.push(field.forbidden(child(path, 'namespace'), 'not allowed on this type'));
  }
  if ((meta.generation ?? 0) < 0) {
    errs.push(field.invalid(child(path, 'generation'), meta.generation, IS_NEGATIVE_ERROR_MSG));
  }
  errs.push(...validateLabels(meta.labels, child(path, 'labels')));
  errs.push(...validateAnnotations(meta.annotations, child(path, 'annotations')));
  errs.push(...validateOwnerReferences(meta.ownerReferences, child(path, 'ownerReferences')));
  errs.push(...validateFinalizers(meta.finalizers, child(path, 'finalizers')));
  errs.push(...validateManagedFields(meta, child(path, 'managedFields')));
  return errs;
}

/** v1validation.ValidateManagedFields: operation, fieldsType, manager length and subresource length. */
function validateManagedFields(meta: ObjectMeta, path: string): FieldError[] {
  const errs: FieldError[] = [];
  (meta.managedFields ?? []).forEach((mf, i) => {
    const p = index(path, i);
    if (mf.operation !== 'Apply' && mf.operation !== 'Update') {
      errs.push(field.invalid(child(p, 'operation'), mf.operation ?? '', 'must be `Apply` or `Update`'));
    }
    if (mf.fieldsType && mf.fieldsType !== 'FieldsV1') {
      errs.push(field.invalid(child(p, 'fieldsType'), mf.fieldsType, 'must be `FieldsV1`'));
    }
    if (byteLength(mf.manager ?? '') > 128) {
      errs.push(field.tooLong(child(p, 'manager'), 128));
    }
    if (byteLength(mf.subresource ?? '') > 256) {
      errs.push(field.tooLong(child(p, 'subresource'), 256));
    }
  });
  return errs;
}

/**
 * Metadata on create (core ValidateObjectMeta): generateName (as a prefix) and name by the
 * kind's name rule, namespace, generation, labels, annotations, ownerReferences, finalizers.
 * Name generation has already run, so a generated name is validated like any other.
 */
export function validateObjectMeta(meta: ObjectMeta, opts: ObjectMetaOptions, path = 'metadata'): FieldError[] {
  const nameFn = NAME_FNS[opts.nameRule];
  const errs: FieldError[] = [];
  if (meta.generateName) {
    for (const m of nameFn(meta.generateName, true)) {
      errs.push(field.invalid(child(path, 'generateName'), meta.generateName, m));
    }
  }
  if (!meta.name) {
    errs.push(field.required(child(path, 'name'), 'name or generateName is required'));
  } else {
    for (const m of nameFn(meta.name, false)) {
      errs.push(field.invalid(child(path, 'name'), meta.name, m));
    }
  }
  errs.push(...validateObjectMetaCommon(meta, opts.namespaced, path));
  if (opts.coreFinalizers !== false) {
    (meta.finalizers ?? []).forEach((f, i) =>
      errs.push(...validateKubeFinalizerName(f, index(child(path, 'finalizers'), i))),
    );
  }
  return errs;
}

function immutable(newVal: unknown, oldVal: unknown, path: string, shown: unknown = newVal): FieldError[] {
  return newVal === oldVal ? [] : [field.invalid(path, shown, FIELD_IMMUTABLE_ERROR_MSG)];
}

/**
 * Metadata on update (core ValidateObjectMetaUpdate): no new finalizers once deleting,
 * generation not decremented, name/namespace/uid/creationTimestamp/deletionTimestamp/
 * deletionGracePeriodSeconds immutable, then labels, annotations, ownerReferences and
 * managedFields as on create, and core's legacy-finalizer check.
 *
 * Upstream also rejects an empty resourceVersion here; podbay's registry fills the stored
 * resourceVersion in for unconditional updates before this point is reached in upstream
 * (store.go Update), and checks preconditions itself, so that rule is left to it.
 */
export function validateObjectMetaUpdate(
  newMeta: ObjectMeta,
  oldMeta: ObjectMeta,
  path = 'metadata',
  coreFinalizers = true,
): FieldError[] {
  const errs: FieldError[] = [];
  if (oldMeta.deletionTimestamp) {
    const before = new Set(oldMeta.finalizers ?? []);
    const extra = [...new Set((newMeta.finalizers ?? []).filter((f) => !before.has(f)))].sort();
    if (extra.length > 0) {
      errs.push(
        field.forbidden(
          child(path, 'finalizers'),
          `no new finalizers can be added if the object is being deleted, found new finalizers ${goStringSlice(extra).text}`,
        ),
      );
    }
  }
  if ((newMeta.generation ?? 0) < (oldMeta.generation ?? 0)) {
    errs.push(field.invalid(child(path, 'generation'), newMeta.generation ?? 0, 'must not be decremented'));
  }
  errs.push(...immutable(newMeta.name ?? '', oldMeta.name ?? '', child(path, 'name')));
  errs.push(...immutable(newMeta.namespace ?? '', oldMeta.namespace ?? '', child(path, 'namespace')));
  errs.push(...immutable(newMeta.uid ?? '', oldMeta.uid ?? '', child(path, 'uid')));
  errs.push(
    ...immutable(
      newMeta.creationTimestamp ?? '',
      oldMeta.creationTimestamp ?? '',
      child(path, 'creationTimestamp'),
      goTime(newMeta.creationTimestamp),
    ),
  );
  errs.push(
    ...immutable(
      newMeta.deletionTimestamp ?? '',
      oldMeta.deletionTimestamp ?? '',
      child(path, 'deletionTimestamp'),
      goTime(newMeta.deletionTimestamp),
    ),
  );
  errs.push(
    ...immutable(
      newMeta.deletionGracePeriodSeconds,
      oldMeta.deletionGracePeriodSeconds,
      child(path, 'deletionGracePeriodSeconds'),
      newMeta.deletionGracePeriodSeconds ?? 'null',
    ),
  );
  errs.push(...validateLabels(newMeta.labels, child(path, 'labels')));
  errs.push(...validateAnnotations(newMeta.annotations, child(path, 'annotations')));
  errs.push(...validateOwnerReferences(newMeta.ownerReferences, child(path, 'ownerReferences')));
  // Unlike create, apimachinery's update path does not run ValidateFinalizers.
  errs.push(...validateManagedFields(newMeta, child(path, 'managedFields')));
  if (coreFinalizers) {
    (newMeta.finalizers ?? []).forEach((f, i) =>
      errs.push(...validateKubeFinalizerName(f, index(child(path, 'finalizers'), i))),
    );
  }
  return errs;
}
