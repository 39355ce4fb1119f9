// Decide, then act (STYLE.md §13.1): what one sync of a pod must do, computed
// from the spec, the runtime's view and the prober's results, with no I/O.
// After k8s pkg/kubelet/kuberuntime/kuberuntime_manager.go#computePodActions,
// #computeInitContainerActions and pkg/kubelet/container/helpers.go
// #ShouldContainerBeRestarted, runtime/util.go#PodSandboxChanged, with the
// SidecarContainers feature on (native sidecars: init containers with
// restartPolicy Always). The back-off is not decided here but when a start is
// attempted, as upstream's doBackOff does (pod-workers.ts).
import type { Container, Pod } from '../../api/types/index.js';
import { hashContainer } from './container-hash.js';
import { findContainer } from './runtime-pod-status.js';
import type { ContainerView, PodRuntimeStatus } from './runtime-pod-status.js';

export type KillReason = 'LivenessProbe' | 'StartupProbe' | 'Unknown' | '';

export interface ContainerToKill {
  containerId: string;
  name: string;
  isInit: boolean;
  /** The Killing event message. */
  message: string;
  reason: KillReason;
}

export interface PodActions {
  /** Stop every container and the sandbox (the sandbox changed, init failed under Never, or nothing runs any more). */
  killPod: boolean;
  createSandbox: boolean;
  /** The current sandbox (to kill, or to start containers in); '' when none. */
  sandboxId: string;
  /** Attempt number of the sandbox to create. */
  attempt: number;
  /** Indexes into spec.initContainers, in spec order. */
  initContainersToStart: number[];
  /** Indexes into spec.containers, in spec order. */
  containersToStart: number[];
  containersToKill: ContainerToKill[];
}

/** What the prober knows about the pod's current container instances. */
export interface ProbeView {
  /** Startup result of the named container's current instance: undefined while it has none. */
  startup(name: string): 'success' | 'failure' | undefined;
  /** The liveness result committed as Failure for the current instance. */
  livenessFailed(name: string): boolean;
}

export const NO_PROBES: ProbeView = { startup: () => 'success', livenessFailed: () => false };

export function isSidecar(c: Container): boolean {
  return c.restartPolicy === 'Always';
}

/** kuberuntime_manager.go#shouldRestartOnFailure. */
export function shouldRestartOnFailure(pod: Pod): boolean {
  return (pod.spec.restartPolicy ?? 'Always') !== 'Never';
}

/** container/helpers.go#ShouldContainerBeRestarted, for a regular container. */
export function shouldContainerBeRestarted(c: Container, pod: Pod, status: PodRuntimeStatus): boolean {
  if (pod.metadata.deletionTimestamp) {
    return false;
  }
  const s = findContainer(status, c.name);
  if (!s) {
    return true;
  }
  if (s.state === 'CONTAINER_RUNNING') {
    return false;
  }
  if (s.state === 'CONTAINER_UNKNOWN' || s.state === 'CONTAINER_CREATED') {
    return true;
  }
  const policy = pod.spec.restartPolicy ?? 'Always';
  if (policy === 'Never') {
    return false;
  }
  if (policy === 'OnFailure' && s.exitCode === 0) {
    return false;
  }
  return true;
}

function containerSucceeded(c: Container, status: PodRuntimeStatus): boolean {
  const s = findContainer(status, c.name);
  return s !== undefined && s.state === 'CONTAINER_EXITED' && s.exitCode === 0;
}

function isInitContainerFailed(s: ContainerView): boolean {
  // kuberuntime_container.go#isInitContainerFailed
  if (s.state === 'CONTAINER_EXITED' && s.exitCode !== 0) {
    return true;
  }
  return s.state === 'CONTAINER_UNKNOWN';
}

function stateWord(s: ContainerView): string {
  // kubecontainer.State strings, used in the Killing message.
  return s.state === 'CONTAINER_UNKNOWN' ? 'unknown' : s.state.replace('CONTAINER_', '').toLowerCase();
}

