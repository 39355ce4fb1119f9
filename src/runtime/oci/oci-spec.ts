// OCI runtime-spec config.json for a pod's infra (pause) container and for
// its containers, as containerd's CRI plugin builds them
// (internal/cri/server/sandbox_run_linux.go, container_create_linux.go,
// pkg/oci/spec.go populateDefaultUnixSpec). Pure: everything from the host
// (limits, capability set, the infra pid) comes in as arguments.
import type { ContainerConfig, LinuxResources, Mount, MountPropagation, PodSandboxConfig } from '../runtime.js';
import { DEFAULT_MASKED_PATHS, DEFAULT_READONLY_PATHS } from '../runtime.js';
import { computeCapabilities } from './capabilities.js';
import type { HostLimits } from './host-limits.js';
import type { ProcessUser } from './image-user.js';
import { seccompFor } from './seccomp-profile.js';
import type { OciSeccomp } from './seccomp-profile.js';

export interface OciMount {
  destination: string;
  type?: string;
  source: string;
  options?: string[];
}

export interface OciNamespace {
  type: 'pid' | 'network' | 'ipc' | 'uts' | 'mount' | 'cgroup' | 'user';
  path?: string;
}

export interface OciDevice {
  path: string;
  type: 'c' | 'b';
  major: number;
  minor: number;
  fileMode?: number;
  uid?: number;
  gid?: number;
}

export interface OciDeviceRule {
  allow: boolean;
  type?: 'c' | 'b' | 'a';
  major?: number;
  minor?: number;
  access: string;
}

export interface OciResources {
  devices: OciDeviceRule[];
  memory?: { limit?: number; swap?: number };
  cpu?: { shares?: number; quota?: number; period?: number };
}

export interface OciCapabilities {
  bounding: string[];
  effective: string[];
  permitted: string[];
  inheritable: string[];
  ambient: string[];
}

export interface OciSpec {
  ociVersion: string;
  process: {
    terminal: boolean;
    user: { uid: number; gid: number; additionalGids?: number[] };
    args: string[];
    env: string[];
    cwd: string;
    capabilities: OciCapabilities;
    rlimits: { type: string; hard: number; soft: number }[];
    noNewPrivileges: boolean;
    oomScoreAdj?: number;
  };
  root: { path: string; readonly: boolean };
  hostname?: string;
  mounts: OciMount[];
  annotations?: Record<string, string>;
  linux: {
    namespaces: OciNamespace[];
    cgroupsPath: string;
    resources: OciResources;
    devices?: OciDevice[];
    sysctl?: Record<string, string>;
    maskedPaths: string[];
    readonlyPaths: string[];
    seccomp?: OciSeccomp;
  };
}

/** cri-o's and containerd's usual container NOFILE; clamped to the caller's hard limit. */
const DEFAULT_NOFILE = 1048576;

/** Where the infra container's rootfs gets catatonit. */
export const PAUSE_PATH = '/catatonit';

function baseMounts(readonlySys: boolean, shmSource: string | undefined): OciMount[] {
  return [
    { destination: '/proc', type: 'proc', source: 'proc', options: ['nosuid', 'noexec', 'nodev'] },
    {
      destination: '/dev',
      type: 'tmpfs',
      source: 'tmpfs',
      options: ['nosuid', 'strictatime', 'mode=755', 'size=65536k'],
    },
    {
      destination: '/dev/pts',
      type: 'devpts',
      source: 'devpts',
      options: ['nosuid', 'noexec', 'newinstance', 'ptmxmode=0666', 'mode=0620', 'gid=5'],
    },
    shmSource
      ? { destination: '/dev/shm', type: 'bind', source: shmSource, options: ['rbind', 'rprivate', 'rw'] }
      : {
          destination: '/dev/shm',
          type: 'tmpfs',
          source: 'shm',
          options: ['nosuid', 'noexec', 'nodev', 'mode=1777', 'size=65536k'],
        },
    { destination: '/dev/mqueue', type: 'mqueue', source: 'mqueue', options: ['nosuid', 'noexec', 'nodev'] },
    {
      destination: '/sys',
      type: 'sysfs',
      source: 'sysfs',
      options: ['nosuid', 'noexec', 'nodev', readonlySys ? 'ro' : 'rw'],
    },
    {
      destination: '/sys/fs/cgroup',
      type: 'cgroup',
      source: 'cgroup',
      options: ['nosuid', 'noexec', 'nodev', 'relatime', readonlySys ? 'ro' : 'rw'],
    },
  ];
}

function capabilitySet(caps: string[]): OciCapabilities {
  // Inheritable stays empty since containerd 1.6.2 (CVE-2022-24769).
  return { bounding: caps, effective: caps, permitted: caps, inheritable: [], ambient: [] };
}

function rlimits(host: HostLimits): OciSpec['process']['rlimits'] {
  const nofile = Math.min(DEFAULT_NOFILE, host.nofileHard);
  return [{ type: 'RLIMIT_NOFILE', hard: nofile, soft: nofile }];
}

