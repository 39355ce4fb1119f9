// What a pod on a lost node shows. Upstream (pkg/controller/util/node/controller_utils.go
// MarkPodsNotReady) only flips its Ready condition to False. podbay also sets phase
// Unknown — its deliberate choice, see the note at the top of pod-semantics.md — and puts
// the reason of upstream's SetPodTerminationReason (NodeUnreachablePodReason, "NodeLost")
// on the Ready condition, with NodeUnreachablePodMessage as the pod's message. Not as
// status.reason: kubectl prints a pod's reason instead of its phase, and the course's
// lifecycle shows the phase, Unknown. The agent's status manager writes the real phase
// again once the node is back.
import type { Pod, PodCondition, PodStatus } from '../../api/types/index.js';
import { rfc3339 } from '../../lib/clock.js';

export const NODE_LOST_REASON = 'NodeLost';

export function nodeLostMessage(nodeName: string, podName: string): string {
  return `Node ${nodeName} which was running pod ${podName} is unresponsive`;
}

function isTerminal(pod: Pod): boolean {
  return pod.status?.phase === 'Succeeded' || pod.status?.phase === 'Failed';
}

/**
 * The status to write for a pod on a lost node, or null when it already shows it (or is
 * finished, which a lost node cannot change).
 */
export function computeNodeLostPodStatus(pod: Pod, nowMs: number): PodStatus | null {
  if (isTerminal(pod)) {
    return null;
  }
  const nodeName = pod.spec.nodeName ?? '';
  const message = nodeLostMessage(nodeName, pod.metadata.name ?? '');
  const status = pod.status ?? {};
  const conditions: PodCondition[] = (status.conditions ?? []).map((c) => ({ ...c }));
  let changed = status.phase !== 'Unknown' || status.reason !== undefined || status.message !== message;
  const ready = conditions.find((c) => c.type === 'Ready');
  if (ready) {
    if (ready.status !== 'False') {
      ready.status = 'False';
      ready.lastTransitionTime = rfc3339(nowMs);
      changed = true;
    }
    if (ready.reason !== NODE_LOST_REASON || ready.message !== message) {
      ready.reason = NODE_LOST_REASON;
      ready.message = message;
      changed = true;
    }
  } else {
    conditions.push({
      type: 'Ready',
      status: 'False',
      lastProbeTime: null,
      lastTransitionTime: rfc3339(nowMs),
      reason: NODE_LOST_REASON,
      message,
    });
    changed = true;
  }
  if (!changed) {
    return null;
  }
  const { reason: _reason, ...rest } = status;
  return { ...rest, phase: 'Unknown', message, conditions };
}
