// oom_score_adj per container: k8s pkg/kubelet/qos/policy.go
// (GetContainerOOMScoreAdjust, v1.32+: sidecars and pod-level resources) and pkg/kubelet/types/
// pod_update.go (IsNodeCriticalPod). pod-semantics.md §8.2.
import { Quantity } from '../../api/quantity.js';
import { getPodQOS } from '../../api/qos.js';
import type { Container, Pod } from '../../api/types/index.js';
import { computePodResourceTotals } from './pod-resource-totals.js';

/** guaranteedOOMScoreAdj (−998 before v1.22, −997 since). */
export const GUARANTEED_OOM_SCORE_ADJ = -997;
/** besteffortOOMScoreAdj. */
export const BESTEFFORT_OOM_SCORE_ADJ = 1000;
/** KubeletOOMScoreAdj: what the agent itself would run at. */
export const KUBELET_OOM_SCORE_ADJ = -999;

/** scheduling.SystemNodeCritical and SystemCriticalPriority (pkg/apis/scheduling/types.go). */
const SYSTEM_NODE_CRITICAL = 'system-node-critical';
const SYSTEM_CRITICAL_PRIORITY = 2_000_000_000;

function memoryBytes(v: string | number | undefined): number {
  if (v === undefined) {
    return 0;
  }
  try {
    return Quantity.parse(v).value();
  } catch {
    return 0;
  }
}

function memoryRequestBytes(c: Container): number {
  return memoryBytes(c.resources?.requests?.memory);
}

/** IsPodLevelRequestsSet: spec.resources.requests names a resource pod-level resources support. */
function isPodLevelRequestsSet(pod: Pod): boolean {
  return Object.keys(pod.spec.resources?.requests ?? {}).some(
    (name) => name === 'cpu' || name === 'memory' || name.startsWith('hugepages-'),
  );
}

/**
 * remainingPodMemReqPerContainer (KEP-2837 "OOM score adjustment"): the part
 * of the pod-level memory request no container claims, shared equally by
 * every regular and init container.
 */
function remainingPodMemReqPerContainer(pod: Pod): number {
  const podRequest = memoryBytes(pod.spec.resources?.requests?.memory);
  if (podRequest === 0) {
    return 0;
  }
  const count = pod.spec.containers.length + (pod.spec.initContainers?.length ?? 0);
  const remaining = BigInt(podRequest - computePodResourceTotals(pod).containerMemoryRequestBytes);
  return Number(remaining / BigInt(count));
}

/**
 * IsNodeCriticalPod: priority class system-node-critical with a critical
 * priority. podbay has no Priority admission to resolve the class into
 * spec.priority, so an unset priority counts as the built-in class's value.
 */
function isNodeCriticalPod(pod: Pod): boolean {
  if (pod.spec.priorityClassName !== SYSTEM_NODE_CRITICAL) {
    return false;
  }
  const priority = pod.spec.priority;
  return priority === undefined || priority >= SYSTEM_CRITICAL_PRIORITY;
}

function isSidecar(pod: Pod, container: Container): boolean {
  return container.restartPolicy === 'Always' && (pod.spec.initContainers ?? []).some((c) => c.name === container.name);
}

/** minRegularContainerMemory: the smallest memory request among the regular containers. */
function minRegularContainerMemory(pod: Pod): number {
  const values = (pod.spec.containers ?? []).map(memoryRequestBytes);
  return values.length === 0 ? 0 : Math.min(...values);
}

/** 1000 − 1000×request/capacity in int64 arithmetic (Go's division truncates toward zero). */
function burstableScore(requestBytes: number, memoryCapacityBytes: number): number {
  return Number(1000n - (1000n * BigInt(requestBytes)) / BigInt(memoryCapacityBytes));
}

/**
 * The oom_score_adj for `container` of `pod` on a node with
 * `memoryCapacityBytes` of memory (the machine's, as cAdvisor reports it):
 * node-critical and Guaranteed −997, BestEffort 1000, Burstable
 * 1000 − 1000×request/capacity (the request plus an equal share of any
 * pod-level request the containers leave unclaimed; a sidecar capped at its
 * smallest regular neighbour's score), clamped to [3, 999] so a Burstable container always
 * ranks between the other two classes.
 */
export function containerOomScoreAdj(pod: Pod, container: Container, memoryCapacityBytes: number): number {
  if (isNodeCriticalPod(pod)) {
    return GUARANTEED_OOM_SCORE_ADJ;
  }
  switch (getPodQOS(pod)) {
    case 'Guaranteed':
      return GUARANTEED_OOM_SCORE_ADJ;
    case 'BestEffort':
      return BESTEFFORT_OOM_SCORE_ADJ;
    case 'Burstable':
      break;
  }
  if (!(memoryCapacityBytes > 0)) {
    throw new Error(`memory capacity must be positive, got ${memoryCapacityBytes}`);
  }
  // With pod-level requests, each container also carries its share of what the
  // pod requests beyond its containers.
  const share = isPodLevelRequestsSet(pod) ? remainingPodMemReqPerContainer(pod) : 0;
  let score = burstableScore(memoryRequestBytes(container) + share, memoryCapacityBytes);
  // A sidecar must not outlive the regular containers it serves: its score is at
  // most that of the regular container with the smallest memory request.
  if (isSidecar(pod, container)) {
    score = Math.min(score, burstableScore(minRegularContainerMemory(pod) + share, memoryCapacityBytes));
  }
  // "A guaranteed pod using 100% of memory can have an OOM score of 10. Ensure
  // that burstable pods have a higher OOM score adjustment."
  if (score < 1000 + GUARANTEED_OOM_SCORE_ADJ) {
    return 1000 + GUARANTEED_OOM_SCORE_ADJ;
  }
  // "Give burstable pods a higher chance of survival over besteffort pods."
  if (score === BESTEFFORT_OOM_SCORE_ADJ) {
    return score - 1;
  }
  return score;
}
