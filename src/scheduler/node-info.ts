// Per-node aggregate the filters and scores read (pkg/scheduler/framework/types.go NodeInfo):
// the node, the pods bound to it, what they request and which host ports they hold.
import type { Node, Pod, Taint } from '../api/types/index.js';
import { computePodRequests } from './pod-requests.js';
import { addResource, emptyResource, resourceFromList } from './resource.js';
import type { Resource } from './resource.js';

/** Per host IP ('0.0.0.0' for all addresses): `<protocol>/<port>` → how many pods hold it. */
export type UsedPorts = Map<string, Map<string, number>>;

export interface NodeInfo {
  node: Node;
  pods: Pod[];
  requested: Resource;
  nonZeroRequested: Resource;
  allocatable: Resource;
  usedPorts: UsedPorts;
  /** spec.taints plus the condition taints the node lifecycle controller would add (see effectiveTaints). */
  taints: Taint[];
}

export const TAINT_NOT_READY = 'node.kubernetes.io/not-ready';
export const TAINT_UNREACHABLE = 'node.kubernetes.io/unreachable';
export const TAINT_UNSCHEDULABLE = 'node.kubernetes.io/unschedulable';

/**
 * spec.taints, plus `not-ready:NoSchedule` / `unreachable:NoSchedule` when the node's
 * Ready condition is False or missing / Unknown and the taint is not there yet. Upstream
 * the scheduler only reads taints and the node lifecycle controller's TaintNodesByCondition
 * pass adds these; deriving them here keeps a node that is not Ready from getting pods in
 * the window before the controller has tainted it, with the same FailedScheduling text.
 */
export function effectiveTaints(node: Node): Taint[] {
  const taints = [...(node.spec?.taints ?? [])];
  const ready = node.status?.conditions?.find((c) => c.type === 'Ready');
  const key = ready?.status === 'Unknown' ? TAINT_UNREACHABLE : ready?.status !== 'True' ? TAINT_NOT_READY : undefined;
  if (key && !taints.some((t) => t.key === key && t.effect === 'NoSchedule')) {
    taints.push({ key, effect: 'NoSchedule' });
  }
  return taints;
}

/** Host ports a pod holds: regular containers only, as v1.32's NodeInfo.updateUsedPorts counts them. */
export function podHostPorts(pod: Pod): { ip: string; key: string }[] {
  const out: { ip: string; key: string }[] = [];
  for (const c of pod.spec.containers ?? []) {
    for (const p of c.ports ?? []) {
      if (p.hostPort && p.hostPort > 0) {
        out.push({ ip: p.hostIP || '0.0.0.0', key: `${p.protocol ?? 'TCP'}/${p.hostPort}` });
      }
    }
  }
  return out;
}

export function newNodeInfo(node: Node): NodeInfo {
  return {
    node,
    pods: [],
    requested: emptyResource(),
    nonZeroRequested: emptyResource(),
    allocatable: resourceFromList(node.status?.allocatable ?? node.status?.capacity),
    usedPorts: new Map(),
    taints: effectiveTaints(node),
  };
}

export function addPodToNodeInfo(ni: NodeInfo, pod: Pod): void {
  ni.pods.push(pod);
  updateNodeInfo(ni, pod, 1);
}

/** Removes the pod with pod's namespace/name (NodeInfo.RemovePod); false when it was not there. */
export function removePodFromNodeInfo(ni: NodeInfo, pod: Pod): boolean {
  const i = ni.pods.findIndex(
    (p) => p.metadata.name === pod.metadata.name && p.metadata.namespace === pod.metadata.namespace,
  );
  if (i < 0) {
    return false;
  }
  const [old] = ni.pods.splice(i, 1);
  updateNodeInfo(ni, old!, -1);
  return true;
}

function updateNodeInfo(ni: NodeInfo, pod: Pod, sign: 1 | -1): void {
  addResource(ni.requested, computePodRequests(pod), sign);
  addResource(ni.nonZeroRequested, computePodRequests(pod, { nonZero: true }), sign);
  for (const { ip, key } of podHostPorts(pod)) {
    let m = ni.usedPorts.get(ip);
    if (!m) {
      m = new Map();
      ni.usedPorts.set(ip, m);
    }
    const n = (m.get(key) ?? 0) + sign;
    if (n > 0) {
      m.set(key, n);
    } else {
      m.delete(key);
    }
  }
}

/** Replaces the node object, keeping the pods (NodeInfo.SetNode). */
export function setNodeOfNodeInfo(ni: NodeInfo, node: Node): void {
  ni.node = node;
  ni.allocatable = resourceFromList(node.status?.allocatable ?? node.status?.capacity);
  ni.taints = effectiveTaints(node);
}

/** True while a pod holds resources on its node: bound and not terminal (the scheduler cache's view). */
export function holdsNodeResources(pod: Pod): boolean {
  return !!pod.spec.nodeName && pod.status?.phase !== 'Succeeded' && pod.status?.phase !== 'Failed';
}

/** A snapshot: one NodeInfo per node, with the non-terminal pods bound to each. */
export function buildNodeInfos(nodes: Iterable<Node>, pods: Iterable<Pod>): Map<string, NodeInfo> {
  const out = new Map<string, NodeInfo>();
  for (const n of nodes) {
    if (n.metadata.name) {
      out.set(n.metadata.name, newNodeInfo(n));
    }
  }
  for (const p of pods) {
    if (holdsNodeResources(p)) {
      const ni = out.get(p.spec.nodeName!);
      if (ni) {
        addPodToNodeInfo(ni, p);
      }
    }
  }
  return out;
}
