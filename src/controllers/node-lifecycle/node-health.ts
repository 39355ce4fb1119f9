// Deciding a node is lost (pkg/controller/nodelifecycle/node_lifecycle_controller.go
// tryUpdateNodeHealth). The controller remembers, by its own clock, when it last saw the
// node's Lease renewed (or its Ready heartbeat move) — the "probe timestamp" — so clock
// skew between machines does not matter. When that is older than the grace period:
//
//   Ready, MemoryPressure, DiskPressure, PIDPressure → Unknown
//     reason NodeStatusUnknown,      message "Kubelet stopped posting node status."
//     (a condition the kubelet never posted: NodeStatusNeverUpdated,
//      "Kubelet never posted node status.")
//   lastHeartbeatTime is kept; lastTransitionTime moves to now.
import type { Node, NodeCondition } from '../../api/types/index.js';
import { rfc3339 } from '../../lib/clock.js';

/** --node-monitor-grace-period: 40 s in the controller's defaults (50 s in newest docs). */
export const DEFAULT_NODE_MONITOR_GRACE_MS = 40_000;
/** --node-startup-grace-period. */
export const DEFAULT_NODE_STARTUP_GRACE_MS = 60_000;
/** --node-monitor-period. */
export const DEFAULT_NODE_MONITOR_PERIOD_MS = 5_000;

export const NODE_STATUS_UNKNOWN = 'NodeStatusUnknown';
export const NODE_STATUS_NEVER_UPDATED = 'NodeStatusNeverUpdated';
export const MSG_STOPPED_POSTING = 'Kubelet stopped posting node status.';
export const MSG_NEVER_POSTED = 'Kubelet never posted node status.';

const WATCHED_CONDITIONS = ['Ready', 'MemoryPressure', 'DiskPressure', 'PIDPressure'] as const;

export function readyCondition(node: Node): NodeCondition | undefined {
  return node.status?.conditions?.find((c) => c.type === 'Ready');
}

/** True when the node has not been heard from within the grace period. */
export function isNodeLost(lastProbeMs: number, nowMs: number, gracePeriodMs: number): boolean {
  return nowMs > lastProbeMs + gracePeriodMs;
}

/**
 * The conditions to write for a lost node, or null when they already say Unknown.
 * Conditions the controller does not manage (NetworkUnavailable, custom ones) are kept.
 */
export function computeLostNodeConditions(node: Node, nowMs: number): NodeCondition[] | null {
  const now = rfc3339(nowMs);
  const old = node.status?.conditions ?? [];
  let changed = false;
  const out: NodeCondition[] = old.map((c) => ({ ...c }));
  for (const type of WATCHED_CONDITIONS) {
    const c = out.find((x) => x.type === type);
    if (!c) {
      changed = true;
      out.push({
        type,
        status: 'Unknown',
        reason: NODE_STATUS_NEVER_UPDATED,
        message: MSG_NEVER_POSTED,
        lastHeartbeatTime: now,
        lastTransitionTime: now,
      });
    } else if (c.status !== 'Unknown') {
      changed = true;
      c.status = 'Unknown';
      c.reason = NODE_STATUS_UNKNOWN;
      c.message = MSG_STOPPED_POSTING;
      c.lastTransitionTime = now;
    }
  }
  return changed ? out : null;
}
