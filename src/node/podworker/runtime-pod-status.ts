// The runtime's view of one pod, as the kubelet's kubecontainer.PodStatus
// (k8s pkg/kubelet/container/runtime.go; built by
// kuberuntime_manager.go#GetPodStatus): every sandbox and every container
// instance of the pod UID, newest first, so that "find by name" gives the
// latest instance and the second one is the lastState.
import type { ContainerState, PodSandboxState, Runtime } from '../../runtime/runtime.js';
import { isNotFound } from '../../runtime/runtime.js';

/** Labels the agent puts on sandboxes and containers (kubelet pkg/kubelet/types/labels.go). */
export const LABEL_POD_NAME = 'io.kubernetes.pod.name';
export const LABEL_POD_NAMESPACE = 'io.kubernetes.pod.namespace';
export const LABEL_POD_UID = 'io.kubernetes.pod.uid';
export const LABEL_CONTAINER_NAME = 'io.kubernetes.container.name';
/** Annotations on containers (kuberuntime/labels.go). */
export const ANNOTATION_CONTAINER_HASH = 'io.kubernetes.container.hash';
export const ANNOTATION_RESTART_COUNT = 'io.kubernetes.container.restartCount';
export const ANNOTATION_IS_INIT = 'podbay.io/init-container';

export interface SandboxView {
  id: string;
  attempt: number;
  state: PodSandboxState;
  createdAt: number;
  ip?: string;
  additionalIps: string[];
  network: 'POD' | 'NODE';
}

export interface ContainerView {
  id: string;
  podSandboxId: string;
  name: string;
  /** The restart count of this instance (CRI metadata.attempt). */
  restartCount: number;
  state: ContainerState;
  createdAt: number;
  startedAt?: number;
  finishedAt?: number;
  exitCode: number;
  reason: string;
  message: string;
  /** Hash of the container spec it was created from (containerChanged). */
  hash: string;
  image: string;
  imageRef: string;
  terminationMessage?: string;
}

export interface PodRuntimeStatus {
  uid: string;
  /** Newest first. */
  sandboxes: SandboxView[];
  /** Newest first. */
  containers: ContainerView[];
}

export function emptyRuntimeStatus(uid: string): PodRuntimeStatus {
  return { uid, sandboxes: [], containers: [] };
}

/** The newest instance of a container (kubecontainer.PodStatus.FindContainerStatusByName). */
export function findContainer(status: PodRuntimeStatus, name: string): ContainerView | undefined {
  return status.containers.find((c) => c.name === name);
}

/** Every instance of a container, newest first. */
export function instancesOf(status: PodRuntimeStatus, name: string): ContainerView[] {
  return status.containers.filter((c) => c.name === name);
}

/** The IPs of the newest READY sandbox, primary first (kubelet determinePodSandboxIPs). */
export function podIPs(status: PodRuntimeStatus): string[] {
  const s = status.sandboxes[0];
  if (!s || s.state !== 'SANDBOX_READY' || !s.ip) {
    return [];
  }
  return [s.ip, ...s.additionalIps];
}

/**
 * Reads the pod's sandboxes and containers from the runtime. Containers or
 * sandboxes removed while reading are skipped (the next relist sees them gone).
 */
export async function getPodRuntimeStatus(
  runtime: Pick<Runtime, 'listPodSandboxes' | 'podSandboxStatus' | 'listContainers' | 'containerStatus'>,
  uid: string,
): Promise<PodRuntimeStatus> {
  const sandboxes: SandboxView[] = [];
  for (const s of await runtime.listPodSandboxes({ labelSelector: { [LABEL_POD_UID]: uid } })) {
    try {
      const st = await runtime.podSandboxStatus(s.id);
      sandboxes.push({
        id: st.id,
        attempt: st.metadata.attempt,
        state: st.state,
        createdAt: st.createdAt,
        ip: st.network.ip,
        additionalIps: st.network.additionalIps,
        network: st.namespaceOptions.network,
      });
    } catch (e) {
      if (!isNotFound(e)) {
        throw e;
      }
    }
  }
  const containers: ContainerView[] = [];
  for (const c of await runtime.listContainers({ labelSelector: { [LABEL_POD_UID]: uid } })) {
    try {
      const st = await runtime.containerStatus(c.id);
      containers.push({
        id: st.id,
        podSandboxId: st.podSandboxId,
        name: st.labels[LABEL_CONTAINER_NAME] ?? st.metadata.name,
        restartCount: st.metadata.attempt,
        state: st.state,
        createdAt: st.createdAt,
        startedAt: st.startedAt,
        finishedAt: st.finishedAt,
        exitCode: st.exitCode,
        reason: st.reason,
        message: st.message,
        hash: st.annotations[ANNOTATION_CONTAINER_HASH] ?? '',
        image: st.image.userSpecifiedImage ?? st.image.image,
        imageRef: st.imageRef,
        terminationMessage: st.terminationMessage,
      });
    } catch (e) {
      if (!isNotFound(e)) {
        throw e;
      }
    }
  }
  // Newest first; ties (same millisecond) by attempt, then list order reversed.
  sandboxes.reverse().sort((a, b) => b.createdAt - a.createdAt || b.attempt - a.attempt);
  containers.reverse().sort((a, b) => b.createdAt - a.createdAt || b.restartCount - a.restartCount);
  return { uid, sandboxes, containers };
}
