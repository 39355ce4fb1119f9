// Quantities as the scheduler counts them: cpu in millicores, everything else in whole
// units, both rounded up (resource.Quantity MilliValue()/Value() take the ceiling), read
// with src/api's Quantity. A malformed quantity counts as 0 (validation rejects it first).
import { Quantity } from '../api/quantity.js';
import type { QuantityValue } from '../api/types/index.js';

function parse(q: QuantityValue | undefined): Quantity | undefined {
  if (q === undefined) {
    return undefined;
  }
  try {
    return Quantity.parse(q);
  } catch {
    return undefined;
  }
}

/** MilliValue(): ceil(q × 1000). */
export function milliValue(q: QuantityValue | undefined): number {
  return parse(q)?.milliValue() ?? 0;
}

/** Value(): ceil(q). */
export function unitValue(q: QuantityValue | undefined): number {
  return parse(q)?.value() ?? 0;
}
