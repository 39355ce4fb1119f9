// The pod phase the kubelet reports: k8s pkg/kubelet/kubelet_pods.go getPhase
// (v1.31 text; pod-semantics.md §1.2). Container statuses are matched by name.
//
// Counters over the spec's containers:
//   regular init  no status / running / waiting without history → pendingInit;
//                 terminated ≠ 0, or waiting after a non-zero exit → failedInit
//   sidecar       no status → unknown; running → running (+ pendingInit until
//                 started); waiting without history → pendingInit + waiting;
//                 terminated or restarting → ignored
//   regular       no status → unknown; running → running; terminated → stopped
//                 (+ succeeded on exit 0); waiting after a termination → stopped
//                 (never succeeded); waiting without history → waiting
// Decision, first match wins:
//   failedInit && Never → Failed; (pendingInit && no regular container started) or
//   waiting → Pending; running && !unknown → Running; only stopped containers →
//   terminal only when the pod worker says so (or by restart policy); else Pending.
// getPhase never returns Unknown.
import type { Container, ContainerStatus, PodPhase, PodSpec } from '../types/index.js';

export interface DerivePhaseOptions {
  /**
   * The pod worker decided no container will run again (the pod was deleted or
   * evicted, or everything finished and nothing restarts). Only then can an
   * `Always` pod be Succeeded/Failed.
   */
  podIsTerminal: boolean;
  /** Static (file-based) pods never take the podIsTerminal shortcut; podbay has none. */
  isStatic?: boolean;
}

const isSidecar = (c: Container): boolean => c.restartPolicy === 'Always';

function byName(statuses: readonly ContainerStatus[] | undefined): Map<string, ContainerStatus> {
  return new Map((statuses ?? []).map((s) => [s.name, s]));
}

/**
 * HasAnyRegularContainerStarted (k8s pkg/kubelet/container/helpers.go): some
 * regular container's status is running or terminated.
 */
export function hasAnyRegularContainerStarted(
  spec: PodSpec,
  statuses: readonly ContainerStatus[] | undefined,
): boolean {
  const names = new Set((spec.containers ?? []).map((c) => c.name));
  return (statuses ?? []).some((s) => names.has(s.name) && Boolean(s.state?.running || s.state?.terminated));
}

/**
 * getPhase: the phase from the spec and the current container statuses (regular
 * and init, in any order and either list; they are matched by name).
 */
export function derivePodPhase(
  spec: PodSpec,
  initStatuses: readonly ContainerStatus[] | undefined,
  statuses: readonly ContainerStatus[] | undefined,
  opts: DerivePhaseOptions,
): PodPhase {
  const all = [...(statuses ?? []), ...(initStatuses ?? [])];
  const found = byName(all);
  let pendingInit = 0;
  let failedInit = 0;
  let unknown = 0;
  let running = 0;
  let waiting = 0;
  let stopped = 0;
  let succeeded = 0;

  for (const c of spec.initContainers ?? []) {
    const s = found.get(c.name);
    const state = s?.state ?? {};
    if (isSidecar(c)) {
      if (!s) {
        unknown++;
      } else if (state.running) {
        running++;
        if (s.started !== true) {
          pendingInit++;
        }
      } else if (state.terminated) {
        // a terminated sidecar does not decide the phase
      } else if (state.waiting) {
        if (!s.lastState?.terminated) {
          pendingInit++;
          waiting++;
        }
      } else {
        pendingInit++;
        unknown++;
      }
      continue;
    }
    if (!s) {
      pendingInit++;
    } else if (state.running) {
      pendingInit++;
    } else if (state.terminated) {
      if (state.terminated.exitCode !== 0) {
        failedInit++;
      }
    } else if (state.waiting) {
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
  }

  for (const c of spec.containers ?? []) {
    const s = found.get(c.name);
    const state = s?.state ?? {};
    if (!s) {
      unknown++;
    } else if (state.running) {
      running++;
    } else if (state.terminated) {
      stopped++;
      if (state.terminated.exitCode === 0) {
        succeeded++;
      }
    } else if (state.waiting) {
      if (s.lastState?.terminated) {
        stopped++;
      } else {
        waiting++;
      }
    } else {
      unknown++;
    }
  }

  const restartPolicy = spec.restartPolicy ?? 'Always';
  if (failedInit > 0 && restartPolicy === 'Never') {
    return 'Failed';
  }
  if ((pendingInit > 0 && !hasAnyRegularContainerStarted(spec, all)) || waiting > 0) {
    return 'Pending';
  }
  if (running > 0 && unknown === 0) {
    return 'Running';
  }
  if (running === 0 && stopped > 0 && unknown === 0) {
    if (opts.podIsTerminal && !opts.isStatic) {
      return stopped === succeeded ? 'Succeeded' : 'Failed';
    }
    if (restartPolicy === 'Always') {
      // all containers are restarting
      return 'Running';
    }
    if (stopped === succeeded) {
      return 'Succeeded';
    }
    if (restartPolicy === 'Never') {
      return 'Failed';
    }
    // OnFailure with at least one failed container being restarted
    return 'Running';
  }
  return 'Pending';
}

/**
 * getPhase with upstream's signature: `statuses` holds init and regular container
 * statuses together (generateAPIPodStatus passes both lists appended).
 */
export function getPhase(spec: PodSpec, statuses: readonly ContainerStatus[], podIsTerminal: boolean): PodPhase {
  return derivePodPhase(spec, undefined, statuses, { podIsTerminal });
}
