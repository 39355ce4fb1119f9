// Taints that follow the Ready condition (node_lifecycle_controller.go
// doNoExecuteTaintingPass and doNoScheduleTaintingPass / TaintNodesByCondition):
//   Ready=Unknown → node.kubernetes.io/unreachable:NoExecute + :NoSchedule
//   Ready=False   → node.kubernetes.io/not-ready:NoExecute   + :NoSchedule
//   Ready=True    → none of the four
import type { Node, Taint } from '../../api/types/index.js';
import { rfc3339 } from '../../lib/clock.js';
import { readyCondition } from './node-health.js';

export const TAINT_UNREACHABLE = 'node.kubernetes.io/unreachable';
export const TAINT_NOT_READY = 'node.kubernetes.io/not-ready';

const MANAGED = new Set([TAINT_UNREACHABLE, TAINT_NOT_READY]);

function wanted(node: Node): string | undefined {
  const ready = readyCondition(node);
  if (!ready) {
    return undefined;
  }
  if (ready.status === 'Unknown') {
    return TAINT_UNREACHABLE;
  }
  if (ready.status === 'False') {
    return TAINT_NOT_READY;
  }
  return undefined;
}

/** The node's new taint list, or null when it is already right. Other taints are kept in place. */
export function computeConditionTaints(node: Node, nowMs: number): Taint[] | null {
  const key = wanted(node);
  const current = node.spec?.taints ?? [];
  const kept = current.filter(
    (t) => !MANAGED.has(t.key) || (t.key === key && (t.effect === 'NoExecute' || t.effect === 'NoSchedule')),
  );
  const out = [...kept];
  if (key) {
    for (const effect of ['NoExecute', 'NoSchedule'] as const) {
      if (!out.some((t) => t.key === key && t.effect === effect)) {
        // timeAdded is set for NoExecute taints (the eviction clock reads it).
        out.push(effect === 'NoExecute' ? { key, effect, timeAdded: rfc3339(nowMs) } : { key, effect });
      }
    }
  }
  const same = out.length === current.length && out.every((t, i) => t === current[i]);
  return same ? null : out;
}
