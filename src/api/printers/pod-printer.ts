// The pod row of `kubectl get pods`: k8s pkg/printers/internalversion/printers.go
// printPod (v1.29+, with native sidecars). STATUS is not the phase (pod-semantics.md §15):
//
//  1. start from status.reason, else status.phase; a PodScheduled condition with
//     reason SchedulingGated wins;
//  2. init containers in order: exited 0 and started sidecars are skipped; the first
//     other one gives Init:<reason>, Init:Signal:N, Init:ExitCode:N, Init:<waiting
//     reason> (not PodInitializing), or Init:<i>/<n>;
//  3. when initialization is over (or Initialized=True), regular containers from last
//     to first: a waiting reason, terminated reason or Signal:N/ExitCode:N overrides,
//     so the first container's state is what is left; `Completed` with a container
//     still ready and running becomes Running (pod Ready) or NotReady;
//  4. a deletionTimestamp shows Unknown when status.reason is NodeLost, else
//     Terminating unless the phase is already terminal.
import type { Container, ContainerStatus, Pod, TableColumnDefinition } from '../types/index.js';
import { humanDuration, translateTimestampSince } from '../duration.js';
import { AGE_COLUMN, NAME_COLUMN, column } from './column-docs.js';

/** node.NodeUnreachablePodReason */
export const NODE_UNREACHABLE_POD_REASON = 'NodeLost';

export const POD_COLUMNS: TableColumnDefinition[] = [
  NAME_COLUMN,
  column('Ready', 'string', 'The aggregate readiness state of this pod for accepting traffic.'),
  column('Status', 'string', 'The aggregate status of the containers in this pod.'),
  column(
    'Restarts',
    'string',
    'The number of times the containers in this pod have been restarted and when the last container in this pod has restarted.',
  ),
  AGE_COLUMN,
  column(
    'IP',
    'string',
    'podIP address allocated to the pod. Routable at least within the cluster. Empty if not yet allocated.',
    { priority: 1 },
  ),
  column(
    'Node',
    'string',
    'NodeName is a request to schedule this pod onto a specific node. If it is non-empty, the scheduler simply schedules this pod onto that node, assuming that it fits resource requirements.',
    { priority: 1 },
  ),
  column(
    'Nominated Node',
    'string',
    'nominatedNodeName is set only when this pod preempts other pods on the node, but it cannot be scheduled right away as preemption victims receive their graceful termination periods. This field does not guarantee that the pod will be scheduled on this node. Scheduler may decide to place the pod elsewhere if other nodes become available sooner. Scheduler may also decide to give the resources on this node to a higher priority pod that is created after preemption. As a result, this field may be different than PodSpec.nodeName when the pod is scheduled.',
    { priority: 1 },
  ),
  column(
    'Readiness Gates',
    'string',
    'If specified, all readiness gates will be evaluated for pod readiness. A pod is ready when all its containers are ready AND all conditions specified in the readiness gates have status equal to "True" More info: https://git.k8s.io/enhancements/keps/sig-network/580-pod-readiness-gates',
    { priority: 1 },
  ),
];

/** metav1.TableRowCondition of finished pods (printers.go podSuccessConditions/podFailedConditions). */
export interface TableRowCondition {
  type: string;
  status: string;
  reason?: string;
  message?: string;
}

function isRestartableInitContainer(c: Container | undefined): boolean {
  return c?.restartPolicy === 'Always';
}

function timeMs(t: string | null | undefined): number | undefined {
  if (!t) {
    return undefined;
  }
  const ms = Date.parse(t);
  return Number.isNaN(ms) ? undefined : ms;
}

interface PodSummary {
  ready: number;
  total: number;
  reason: string;
  restarts: number;
  /** finishedAt (ms) of the newest lastState.terminated counted in `restarts`, if any. */
  lastRestartMs: number | undefined;
}

function later(a: number | undefined, s: ContainerStatus): number | undefined {
  const t = timeMs(s.lastState?.terminated?.finishedAt);
  if (t === undefined) {
    return a;
  }
  return a === undefined || a < t ? t : a;
}

