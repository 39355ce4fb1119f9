// pkg/scheduler/framework/plugins/noderesources/fit.go fitsRequest: pod count first, then
// every requested resource against allocatable minus what bound pods request. Each
// shortfall is its own reason, so one node can count as "Insufficient cpu" and
// "Insufficient memory" at once.
import type { Pod } from '../../api/types/index.js';
import type { NodeInfo } from '../node-info.js';
import type { Resource } from '../resource.js';
import { computePodRequests } from '../pod-requests.js';
import type { FilterStatus } from './filter-status.js';

export const ERR_REASON_TOO_MANY_PODS = 'Too many pods';

export function insufficientReasons(podRequest: Resource, ni: NodeInfo): string[] {
  const reasons: string[] = [];
  if (ni.pods.length + 1 > ni.allocatable.allowedPodNumber) {
    reasons.push(ERR_REASON_TOO_MANY_PODS);
  }
  const scalarAsked = Object.values(podRequest.scalar).some((v) => v > 0);
  if (podRequest.milliCPU === 0 && podRequest.memory === 0 && podRequest.ephemeralStorage === 0 && !scalarAsked) {
    return reasons;
  }
  if (podRequest.milliCPU > 0 && podRequest.milliCPU > ni.allocatable.milliCPU - ni.requested.milliCPU) {
    reasons.push('Insufficient cpu');
  }
  if (podRequest.memory > 0 && podRequest.memory > ni.allocatable.memory - ni.requested.memory) {
    reasons.push('Insufficient memory');
  }
  if (
    podRequest.ephemeralStorage > 0 &&
    podRequest.ephemeralStorage > ni.allocatable.ephemeralStorage - ni.requested.ephemeralStorage
  ) {
    reasons.push('Insufficient ephemeral-storage');
  }
  for (const name of Object.keys(podRequest.scalar).sort()) {
    const want = podRequest.scalar[name] ?? 0;
    if (want > 0 && want > (ni.allocatable.scalar[name] ?? 0) - (ni.requested.scalar[name] ?? 0)) {
      reasons.push(`Insufficient ${name}`);
    }
  }
  return reasons;
}

export function filterNodeResourcesFit(
  pod: Pod,
  ni: NodeInfo,
  podRequest = computePodRequests(pod),
): FilterStatus | null {
  const reasons = insufficientReasons(podRequest, ni);
  return reasons.length ? { code: 'Unschedulable', reasons, plugin: 'NodeResourcesFit' } : null;
}
