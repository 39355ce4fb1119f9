// The seams OciRuntime drives but does not own: pod networking (CNI, built in
// ./network), cgroups (v1/v2, built in ./cgroups) and the image store
// (src/images). OciRuntime depends only on these interfaces, so each side can
// be built and tested on its own; main.ts wires the real implementations in.
import type { AuthConfig, LinuxResources, PortMapping } from '../runtime.js';

/** What the network plugin needs to know about one sandbox (CNI ADD/DEL arguments). */
export interface PodNetworkRequest {
  /** The sandbox id (64 hex): the CNI ContainerID, so IPAM leases are keyed by it. */
  sandboxId: string;
  podName: string;
  podNamespace: string;
  podUid: string;
  /** Absolute path of the sandbox's network namespace (from createNetns). */
  netnsPath: string;
  /** hostPort mappings (portmap plugin); entries with hostPort 0 are ignored. */
  portMappings: PortMapping[];
}

/**
 * Pod networking (kubelet's network plugin / containerd's CNI glue): one
 * network namespace per sandbox, wired to the node's pod bridge.
 *
 * Order, as OciRuntime calls it:
 *
 *   runPodSandbox:  createNetns(name) → setUp(req) → (ip in status)
 *   stopPodSandbox: tearDown(req)                      (idempotent)
 *   removePodSandbox: tearDown(req) if not yet → removeNetns(path)
 *
 * Every method may be called concurrently for different sandboxes.
 */
export interface PodNetwork {
  /**
   * CNI ADD (bridge + host-local + loopback, portmap for hostPorts) into the
   * namespace at req.netnsPath; resolves with the pod's primary IPv4. On
   * failure it leaves nothing behind (veth, lease).
   */
  setUp(req: PodNetworkRequest): Promise<{ ip: string }>;
  /** CNI DEL: veth, lease and port mappings gone. Idempotent (a torn-down or never set-up sandbox resolves). */
  tearDown(req: PodNetworkRequest): Promise<void>;
  /**
   * Creates a new, persistent (bind-mounted) network namespace named `name`
   * (a prefix-unique name such as "podbay-<sandbox id prefix>") with
   * loopback up; resolves with its path (e.g. /run/netns/<name>).
   */
  createNetns(name: string): Promise<string>;
  /** Unmounts and deletes the namespace at `path`. Idempotent. */
  removeNetns(path: string): Promise<void>;
  /** NetworkReady: the plugins are present and the bridge can be made. */
  status(): Promise<{ ready: boolean; message?: string }>;
}

/** Cumulative usage of one cgroup. */
export interface CgroupStats {
  cpuUsageCoreNanoSeconds: number;
  memoryWorkingSetBytes: number;
}

/**
 * Cgroup hierarchy access for pod and container cgroups, on v1 (per-controller
 * hierarchies, this machine) or v2 (unified). Paths are cgroupfs-style and
 * absolute within the hierarchy, as the agent writes them
 * ("/kubepods/burstable/pod<uid>"); the driver maps them to each controller.
 */
export interface CgroupDriver {
  readonly version: 1 | 2;
  /**
   * Creates the cgroup `path` (and its parents) in every controller podbay
   * uses (cpu, cpuacct, memory, pids; v2: one directory with those
   * controllers enabled) and applies `r` (unset fields untouched). Idempotent.
   */
  ensure(path: string, r: LinuxResources): Promise<void>;
  /**
   * Removes the cgroup `path` and any child cgroups left in it (children first;
   * kills nothing: the caller has stopped the processes). Idempotent.
   */
  remove(path: string): Promise<void>;
  /**
   * Usage of `path` (a pod cgroup, or a container's: the value
   * runcCgroupsPath returned): cpuacct.usage / cpu.stat usage_usec×1000;
   * working set = usage − inactive_file (cAdvisor).
   */
  stats(path: string): Promise<CgroupStats>;
  /**
   * How many times the kernel OOM killer killed a process in `path`
   * (v1: memory.oom_control oom_kill; v2: memory.events oom_kill). 0 when
   * the cgroup is gone.
   */
  oomKillCount(path: string): Promise<number>;
  /**
   * The value for a container's OCI `linux.cgroupsPath` under the pod cgroup
   * `parent` (cgroupfs driver: "<parent>/<containerId>"), which runc creates
   * and deletes itself.
   */
  runcCgroupsPath(parent: string, containerId: string): string;
}

/** An image as the runtime needs it: identity, config, and its unpacked layers. */
export interface OciImage {
  /** "sha256:<config digest hex>". */
  id: string;
  repoTags: string[];
  repoDigests: string[];
  /** Bytes on disk (sum of the compressed layers, as containerd reports). */
  size: number;
  /** The OCI image config's `config` object (only the fields the runtime reads). */
  config: {
    User?: string;
    Env?: string[];
    Entrypoint?: string[];
    Cmd?: string[];
    WorkingDir?: string;
  };
  /**
   * Absolute directories of the unpacked layers, lowest first, never written
   * to: OciRuntime stacks them as overlayfs lowerdirs (reversed, as overlay
   * lists the top layer first).
   */
  layerDirs: string[];
}

/** The image store as OciRuntime sees it (implemented by src/images). */
export interface OciImageSource {
  /** By reference ("docker.io/library/busybox:latest", "busybox", "localhost/x:v1") or id ("sha256:…"). undefined if absent. */
  get(refOrId: string): Promise<OciImage | undefined>;
  /**
   * Pulls (or refreshes) `ref` and resolves with the image id. Rejects with a
   * RuntimeError ('NotFound', 'Unavailable' + pullReason, 'Unknown') as
   * ImageService.pullImage documents.
   */
  pull(ref: string, auth?: AuthConfig): Promise<string>;
  list(): Promise<OciImage[]>;
  /** Removes the image and its tags; layers unused by other images may go too. Idempotent. */
  remove(refOrId: string): Promise<void>;
}
