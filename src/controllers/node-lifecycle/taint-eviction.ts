// Which pods a NoExecute taint evicts, and when (pkg/controller/tainteviction/taint_eviction.go
// processPodOnNode / getMinTolerationTime):
// - a NoExecute taint the pod does not tolerate → evict now;
// - every NoExecute taint tolerated → evict after the smallest tolerationSeconds among the
//   tolerations used (the first match per taint); tolerations without tolerationSeconds do
//   not limit it, and if none has one the pod stays forever; ≤ 0 is now.
// The DefaultTolerationSeconds admission plugin gives every pod not-ready and unreachable
// NoExecute tolerations of 300 s; a pod created without them (no admission) gets the same
// default here, so "after 300 s" holds either way.
import type { Pod, Taint, Toleration } from '../../api/types/index.js';
import { TAINT_NOT_READY, TAINT_UNREACHABLE } from './condition-taints.js';

export const DEFAULT_TOLERATION_SECONDS = 300;

export const DISRUPTION_REASON_TAINT_MANAGER = 'DeletionByTaintManager';
export const DISRUPTION_MESSAGE_TAINT_MANAGER = 'Taint manager: deleting due to NoExecute taint';

export function toleratesTaint(t: Toleration, taint: Taint): boolean {
  if (t.effect && t.effect !== taint.effect) {
    return false;
  }
  if (t.key && t.key !== taint.key) {
    return false;
  }
  const op = t.operator ?? 'Equal';
  return op === 'Exists' || (op === 'Equal' && (t.value ?? '') === (taint.value ?? ''));
}

/** The pod's tolerations plus DefaultTolerationSeconds' two, when the pod has none for those keys. */
export function effectiveTolerations(pod: Pod): Toleration[] {
  const tols = [...(pod.spec.tolerations ?? [])];
  for (const key of [TAINT_NOT_READY, TAINT_UNREACHABLE]) {
    const taint: Taint = { key, effect: 'NoExecute' };
    if (!tols.some((t) => toleratesTaint(t, taint))) {
      tols.push({ key, operator: 'Exists', effect: 'NoExecute', tolerationSeconds: DEFAULT_TOLERATION_SECONDS });
    }
  }
  return tols;
}

/**
 * Milliseconds the pod may stay on a node with these taints: 0 = evict now,
 * undefined = never (no NoExecute taint, or tolerated forever).
 */
export function computeEvictionDelayMs(pod: Pod, taints: readonly Taint[]): number | undefined {
  const noExecute = taints.filter((t) => t.effect === 'NoExecute');
  if (noExecute.length === 0) {
    return undefined;
  }
  const tols = effectiveTolerations(pod);
  const used: Toleration[] = [];
  for (const taint of noExecute) {
    // GetMatchingTolerations: the first toleration that matches each taint.
    const first = tols.find((t) => toleratesTaint(t, taint));
    if (!first) {
      return 0;
    }
    used.push(first);
  }
  let min: number | undefined;
  for (const t of used) {
    if (t.tolerationSeconds === undefined || t.tolerationSeconds === null) {
      continue;
    }
    const s = Math.max(0, t.tolerationSeconds);
    min = min === undefined ? s : Math.min(min, s);
  }
  return min === undefined ? undefined : min * 1000;
}
