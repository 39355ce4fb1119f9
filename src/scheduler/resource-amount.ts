// Quantities as the scheduler counts them: cpu in millicores, everything else in whole
// units, both rounded up (resource.Quantity MilliValue()/Value() take the ceiling).
// TODO(control): use src/api's Quantity once it lands; this covers the same grammar
// (k8s.io/apimachinery/pkg/api/resource/quantity.go) for the scheduler's arithmetic.
import type { QuantityValue } from '../api/types/index.js';

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

const RE = /^([+-]?(?:\d+\.?\d*|\.\d+))(Ki|Mi|Gi|Ti|Pi|Ei|[numkMGTPE]|[eE][+-]?\d+)?$/;

/** The quantity as a plain number of units (may be fractional); NaN when malformed. */
export function quantityToNumber(q: QuantityValue | undefined): number {
  if (q === undefined) {
    return 0;
  }
  if (typeof q === 'number') {
    return q;
  }
  const m = RE.exec(q.trim());
  if (!m) {
    return Number.NaN;
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

/** MilliValue(): ceil(q × 1000). A tiny epsilon absorbs binary floating-point noise. */
export function milliValue(q: QuantityValue | undefined): number {
  const n = quantityToNumber(q);
  return Number.isFinite(n) ? Math.ceil(n * 1000 - 1e-9) : 0;
}

/** Value(): ceil(q). */
export function unitValue(q: QuantityValue | undefined): number {
  const n = quantityToNumber(q);
  return Number.isFinite(n) ? Math.ceil(n - 1e-9) : 0;
}
