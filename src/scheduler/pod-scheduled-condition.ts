// PodScheduled=False for a pod no node fits (pkg/scheduler/schedule_one.go
// handleSchedulingFailure → updatePod; pkg/api/v1/pod/util.go UpdatePodCondition):
// written only when status, reason or message change; lastTransitionTime moves only
// when the status does; lastProbeTime stays null.
import type { Pod, PodCondition } from '../api/types/index.js';
import { rfc3339 } from '../lib/clock.js';

/** v1.PodReasonUnschedulable / PodReasonSchedulerError. */
export const REASON_UNSCHEDULABLE = 'Unschedulable';
export const REASON_SCHEDULER_ERROR = 'SchedulerError';

/** The condition to write, or null when the pod already carries it. */
export function computePodScheduledFalse(
  pod: Pod,
  reason: string,
  message: string,
  nowMs: number,
): PodCondition | null {
  const old = pod.status?.conditions?.find((c) => c.type === 'PodScheduled');
  if (old && old.status === 'False' && old.reason === reason && old.message === message) {
    return null;
  }
  return {
    type: 'PodScheduled',
    status: 'False',
    lastProbeTime: null,
    lastTransitionTime:
      old && old.status === 'False' && old.lastTransitionTime ? old.lastTransitionTime : rfc3339(nowMs),
    reason,
    message,
  };
}