/** runtime/util.go#PodSandboxChanged: [create a sandbox?, its attempt, the current sandbox id]. */
export function podSandboxChanged(pod: Pod, status: PodRuntimeStatus): [boolean, number, string] {
  const newest = status.sandboxes[0];
  if (!newest) {
    return [true, 0, ''];
  }
  const ready = status.sandboxes.filter((s) => s.state === 'SANDBOX_READY').length;
  if (ready > 1 || newest.state !== 'SANDBOX_READY') {
    return [true, newest.attempt + 1, newest.id];
  }
  if (newest.network !== (pod.spec.hostNetwork ? 'NODE' : 'POD')) {
    return [true, newest.attempt + 1, ''];
  }
  if (!pod.spec.hostNetwork && !newest.ip) {
    return [true, newest.attempt + 1, newest.id];
  }
  return [false, newest.attempt, newest.id];
}

export function computePodActions(pod: Pod, status: PodRuntimeStatus, probes: ProbeView = NO_PROBES): PodActions {
  const [createSandbox, attempt, sandboxId] = podSandboxChanged(pod, status);
  const a: PodActions = {
    killPod: createSandbox,
    createSandbox,
    sandboxId,
    attempt,
    initContainersToStart: [],
    containersToStart: [],
    containersToKill: [],
  };
  const inits = pod.spec.initContainers ?? [];

  if (createSandbox) {
    // Under Never, a pod whose containers already ran gets no new sandbox: it is done.
    if (!shouldRestartOnFailure(pod) && attempt !== 0 && status.containers.length !== 0) {
      a.createSandbox = false;
      return a;
    }
    const toStart: number[] = [];
    pod.spec.containers.forEach((c, i) => {
      if (pod.spec.restartPolicy === 'OnFailure' && containerSucceeded(c, status)) {
        return;
      }
      toStart.push(i);
    });
    if (toStart.length === 0) {
      // hasAnyRegularContainerCreated: initialization happened before; nothing to start again.
      const initialized = pod.spec.containers.some((c) => findContainer(status, c.name) !== undefined);
      if (initialized) {
        a.createSandbox = false;
        return a;
      }
    }
    // A new sandbox restarts initialization from the first init container.
    if (inits.length > 0) {
      a.initContainersToStart = [0];
      return a;
    }
    a.containersToStart = toStart;
    return a;
  }

  const initialized = computeInitContainerActions(pod, status, probes, a);
  if (a.killPod || !initialized) {
    return a;
  }

  let keepCount = 0;
  pod.spec.containers.forEach((c, i) => {
    const s = findContainer(status, c.name);
    if (!s || s.state !== 'CONTAINER_RUNNING') {
      if (shouldContainerBeRestarted(c, pod, status)) {
        a.containersToStart.push(i);
        if (s && s.state === 'CONTAINER_UNKNOWN') {
          a.containersToKill.push({
            containerId: s.id,
            name: c.name,
            isInit: false,
            message: `Container is in "${stateWord(s)}" state, try killing it before restart`,
            reason: 'Unknown',
          });
        }
      }
      return;
    }
    let restart = shouldRestartOnFailure(pod);
    let message: string;
    let reason: KillReason = '';
    if (s.hash !== '' && s.hash !== hashContainer(c)) {
      message = `Container ${c.name} definition changed`;
      // The spec changed: restart whatever the policy.
      restart = true;
    } else if (probes.livenessFailed(c.name)) {
      message = `Container ${c.name} failed liveness probe`;
      reason = 'LivenessProbe';
    } else if (probes.startup(c.name) === 'failure') {
      message = `Container ${c.name} failed startup probe`;
      reason = 'StartupProbe';
    } else {
      keepCount++;
      return;
    }
    if (restart) {
      message = `${message}, will be restarted`;
      a.containersToStart.push(i);
    }
    a.containersToKill.push({ containerId: s.id, name: c.name, isInit: false, message, reason });
  });

  if (keepCount === 0 && a.containersToStart.length === 0) {
    // Nothing runs or will run: stop the pod; sidecars must not keep it alive.
    a.killPod = true;
    a.initContainersToStart = [];
  }
  return a;
}

