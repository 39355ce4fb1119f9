// LOCAL ADAPTER — to be replaced by src/api/pod-status/ (engineer "api") once
// it lands; it was not in the tree when the status manager was written. Kept
// minimal and exactly upstream so that the swap is an import change:
//   getPhase                          k8s pkg/kubelet/kubelet_pods.go#getPhase (v1.31)
//   generatePodInitializedCondition   k8s pkg/kubelet/status/generate.go
//   generateContainersReadyCondition  "
//   generatePodReadyCondition         "
//   hasAnyRegularContainerStarted     k8s pkg/kubelet/container/helpers.go
// (pod-semantics.md §1.2, §3.4–§3.6).
import type { Container, ContainerStatus, PodCondition, PodPhase, PodSpec } from '../../api/types/index.js';

function isSidecar(c: Container): boolean {
  return c.restartPolicy === 'Always';
}

function statusOf(statuses: readonly ContainerStatus[], name: string): ContainerStatus | undefined {
  return statuses.find((s) => s.name === name);
}

export function hasAnyRegularContainerStarted(spec: PodSpec, statuses: readonly ContainerStatus[]): boolean {
  return spec.containers.some((c) => {
    const s = statusOf(statuses, c.name);
    return s?.state?.running !== undefined || s?.state?.terminated !== undefined;
  });
}

/** `statuses` holds init and regular container statuses; podIsTerminal: no container will run again. */
export function getPhase(spec: PodSpec, statuses: readonly ContainerStatus[], podIsTerminal: boolean): PodPhase {
  let pendingInit = 0;
  let failedInit = 0;
  let unknown = 0;
  let running = 0;
  let waiting = 0;
  let stopped = 0;
  let succeeded = 0;
  for (const c of spec.initContainers ?? []) {
    const s = statusOf(statuses, c.name);
    if (!isSidecar(c)) {
      if (!s) {
        pendingInit++;
      } else if (s.state?.running) {
        pendingInit++;
      } else if (s.state?.terminated) {
        if (s.state.terminated.exitCode !== 0) {
          failedInit++;
        }
      } else if (s.state?.waiting) {
        const last = s.lastState?.terminated;
        if (last) {
          if (last.exitCode !== 0) {
            failedInit++;
          }
        } else {
          pendingInit++;
        }
      } else {
        pendingInit++;
      }
      continue;
    }
    if (!s) {
      unknown++;
    } else if (s.state?.running) {
      running++;
      if (s.started !== true) {
        pendingInit++;
      }
    } else if (s.state?.terminated) {
      // ignored
    } else if (s.state?.waiting) {
      if (!s.lastState?.terminated) {
        pendingInit++;
        waiting++;
      }
    } else {
      pendingInit++;
      unknown++;
    }
  }
  for (const c of spec.containers) {
    const s = statusOf(statuses, c.name);
    if (!s) {
      unknown++;
    } else if (s.state?.running) {
      running++;
    } else if (s.state?.terminated) {
      stopped++;
      if (s.state.terminated.exitCode === 0) {
        succeeded++;
      }
    } else if (s.state?.waiting) {
      if (s.lastState?.terminated) {
        stopped++;
      } else {
        waiting++;
      }
    } else {
      unknown++;
    }
  }
  const policy = spec.restartPolicy ?? 'Always';
  if (failedInit > 0 && policy === 'Never') {
    return 'Failed';
  }
  if ((pendingInit > 0 && !hasAnyRegularContainerStarted(spec, statuses)) || waiting > 0) {
    return 'Pending';
  }
  if (running > 0 && unknown === 0) {
    return 'Running';
  }
  if (running === 0 && stopped > 0 && unknown === 0) {
    if (podIsTerminal) {
      return stopped === succeeded ? 'Succeeded' : 'Failed';
    }
    if (policy === 'Always') {
      return 'Running';
    }
    if (stopped === succeeded) {
      return 'Succeeded';
    }
    if (policy === 'Never') {
      return 'Failed';
    }
    return 'Running';
  }
  return 'Pending';
}

