// Small builders for Runtime requests, shared by the conformance suite and
// by tests of code that drives a Runtime (the node agent's tests may use them).
import type { ContainerConfig, PodSandboxConfig } from '../runtime.js';

let uidSeq = 0;

/** A sandbox config for a pod `name` in `default`, with a fresh uid; `patch` overrides fields. */
export function sandboxConfigFor(
  name: string,
  patch: Partial<PodSandboxConfig> & { logRoot?: string } = {},
): PodSandboxConfig {
  const { logRoot = '/var/lib/podbay/pods', ...rest } = patch;
  const uid = rest.metadata?.uid ?? `00000000-0000-4000-8000-${String(++uidSeq).padStart(12, '0')}`;
  return {
    metadata: { name, namespace: 'default', uid, attempt: 0 },
    hostname: name,
    logDirectory: `${logRoot}/${uid}`,
    portMappings: [],
    labels: { 'io.kubernetes.pod.name': name, 'io.kubernetes.pod.namespace': 'default', 'io.kubernetes.pod.uid': uid },
    annotations: {},
    linux: {
      securityContext: { namespaceOptions: { network: 'POD', pid: 'CONTAINER', ipc: 'POD' } },
    },
    ...rest,
  };
}

/** A container config for `name` (attempt 0) running `command` from `image`; `patch` overrides fields. */
export function containerConfigFor(
  name: string,
  image: string,
  command: string[] = [],
  patch: Partial<ContainerConfig> = {},
): ContainerConfig {
  const attempt = patch.metadata?.attempt ?? 0;
  return {
    metadata: { name, attempt },
    image: { image, userSpecifiedImage: image },
    command,
    args: [],
    envs: [],
    mounts: [],
    devices: [],
    labels: { 'io.kubernetes.container.name': name },
    annotations: {},
    logPath: `${name}/${attempt}.log`,
    stdin: false,
    stdinOnce: false,
    tty: false,
    linux: {
      resources: {},
      securityContext: { namespaceOptions: { network: 'POD', pid: 'CONTAINER', ipc: 'POD' } },
    },
    terminationMessagePath: '/dev/termination-log',
    ...patch,
  };
}
