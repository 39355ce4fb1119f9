// API errors as Kubernetes builds them: apimachinery/pkg/api/errors/errors.go
// (Status objects) and apimachinery/pkg/util/validation/field/errors.go (field errors).
import type { Status, StatusCause, StatusReason } from './types/meta.js';

/** An error that carries the metav1.Status the API answers with. */
export class StatusError extends Error {
  readonly status: Status;
  constructor(status: Status) {
    super(status.message ?? status.reason ?? 'error');
    this.name = 'StatusError';
    this.status = status;
  }
  get code(): number {
    return this.status.code ?? 500;
  }
  get reason(): string {
    return this.status.reason ?? '';
  }
}

export function isStatusError(e: unknown, reason?: StatusReason): e is StatusError {
  return e instanceof StatusError && (reason === undefined || e.status.reason === reason);
}

function failure(code: number, reason: StatusReason, message: string, details?: Status['details']): StatusError {
  const status: Status = { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason, code };
  if (details) {
    status.details = details;
  }
  return new StatusError(status);
}

/** `pods "x" not found` (resource is the plural, optionally qualified: `leases.coordination.k8s.io`). */
export function newNotFound(resource: string, name: string): StatusError {
  return failure(404, 'NotFound', `${resource} "${name}" not found`, { name, kind: resource.split('.')[0] });
}

export function newAlreadyExists(resource: string, name: string): StatusError {
  return failure(409, 'AlreadyExists', `${resource} "${name}" already exists`, { name, kind: resource.split('.')[0] });
}

export function newConflict(resource: string, name: string, why: string): StatusError {
  return failure(409, 'Conflict', `Operation cannot be fulfilled on ${resource} "${name}": ${why}`, {
    name,
    kind: resource.split('.')[0],
  });
}

/** The message optimistic concurrency uses (registry/generic/registry/store.go). */
export const OBJECT_MODIFIED_MSG =
  'the object has been modified; please apply your changes to the latest version and try again';

export function newBadRequest(message: string): StatusError {
  return failure(400, 'BadRequest', message);
}

export function newUnauthorized(message = 'Unauthorized'): StatusError {
  return failure(401, 'Unauthorized', message);
}

export function newForbidden(resource: string, name: string, why: string): StatusError {
  return failure(403, 'Forbidden', `${resource} "${name}" is forbidden: ${why}`, { name, kind: resource });
}

export function newMethodNotSupported(resource: string, action: string): StatusError {
  return failure(405, 'MethodNotAllowed', `${action} is not supported on resources of kind "${resource}"`, {
    kind: resource,
  });
}

/** The watch/list answer for a compacted revision: 410 Expired. */
export function newResourceExpired(message: string): StatusError {
  return failure(410, 'Expired', message);
}

export function newGone(message: string): StatusError {
  return failure(410, 'Gone', message);
}

export function newRequestEntityTooLarge(message: string): StatusError {
  return failure(413, 'RequestEntityTooLarge', `Request entity too large: ${message}`);
}

export function newUnsupportedMediaType(contentType: string): StatusError {
  return failure(
    415,
    'UnsupportedMediaType',
    `the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml, application/strategic-merge-patch+json; got ${contentType}`,
  );
}

export function newNotAcceptable(message: string): StatusError {
  return failure(406, 'NotAcceptable', message);
}

export function newInternalError(message: string): StatusError {
  return failure(500, 'InternalError', `Internal error occurred: ${message}`);
}

export function newTimeout(message: string): StatusError {
  return failure(504, 'Timeout', message);
}

// ---- field errors ---------------------------------------------------------

/** field.ErrorType, with the wire string and the cause reason of each. */
export type FieldErrorType =
  | 'Required value'
  | 'Forbidden'
  | 'Too long'
  | 'Too many'
  | 'Internal error'
  | 'Invalid value'
  | 'Unsupported value'
  | 'Not found'
  | 'Duplicate value';

const CAUSE_REASON: Record<FieldErrorType, string> = {
  'Required value': 'FieldValueRequired',
  Forbidden: 'FieldValueForbidden',
  'Too long': 'FieldValueTooLong',
  'Too many': 'FieldValueTooMany',
  'Internal error': 'InternalError',
  'Invalid value': 'FieldValueInvalid',
  'Unsupported value': 'FieldValueNotSupported',
  'Not found': 'FieldValueNotFound',
  'Duplicate value': 'FieldValueDuplicate',
};