function goList(names: string[]): string {
  return `[${names.join(' ')}]`;
}

export function generatePodInitializedCondition(
  spec: PodSpec,
  statuses: readonly ContainerStatus[] | undefined,
  phase: PodPhase,
): PodCondition {
  const inits = spec.initContainers ?? [];
  if (inits.length === 0) {
    return { type: 'Initialized', status: 'True' };
  }
  if (!statuses) {
    return { type: 'Initialized', status: 'False', reason: 'UnknownContainerStatuses' };
  }
  const unknown: string[] = [];
  const incomplete: string[] = [];
  for (const c of inits) {
    const s = statusOf(statuses, c.name);
    if (!s) {
      unknown.push(c.name);
      continue;
    }
    if (isSidecar(c) ? s.started !== true : !s.ready) {
      incomplete.push(c.name);
    }
  }
  if (phase === 'Succeeded' && unknown.length === 0) {
    return { type: 'Initialized', status: 'True', reason: 'PodCompleted' };
  }
  if (hasAnyRegularContainerStarted(spec, statuses)) {
    return { type: 'Initialized', status: 'True' };
  }
  if (unknown.length === 0 && incomplete.length === 0) {
    return { type: 'Initialized', status: 'True' };
  }
  const parts: string[] = [];
  if (unknown.length) {
    parts.push(`containers with unknown status: ${goList(unknown)}`);
  }
  if (incomplete.length) {
    parts.push(`containers with incomplete status: ${goList(incomplete)}`);
  }
  return { type: 'Initialized', status: 'False', reason: 'ContainersNotInitialized', message: parts.join(', ') };
}

export function generateContainersReadyCondition(
  spec: PodSpec,
  statuses: readonly ContainerStatus[] | undefined,
  phase: PodPhase,
): PodCondition {
  if (!statuses) {
    return { type: 'ContainersReady', status: 'False', reason: 'UnknownContainerStatuses' };
  }
  const unknown: string[] = [];
  const unready: string[] = [];
  const members = [...(spec.initContainers ?? []).filter(isSidecar), ...spec.containers];
  for (const c of members) {
    const s = statusOf(statuses, c.name);
    if (!s) {
      unknown.push(c.name);
    } else if (!s.ready) {
      unready.push(c.name);
    }
  }
  if (phase === 'Succeeded' && unknown.length === 0) {
    return { type: 'ContainersReady', status: 'False', reason: 'PodCompleted' };
  }
  if (phase === 'Failed') {
    return { type: 'ContainersReady', status: 'False', reason: 'PodFailed' };
  }
  const parts: string[] = [];
  if (unknown.length) {
    parts.push(`containers with unknown status: ${goList(unknown)}`);
  }
  if (unready.length) {
    parts.push(`containers with unready status: ${goList(unready)}`);
  }
  if (parts.length) {
    return { type: 'ContainersReady', status: 'False', reason: 'ContainersNotReady', message: parts.join(', ') };
  }
  return { type: 'ContainersReady', status: 'True' };
}

export function generatePodReadyCondition(
  spec: PodSpec,
  conditions: readonly PodCondition[],
  containersReady: PodCondition,
): PodCondition {
  if (containersReady.status !== 'True') {
    return {
      type: 'Ready',
      status: containersReady.status,
      ...(containersReady.reason ? { reason: containersReady.reason } : {}),
      ...(containersReady.message ? { message: containersReady.message } : {}),
    };
  }
  const msgs: string[] = [];
  for (const g of spec.readinessGates ?? []) {
    const c = conditions.find((x) => x.type === g.conditionType);
    if (!c) {
      msgs.push(`corresponding condition of pod readiness gate "${g.conditionType}" does not exist.`);
    } else if (c.status !== 'True') {
      msgs.push(`the status of pod readiness gate "${g.conditionType}" is not "True", but ${c.status}`);
    }
  }
  if (msgs.length) {
    return { type: 'Ready', status: 'False', reason: 'ReadinessGatesNotReady', message: msgs.join(', ') };
  }
  return { type: 'Ready', status: 'True' };
}
