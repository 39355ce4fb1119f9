// PodLogOptions: the query of GET pods/<name>/log and of the agent's
// /containerLogs/<ns>/<pod>/<container>. Decoding follows the query parameter
// conversions of k8s.io/apimachinery (pkg/apis/meta/v1/conversion.go:
// strconv.ParseBool, strconv.ParseInt, time.Parse(RFC3339)); validation is
// pkg/apis/core/validation/validation.go#ValidatePodLogOptions. Pure: the
// apiserver validates with it, the agent reads the already-checked query with it.
import { field, newBadRequest, newInvalid } from './errors.js';
import type { FieldError } from './errors.js';

export interface PodLogOptions {
  container?: string;
  follow: boolean;
  previous: boolean;
  timestamps: boolean;
  /** Seconds before now; only entries at or after that instant. */
  sinceSeconds?: number;
  /** ms since the epoch. */
  sinceTime?: number;
  tailLines?: number;
  limitBytes?: number;
}

/** strconv.ParseBool's accepted spellings. */
const TRUE = new Set(['1', 't', 'T', 'TRUE', 'true', 'True']);
const FALSE = new Set(['0', 'f', 'F', 'FALSE', 'false', 'False']);

function parseBool(name: string, q: URLSearchParams): boolean {
  const v = q.get(name);
  if (v === null || v === '') {
    return false;
  }
  if (TRUE.has(v)) {
    return true;
  }
  if (FALSE.has(v)) {
    return false;
  }
  throw newBadRequest(`strconv.ParseBool: parsing ${JSON.stringify(v)}: invalid syntax`);
}

function parseInt64(name: string, q: URLSearchParams): number | undefined {
  const v = q.get(name);
  if (v === null || v === '') {
    return undefined;
  }
  if (!/^[+-]?\d+$/.test(v)) {
    throw newBadRequest(`strconv.ParseInt: parsing ${JSON.stringify(v)}: invalid syntax`);
  }
  return Number(v);
}

/** RFC 3339 with optional fraction and a Z or ±hh:mm offset (Go's time.RFC3339 layout). */
const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

function parseTime(name: string, q: URLSearchParams): number | undefined {
  const v = q.get(name);
  if (v === null || v === '') {
    return undefined;
  }
  const ms = RFC3339.test(v) ? Date.parse(v) : NaN;
  if (Number.isNaN(ms)) {
    throw newBadRequest(
      `parsing time ${JSON.stringify(v)} as "2006-01-02T15:04:05Z07:00": cannot parse ${JSON.stringify(v)} as "2006"`,
    );
  }
  return ms;
}

/** Decodes the query; a malformed value is a 400 BadRequest as the parameter codec answers. */
export function parsePodLogOptions(q: URLSearchParams): PodLogOptions {
  const o: PodLogOptions = {
    follow: parseBool('follow', q),
    previous: parseBool('previous', q),
    timestamps: parseBool('timestamps', q),
  };
  const container = q.get('container');
  if (container) {
    o.container = container;
  }
  const sinceSeconds = parseInt64('sinceSeconds', q);
  if (sinceSeconds !== undefined) {
    o.sinceSeconds = sinceSeconds;
  }
  const sinceTime = parseTime('sinceTime', q);
  if (sinceTime !== undefined) {
    o.sinceTime = sinceTime;
  }
  const tailLines = parseInt64('tailLines', q);
  if (tailLines !== undefined) {
    o.tailLines = tailLines;
  }
  const limitBytes = parseInt64('limitBytes', q);
  if (limitBytes !== undefined) {
    o.limitBytes = limitBytes;
  }
  return o;
}

/** ValidatePodLogOptions. */
export function validatePodLogOptions(o: PodLogOptions): FieldError[] {
  const errs: FieldError[] = [];
  if (o.tailLines !== undefined && o.tailLines < 0) {
    errs.push(field.invalid('tailLines', o.tailLines, 'must be greater than or equal to 0'));
  }
  if (o.limitBytes !== undefined && o.limitBytes < 1) {
    errs.push(field.invalid('limitBytes', o.limitBytes, 'must be greater than 0'));
  }
  if (o.sinceSeconds !== undefined && o.sinceTime !== undefined) {
    errs.push(field.forbidden('', 'at most one of `sinceTime` or `sinceSeconds` may be specified'));
  } else if (o.sinceSeconds !== undefined && o.sinceSeconds < 1) {
    errs.push(field.invalid('sinceSeconds', o.sinceSeconds, 'must be greater than 0'));
  }
  return errs;
}

/**
 * Parses and validates, as LogREST.Get does before it reaches the node
 * (pkg/registry/core/pod/rest/log.go): 400 for a malformed value, 422 Invalid
 * (kind PodLogOptions) for a rule broken.
 */
export function podLogOptionsOrThrow(q: URLSearchParams, podName: string): PodLogOptions {
  const o = parsePodLogOptions(q);
  const errs = validatePodLogOptions(o);
  if (errs.length > 0) {
    throw newInvalid('PodLogOptions', podName, errs);
  }
  return o;
}
