// Builders for node-agent tests: pods and runtime views in a few words.
import type { Container, Pod } from '../../api/types/index.js';
import { hashContainer } from '../podworker/container-hash.js';
import type { ContainerView, PodRuntimeStatus, SandboxView } from '../podworker/runtime-pod-status.js';

export const T0 = Date.UTC(2026, 0, 1);
export const TEST_NODE = 'node-1';

export interface PodWithOptions {
  name?: string;
  namespace?: string;
  uid?: string;
  restartPolicy?: 'Always' | 'OnFailure' | 'Never';
  /** Regular containers: names (image busybox:1.36) or full specs. */
  containers?: (string | Container)[];
  initContainers?: (string | Container)[];
  /** Names of init containers that are sidecars (restartPolicy Always). */
  sidecars?: (string | Container)[];
  annotations?: Record<string, string>;
  terminationGracePeriodSeconds?: number;
  activeDeadlineSeconds?: number;
  nodeName?: string;
}

let uidSeq = 0;

export function containerOf(c: string | Container): Container {
  return typeof c === 'string'
    ? {
        name: c,
        image: 'busybox:1.36',
        imagePullPolicy: 'IfNotPresent',
        terminationMessagePath: '/dev/termination-log',
        terminationMessagePolicy: 'File',
      }
    : { imagePullPolicy: 'IfNotPresent', ...c };
}

/** A scheduled, API-defaulted pod (restartPolicy Always, grace 30 s, one container `app` by default). */
export function podWith(o: PodWithOptions = {}): Pod {
  const uid = o.uid ?? `00000000-0000-4000-9000-${String(++uidSeq).padStart(12, '0')}`;
  const inits = [
    ...(o.initContainers ?? []).map(containerOf),
    ...(o.sidecars ?? []).map((c) => ({ ...containerOf(c), restartPolicy: 'Always' as const })),
  ];
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name: o.name ?? 'p',
      namespace: o.namespace ?? 'default',
      uid,
      resourceVersion: '1',
      creationTimestamp: '2026-01-01T00:00:00Z',
      annotations: o.annotations,
    },
    spec: {
      nodeName: o.nodeName ?? TEST_NODE,
      restartPolicy: o.restartPolicy ?? 'Always',
      terminationGracePeriodSeconds: o.terminationGracePeriodSeconds ?? 30,
      activeDeadlineSeconds: o.activeDeadlineSeconds,
      ...(inits.length ? { initContainers: inits } : {}),
      containers: (o.containers ?? ['app']).map(containerOf),
    },
    status: { phase: 'Pending', qosClass: 'BestEffort' },
  };
}

// ---- runtime views for computePodActions and status tests

export function readySandbox(attempt = 0, id = `sb${attempt}`): SandboxView {
  return {
    id,
    attempt,
    state: 'SANDBOX_READY',
    createdAt: T0 + attempt,
    ip: '10.88.0.2',
    additionalIps: [],
    network: 'POD',
  };
}

let cSeq = 0;

function view(pod: Pod, name: string, patch: Partial<ContainerView>): ContainerView {
  const spec = [...(pod.spec.initContainers ?? []), ...pod.spec.containers].find((c) => c.name === name);
  const n = ++cSeq;
  return {
    id: `c${n}-${name}`,
    podSandboxId: 'sb0',
    name,
    restartCount: 0,
    state: 'CONTAINER_RUNNING',
    createdAt: T0 + n,
    startedAt: T0 + n,
    exitCode: 0,
    reason: '',
    message: '',
    hash: spec ? hashContainer(spec) : '',
    image: spec?.image ?? 'busybox:1.36',
    imageRef: 'sha256:abc',
    ...patch,
  };
}

export function running(pod: Pod, name: string, patch: Partial<ContainerView> = {}): ContainerView {
  return view(pod, name, patch);
}

export function exited(pod: Pod, name: string, exitCode: number, patch: Partial<ContainerView> = {}): ContainerView {
  return view(pod, name, {
    state: 'CONTAINER_EXITED',
    exitCode,
    reason: exitCode === 0 ? 'Completed' : 'Error',
    finishedAt: T0 + 1000,
    ...patch,
  });
}

/** A runtime view with one ready sandbox and the given container instances (put newest first). */
export function runtimeWith(
  pod: Pod,
  containers: ContainerView[] = [],
  sandboxes = [readySandbox()],
): PodRuntimeStatus {
  return { uid: pod.metadata.uid ?? '', sandboxes, containers };
}
