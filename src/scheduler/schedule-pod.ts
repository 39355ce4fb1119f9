// One scheduling decision, pure (pkg/scheduler/schedule_one.go schedulePod →
// findNodesThatFitPod → prioritizeNodes (node-scores.ts) → selectHost, plus the DefaultPreemption
// PostFilter's message). podbay never preempts: with no victims to evict it reports what
// upstream reports when preemption finds none.
import type { Pod } from '../api/types/index.js';
import { filterNodeAffinity, nodeAffinityPreFilterNames } from './filters/node-affinity.js';
import { filterNodeName } from './filters/node-name.js';
import { filterNodePorts } from './filters/node-ports.js';
import { filterNodeResourcesFit } from './filters/node-resources-fit.js';
import { filterNodeUnschedulable } from './filters/node-unschedulable.js';
import { filterTaintToleration } from './filters/taint-toleration.js';
import type { FilterStatus } from './filters/filter-status.js';
import {
  ERR_NO_NODES_AVAILABLE,
  NO_PREEMPTION_VICTIMS,
  NOT_ELIGIBLE_PREEMPTION_POLICY_NEVER,
  PREEMPTION_NOT_HELPFUL,
  formatFitError,
  formatSchedulingFailure,
} from './fit-error.js';
import { scoreNodes } from './node-scores.js';
import type { NodeInfo } from './node-info.js';
import { computePodRequests } from './pod-requests.js';
import type { Resource } from './resource.js';

export type ScheduleResult =
  | { ok: true; nodeName: string; feasibleNodes: number }
  | {
      ok: false;
      /** The PodScheduled=False message and the FailedScheduling event text. */
      message: string;
      /** Why each rejected node was rejected. */
      statuses: Map<string, FilterStatus>;
    };

/** The default profile's filters in their plugin order; the first that rejects a node wins. */
export function runFilters(
  pod: Pod,
  ni: NodeInfo,
  podRequest: Resource = computePodRequests(pod),
): FilterStatus | null {
  return (
    filterNodeUnschedulable(pod, ni) ??
    filterNodeName(pod, ni) ??
    filterTaintToleration(pod, ni) ??
    filterNodeAffinity(pod, ni) ??
    filterNodePorts(pod, ni) ??
    filterNodeResourcesFit(pod, ni, podRequest)
  );
}

/** The DefaultPreemption PostFilter's message for a pod no node fits. */
export function preemptionMessage(pod: Pod, numAllNodes: number, statuses: Map<string, FilterStatus>): string {
  if (pod.spec.preemptionPolicy === 'Never') {
    return NOT_ELIGIBLE_PREEMPTION_POLICY_NEVER;
  }
  // Nodes rejected as UnschedulableAndUnresolvable (and nodes never evaluated) are not
  // candidates: "Preemption is not helpful". The others would be searched for victims —
  // lower-priority pods — and podbay evicts none, so none are found.
  const perNode: string[][] = [];
  let notHelpful = numAllNodes;
  for (const s of statuses.values()) {
    if (s.code === 'Unschedulable') {
      perNode.push([NO_PREEMPTION_VICTIMS]);
      notHelpful--;
    }
  }
  for (let i = 0; i < notHelpful; i++) {
    perNode.push([PREEMPTION_NOT_HELPFUL]);
  }
  return `preemption: ${formatFitError(numAllNodes, perNode)}`;
}

/**
 * Picks a node for pod among nodeInfos (iteration order is the tie-break: the first node
 * with the best score wins, where upstream picks one of the best at random).
 */
export function schedulePod(pod: Pod, nodeInfos: Map<string, NodeInfo>): ScheduleResult {
  const statuses = new Map<string, FilterStatus>();
  if (nodeInfos.size === 0) {
    return { ok: false, message: ERR_NO_NODES_AVAILABLE, statuses };
  }
  const allowed = nodeAffinityPreFilterNames(pod);
  const podRequest = computePodRequests(pod);
  const feasible: NodeInfo[] = [];
  for (const [name, ni] of nodeInfos) {
    if (allowed && !allowed.has(name)) {
      statuses.set(name, {
        code: 'UnschedulableAndUnresolvable',
        reasons: ["node(s) didn't satisfy plugin(s) [NodeAffinity]"],
        plugin: 'NodeAffinity',
      });
      continue;
    }
    const s = runFilters(pod, ni, podRequest);
    if (s) {
      statuses.set(name, s);
    } else {
      feasible.push(ni);
    }
  }
  if (feasible.length === 0) {
    const fit = formatFitError(
      nodeInfos.size,
      [...statuses.values()].map((s) => s.reasons),
    );
    return {
      ok: false,
      message: formatSchedulingFailure(fit, preemptionMessage(pod, nodeInfos.size, statuses)),
      statuses,
    };
  }
  const nonZero = computePodRequests(pod, { nonZero: true });
  const scores = scoreNodes(pod, feasible, nonZero);
  let best = feasible[0]!;
  let bestScore = -1;
  feasible.forEach((ni, i) => {
    if (scores[i]! > bestScore) {
      best = ni;
      bestScore = scores[i]!;
    }
  });
  return { ok: true, nodeName: best.node.metadata.name!, feasibleNodes: feasible.length };
}
