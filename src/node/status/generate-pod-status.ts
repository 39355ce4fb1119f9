// The pod status the agent wants the API to show, from spec + runtime view:
// k8s pkg/kubelet/kubelet_pods.go#generateAPIPodStatus (pod-semantics.md §1.2,
// §1.3, §3). Pure; the status manager adds startTime and transition times and
// writes it.
import type { ContainerStatus, Pod, PodCondition, PodPhase, PodStatus } from '../../api/types/index.js';
import { getPodQOS } from '../../api/qos.js';
import { podIPs } from '../podworker/runtime-pod-status.js';
import type { PodRuntimeStatus } from '../podworker/runtime-pod-status.js';
import { convertContainerStatuses } from './container-statuses.js';
import type { StartFailure } from './container-statuses.js';
import {
  generateContainersReadyCondition,
  generatePodInitializedCondition,
  generatePodReadyCondition,
  generatePodReadyToStartContainersCondition,
  getPhase,
} from '../../api/pod-status/index.js';

/** Condition types the kubelet owns (pkg/kubelet/types/pod_status.go#PodConditionsByKubelet). */
export const KUBELET_CONDITIONS = new Set([
  'PodScheduled',
  'Ready',
  'Initialized',
  'ContainersReady',
  'PodReadyToStartContainers',
]);

export interface GenerateInputs {
  pod: Pod;
  runtime: PodRuntimeStatus;
  /** The status manager's cached status for the pod (or the API's when none). */
  previous: PodStatus | undefined;
  reasons: ReadonlyMap<string, StartFailure>;
  isStarted: (name: string) => boolean;
  isReady: (name: string) => boolean;
  /** No container will run again (the pod worker is terminating or terminated the pod). */
  podIsTerminal: boolean;
  /** A sync handler's verdict that forces Failed (activeDeadlineSeconds, eviction). */
  forceFailed?: { reason: string; message: string };
  hostIPs: string[];
  runtimeType: string;
}

const TERMINAL: PodPhase[] = ['Succeeded', 'Failed'];

export function generatePodStatus(inputs: GenerateInputs): PodStatus {
  const { pod, runtime } = inputs;
  const prev = inputs.previous ?? {};
  const apiStatus = pod.status ?? {};
  const csInputs = {
    pod,
    runtime,
    reasons: inputs.reasons,
    isStarted: inputs.isStarted,
    isReady: inputs.isReady,
    runtimeType: inputs.runtimeType,
  };
  const initStatuses = convertContainerStatuses(
    { ...csInputs, previous: prev.initContainerStatuses ?? apiStatus.initContainerStatuses },
    pod.spec.initContainers ?? [],
    true,
  );
  const statuses = convertContainerStatuses(
    { ...csInputs, previous: prev.containerStatuses ?? apiStatus.containerStatuses },
    pod.spec.containers,
    false,
  );
  const all: ContainerStatus[] = [...initStatuses, ...statuses];
  let phase = getPhase(pod.spec, all, inputs.podIsTerminal);
  // A pod never leaves a terminal phase (the three-way merge of generateAPIPodStatus).
  let from: PodStatus = prev.phase ? prev : apiStatus;
  if (!TERMINAL.includes(phase)) {
    if (prev.phase && TERMINAL.includes(prev.phase)) {
      phase = prev.phase;
    } else if (apiStatus.phase && TERMINAL.includes(apiStatus.phase)) {
      // Set by another component (podbay's node-lifecycle eviction): its reason comes along.
      phase = apiStatus.phase;
      from = apiStatus;
    }
  }
  const s: PodStatus = { phase };
  if (phase === from.phase) {
    if (from.reason) {
      s.reason = from.reason;
    }
    if (from.message) {
      s.message = from.message;
    }
  }
  if (inputs.forceFailed) {
    s.phase = phase = 'Failed';
    s.reason = inputs.forceFailed.reason;
    s.message = inputs.forceFailed.message;
  }
  s.qosClass = apiStatus.qosClass ?? getPodQOS(pod);
  // Conditions owned by others first (as the API has them), then the kubelet's in its order.
  const conditions: PodCondition[] = (apiStatus.conditions ?? []).filter((c) => !KUBELET_CONDITIONS.has(c.type));
  const sandbox = runtime.sandboxes[0];
  conditions.push(
    generatePodReadyToStartContainersCondition(
      sandbox !== undefined && sandbox.state === 'SANDBOX_READY' && Boolean(sandbox.ip || pod.spec.hostNetwork),
    ),
  );
  conditions.push(generatePodInitializedCondition(pod.spec, all, phase));
  const containersReady = generateContainersReadyCondition(pod.spec, all, phase);
  conditions.push(generatePodReadyCondition(pod.spec, [...conditions, containersReady], all, phase));
  conditions.push(containersReady);
  conditions.push({ type: 'PodScheduled', status: 'True' });
  s.conditions = conditions;
  if (inputs.hostIPs.length) {
    s.hostIP = inputs.hostIPs[0];
    s.hostIPs = inputs.hostIPs.map((ip) => ({ ip }));
  }
  let ips = podIPs(runtime);
  if (pod.spec.hostNetwork) {
    ips = inputs.hostIPs;
  }
  if (ips.length === 0 && (prev.podIPs?.length || apiStatus.podIPs?.length)) {
    // Keep the IPs once known (the sandbox stopped at termination): generateAPIPodStatus keeps old IPs.
    const keep = prev.podIPs?.length ? prev.podIPs : apiStatus.podIPs!;
    ips = keep.map((p) => p.ip);
  }
  if (ips.length) {
    s.podIP = ips[0];
    s.podIPs = ips.map((ip) => ({ ip }));
  }
  if (initStatuses.length) {
    s.initContainerStatuses = initStatuses;
  }
  s.containerStatuses = statuses;
  return s;
}