/** printPod's walk over the statuses: READY counts, STATUS reason, RESTARTS. */
export function summarizePod(pod: Pod): PodSummary {
  const spec = pod.spec ?? { containers: [] };
  const status = pod.status ?? {};
  let restarts = 0;
  let sidecarRestarts = 0;
  let total = spec.containers?.length ?? 0;
  let ready = 0;
  let lastRestartMs: number | undefined;
  let lastSidecarRestartMs: number | undefined;

  let reason: string = status.phase ?? '';
  if (status.reason) {
    reason = status.reason;
  }
  for (const c of status.conditions ?? []) {
    if (c.type === 'PodScheduled' && c.reason === 'SchedulingGated') {
      reason = 'SchedulingGated';
    }
  }

  const initByName = new Map<string, Container>();
  for (const c of spec.initContainers ?? []) {
    initByName.set(c.name, c);
    if (isRestartableInitContainer(c)) {
      total++;
    }
  }

  let initializing = false;
  const initStatuses = status.initContainerStatuses ?? [];
  for (let i = 0; i < initStatuses.length; i++) {
    const s = initStatuses[i]!;
    restarts += s.restartCount ?? 0;
    lastRestartMs = later(lastRestartMs, s);
    const sidecar = isRestartableInitContainer(initByName.get(s.name));
    if (sidecar) {
      sidecarRestarts += s.restartCount ?? 0;
      lastSidecarRestartMs = later(lastSidecarRestartMs, s);
    }
    const term = s.state?.terminated;
    const waiting = s.state?.waiting;
    if (term && term.exitCode === 0) {
      continue;
    }
    if (sidecar && s.started === true) {
      if (s.ready) {
        ready++;
      }
      continue;
    }
    if (term) {
      // initialization failed
      if (!term.reason) {
        reason = term.signal ? `Init:Signal:${term.signal}` : `Init:ExitCode:${term.exitCode}`;
      } else {
        reason = `Init:${term.reason}`;
      }
    } else if (waiting?.reason && waiting.reason !== 'PodInitializing') {
      reason = `Init:${waiting.reason}`;
    } else {
      reason = `Init:${i}/${spec.initContainers?.length ?? 0}`;
    }
    initializing = true;
    break;
  }

  const initializedTrue = (status.conditions ?? []).find((c) => c.type === 'Initialized')?.status === 'True';
  if (!initializing || initializedTrue) {
    restarts = sidecarRestarts;
    lastRestartMs = lastSidecarRestartMs;
    let hasRunning = false;
    const statuses = status.containerStatuses ?? [];
    for (let i = statuses.length - 1; i >= 0; i--) {
      const s = statuses[i]!;
      restarts += s.restartCount ?? 0;
      lastRestartMs = later(lastRestartMs, s);
      const term = s.state?.terminated;
      const waiting = s.state?.waiting;
      if (waiting?.reason) {
        reason = waiting.reason;
      } else if (term?.reason) {
        reason = term.reason;
      } else if (term) {
        reason = term.signal ? `Signal:${term.signal}` : `ExitCode:${term.exitCode}`;
      } else if (s.ready && s.state?.running) {
        hasRunning = true;
        ready++;
      }
    }
    // change pod status back to "Running" if there is at least one container still reporting as "Running" status
    if (reason === 'Completed' && hasRunning) {
      const podReady = (status.conditions ?? []).some((c) => c.type === 'Ready' && c.status === 'True');
      reason = podReady ? 'Running' : 'NotReady';
    }
  }

  if (pod.metadata.deletionTimestamp && status.reason === NODE_UNREACHABLE_POD_REASON) {
    reason = 'Unknown';
  } else if (pod.metadata.deletionTimestamp && status.phase !== 'Succeeded' && status.phase !== 'Failed') {
    reason = 'Terminating';
  }
  return { ready, total, reason, restarts, lastRestartMs };
}

/** The STATUS column. */
export function podStatusString(pod: Pod): string {
  return summarizePod(pod).reason;
}

/** The READY column: ready regular containers and started-and-ready sidecars, over all of them. */
export function podReadyString(pod: Pod): string {
  const s = summarizePod(pod);
  return `${s.ready}/${s.total}`;
}

/** The RESTARTS column: `N`, or `N (<age> ago)` since the newest restart. */
export function podRestartsString(pod: Pod, nowMs: number): string {
  return restartsText(summarizePod(pod), nowMs);
}

function restartsText(s: PodSummary, nowMs: number): string {
  if (s.restarts !== 0 && s.lastRestartMs !== undefined) {
    return `${s.restarts} (${humanDuration(nowMs - s.lastRestartMs)} ago)`;
  }
  return String(s.restarts);
}

/** The wide READINESS GATES column: `<none>`, or true gates over all gates. */
export function podReadinessGatesString(pod: Pod): string {
  const gates = pod.spec?.readinessGates ?? [];
  if (gates.length === 0) {
    return '<none>';
  }
  let trueCount = 0;
  for (const g of gates) {
    const cond = (pod.status?.conditions ?? []).find((c) => c.type === g.conditionType);
    if (cond?.status === 'True') {
      trueCount++;
    }
  }
  return `${trueCount}/${gates.length}`;
}

/** All cells of a pod row, wide columns included (the server always prints wide). */
export function podRowCells(pod: Pod, nowMs: number): unknown[] {
  const s = summarizePod(pod);
  return [
    pod.metadata.name ?? '',
    `${s.ready}/${s.total}`,
    s.reason,
    restartsText(s, nowMs),
    translateTimestampSince(pod.metadata.creationTimestamp, nowMs),
    pod.status?.podIPs?.[0]?.ip || '<none>',
    pod.spec?.nodeName || '<none>',
    pod.status?.nominatedNodeName || '<none>',
    podReadinessGatesString(pod),
  ];
}

/** Row conditions kubectl reads for finished pods. */
export function podRowConditions(pod: Pod): TableRowCondition[] | undefined {
  switch (pod.status?.phase) {
    case 'Succeeded':
      return [
        { type: 'Completed', status: 'True', reason: 'Succeeded', message: 'The pod has completed successfully.' },
      ];
    case 'Failed':
      return [{ type: 'Completed', status: 'True', reason: 'Failed', message: 'The pod failed.' }];
    default:
      return undefined;
  }
}