/** OCI cgroup resources from the CRI values (runc turns shares into cpu.weight on v2). */
export function ociResources(r: LinuxResources, withSwap: boolean): OciResources {
  const out: OciResources = { devices: [{ allow: false, access: 'rwm' }] };
  if (r.memoryLimitInBytes) {
    // swap = limit: no swap beyond the memory limit, so going over it OOM-kills (containerd does the same).
    out.memory = { limit: r.memoryLimitInBytes, ...(withSwap ? { swap: r.memoryLimitInBytes } : {}) };
  }
  const cpu: NonNullable<OciResources['cpu']> = {};
  if (r.cpuShares) {
    cpu.shares = r.cpuShares;
  }
  if (r.cpuQuota) {
    cpu.quota = r.cpuQuota;
    cpu.period = r.cpuPeriod || 100000;
  } else if (r.cpuPeriod) {
    cpu.period = r.cpuPeriod;
  }
  if (Object.keys(cpu).length > 0) {
    out.cpu = cpu;
  }
  return out;
}

export interface SandboxSpecInput {
  config: PodSandboxConfig;
  /** Network namespace path; undefined for hostNetwork. */
  netnsPath: string | undefined;
  cgroupsPath: string;
  host: HostLimits;
  /** The catatonit binary to bind-mount at PAUSE_PATH. */
  pauseBinary: string;
}

/**
 * The infra container: catatonit in pause mode (-P), holding the pod's IPC,
 * UTS and PID namespaces (and living in its network namespace) so containers
 * can join them by /proc/<pid>/ns/* while any of them restarts.
 */
export function buildSandboxSpec(i: SandboxSpecInput): OciSpec {
  const ns = i.config.linux.securityContext.namespaceOptions;
  const namespaces: OciNamespace[] = [{ type: 'mount' }, { type: 'pid' }];
  if (ns.ipc !== 'NODE') {
    namespaces.push({ type: 'ipc' });
  }
  if (ns.network !== 'NODE') {
    namespaces.push({ type: 'uts' }, { type: 'network', ...(i.netnsPath ? { path: i.netnsPath } : {}) });
  }
  return {
    ociVersion: '1.0.2',
    process: {
      terminal: false,
      user: { uid: 0, gid: 0 },
      args: [PAUSE_PATH, '-P'],
      env: ['PATH=/'],
      cwd: '/',
      capabilities: capabilitySet([]),
      rlimits: rlimits(i.host),
      noNewPrivileges: true,
      // The pause process must be the last to be OOM-killed (kubelet qos.PodInfraOOMAdj = -998).
      oomScoreAdj: Math.max(-998, i.host.minOomScoreAdj),
    },
    root: { path: 'rootfs', readonly: true },
    ...(ns.network !== 'NODE' ? { hostname: i.config.hostname } : {}),
    mounts: [
      { destination: '/proc', type: 'proc', source: 'proc', options: ['nosuid', 'noexec', 'nodev'] },
      {
        destination: '/dev',
        type: 'tmpfs',
        source: 'tmpfs',
        options: ['nosuid', 'strictatime', 'mode=755', 'size=65536k'],
      },
      { destination: PAUSE_PATH, type: 'bind', source: i.pauseBinary, options: ['bind', 'ro'] },
    ],
    linux: {
      namespaces,
      cgroupsPath: i.cgroupsPath,
      resources: { devices: [{ allow: false, access: 'rwm' }] },
      ...(i.config.linux.sysctls && Object.keys(i.config.linux.sysctls).length > 0
        ? { sysctl: i.config.linux.sysctls }
        : {}),
      maskedPaths: [...DEFAULT_MASKED_PATHS],
      readonlyPaths: [...DEFAULT_READONLY_PATHS],
    },
  };
}

/** The pod-level files the runtime mounts into each container (host paths). */
export interface PodFiles {
  hosts?: string;
  resolvConf: string;
  hostname: string;
  /** The pod's shared /dev/shm. */
  shm?: string;
}

export interface ContainerSpecInput {
  config: ContainerConfig;
  sandbox: PodSandboxConfig;
  args: string[];
  env: string[];
  cwd: string;
  user: ProcessUser;
  /** Pid of the sandbox's infra process, whose namespaces the container joins. */
  infraPid: number;
  netnsPath: string | undefined;
  cgroupsPath: string;
  podFiles: PodFiles;
  /** Host file bind-mounted at terminationMessagePath. */
  terminationLog?: string;
  host: HostLimits;
  /** Host devices (privileged containers get all of them). */
  devices: OciDevice[];
  withSwap: boolean;
}

function propagationOption(p: MountPropagation): string {
  return p === 'BIDIRECTIONAL' ? 'rshared' : p === 'HOST_TO_CONTAINER' ? 'rslave' : 'rprivate';
}

