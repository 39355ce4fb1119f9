// What pod GC removes on one pass (pkg/controller/podgc/gc_controller.go gc()), decided
// from plain values so it can be tested without an API:
//
//   gcTerminated              terminal pods above the threshold (default 12500), evicted
//                             ones first, then oldest first; deleted with grace 0
//   gcOrphaned                pods bound to a node that has been missing for the 40 s
//                             quarantine → Failed + DisruptionTarget DeletionByPodGC
//                             "PodGC: node no longer exists", then deleted with grace 0
//   gcUnscheduledTerminating  terminating pods never bound to a node → Failed, grace 0
//   gcTerminating             terminating pods on a node that is out of service — upstream:
//                             the node.kubernetes.io/out-of-service taint; podbay also counts
//                             an unreachable node (Ready=Unknown) once the pod's grace period
//                             has run out, since no agent will ever confirm the deletion
import type { Node, Pod, PodCondition } from '../../api/types/index.js';
import { rfc3339 } from '../../lib/clock.js';

/** --terminated-pod-gc-threshold. */
export const DEFAULT_TERMINATED_POD_GC_THRESHOLD = 12_500;
/** quarantineTime: a node missing from the informer is re-checked after this long. */
export const ORPHAN_QUARANTINE_MS = 40_000;
/** gcCheckPeriod. */
export const DEFAULT_GC_PERIOD_MS = 20_000;

export const TAINT_OUT_OF_SERVICE = 'node.kubernetes.io/out-of-service';

export type GcReason = 'terminated' | 'orphaned' | 'unscheduled-terminating' | 'terminating-on-lost-node';

export interface GcAction {
  pod: Pod;
  reason: GcReason;
  /** Set phase Failed first (the pod is not terminal yet). */
  markFailed: boolean;
  /** The DisruptionTarget condition to add with it, if any. */
  condition?: PodCondition;
}

export interface PodGcInput {
  pods: readonly Pod[];
  nodes: ReadonlyMap<string, Node>;
  /** Node names confirmed gone after the quarantine (the executor checks with a GET). */
  deletedNodes: ReadonlySet<string>;
  nowMs: number;
  /** ≤ 0 disables gcTerminated. */
  terminatedThreshold: number;
}

export function isTerminal(p: Pod): boolean {
  return p.status?.phase === 'Succeeded' || p.status?.phase === 'Failed';
}

function creationMs(p: Pod): number {
  const t = p.metadata.creationTimestamp;
  return t ? Date.parse(t) : 0;
}

// byEvictionAndCreationTimestamp: evicted pods go first, then the oldest.
function gcOrder(a: Pod, b: Pod): number {
  const ea = a.status?.reason === 'Evicted' ? 0 : 1;
  const eb = b.status?.reason === 'Evicted' ? 0 : 1;
  if (ea !== eb) {
    return ea - eb;
  }
  const d = creationMs(a) - creationMs(b);
  if (d !== 0) {
    return d;
  }
  const ka = `${a.metadata.namespace}/${a.metadata.name}`;
  const kb = `${b.metadata.namespace}/${b.metadata.name}`;
  return ka < kb ? -1 : ka > kb ? 1 : 0;
}

/** Names of nodes pods are bound to that the informer does not have (quarantine candidates). */
export function missingNodes(pods: readonly Pod[], nodes: ReadonlyMap<string, Node>): Set<string> {
  const out = new Set<string>();
  for (const p of pods) {
    const n = p.spec.nodeName;
    if (n && !nodes.has(n)) {
      out.add(n);
    }
  }
  return out;
}

function isNodeOutOfService(node: Node): boolean {
  const ready = node.status?.conditions?.find((c) => c.type === 'Ready');
  const notReady = ready?.status !== 'True';
  const outOfService = (node.spec?.taints ?? []).some(
    (t) => t.key === TAINT_OUT_OF_SERVICE && t.effect === 'NoExecute',
  );
  return notReady && (outOfService || ready?.status === 'Unknown');
}

export function planPodGc(input: PodGcInput): GcAction[] {
  const actions: GcAction[] = [];
  const taken = new Set<Pod>();
  const add = (a: GcAction): void => {
    if (!taken.has(a.pod)) {
      taken.add(a.pod);
      actions.push(a);
    }
  };

  // gcTerminating: out-of-service (or unreachable) nodes, grace run out.
  for (const p of input.pods) {
    const n = p.spec.nodeName ? input.nodes.get(p.spec.nodeName) : undefined;
    const del = p.metadata.deletionTimestamp;
    if (n && del && isNodeOutOfService(n)) {
      const hasOos = (n.spec?.taints ?? []).some((t) => t.key === TAINT_OUT_OF_SERVICE);
      if (hasOos || Date.parse(del) <= input.nowMs) {
        add({ pod: p, reason: 'terminating-on-lost-node', markFailed: !isTerminal(p) });
      }
    }
  }

  // gcOrphaned.
  for (const p of input.pods) {
    const n = p.spec.nodeName;
    if (n && input.deletedNodes.has(n) && !input.nodes.has(n)) {
      add({
        pod: p,
        reason: 'orphaned',
        markFailed: !isTerminal(p),
        condition: {
          type: 'DisruptionTarget',
          status: 'True',
          reason: 'DeletionByPodGC',
          message: 'PodGC: node no longer exists',
          lastTransitionTime: rfc3339(input.nowMs),
        },
      });
    }
  }

  // gcUnscheduledTerminating.
  for (const p of input.pods) {
    if (!p.spec.nodeName && p.metadata.deletionTimestamp) {
      add({ pod: p, reason: 'unscheduled-terminating', markFailed: !isTerminal(p) });
    }
  }

  // gcTerminated: over the threshold, evicted then oldest first.
  if (input.terminatedThreshold > 0) {
    const terminated = input.pods.filter((p) => isTerminal(p) && !taken.has(p));
    const excess = terminated.length - input.terminatedThreshold;
    if (excess > 0) {
      for (const p of [...terminated].sort(gcOrder).slice(0, excess)) {
        add({ pod: p, reason: 'terminated', markFailed: false });
      }
    }
  }
  return actions;
}
