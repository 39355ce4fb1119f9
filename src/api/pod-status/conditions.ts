// The kubelet-owned pod conditions (pod-semantics.md §3): the generators of
// k8s pkg/kubelet/status/generate.go, the order and copying rules of
// generateAPIPodStatus (pkg/kubelet/kubelet_pods.go), and lastTransitionTime as
// status_manager.go updateLastTransitionTime keeps it.
//
// On each sync the result is:
//   [conditions the kubelet does not own, copied from the API (readiness gates…),
//    DisruptionTarget from the previous status if it had one,
//    PodReadyToStartContainers, Initialized, Ready, ContainersReady, PodScheduled=True]
// A condition whose status did not change keeps its lastTransitionTime; a changed
// or new one gets `now`. lastProbeTime is always null.
import type { ContainerStatus, PodCondition, PodConditionType, PodPhase, PodSpec } from '../types/index.js';
import { hasAnyRegularContainerStarted } from './phase.js';

export const UNKNOWN_CONTAINER_STATUSES = 'UnknownContainerStatuses';
export const POD_COMPLETED = 'PodCompleted';
export const POD_FAILED = 'PodFailed';
export const CONTAINERS_NOT_READY = 'ContainersNotReady';
export const CONTAINERS_NOT_INITIALIZED = 'ContainersNotInitialized';
export const READINESS_GATES_NOT_READY = 'ReadinessGatesNotReady';

/** kubetypes.PodConditionByKubelet: the types the kubelet regenerates on every sync. */
const KUBELET_OWNED = new Set<string>([
  'PodScheduled',
  'Ready',
  'Initialized',
  'ContainersReady',
  'PodReadyToStartContainers',
  'PodResizePending',
  'PodResizeInProgress',
]);

export function isPodConditionOwnedByKubelet(type: PodConditionType): boolean {
  return KUBELET_OWNED.has(type);
}

/** Go's %s of a []string: `[a b]`. */
const goList = (names: string[]): string => `[${names.join(' ')}]`;

function statusFor(statuses: readonly ContainerStatus[], name: string): ContainerStatus | undefined {
  return statuses.find((s) => s.name === name);
}

function cond(type: PodConditionType, status: PodCondition['status'], reason?: string, message?: string): PodCondition {
  const c: PodCondition = { type, status };
  if (reason) {
    c.reason = reason;
  }
  if (message) {
    c.message = message;
  }
  return c;
}

/**
 * GeneratePodReadyToStartContainersCondition: True when the pod has a ready sandbox
 * with networking (no new sandbox is needed), else False. No reason.
 */
export function generatePodReadyToStartContainersCondition(sandboxReady: boolean): PodCondition {
  return cond('PodReadyToStartContainers', sandboxReady ? 'True' : 'False');
}

/**
 * GeneratePodInitializedCondition. `statuses` are the init and regular container
 * statuses together; `undefined` means none are known yet.
 */
export function generatePodInitializedCondition(
  spec: PodSpec,
  statuses: readonly ContainerStatus[] | undefined,
  phase: PodPhase,
): PodCondition {
  const inits = spec.initContainers ?? [];
  if (statuses === undefined && inits.length > 0) {
    return cond('Initialized', 'False', UNKNOWN_CONTAINER_STATUSES);
  }
  const all = statuses ?? [];
  const unknown: string[] = [];
  const incomplete: string[] = [];
  for (const c of inits) {
    const s = statusFor(all, c.name);
    if (!s) {
      unknown.push(c.name);
      continue;
    }
    // a sidecar is done once started, a regular init container once ready (exited 0)
    const done = c.restartPolicy === 'Always' ? s.started === true : s.ready;
    if (!done) {
      incomplete.push(c.name);
    }
  }
  if (phase === 'Succeeded' && unknown.length === 0) {
    return cond('Initialized', 'True', POD_COMPLETED);
  }
  // a regular container that started means the pod was initialized before (sidecars may be restarting)
  if (hasAnyRegularContainerStarted(spec, all)) {
    return cond('Initialized', 'True');
  }
  const msgs: string[] = [];
  if (unknown.length) {
    msgs.push(`containers with unknown status: ${goList(unknown)}`);
  }
  if (incomplete.length) {
    msgs.push(`containers with incomplete status: ${goList(incomplete)}`);
  }
  if (msgs.length) {
    return cond('Initialized', 'False', CONTAINERS_NOT_INITIALIZED, msgs.join(', '));
  }
  return cond('Initialized', 'True');
}

