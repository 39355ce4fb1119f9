// Toleration matching (k8s.io/api/core/v1/toleration.go ToleratesTaint,
// pkg/apis/core/v1/helper/helpers.go FindMatchingUntoleratedTaint).
import type { Taint, Toleration } from '../api/types/index.js';

/**
 * A toleration matches a taint when its effect is empty or equal, its key is empty
 * (only valid with Exists) or equal, and Exists, or Equal (the default) with equal values.
 */
export function toleratesTaint(t: Toleration, taint: Pick<Taint, 'key' | 'value' | 'effect'>): boolean {
  if (t.effect && t.effect !== taint.effect) {
    return false;
  }
  if (t.key && t.key !== taint.key) {
    return false;
  }
  switch (t.operator ?? 'Equal') {
    case 'Exists':
      return true;
    case 'Equal':
      return (t.value ?? '') === (taint.value ?? '');
    default:
      return false;
  }
}

/** The first taint (in node order) that passes the filter and no toleration matches. */
export function findUntoleratedTaint(
  taints: readonly Taint[],
  tolerations: readonly Toleration[],
  inclusionFilter: (t: Taint) => boolean,
): Taint | undefined {
  return taints.find((taint) => inclusionFilter(taint) && !tolerations.some((t) => toleratesTaint(t, taint)));
}
