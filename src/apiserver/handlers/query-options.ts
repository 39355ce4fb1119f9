// Query parameters of writes (metav1.CreateOptions / UpdateOptions / PatchOptions):
// dryRun, fieldManager, fieldValidation; validated as
// apimachinery/pkg/apis/meta/v1/validation/validation.go does.
import type { IncomingMessage } from 'node:http';
import { newBadRequest, newInvalid, field } from '../../api/errors.js';

export type FieldValidation = 'Strict' | 'Warn' | 'Ignore';

/** `kind` names the options in the 422 (`CreateOptions.meta.k8s.io "" is invalid: ...`). */
export function parseDryRun(values: string[], kind: string): boolean {
  for (const v of values) {
    if (v !== 'All') {
      throw newInvalid(kind, '', [field.notSupported('dryRun', values, ['All'])], 'meta.k8s.io');
    }
  }
  return values.length > 0;
}

/** fieldValidation; unset means Warn (the default since v1.27, handlers/rest.go). */
export function parseFieldValidation(v: string | null, kind: string): FieldValidation {
  if (v === null || v === '') {
    return 'Warn';
  }
  if (v === 'Strict' || v === 'Warn' || v === 'Ignore') {
    return v;
  }
  throw newInvalid(
    kind,
    '',
    [field.notSupported('fieldValidation', v, ['', 'Ignore', 'Strict', 'Warn'])],
    'meta.k8s.io',
  );
}

/**
 * fieldManager, else the User-Agent's program name (handlers/rest.go prefixFromUserAgent:
 * `kubectl/v1.32.4 (linux/amd64) ...` → `kubectl`).
 */
export function fieldManagerOf(query: URLSearchParams, req: IncomingMessage): string {
  const m = query.get('fieldManager');
  if (m) {
    if (m.length > 128) {
      throw newInvalid('PatchOptions', '', [field.tooLong('fieldManager', 128)], 'meta.k8s.io');
    }
    return m;
  }
  const ua = req.headers['user-agent'] ?? '';
  return ua.split('/')[0]!.slice(0, 128) || 'unknown';
}

/** A non-negative integer query parameter, or undefined. */
export function intParam(query: URLSearchParams, name: string): number | undefined {
  const v = query.get(name);
  if (v === null || v === '') {
    return undefined;
  }
  const n = Number(v);
  if (!Number.isInteger(n)) {
    throw newBadRequest(`invalid value for ${name}: ${v}`);
  }
  return n;
}