/** GenerateContainersReadyCondition: sidecars and regular containers must all be ready. */
export function generateContainersReadyCondition(
  spec: PodSpec,
  statuses: readonly ContainerStatus[] | undefined,
  phase: PodPhase,
): PodCondition {
  if (statuses === undefined) {
    return cond('ContainersReady', 'False', UNKNOWN_CONTAINER_STATUSES);
  }
  const unknown: string[] = [];
  const unready: string[] = [];
  const members = [
    ...(spec.initContainers ?? []).filter((c) => c.restartPolicy === 'Always'),
    ...(spec.containers ?? []),
  ];
  for (const c of members) {
    const s = statusFor(statuses, c.name);
    if (!s) {
      unknown.push(c.name);
    } else if (!s.ready) {
      unready.push(c.name);
    }
  }
  if (phase === 'Succeeded' && unknown.length === 0) {
    return cond('ContainersReady', 'False', POD_COMPLETED);
  }
  if (phase === 'Failed') {
    // the containers may still be terminating
    return cond('ContainersReady', 'False', POD_FAILED);
  }
  const msgs: string[] = [];
  if (unknown.length) {
    msgs.push(`containers with unknown status: ${goList(unknown)}`);
  }
  if (unready.length) {
    msgs.push(`containers with unready status: ${goList(unready)}`);
  }
  if (msgs.length) {
    return cond('ContainersReady', 'False', CONTAINERS_NOT_READY, msgs.join(', '));
  }
  return cond('ContainersReady', 'True');
}

/**
 * GeneratePodReadyCondition: ContainersReady's verdict, then every readiness gate's
 * condition (looked up in `conditions`) must be True.
 */
export function generatePodReadyCondition(
  spec: PodSpec,
  conditions: readonly PodCondition[],
  statuses: readonly ContainerStatus[] | undefined,
  phase: PodPhase,
): PodCondition {
  const containersReady = generateContainersReadyCondition(spec, statuses, phase);
  if (containersReady.status !== 'True') {
    return cond('Ready', containersReady.status, containersReady.reason, containersReady.message);
  }
  const msgs: string[] = [];
  for (const gate of spec.readinessGates ?? []) {
    const c = conditions.find((x) => x.type === gate.conditionType);
    if (!c) {
      msgs.push(`corresponding condition of pod readiness gate ${JSON.stringify(gate.conditionType)} does not exist.`);
    } else if (c.status !== 'True') {
      msgs.push(
        `the status of pod readiness gate ${JSON.stringify(gate.conditionType)} is not "True", but ${c.status}`,
      );
    }
  }
  if (msgs.length) {
    return cond('Ready', 'False', READINESS_GATES_NOT_READY, msgs.join(', '));
  }
  return cond('Ready', 'True');
}

/** metav1.Time as the API writes it: RFC3339 in UTC at second precision. */
export function rfc3339Seconds(ms: number): string {
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');
}

/**
 * updateLastTransitionTime for each condition: kept from `old` when the status is
 * unchanged, else `nowMs`. Returns new objects; lastProbeTime is set to null.
 */
export function withTransitionTimes(
  conditions: readonly PodCondition[],
  old: readonly PodCondition[] | undefined,
  nowMs: number,
): PodCondition[] {
  const now = rfc3339Seconds(nowMs);
  return conditions.map((c) => {
    const prev = (old ?? []).find((o) => o.type === c.type);
    const lastTransitionTime =
      prev && prev.status === c.status && prev.lastTransitionTime ? prev.lastTransitionTime : now;
    return { ...c, lastProbeTime: c.lastProbeTime ?? null, lastTransitionTime };
  });
}

export interface PodConditionsInput {
  spec: PodSpec;
  /** pod.status.conditions as the API has them (readiness gate conditions, DisruptionTarget…). */
  apiConditions?: readonly PodCondition[];
  /** The conditions the agent last generated (their transition times, DisruptionTarget); the API's when none. */
  previousConditions?: readonly PodCondition[];
  /** Init and regular container statuses as generated for this sync; undefined when none are known. */
  initStatuses?: readonly ContainerStatus[];
  statuses?: readonly ContainerStatus[];
  /** The reconciled phase of this sync. */
  phase: PodPhase;
  /** A ready sandbox with networking exists (PodReadyToStartContainers). */
  sandboxReady: boolean;
  nowMs: number;
}

/**
 * The full `status.conditions` the agent writes for a pod bound to it, in the
 * kubelet's order, with transition times carried over from previousConditions.
 */
export function computePodConditions(input: PodConditionsInput): PodCondition[] {
  const previous = input.previousConditions ?? input.apiConditions ?? [];
  const out: PodCondition[] = (input.apiConditions ?? []).filter((c) => !isPodConditionOwnedByKubelet(c.type));
  const disruption = previous.find((c) => c.type === 'DisruptionTarget');
  if (disruption) {
    const i = out.findIndex((c) => c.type === 'DisruptionTarget');
    if (i >= 0) {
      out[i] = disruption;
    } else {
      out.push(disruption);
    }
  }
  const all =
    input.initStatuses === undefined && input.statuses === undefined
      ? undefined
      : [...(input.initStatuses ?? []), ...(input.statuses ?? [])];
  out.push(generatePodReadyToStartContainersCondition(input.sandboxReady));
  out.push(generatePodInitializedCondition(input.spec, all, input.phase));
  out.push(generatePodReadyCondition(input.spec, out, all, input.phase));
  out.push(generateContainersReadyCondition(input.spec, all, input.phase));
  out.push(cond('PodScheduled', 'True'));
  return withTransitionTimes(out, previous, input.nowMs);
}