/** Types whose message omits the value (field.Error.ErrorBody). */
const OMITS_VALUE = new Set<FieldErrorType>(['Required value', 'Forbidden', 'Too long', 'Too many', 'Internal error']);

export interface FieldError {
  type: FieldErrorType;
  /** Rendered path, e.g. `spec.containers[0].resources.limits[cpu]`. */
  field: string;
  value?: unknown;
  detail?: string;
}

/**
 * A value Go prints verbatim in an error: a fmt.Stringer (metav1.Time), or the %#v of a
 * slice (`[]string{"a", "b"}`), which JSON cannot reproduce.
 */
export class GoValue {
  constructor(readonly text: string) {}
}

/** Go-style rendering of a value in an error: strings quoted, numbers and bools bare, others JSON. */
export function renderValue(v: unknown): string {
  if (v instanceof GoValue) {
    return v.text;
  }
  if (typeof v === 'string') {
    return JSON.stringify(v);
  }
  if (typeof v === 'number' || typeof v === 'boolean' || typeof v === 'bigint') {
    return String(v);
  }
  if (v === null || v === undefined) {
    return 'null';
  }
  return JSON.stringify(v);
}

/** `<Type>[: <value>][: <detail>]` — field.Error.ErrorBody. */
export function fieldErrorBody(e: FieldError): string {
  let s: string = e.type;
  if (!OMITS_VALUE.has(e.type)) {
    s += `: ${renderValue(e.value)}`;
  }
  if (e.detail) {
    s += `: ${e.detail}`;
  }
  return s;
}

/** `<field>: <body>` — field.Error.Error. */
export function fieldErrorString(e: FieldError): string {
  return `${e.field}: ${fieldErrorBody(e)}`;
}

/**
 * 422 Invalid for a kind (e.g. `Pod`): message `Pod "x" is invalid: <aggregate>`,
 * where one error is bare and several are `[e1, e2]`, de-duplicated in order
 * (apimachinery errors.NewInvalid + utilerrors.NewAggregate).
 */
export function newInvalid(kind: string, name: string, errs: FieldError[], group = ''): StatusError {
  const seen = new Set<string>();
  const msgs: string[] = [];
  for (const e of errs) {
    const m = fieldErrorString(e);
    if (!seen.has(m)) {
      seen.add(m);
      msgs.push(m);
    }
  }
  const agg = msgs.length === 1 ? msgs[0]! : `[${msgs.join(', ')}]`;
  const causes: StatusCause[] = errs.map((e) => ({
    reason: CAUSE_REASON[e.type],
    message: fieldErrorBody(e),
    field: e.field,
  }));
  const qualified = group ? `${kind}.${group}` : kind;
  return failure(422, 'Invalid', `${qualified} "${name}" is invalid: ${agg}`, {
    name,
    group: group || undefined,
    kind,
    causes,
  });
}

// Constructors mirroring field.Required/Invalid/... so rules read like upstream.
export const field = {
  required: (path: string, detail = ''): FieldError => ({ type: 'Required value', field: path, detail }),
  forbidden: (path: string, detail: string): FieldError => ({ type: 'Forbidden', field: path, detail }),
  invalid: (path: string, value: unknown, detail: string): FieldError => ({
    type: 'Invalid value',
    field: path,
    value,
    detail,
  }),
  notSupported: (path: string, value: unknown, supported: readonly string[]): FieldError => ({
    type: 'Unsupported value',
    field: path,
    value,
    detail: supported.length ? `supported values: ${supported.map((s) => JSON.stringify(s)).join(', ')}` : '',
  }),
  notFound: (path: string, value: unknown): FieldError => ({ type: 'Not found', field: path, value }),
  duplicate: (path: string, value: unknown): FieldError => ({ type: 'Duplicate value', field: path, value }),
  tooLong: (path: string, maxLength: number): FieldError => ({
    type: 'Too long',
    field: path,
    detail: `may not be more than ${maxLength} bytes`,
  }),
  tooMany: (path: string, actual: number, max: number): FieldError => ({
    type: 'Too many',
    field: path,
    detail: `must have at most ${max} items`,
    value: actual,
  }),
  internal: (path: string, detail: string): FieldError => ({ type: 'Internal error', field: path, detail }),
};