/**
 * kuberuntime_container.go#computeInitContainerActions: fills the init
 * starts and kills into `a` and answers whether initialization is done.
 */
function computeInitContainerActions(pod: Pod, status: PodRuntimeStatus, probes: ProbeView, a: PodActions): boolean {
  const inits = pod.spec.initContainers ?? [];
  if (inits.length === 0) {
    return true;
  }
  // A created or running regular container means initialization happened at
  // some point, even if the init containers were removed since.
  let podHasInitialized = pod.spec.containers.some((c) => {
    const s = findContainer(status, c.name);
    return s !== undefined && (s.state === 'CONTAINER_CREATED' || s.state === 'CONTAINER_RUNNING');
  });
  let previouslyInitialized = podHasInitialized;
  const restartOnFailure = shouldRestartOnFailure(pod);
  const starts: number[] = [];
  const kill = (s: ContainerView, c: Container, message: string, reason: KillReason): void => {
    a.containersToKill.push({ containerId: s.id, name: c.name, isInit: true, message, reason });
  };

  // From last to first: the furthest init container with a status tells the progress.
  for (let i = inits.length - 1; i >= 0; i--) {
    const c = inits[i]!;
    const s = findContainer(status, c.name);
    if (!s) {
      if (previouslyInitialized && isSidecar(c)) {
        starts.push(i);
      }
      continue;
    }
    if (previouslyInitialized && !isSidecar(c)) {
      continue;
    }
    switch (s.state) {
      case 'CONTAINER_CREATED':
        // Created but never started: start it again.
        starts.push(i);
        break;
      case 'CONTAINER_RUNNING': {
        if (!isSidecar(c)) {
          break; // a regular init container: wait for it to finish
        }
        if (c.startupProbe) {
          const startup = probes.startup(c.name);
          if (startup === undefined) {
            break; // not started yet: wait
          }
          if (startup === 'failure') {
            kill(s, c, `Init container ${c.name} failed startup probe`, 'StartupProbe');
            starts.push(i);
            break;
          }
        }
        if (i === inits.length - 1) {
          podHasInitialized = true;
        } else if (!previouslyInitialized) {
          starts.push(i + 1); // started for the first time: start the next one
        }
        if (s.hash !== '' && s.hash !== hashContainer(c)) {
          kill(s, c, `Init container ${c.name} definition changed`, '');
          starts.push(i);
          break;
        }
        if (c.livenessProbe && probes.livenessFailed(c.name)) {
          kill(s, c, `Init container ${c.name} failed liveness probe`, 'LivenessProbe');
          starts.push(i);
        }
        break;
      }
      case 'CONTAINER_EXITED':
        if (isSidecar(c)) {
          starts.push(i);
        } else if (isInitContainerFailed(s)) {
          if (!restartOnFailure) {
            a.killPod = true;
            a.initContainersToStart = [];
            return false;
          }
          starts.push(i);
        } else if (i === inits.length - 1) {
          podHasInitialized = true;
        } else {
          starts.push(i + 1);
        }
        break;
      default:
        // Unknown: kill before restarting so that two instances never run.
        if (!isSidecar(c) && !restartOnFailure) {
          a.killPod = true;
          a.initContainersToStart = [];
          return false;
        }
        kill(s, c, `Init container is in "${stateWord(s)}" state, try killing it before restart`, 'Unknown');
        starts.push(i);
    }
    // Only one init container can be in progress at a time.
    previouslyInitialized = true;
  }
  if (!previouslyInitialized) {
    starts.push(0);
  }
  a.initContainersToStart = [...new Set(starts)].sort((x, y) => x - y);
  return podHasInitialized;
}
