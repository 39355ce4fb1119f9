// fieldValidation (KEP-2885, handlers/rest.go + runtime/serializer strict decoding):
// unknown and duplicate fields are an error with Strict, a `Warning:` with Warn (the
// default), and silently dropped with Ignore. Unknown fields never reach the store, as
// decoding into the Go types drops them.
import { newBadRequest } from '../../api/errors.js';
import type { FieldValidation } from '../handlers/query-options.js';
import { KIND_SCHEMAS, pruneUnknownFields } from './known-fields.js';

export interface FieldCheck {
  /** `v1`, `coordination.k8s.io/v1`. */
  apiVersion: string;
  kind: string;
  mode: FieldValidation;
  duplicateFields: string[];
  warnings: string[];
  /**
   * create/update decode a whole object: the error names the kind
   * (`Pod in version "v1" cannot be handled as a Pod: strict decoding error: ...`);
   * a patch's result is reported bare (`strict decoding error: ...`).
   */
  wholeObject: boolean;
}

/** Drops unknown fields of obj in place and reports them (and duplicates) per the mode. */
export function checkFields(obj: unknown, c: FieldCheck): void {
  const schema = KIND_SCHEMAS[`${c.apiVersion}/${c.kind}`];
  const unknown = schema === undefined ? [] : pruneUnknownFields(obj, schema);
  const problems = [
    ...unknown.map((f) => `unknown field "${f}"`),
    ...c.duplicateFields.map((f) => `duplicate field "${f}"`),
  ];
  if (problems.length === 0 || c.mode === 'Ignore') {
    return;
  }
  if (c.mode === 'Warn') {
    c.warnings.push(...problems);
    return;
  }
  const strict = `strict decoding error: ${problems.join(', ')}`;
  const version = c.apiVersion.includes('/') ? c.apiVersion.split('/')[1]! : c.apiVersion;
  throw newBadRequest(
    c.wholeObject ? `${c.kind} in version "${version}" cannot be handled as a ${c.kind}: ${strict}` : strict,
  );
}
