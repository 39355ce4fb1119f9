// Which runtime container or sandbox a stream request is for.
// Logs go by the pod's status, as the kubelet's validateContainerLogStatus
// (pkg/kubelet/kubelet_pods.go) does, so `--previous` and "waiting to start"
// answer with Kubernetes' messages; exec, attach and port-forward go by the
// runtime's running containers and ready sandbox (kubelet.go#findContainer,
// GetPortForward), found by the labels the pod workers put on them.
import type { ContainerStatus, PodStatus } from '../../api/types/index.js';
import type { Runtime } from '../../runtime/runtime.js';
import {
  LABEL_CONTAINER_NAME,
  LABEL_POD_NAME,
  LABEL_POD_NAMESPACE,
  LABEL_POD_UID,
} from '../podworker/runtime-pod-status.js';

/** A request the agent refuses, with the HTTP code and the kubelet's text. */
export class StreamRequestError extends Error {
  constructor(
    readonly code: number,
    message: string,
  ) {
    super(message);
    this.name = 'StreamRequestError';
  }
}

/** "sim://abc" → "abc" (kubecontainer.ParseContainerID). */
export function runtimeIdOf(containerId: string): string {
  const i = containerId.indexOf('://');
  return i < 0 ? containerId : containerId.slice(i + 3);
}

function findStatus(status: PodStatus, name: string): ContainerStatus | undefined {
  return (
    status.containerStatuses?.find((c) => c.name === name) ??
    status.initContainerStatuses?.find((c) => c.name === name) ??
    status.ephemeralContainerStatuses?.find((c) => c.name === name)
  );
}

/**
 * validateContainerLogStatus: the container id whose log to read, or a 400
 * with the kubelet's message.
 */
export function logContainerId(podName: string, status: PodStatus, containerName: string, previous: boolean): string {
  const bad = (message: string): StreamRequestError => new StreamRequestError(400, message);
  const c = findStatus(status, containerName);
  if (!c) {
    throw bad(`container "${containerName}" in pod "${podName}" is not available`);
  }
  const last = c.lastState?.terminated;
  const { waiting, running, terminated } = c.state ?? {};
  if (previous) {
    if (!last?.containerID) {
      throw bad(`previous terminated container "${containerName}" in pod "${podName}" not found`);
    }
    return runtimeIdOf(last.containerID);
  }
  if (running) {
    if (!c.containerID) {
      throw bad(`container "${containerName}" in pod "${podName}" is not available`);
    }
    return runtimeIdOf(c.containerID);
  }
  if (terminated) {
    // The next instance did not start: terminated.containerID is empty, lastState has the log.
    const id = terminated.containerID || last?.containerID;
    if (!id) {
      throw bad(`container "${containerName}" in pod "${podName}" is terminated`);
    }
    return runtimeIdOf(id);
  }
  if (last) {
    if (!last.containerID) {
      throw bad(`container "${containerName}" in pod "${podName}" is terminated`);
    }
    return runtimeIdOf(last.containerID);
  }
  if (waiting) {
    switch (waiting.reason) {
      case 'ErrImagePull':
        throw bad(`container "${containerName}" in pod "${podName}" is waiting to start: image can't be pulled`);
      case 'ImagePullBackOff':
        throw bad(
          `container "${containerName}" in pod "${podName}" is waiting to start: trying and failing to pull image`,
        );
      default:
        throw bad(`container "${containerName}" in pod "${podName}" is waiting to start: ${waiting.reason ?? ''}`);
    }
  }
  throw bad(`container "${containerName}" in pod "${podName}" is in an unrecognized state`);
}

export interface PodRef {
  namespace: string;
  name: string;
  /** When the request names it (the apiserver proxy does). */
  uid?: string;
}

function podSelector(pod: PodRef): Record<string, string> {
  return {
    [LABEL_POD_NAMESPACE]: pod.namespace,
    [LABEL_POD_NAME]: pod.name,
    ...(pod.uid ? { [LABEL_POD_UID]: pod.uid } : {}),
  };
}

/** The running instance of a container (kubelet.go#findContainer: "container not found"). */
export async function runningContainerId(
  runtime: Pick<Runtime, 'listContainers'>,
  pod: PodRef,
  containerName: string,
): Promise<string> {
  const list = await runtime.listContainers({
    state: 'CONTAINER_RUNNING',
    labelSelector: { ...podSelector(pod), [LABEL_CONTAINER_NAME]: containerName },
  });
  const latest = list.at(-1);
  if (!latest) {
    throw new StreamRequestError(404, `container not found ("${containerName}")`);
  }
  return latest.id;
}

/** The pod's ready sandbox and its uid (kubelet.go#GetPortForward: "pod not found"). */
export async function readySandbox(
  runtime: Pick<Runtime, 'listPodSandboxes'>,
  pod: PodRef,
): Promise<{ id: string; uid: string }> {
  const list = await runtime.listPodSandboxes({ state: 'SANDBOX_READY', labelSelector: podSelector(pod) });
  const latest = list.at(-1);
  if (!latest) {
    throw new StreamRequestError(404, `pod not found ("${pod.name}_${pod.namespace}")`);
  }
  return { id: latest.id, uid: latest.metadata.uid };
}