function bindMount(m: Mount): OciMount {
  return {
    destination: m.containerPath,
    type: 'bind',
    source: m.hostPath,
    options: ['rbind', propagationOption(m.propagation), m.readonly ? 'ro' : 'rw'],
  };
}

/** Containers' own mounts sorted so a parent directory is mounted before what is mounted inside it (containerd sortMounts). */
function sortMounts(mounts: OciMount[]): OciMount[] {
  const depth = (p: string): number => p.split('/').filter(Boolean).length;
  return [...mounts].sort((a, b) => depth(a.destination) - depth(b.destination));
}

export function buildContainerSpec(i: ContainerSpecInput): OciSpec {
  const sc = i.config.linux.securityContext;
  const privileged = sc.privileged === true;
  const nsOpts = sc.namespaceOptions;
  const proc = (kind: string): string => `/proc/${i.infraPid}/ns/${kind}`;
  const namespaces: OciNamespace[] = [{ type: 'mount' }];
  if (nsOpts.network !== 'NODE') {
    namespaces.push({ type: 'network', ...(i.netnsPath ? { path: i.netnsPath } : { path: proc('net') }) });
    namespaces.push({ type: 'uts', path: proc('uts') });
  }
  if (nsOpts.ipc !== 'NODE') {
    namespaces.push({ type: 'ipc', path: proc('ipc') });
  }
  if (nsOpts.pid === 'POD') {
    namespaces.push({ type: 'pid', path: proc('pid') });
  } else if (nsOpts.pid === 'CONTAINER') {
    namespaces.push({ type: 'pid' });
  }

  const own = i.config.mounts.map(bindMount);
  const ownPaths = new Set(own.map((m) => m.destination));
  const podMounts: OciMount[] = [];
  const ro = i.config.linux.securityContext.readonlyRootfs === true;
  const podFile = (dest: string, source: string | undefined, readonly: boolean): void => {
    if (source !== undefined && !ownPaths.has(dest)) {
      podMounts.push({
        destination: dest,
        type: 'bind',
        source,
        options: ['rbind', 'rprivate', readonly ? 'ro' : 'rw'],
      });
    }
  };
  // kubelet mounts /etc/hosts read-write (kubelet_pods.go makeMounts); containerd mounts hostname and resolv.conf
  // read-only when the rootfs is read-only (container_create_linux.go#containerMounts).
  podFile('/etc/hosts', i.podFiles.hosts, false);
  podFile('/etc/hostname', i.podFiles.hostname, ro);
  podFile('/etc/resolv.conf', i.podFiles.resolvConf, ro);
  if (i.config.terminationMessagePath && i.terminationLog) {
    podFile(i.config.terminationMessagePath, i.terminationLog, false);
  }

  const caps = computeCapabilities(sc.capabilities, privileged, i.host.bounding);
  const resources = ociResources(i.config.linux.resources, i.withSwap);
  if (privileged) {
    resources.devices = [{ allow: true, access: 'rwm' }];
  }
  const devices: OciDevice[] = privileged ? [...i.devices] : [];
  for (const d of i.devices.filter(() => !privileged)) {
    devices.push(d);
    resources.devices.push({ allow: true, type: d.type, major: d.major, minor: d.minor, access: 'rwm' });
  }

  const requestedOom = i.config.linux.resources.oomScoreAdj;
  const seccomp = seccompFor(sc.seccomp, privileged, caps);
  return {
    ociVersion: '1.0.2',
    process: {
      terminal: i.config.tty,
      user: { uid: i.user.uid, gid: i.user.gid, additionalGids: i.user.additionalGids },
      args: i.args,
      env: i.env,
      cwd: i.cwd,
      capabilities: capabilitySet(caps),
      rlimits: rlimits(i.host),
      noNewPrivileges: !privileged && sc.noNewPrivs === true,
      ...(requestedOom !== undefined ? { oomScoreAdj: Math.max(requestedOom, i.host.minOomScoreAdj) } : {}),
    },
    root: { path: 'rootfs', readonly: ro },
    mounts: [...baseMounts(!privileged, i.podFiles.shm), ...podMounts, ...sortMounts(own)],
    annotations: {
      'io.kubernetes.cri.container-name': i.config.metadata.name,
      'io.kubernetes.cri.sandbox-name': i.sandbox.metadata.name,
      'io.kubernetes.cri.sandbox-namespace': i.sandbox.metadata.namespace,
      'io.kubernetes.cri.sandbox-uid': i.sandbox.metadata.uid,
    },
    linux: {
      namespaces,
      cgroupsPath: i.cgroupsPath,
      resources,
      ...(devices.length > 0 ? { devices } : {}),
      maskedPaths: privileged ? [] : (sc.maskedPaths ?? [...DEFAULT_MASKED_PATHS]),
      readonlyPaths: privileged ? [] : (sc.readonlyPaths ?? [...DEFAULT_READONLY_PATHS]),
      ...(seccomp ? { seccomp } : {}),
    },
  };
}
