// Flag values shared by `up` and `node join`, checked with cobra/pflag's wording
// (`invalid argument "x" for "--flag" flag: …`) so a mistake reads as in kubectl.
import { parseDuration } from '../api/parse-duration.js';
import { RUNTIME_KINDS, type RuntimeKind } from './control-plane.js';
import { UsageError } from './usage-error.js';

function invalid(command: string, flag: string, value: string, why: string): UsageError {
  return new UsageError(`invalid argument "${value}" for "--${flag}" flag: ${why}`, command);
}

/** --runtime oci|sim (|none where the command allows a node-less start). */
export function runtimeFlag(
  command: string,
  value: string | boolean | undefined,
  fallback: Exclude<RuntimeKind, 'none'>,
  allowNone: boolean,
): RuntimeKind {
  if (typeof value !== 'string') {
    return fallback;
  }
  const allowed = RUNTIME_KINDS.filter((k) => allowNone || k !== 'none');
  if (!(allowed as readonly string[]).includes(value)) {
    throw invalid(command, 'runtime', value, `must be one of ${allowed.join(', ')}`);
  }
  return value as RuntimeKind;
}

/** A whole number in [min, max]. */
export function integerFlag(
  command: string,
  flag: string,
  value: string | boolean | undefined,
  fallback: number,
  min: number,
  max: number,
): number {
  if (typeof value !== 'string') {
    return fallback;
  }
  const n = /^\d+$/.test(value) ? Number(value) : NaN;
  if (!Number.isSafeInteger(n) || n < min || n > max) {
    throw invalid(command, flag, value, `must be a whole number from ${min} to ${max}`);
  }
  return n;
}

/** A Go duration ("40s", "1m30s") or seconds, > 0; milliseconds. */
export function durationFlag(
  command: string,
  flag: string,
  value: string | boolean | undefined,
  fallbackMs: number,
): number {
  if (typeof value !== 'string') {
    return fallbackMs;
  }
  const ms = parseDuration(value);
  if (ms === undefined || ms <= 0) {
    throw invalid(command, flag, value, 'must be a positive duration such as 40s or 1m');
  }
  return ms;
}

/** An IPv4 CIDR with a prefix from /8 to /28 (room for a bridge gateway and pods). */
export function cidrFlag(command: string, value: string): string {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/.exec(value);
  const octets = m ? m.slice(1, 5).map(Number) : [];
  const prefix = m ? Number(m[5]) : NaN;
  if (!m || octets.some((o) => o > 255) || !(prefix >= 8 && prefix <= 28)) {
    throw invalid(command, 'pod-cidr', value, 'must be an IPv4 CIDR such as 10.85.0.0/16 (prefix /8 to /28)');
  }
  return value;
}
