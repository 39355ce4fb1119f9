// The default profile's scores besides LeastAllocated, with their weights
// (pkg/scheduler/apis/config/v1/default_plugins.go): TaintToleration ×3 (fewer untolerated
// PreferNoSchedule taints is better), NodeAffinity ×2 (sum of matching preferred terms'
// weights), NodeResourcesFit ×1 (least allocated), NodeResourcesBalancedAllocation ×1.
// Each plugin's raw scores are normalised to 0–100 over the feasible nodes
// (framework/plugins/helper/normalize_score.go DefaultNormalizeScore).
import type { Pod } from '../api/types/index.js';
import { matchesNodeSelectorTerm } from './filters/node-affinity.js';
import { MAX_NODE_SCORE, scoreLeastAllocated } from './least-allocated.js';
import type { NodeInfo } from './node-info.js';
import type { Resource } from './resource.js';
import { toleratesTaint } from './tolerations.js';

export const WEIGHT_TAINT_TOLERATION = 3;
export const WEIGHT_NODE_AFFINITY = 2;
export const WEIGHT_LEAST_ALLOCATED = 1;
export const WEIGHT_BALANCED_ALLOCATION = 1;

/** DefaultNormalizeScore: scale to 0–100 by the maximum; reverse flips it (lower raw is better). */
export function normalizeScores(scores: number[], reverse: boolean): number[] {
  const max = Math.max(0, ...scores);
  if (max === 0) {
    return scores.map(() => (reverse ? MAX_NODE_SCORE : 0));
  }
  return scores.map((s) => {
    const n = Math.floor((s * MAX_NODE_SCORE) / max);
    return reverse ? MAX_NODE_SCORE - n : n;
  });
}

/** TaintToleration.Score: untolerated PreferNoSchedule taints (only PreferNoSchedule/empty-effect tolerations count). */
export function countIntolerablePreferNoSchedule(pod: Pod, ni: NodeInfo): number {
  const tols = (pod.spec.tolerations ?? []).filter((t) => !t.effect || t.effect === 'PreferNoSchedule');
  return ni.taints.filter((taint) => taint.effect === 'PreferNoSchedule' && !tols.some((t) => toleratesTaint(t, taint)))
    .length;
}

/** NodeAffinity.Score: the summed weights of preferred terms the node matches. */
export function preferredAffinityWeight(pod: Pod, ni: NodeInfo): number {
  let sum = 0;
  for (const t of pod.spec.affinity?.nodeAffinity?.preferredDuringSchedulingIgnoredDuringExecution ?? []) {
    if (t.weight !== 0 && matchesNodeSelectorTerm(t.preference, ni.node)) {
      sum += t.weight;
    }
  }
  return sum;
}

/**
 * BalancedAllocation (balanced_allocation.go): 100 × (1 − std) of the cpu and memory
 * fractions after placing the pod; with two resources std = |cpu − mem| / 2.
 */
export function scoreBalancedAllocation(ni: NodeInfo, podNonZeroRequest: Resource): number {
  const frac = (req: number, alloc: number): number => (alloc > 0 ? Math.min(1, req / alloc) : 1);
  const cpu = frac(ni.nonZeroRequested.milliCPU + podNonZeroRequest.milliCPU, ni.allocatable.milliCPU);
  const mem = frac(ni.nonZeroRequested.memory + podNonZeroRequest.memory, ni.allocatable.memory);
  const std = Math.abs(cpu - mem) / 2;
  return Math.floor((1 - std) * MAX_NODE_SCORE);
}

/** Total weighted score per feasible node, in the order given. */
export function scoreNodes(pod: Pod, feasible: readonly NodeInfo[], podNonZeroRequest: Resource): number[] {
  const taint = normalizeScores(
    feasible.map((ni) => countIntolerablePreferNoSchedule(pod, ni)),
    true,
  );
  const affinity = normalizeScores(
    feasible.map((ni) => preferredAffinityWeight(pod, ni)),
    false,
  );
  return feasible.map(
    (ni, i) =>
      WEIGHT_TAINT_TOLERATION * taint[i]! +
      WEIGHT_NODE_AFFINITY * affinity[i]! +
      WEIGHT_LEAST_ALLOCATED * scoreLeastAllocated(ni, podNonZeroRequest) +
      WEIGHT_BALANCED_ALLOCATION * scoreBalancedAllocation(ni, podNonZeroRequest),
  );
}
