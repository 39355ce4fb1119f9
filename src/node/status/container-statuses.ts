// API container statuses from the runtime's view: k8s pkg/kubelet/kubelet_pods.go
// #convertToAPIContainerStatuses (pod-semantics.md §2.1), plus the started /
// ready fields the prober fills (prober_manager.go#UpdatePodStatus, §2.5).
import type { Container, ContainerState, ContainerStatus, Pod } from '../../api/types/index.js';
import { rfc3339 } from '../../lib/clock.js';
import { shouldContainerBeRestarted } from '../podworker/actions.js';
import type { ContainerView, PodRuntimeStatus } from '../podworker/runtime-pod-status.js';

export const REASON_CONTAINER_CREATING = 'ContainerCreating';
export const REASON_POD_INITIALIZING = 'PodInitializing';
/** kubecontainer.ContainerReasonStatusUnknown */
export const REASON_CONTAINER_STATUS_UNKNOWN = 'ContainerStatusUnknown';

/** The last failed start of a container (kubelet reason_cache.go): its waiting reason and message. */
export interface StartFailure {
  reason: string;
  message: string;
}

export interface ContainerStatusInputs {
  pod: Pod;
  runtime: PodRuntimeStatus;
  /** The statuses last generated (status manager cache) or, failing that, the API's. */
  previous: readonly ContainerStatus[] | undefined;
  /** Last start failure by container name. */
  reasons: ReadonlyMap<string, StartFailure>;
  /** ContainerStatus.started / ready from the prober, for running containers. */
  isStarted: (name: string) => boolean;
  isReady: (name: string) => boolean;
  /** `sim`, `containerd`: the scheme of containerID (kubecontainer.ContainerID.String). */
  runtimeType: string;
}

function convert(view: ContainerView, old: ContainerStatus | undefined, runtimeType: string): ContainerStatus {
  const cid = `${runtimeType}://${view.id}`;
  const s: ContainerStatus = {
    name: view.name,
    state: {},
    ready: false,
    restartCount: view.restartCount,
    image: view.image,
    imageID: view.imageRef,
    containerID: cid,
  };
  switch (view.state) {
    case 'CONTAINER_RUNNING':
      s.state = { running: { startedAt: rfc3339(view.startedAt ?? view.createdAt) } };
      break;
    case 'CONTAINER_CREATED':
      s.state = { waiting: {} };
      break;
    case 'CONTAINER_EXITED':
      s.state = {
        terminated: {
          exitCode: view.exitCode,
          ...(view.reason ? { reason: view.reason } : {}),
          ...(view.message ? { message: view.message } : {}),
          startedAt: view.startedAt !== undefined ? rfc3339(view.startedAt) : null,
          finishedAt: view.finishedAt !== undefined ? rfc3339(view.finishedAt) : null,
          containerID: cid,
        },
      };
      break;
    default:
      if (old?.state?.running) {
        s.state = {
          terminated: {
            reason: REASON_CONTAINER_STATUS_UNKNOWN,
            message: 'The container could not be located when the pod was terminated',
            exitCode: 137,
          },
        };
        s.restartCount = old.restartCount + 1;
      } else {
        s.state = { waiting: {} };
      }
  }
  return s;
}

/** containerStatuses (sorted by name, as SortedContainerStatuses) or initContainerStatuses (spec order). */
export function convertContainerStatuses(
  inputs: ContainerStatusInputs,
  containers: readonly Container[],
  isInit: boolean,
): ContainerStatus[] {
  const { pod, runtime } = inputs;
  const hasInit = (pod.spec.initContainers ?? []).length > 0;
  const defaultWaiting: ContainerState = {
    waiting: { reason: hasInit ? REASON_POD_INITIALIZING : REASON_CONTAINER_CREATING },
  };
  const old = new Map((inputs.previous ?? []).map((s) => [s.name, s]));
  const statuses = new Map<string, ContainerStatus>();
  for (const c of containers) {
    let s: ContainerStatus = {
      name: c.name,
      state: defaultWaiting,
      ready: false,
      restartCount: 0,
      image: c.image ?? '',
      imageID: '',
    };
    const o = old.get(c.name);
    if (o) {
      if (o.state?.terminated) {
        s = structuredClone(o);
      } else {
        s.restartCount = o.restartCount;
        if (o.lastState && Object.keys(o.lastState).length) {
          s.lastState = structuredClone(o.lastState);
        }
      }
    }
    statuses.set(c.name, s);
  }
  // A container that vanished from the runtime while it ran: show it stopped, not waiting.
  for (const c of containers) {
    if (runtime.containers.some((v) => v.name === c.name)) {
      continue;
    }
    const o = old.get(c.name);
    if (!o || o.state?.terminated || !o.state?.running) {
      continue;
    }
    const s = statuses.get(c.name)!;
    const isDefault = s.state?.waiting?.reason === defaultWaiting.waiting!.reason;
    if (!isDefault || s.lastState?.terminated) {
      continue;
    }
    s.lastState = {
      terminated: {
        reason: REASON_CONTAINER_STATUS_UNKNOWN,
        message: 'The container could not be located when the pod was deleted.  The container used to be Running',
        exitCode: 137,
      },
    };
    if (!pod.metadata.deletionTimestamp) {
      s.restartCount += 1;
    }
  }
  // The newest instance gives the state, the second newest the lastState.
  const seen = new Map<string, number>();
  for (const v of runtime.containers) {
    if (!statuses.has(v.name)) {
      continue;
    }
    const n = seen.get(v.name) ?? 0;
    if (n >= 2) {
      continue;
    }
    const s = convert(v, old.get(v.name), inputs.runtimeType);
    if (n === 0) {
      const prev = statuses.get(v.name)!;
      if (prev.lastState) {
        s.lastState = prev.lastState;
      }
      statuses.set(v.name, s);
    } else {
      statuses.get(v.name)!.lastState = s.state;
    }
    seen.set(v.name, n + 1);
  }
  // Containers whose last start failed, and that will be started again, wait with that reason.
  for (const c of containers) {
    const newest = runtime.containers.find((v) => v.name === c.name);
    if (isInit && newest?.state === 'CONTAINER_EXITED' && newest.exitCode === 0) {
      continue;
    }
    const restartable =
      isInit && c.restartPolicy === 'Always'
        ? !pod.metadata.deletionTimestamp
        : shouldContainerBeRestarted(c, pod, runtime);
    if (!restartable) {
      continue;
    }
    const r = inputs.reasons.get(c.name);
    if (!r) {
      continue;
    }
    const s = statuses.get(c.name)!;
    if (s.state?.terminated) {
      s.lastState = s.state;
    }
    s.state = { waiting: { reason: r.reason, ...(r.message ? { message: r.message } : {}) } };
  }
  // started / ready (prober_manager.go#UpdatePodStatus); regular init containers are ready once they exited 0.
  for (const c of containers) {
    const s = statuses.get(c.name)!;
    const runningNow = s.state?.running !== undefined;
    if (isInit && c.restartPolicy !== 'Always') {
      s.ready = s.state?.terminated?.exitCode === 0;
      s.started = runningNow;
      if (!runningNow && s.state?.terminated) {
        s.started = false;
      }
      continue;
    }
    s.started = runningNow && inputs.isStarted(c.name);
    s.ready = s.started && inputs.isReady(c.name);
  }
  const list = containers.map((c) => statuses.get(c.name)!);
  if (!isInit) {
    list.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }
  return list;
}
