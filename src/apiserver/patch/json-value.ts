// Plain JSON values as the patch engines see them: what JSON.parse gives, nothing else.

export type JsonObject = Record<string, unknown>;

export function isJsonObject(v: unknown): v is JsonObject {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/** Structural equality of two JSON values (key order does not matter, list order does). */
export function jsonEqual(a: unknown, b: unknown): boolean {
  if (a === b) {
    return true;
  }
  if (Array.isArray(a)) {
    return Array.isArray(b) && a.length === b.length && a.every((x, i) => jsonEqual(x, b[i]));
  }
  if (isJsonObject(a) && isJsonObject(b)) {
    const ka = Object.keys(a);
    if (ka.length !== Object.keys(b).length) {
      return false;
    }
    return ka.every((k) => Object.hasOwn(b, k) && jsonEqual(a[k], b[k]));
  }
  return false;
}

/** A deep copy, so engines never alias the caller's objects. */
export function cloneJson<T>(v: T): T {
  return v === undefined ? v : structuredClone(v);
}

/**
 * `__proto__` is no field of any Kubernetes type (decoding into a typed object drops it), and
 * assigning it would change an object's prototype: every engine skips it.
 */
export const PROTO_KEY = '__proto__';

/** Removes null map values recursively (what decoding into a typed Go struct does to them). */
export function dropNulls(v: unknown): unknown {
  if (Array.isArray(v)) {
    return v.map(dropNulls);
  }
  if (isJsonObject(v)) {
    const out: JsonObject = {};
    for (const [k, x] of Object.entries(v)) {
      if (x !== null && k !== PROTO_KEY) {
        out[k] = dropNulls(x);
      }
    }
    return out;
  }
  return v;
}
