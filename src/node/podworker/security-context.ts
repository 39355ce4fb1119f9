// Pod and container securityContext → the CRI security contexts the runtime applies
// (k8s pkg/kubelet/kuberuntime/security_context.go#determineEffectiveSecurityContext,
// kuberuntime_sandbox.go#generatePodSandboxLinuxConfig, pkg/securitycontext/util.go),
// and the runAsNonRoot check the kubelet makes before creating a container
// (security_context_others.go#verifyRunAsNonRoot).
import type { Container, Pod, SecurityContext } from '../../api/types/index.js';
import { DEFAULT_MASKED_PATHS, DEFAULT_READONLY_PATHS } from '../../runtime/runtime.js';
import type {
  ContainerSecurityContext,
  NamespaceOptions,
  SandboxSecurityContext,
  SeccompProfile,
} from '../../runtime/runtime.js';

/** The pod's namespace sharing (kuberuntime_util.go#namespacesForPod). */
export function namespaceOptionsForPod(pod: Pod): NamespaceOptions {
  return {
    network: pod.spec.hostNetwork ? 'NODE' : 'POD',
    pid: pod.spec.hostPID ? 'NODE' : pod.spec.shareProcessNamespace ? 'POD' : 'CONTAINER',
    ipc: pod.spec.hostIPC ? 'NODE' : 'POD',
  };
}

/** DetermineEffectiveSecurityContext: the container's fields override the pod's shared ones. */
export function effectiveSecurityContext(pod: Pod, c: Container): SecurityContext {
  const p = pod.spec.securityContext ?? {};
  const sc: SecurityContext = { ...(c.securityContext ?? {}) };
  if (sc.seLinuxOptions === undefined && p.seLinuxOptions !== undefined) {
    sc.seLinuxOptions = p.seLinuxOptions;
  }
  if (sc.runAsUser === undefined && p.runAsUser !== undefined) {
    sc.runAsUser = p.runAsUser;
  }
  if (sc.runAsGroup === undefined && p.runAsGroup !== undefined) {
    sc.runAsGroup = p.runAsGroup;
  }
  if (sc.runAsNonRoot === undefined && p.runAsNonRoot !== undefined) {
    sc.runAsNonRoot = p.runAsNonRoot;
  }
  if (sc.seccompProfile === undefined && p.seccompProfile !== undefined) {
    sc.seccompProfile = p.seccompProfile;
  }
  return sc;
}

function seccomp(p: { type: string; localhostProfile?: string } | undefined): SeccompProfile | undefined {
  if (p === undefined) {
    return undefined;
  }
  return {
    type: p.type as SeccompProfile['type'],
    ...(p.localhostProfile !== undefined ? { localhostRef: p.localhostProfile } : {}),
  };
}

/** supplementalGroups plus fsGroup, as the kubelet passes them (fsGroup last). */
function supplementalGroups(pod: Pod): number[] | undefined {
  const p = pod.spec.securityContext;
  const groups = [...(p?.supplementalGroups ?? [])];
  if (p?.fsGroup !== undefined && !groups.includes(p.fsGroup)) {
    groups.push(p.fsGroup);
  }
  return groups.length > 0 ? groups : undefined;
}

function compact<T extends object>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}

/** generatePodSandboxLinuxConfig's SecurityContext: pod-level user, groups, seccomp; privileged if any container is. */
export function sandboxSecurityContext(pod: Pod): SandboxSecurityContext {
  const p = pod.spec.securityContext ?? {};
  const all = [...(pod.spec.initContainers ?? []), ...pod.spec.containers];
  return compact({
    namespaceOptions: namespaceOptionsForPod(pod),
    runAsUser: p.runAsUser,
    runAsGroup: p.runAsGroup,
    supplementalGroups: supplementalGroups(pod),
    privileged: all.some((c) => c.securityContext?.privileged === true) ? true : undefined,
    seccomp: seccomp(p.seccompProfile),
    selinuxOptions: p.seLinuxOptions,
  });
}

/**
 * AddNoNewPrivileges: no_new_privs only when allowPrivilegeEscalation is explicitly
 * false, and never for a privileged container.
 */
function noNewPrivs(sc: SecurityContext): boolean | undefined {
  if (sc.privileged === true || sc.allowPrivilegeEscalation === undefined) {
    return undefined;
  }
  return !sc.allowPrivilegeEscalation || undefined;
}

/** determineEffectiveSecurityContext, as the CRI LinuxContainerSecurityContext. */
export function containerSecurityContext(pod: Pod, c: Container): ContainerSecurityContext {
  const sc = effectiveSecurityContext(pod, c);
  const privileged = sc.privileged === true;
  const unmasked = sc.procMount === 'Unmasked';
  return compact({
    namespaceOptions: namespaceOptionsForPod(pod),
    capabilities:
      sc.capabilities !== undefined
        ? { add: [...(sc.capabilities.add ?? [])], drop: [...(sc.capabilities.drop ?? [])] }
        : undefined,
    privileged: privileged || undefined,
    runAsUser: sc.runAsUser,
    runAsGroup: sc.runAsGroup,
    supplementalGroups: supplementalGroups(pod),
    readonlyRootfs: sc.readOnlyRootFilesystem === true || undefined,
    noNewPrivs: noNewPrivs(sc),
    seccomp: seccomp(sc.seccompProfile),
    selinuxOptions: sc.seLinuxOptions,
    // ConvertToRuntimeMaskedPaths / ConvertToRuntimeReadonlyPaths; a privileged container gets none (runtime rule).
    maskedPaths: privileged || unmasked ? [] : [...DEFAULT_MASKED_PATHS],
    readonlyPaths: privileged || unmasked ? [] : [...DEFAULT_READONLY_PATHS],
  });
}

/**
 * verifyRunAsNonRoot: the error message (the container waits with
 * CreateContainerConfigError) or undefined. `imageUser` is the image config's User
 * as written: "" (root), "1000", "1000:1000", "nobody".
 */
export function verifyRunAsNonRoot(pod: Pod, c: Container, imageUser: string): string | undefined {
  const sc = effectiveSecurityContext(pod, c);
  if (sc.runAsNonRoot !== true) {
    return undefined;
  }
  const podDesc = `${pod.metadata.name ?? ''}_${pod.metadata.namespace ?? ''}(${pod.metadata.uid ?? ''})`;
  if (sc.runAsUser !== undefined) {
    return sc.runAsUser === 0
      ? `container's runAsUser breaks non-root policy (pod: "${podDesc}", container: ${c.name})`
      : undefined;
  }
  // getImageUser: a numeric user (before ":") is a uid; a name cannot be checked; none is root.
  const user = imageUser.split(':')[0] ?? '';
  if (user === '' || user === '0') {
    return `container has runAsNonRoot and image will run as root (pod: "${podDesc}", container: ${c.name})`;
  }
  if (!/^\d+$/.test(user)) {
    return `container has runAsNonRoot and image has non-numeric user (${user}), cannot verify user is non-root (pod: "${podDesc}", container: ${c.name})`;
  }
  return undefined;
}
