// A resource.Quantity as a JavaScript number, enough for the downward API's
// resourceFieldRef arithmetic (k8s pkg/api/v1/resource/helpers.go
// convertResource*ToString: ceil(value / divisor)). Node-local on purpose:
// quantities in the API (canonical form, validation) belong to
// src/api/quantity.ts; this only reads numbers for env values.
const BINARY: Record<string, number> = { Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40, Pi: 2 ** 50, Ei: 2 ** 60 };
const DECIMAL: Record<string, number> = {
  n: 1e-9,
  u: 1e-6,
  m: 1e-3,
  '': 1,
  k: 1e3,
  M: 1e6,
  G: 1e9,
  T: 1e12,
  P: 1e15,
  E: 1e18,
};

const QUANTITY = /^([+-]?[0-9.]+)(Ki|Mi|Gi|Ti|Pi|Ei|[numkMGTPE]|[eE][+-]?[0-9]+)?$/;

/** The quantity's value; throws on a malformed string (the API validated it already). */
export function quantityToNumber(q: string | number): number {
  if (typeof q === 'number') {
    return q;
  }
  const m = QUANTITY.exec(q.trim());
  if (!m || m[1] === undefined || !/^[+-]?(\d+\.?\d*|\.\d+)$/.test(m[1])) {
    throw new Error(`quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'`);
  }
  const base = Number(m[1]);
  const suffix = m[2] ?? '';
  if (suffix in BINARY) {
    return base * BINARY[suffix]!;
  }
  if (suffix in DECIMAL) {
    return base * DECIMAL[suffix]!;
  }
  return base * 10 ** Number(suffix.slice(1));
}

/** Quantity.MilliValue(): rounded up to a whole milli-unit. */
export function milliValue(q: string | number): number {
  return Math.ceil(Math.round(quantityToNumber(q) * 1e3 * 1e6) / 1e6);
}

/** Quantity.Value(): rounded up to a whole unit. */
export function wholeValue(q: string | number): number {
  return Math.ceil(Math.round(quantityToNumber(q) * 1e6) / 1e6);
}
