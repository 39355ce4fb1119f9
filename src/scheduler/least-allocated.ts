// pkg/scheduler/framework/plugins/noderesources/least_allocated.go with the default
// resources cpu and memory, weight 1 each: score = Σ w·(alloc − req)·100/alloc / Σ w,
// where req includes the incoming pod with the non-zero defaults (100m, 200Mi).
import type { NodeInfo } from './node-info.js';
import type { Resource } from './resource.js';

export const MAX_NODE_SCORE = 100;

function leastRequestedScore(requested: number, capacity: number): number {
  if (capacity === 0 || requested > capacity) {
    return 0;
  }
  return Math.floor(((capacity - requested) * MAX_NODE_SCORE) / capacity);
}

export function scoreLeastAllocated(ni: NodeInfo, podNonZeroRequest: Resource): number {
  const cpu = leastRequestedScore(ni.nonZeroRequested.milliCPU + podNonZeroRequest.milliCPU, ni.allocatable.milliCPU);
  const mem = leastRequestedScore(ni.nonZeroRequested.memory + podNonZeroRequest.memory, ni.allocatable.memory);
  return Math.floor((cpu + mem) / 2);
}
