// activeDeadlineSeconds: k8s pkg/kubelet/active_deadline.go
// (activeDeadlineHandler.ShouldSync / ShouldEvict / pastActiveDeadline).
// A pod with spec.activeDeadlineSeconds whose status.startTime is at least
// that long ago is killed and marked Failed with reason DeadlineExceeded.
// The clock starts at status.startTime (set by the kubelet when it first
// syncs the pod), not at creation; a pod without startTime is never past it.
import type { Pod } from '../api/types/index.js';

export const REASON_DEADLINE_EXCEEDED = 'DeadlineExceeded';
export const MESSAGE_DEADLINE_EXCEEDED = 'Pod was active on the node longer than the specified deadline';

export interface DeadlineExceeded {
  reason: typeof REASON_DEADLINE_EXCEEDED;
  message: typeof MESSAGE_DEADLINE_EXCEEDED;
}

/** The eviction verdict at `nowMs`, or undefined while the pod is within its deadline. */
export function pastActiveDeadline(pod: Pod, nowMs: number): DeadlineExceeded | undefined {
  const left = activeDeadlineRemainingMs(pod, nowMs);
  if (left === undefined || left > 0) {
    return undefined;
  }
  return { reason: REASON_DEADLINE_EXCEEDED, message: MESSAGE_DEADLINE_EXCEEDED };
}

/**
 * Milliseconds until the deadline (≤ 0 once past), or undefined when the pod
 * has no deadline or no startTime. The pod worker uses it to schedule the
 * re-sync that notices the deadline (upstream re-syncs pods for which
 * ShouldSync is true on every housekeeping pass).
 */
export function activeDeadlineRemainingMs(pod: Pod, nowMs: number): number | undefined {
  const seconds = pod.spec.activeDeadlineSeconds;
  const start = pod.status?.startTime;
  if (seconds === undefined || seconds === null || !start) {
    return undefined;
  }
  const startMs = Date.parse(start);
  if (Number.isNaN(startMs)) {
    return undefined;
  }
  return startMs + seconds * 1000 - nowMs;
}
