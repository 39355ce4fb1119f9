// The Runtime seam between the node agent and a container runtime, shaped after
// the CRI: k8s.io/cri-api/pkg/apis/runtime/v1/api.proto (RuntimeService +
// ImageService), trimmed to what podbay's agent needs, with the contracts of
// the upstream RPC comments written on each method.
//
// Implementations: src/runtime/sim (in memory, clock-driven) and
// src/runtime/oci (runc + conmon + CNI + cgroups). Both run the shared suite in
// src/runtime/testing/conformance.ts.
//
// Conventions, for every type in this file:
// - Times are milliseconds since the epoch (the unit of src/lib/clock.ts), not
//   the CRI's nanoseconds; `undefined` stands for the CRI's 0 ("not set").
// - Ids are opaque strings (sim and oci both use 64 hex characters, as
//   containerd does); filters match them exactly, not by prefix.
// - Errors are RuntimeError with a gRPC-like code (below); "not found" is always
//   code 'NotFound', so callers test it with isNotFound(e).
// - Concurrency: every method may be called concurrently with any other. The
//   agent serialises calls per pod (one pod worker per pod UID), but the prober,
//   the stream server, the stats collector and the PLEG call in parallel with it.
//   No method blocks for longer than its own work (stopContainer waits at most
//   its timeout plus the kill; pullImage as long as the pull).
//
// This file imports nothing from node:* so it can be read (and type-checked)
// anywhere; byte streams are small callback interfaces (ByteSink) instead of
// node:stream.

// ---------------------------------------------------------------------------
// errors

/**
 * Error kinds, after the gRPC status codes a CRI runtime answers with
 * (containerd's errdefs → grpc codes). The agent maps them to Kubernetes
 * reasons: a failed CreateContainer → CreateContainerError, StartContainer →
 * RunContainerError, PullImage → ErrImagePull (or the `pullReason` below).
 */
export type RuntimeErrorCode =
  | 'NotFound' // no such sandbox / container / image
  | 'AlreadyExists' // a sandbox or container with the same metadata (name + attempt) exists
  | 'InvalidArgument' // the request is malformed (e.g. a bad sim annotation, an empty image)
  | 'FailedPrecondition' // wrong state: start a non-CREATED container, create in a NOTREADY sandbox
  | 'DeadlineExceeded' // execSync / probe timed out
  | 'Unavailable' // connection refused (portForward, probes), registry down
  | 'Unknown'; // anything else, with the runtime's message

/**
 * Reasons a failed pull carries so the image manager can pick the waiting
 * reason (k8s pkg/kubelet/images/image_manager.go#evalCRIPullErr matches these
 * as message prefixes of the CRI error; podbay carries them as a field).
 */
export type ImagePullErrorReason = 'RegistryUnavailable' | 'SignatureValidationFailed';

export class RuntimeError extends Error {
  readonly code: RuntimeErrorCode;
  /** Set on pullImage failures that have a dedicated kubelet reason. */
  readonly pullReason: ImagePullErrorReason | undefined;
  constructor(code: RuntimeErrorCode, message: string, pullReason?: ImagePullErrorReason) {
    super(message);
    this.name = 'RuntimeError';
    this.code = code;
    this.pullReason = pullReason;
  }
}

export function isRuntimeError(e: unknown, code?: RuntimeErrorCode): e is RuntimeError {
  return e instanceof RuntimeError && (code === undefined || e.code === code);
}

export function isNotFound(e: unknown): boolean {
  return isRuntimeError(e, 'NotFound');
}

// ---------------------------------------------------------------------------
// shared small types

export type Labels = Record<string, string>;

/** A destination for bytes (the stdout of an exec, one direction of a port-forward). */
export interface ByteSink {
  /** Delivers a chunk; the callee must not keep the array after returning unless it copies it. */
  write(chunk: Uint8Array): void;
  /** No more chunks will follow; idempotent. */
  end(): void;
}

export interface VersionInfo {
  /** Version of the Runtime interface this implementation speaks ("v1"). */
  runtimeApiVersion: string;
  /** "podbay-sim", "podbay-oci"; shown in Node.status.nodeInfo.containerRuntimeVersion as name://version. */
  runtimeName: string;
  runtimeVersion: string;
}

/** CRI RuntimeCondition; the agent turns a false one into Node Ready=False. */
export interface RuntimeCondition {
  type: 'RuntimeReady' | 'NetworkReady';
  status: boolean;
  reason?: string;
  message?: string;
}

export interface RuntimeStatus {
  conditions: RuntimeCondition[];
}

// ---------------------------------------------------------------------------
// pod sandboxes

/** Identity of the pod a sandbox belongs to (CRI PodSandboxMetadata). */
export interface PodSandboxMetadata {
  name: string;
  namespace: string;
  uid: string;
  /** 0 for the pod's first sandbox, +1 each time the agent recreates it. */
  attempt: number;
}

export interface DnsConfig {
  servers: string[];
  searches: string[];
  /** resolv.conf options, e.g. "ndots:5". */
  options: string[];
}

export interface PortMapping {
  protocol: 'TCP' | 'UDP' | 'SCTP';
  containerPort: number;
  /** 0 = none (only hostPort mappings make the runtime open a node port). */
  hostPort: number;
  hostIp?: string;
}

/**
 * Namespace sharing (CRI NamespaceMode): POD = shared by the pod's containers,
 * CONTAINER = private to one container, NODE = the host's.
 */
export type NamespaceMode = 'POD' | 'CONTAINER' | 'NODE';

export interface NamespaceOptions {
  /** NODE for hostNetwork pods, else POD. */
  network: 'POD' | 'NODE';
  /** POD with shareProcessNamespace (pause is PID 1), NODE with hostPID, else CONTAINER. */
  pid: NamespaceMode;
  /** NODE with hostIPC, else POD. */
  ipc: 'POD' | 'NODE';
}

export interface SeccompProfile {
  type: 'RuntimeDefault' | 'Unconfined' | 'Localhost';
  localhostRef?: string;
}

export interface SELinuxOption {
  user?: string;
  role?: string;
  type?: string;
  level?: string;
}

/** Pod-level security (CRI LinuxSandboxSecurityContext). */
export interface SandboxSecurityContext {
  namespaceOptions: NamespaceOptions;
  runAsUser?: number;
  runAsGroup?: number;
  supplementalGroups?: number[];
  readonlyRootfs?: boolean;
  privileged?: boolean;
  seccomp?: SeccompProfile;
  selinuxOptions?: SELinuxOption;
}

/**
 * Cgroup values (CRI LinuxContainerResources), computed by the agent from the
 * pod spec as pod-semantics.md §8.4/§8.5 (kubelet cm/helpers_linux.go,
 * kuberuntime_container_linux.go). 0 / undefined = not set.
 */
export interface LinuxResources {
  /** cpu.shares (v1) / converted to cpu.weight by runc (v2); 2..262144. */
  cpuShares?: number;
  /** CFS quota in µs per period; 0 = unlimited. */
  cpuQuota?: number;
  /** CFS period in µs (100000 by default). */
  cpuPeriod?: number;
  memoryLimitInBytes?: number;
  /** Container only: -997 Guaranteed, 1000 BestEffort, [3,999] Burstable (§8.2). */
  oomScoreAdj?: number;
}

export interface LinuxSandboxConfig {
  /**
   * The pod's cgroup, created by the agent's cgroup manager, e.g.
   * "/kubepods/burstable/pod<uid>" (§8.3). The runtime puts the sandbox and
   * every container under it.
   */
  cgroupParent?: string;
  securityContext: SandboxSecurityContext;
  /** Namespaced sysctls from spec.securityContext.sysctls. */
  sysctls?: Record<string, string>;
  /** Pod-level values of §8.4, for runtimes that size the sandbox cgroup themselves. */
  resources?: LinuxResources;
}

/**
 * What the agent knows about a pod when it asks for a sandbox (CRI
 * PodSandboxConfig). Built once per sandbox attempt by the pod worker
 * (kubelet kuberuntime_sandbox.go#generatePodSandboxConfig).
 */
export interface PodSandboxConfig {
  metadata: PodSandboxMetadata;
  /** Pod hostname (spec.hostname or name, ≤63 chars, pod-semantics.md §14). */
  hostname: string;
  /**
   * The pod's DNS domain when spec.subdomain is set (`<subdomain>.<namespace>.svc.cluster.local`):
   * /etc/hosts names the pod IP by `<hostname>.<domain>` too (kubelet_pods.go#managedHostsFileContent).
   * A podbay addition to CRI, which leaves /etc/hosts to the kubelet.
   */
  domain?: string;
  /** spec.hostAliases, appended to /etc/hosts (a podbay addition to CRI, as `domain`). */
  hostAliases?: { ip: string; hostnames: string[] }[];
  /**
   * Absolute directory for this pod's container logs,
   * `<data-dir>/pods/<uid>` (ARCHITECTURE.md "On disk"); each container's
   * ContainerConfig.logPath is relative to it.
   */
  logDirectory: string;
  dnsConfig?: DnsConfig;
  portMappings: PortMapping[];
  /** Pod labels (the agent adds none of its own). */
  labels: Labels;
  /**
   * Pod annotations, passed through as CRI does. The sim runtime reads its
   * `sim.podbay.io/*` behaviour from here (docs/sim-runtime.md); the oci runtime
   * ignores them.
   */
  annotations: Labels;
  linux: LinuxSandboxConfig;
}

export type PodSandboxState = 'SANDBOX_READY' | 'SANDBOX_NOTREADY';

/** One entry of listPodSandboxes (CRI PodSandbox). */
export interface PodSandbox {
  id: string;
  metadata: PodSandboxMetadata;
  state: PodSandboxState;
  createdAt: number;
  labels: Labels;
  annotations: Labels;
}

export interface PodSandboxNetworkStatus {
  /** Primary pod IP; undefined when the sandbox has no network (yet). */
  ip?: string;
  /** Further IPs (other families), primary first excluded. */
  additionalIps: string[];
}

export interface PodSandboxStatus extends PodSandbox {
  /**
   * For a hostNetwork sandbox: the node IP. Kept after stopPodSandbox (as
   * containerd does) although the address goes back to the pool then; the
   * agent only trusts it while the sandbox is READY.
   */
  network: PodSandboxNetworkStatus;
  namespaceOptions: NamespaceOptions;
}

export interface PodSandboxFilter {
  id?: string;
  state?: PodSandboxState;
  /** Every pair must match the sandbox's labels (AND). */
  labelSelector?: Labels;
}

// ---------------------------------------------------------------------------
// images

/**
 * An image reference plus what the user wrote. `image` is what the runtime
 * resolves: a reference ("docker.io/library/busybox:1.36"), or an image id
 * ("sha256:…") once the agent has one from pullImage/imageStatus.
 */
export interface ImageSpec {
  image: string;
  /** The string from the pod spec, kept for status.image (kubelet sets UserSpecifiedImage). */
  userSpecifiedImage?: string;
}

/** Registry credentials from imagePullSecrets (CRI AuthConfig). */
export interface AuthConfig {
  username?: string;
  password?: string;
  /** base64 "user:password" as in a docker config.json. */
  auth?: string;
  serverAddress?: string;
  identityToken?: string;
  registryToken?: string;
}

/** CRI Image plus the parts of the image config podbay's agent needs. */
export interface Image {
  /** Content id, "sha256:<hex>" (the config digest); what pullImage returns and createContainer takes. */
  id: string;
  /** Normalised references that name it, e.g. "docker.io/library/busybox:latest". */
  repoTags: string[];
  /** "<repo>@sha256:<manifest digest>" for pulled images. */
  repoDigests: string[];
  size: number;
  /** The image config's User, as written ("", "1000", "nobody", "1000:1000"). For runAsNonRoot checks. */
  user: string;
  /** "KEY=value" strings from the image config. */
  env: string[];
  entrypoint: string[];
  cmd: string[];
  workingDir: string;
  /** Pinned images are never removed by image GC. */
  pinned: boolean;
}

export interface ImageFilter {
  image?: ImageSpec;
}

// ---------------------------------------------------------------------------
// containers

export interface ContainerMetadata {
  /** The container's name in the pod spec. */
  name: string;
  /** Restart count: 0 for the first instance, +1 per restart (pod-semantics.md §2.4). */
  attempt: number;
}

export type MountPropagation = 'PRIVATE' | 'HOST_TO_CONTAINER' | 'BIDIRECTIONAL';

export interface Mount {
  containerPath: string;
  /** Absolute host path prepared by the agent's volume manager. */
  hostPath: string;
  readonly: boolean;
  propagation: MountPropagation;
  selinuxRelabel?: boolean;
}

export interface Device {
  containerPath: string;
  hostPath: string;
  /** cgroup device permissions, e.g. "rwm". */
  permissions: string;
}

export interface Capabilities {
  add: string[];
  drop: string[];
}

/** Container security (CRI LinuxContainerSecurityContext), resolved by the agent from pod + container. */
export interface ContainerSecurityContext {
  namespaceOptions: NamespaceOptions;
  capabilities?: Capabilities;
  privileged?: boolean;
  runAsUser?: number;
  runAsGroup?: number;
  /** When the image User is a name and runAsUser is unset. */
  runAsUsername?: string;
  supplementalGroups?: number[];
  readonlyRootfs?: boolean;
  /** allowPrivilegeEscalation=false → true. */
  noNewPrivs?: boolean;
  seccomp?: SeccompProfile;
  selinuxOptions?: SELinuxOption;
  /** /proc paths masked (procMount Default) or [] (Unmasked). */
  maskedPaths?: string[];
  readonlyPaths?: string[];
}

/**
 * The /proc and /sys paths a container gets masked and read-only unless it is privileged
 * or asks for procMount Unmasked: the kubelet's securitycontext defaults
 * (pkg/securitycontext/util.go, v1.31+ with /sys/devices/virtual/powercap), which
 * containerd's pkg/oci/spec.go applies too.
 */
export const DEFAULT_MASKED_PATHS: readonly string[] = [
  '/proc/asound',
  '/proc/acpi',
  '/proc/kcore',
  '/proc/keys',
  '/proc/latency_stats',
  '/proc/timer_list',
  '/proc/timer_stats',
  '/proc/sched_debug',
  '/proc/scsi',
  '/sys/firmware',
  '/sys/devices/virtual/powercap',
];
export const DEFAULT_READONLY_PATHS: readonly string[] = [
  '/proc/bus',
  '/proc/fs',
  '/proc/irq',
  '/proc/sys',
  '/proc/sysrq-trigger',
];

export interface KeyValue {
  key: string;
  value: string;
}

/**
 * Everything the runtime needs to create one container instance (CRI
 * ContainerConfig; kubelet kuberuntime_container.go#generateContainerConfig).
 *
 * Command resolution (decided here, as CRI does it): the agent passes the pod
 * spec's `command` and `args` after `$(VAR)` expansion, unchanged otherwise,
 * and the RUNTIME resolves them against the image config the way Kubernetes
 * defines it (containerd internal/cri/opts/spec_opts.go#WithProcessArgs):
 *   command set            → command + args (image ENTRYPOINT and CMD ignored)
 *   only args set          → ENTRYPOINT + args
 *   neither                → ENTRYPOINT + CMD
 * Likewise `envs` are the container's resolved variables (valueFrom, envFrom and
 * the service-link/downward variables already filled in); the runtime puts the
 * image's ENV first and lets these override it by key. `workingDir` empty →
 * the image's WorkingDir.
 */
export interface ContainerConfig {
  metadata: ContainerMetadata;
  image: ImageSpec;
  command: string[];
  args: string[];
  workingDir?: string;
  envs: KeyValue[];
  mounts: Mount[];
  devices: Device[];
  /** The agent's labels (pod name/namespace/uid, container name) for listContainers filters. */
  labels: Labels;
  /** The agent's annotations (restart count, termination message path/policy, hash…). */
  annotations: Labels;
  /**
   * Log file path relative to PodSandboxConfig.logDirectory:
   * `<container name>/<attempt>.log` (ARCHITECTURE.md "On disk"). The runtime
   * writes CRI-format lines there (sim: in memory, readable with
   * readContainerLog).
   */
  logPath: string;
  stdin: boolean;
  stdinOnce: boolean;
  tty: boolean;
  linux: {
    resources: LinuxResources;
    securityContext: ContainerSecurityContext;
  };
  /**
   * Path inside the container of the termination-message file (default
   * /dev/termination-log). A podbay addition to CRI: the runtime reads that file
   * when the container exits (≤4096 bytes, MaxContainerTerminationMessageLength,
   * k8s pkg/kubelet/container/runtime.go) and reports it in
   * ContainerStatus.terminationMessage, so the agent never reads container files
   * itself. Unset = no termination message.
   */
  terminationMessagePath?: string;
}

export type ContainerState = 'CONTAINER_CREATED' | 'CONTAINER_RUNNING' | 'CONTAINER_EXITED' | 'CONTAINER_UNKNOWN';

/** One entry of listContainers (CRI Container). */
export interface Container {
  id: string;
  podSandboxId: string;
  metadata: ContainerMetadata;
  image: ImageSpec;
  /** Image id the container was created from. */
  imageRef: string;
  state: ContainerState;
  createdAt: number;
  labels: Labels;
  annotations: Labels;
}

/**
 * Terminated reasons a runtime sets (containerd internal/cri/server/helpers.go;
 * pod-semantics.md §2.3): exit 0 → Completed, else Error; OOM kill → OOMKilled
 * (exit 137); the process never ran → StartError (exit 128); lost → Unknown (255).
 */
export const REASON_COMPLETED = 'Completed';
export const REASON_ERROR = 'Error';
export const REASON_OOM_KILLED = 'OOMKilled';
export const REASON_START_ERROR = 'StartError';
export const REASON_UNKNOWN = 'Unknown';

/** Exit code of a process killed by signal N is 128+N. */
export const EXIT_CODE_SIGKILL = 137;
export const EXIT_CODE_SIGTERM = 143;

export interface ContainerStatus extends Container {
  /**
   * Here (unlike in listContainers) the image's first repo digest,
   * "docker.io/library/busybox@sha256:…", or its id when it has none: the
   * value Pod status.imageID shows (containerd container_status.go: "ImageRef
   * in container status is repo digest").
   */
  imageRef: string;
  startedAt?: number;
  finishedAt?: number;
  /** Meaningful only when state is CONTAINER_EXITED. */
  exitCode: number;
  /** See the REASON_* constants; empty while not exited. */
  reason: string;
  /** The runtime's own message (e.g. why a start failed); empty usually. */
  message: string;
  /** Absolute path: PodSandboxConfig.logDirectory + '/' + ContainerConfig.logPath. */
  logPath: string;
  /** Content of the termination-message file once EXITED (see ContainerConfig.terminationMessagePath). */
  terminationMessage?: string;
  mounts: Mount[];
  resources: LinuxResources;
}

export interface ContainerFilter {
  id?: string;
  podSandboxId?: string;
  state?: ContainerState;
  /** Every pair must match the container's labels (AND). */
  labelSelector?: Labels;
}

/**
 * Container lifecycle events (CRI GetContainerEvents, used by kubelet's
 * Evented PLEG): lets the agent react to exits without relisting. Sandbox
 * events carry containerId === podSandboxId.
 */
export type ContainerEventType =
  'CONTAINER_CREATED_EVENT' | 'CONTAINER_STARTED_EVENT' | 'CONTAINER_STOPPED_EVENT' | 'CONTAINER_DELETED_EVENT';

export interface ContainerEvent {
  type: ContainerEventType;
  containerId: string;
  podSandboxId: string;
  /** When it happened. */
  createdAt: number;
}

export interface Unsubscribe {
  (): void;
}

// ---------------------------------------------------------------------------
// exec, attach, port-forward, logs

export interface ExecSyncResult {
  stdout: string;
  stderr: string;
  exitCode: number;
}

export interface TerminalSize {
  width: number;
  height: number;
}

/** Where an exec/attach writes, and whether it reads stdin / runs on a tty. */
export interface StreamOptions {
  /** When true, ExecSession.stdin is defined. */
  stdin: boolean;
  /** With a tty, stderr is merged into stdout (no separate stream). */
  tty: boolean;
  stdout?: ByteSink;
  stderr?: ByteSink;
}

/**
 * A running exec or attach (CRI Exec/Attach, which hand out a streaming URL;
 * podbay's agent serves the stream itself and drives this object).
 */
export interface ExecSession {
  /** Present when StreamOptions.stdin was true; end() closes the process's stdin. */
  stdin?: ByteSink;
  /** Terminal resize (only with tty). */
  resize(size: TerminalSize): void;
  /**
   * Exit code of the exec'd process; for attach, of the container's main
   * process. Resolves after stdout/stderr got end(). Rejects only if the
   * runtime loses the process (RuntimeError 'Unknown').
   */
  readonly exit: Promise<number>;
  /**
   * Exec: kills the process (`exit` resolves with 137). Attach: detaches and
   * leaves the container running (`exit` resolves with -1). Idempotent.
   */
  close(): void;
}

/** One CRI log line: `<RFC3339Nano time> <stream> <P|F> <content>` (kubelet kuberuntime/logs). */
export interface LogEntry {
  /** When written, ms since the epoch. */
  time: number;
  stream: 'stdout' | 'stderr';
  /** true for a 'P' (partial) line, continued by the next entry. */
  partial: boolean;
  content: string;
}

export interface LogReadOptions {
  /** Only the last N entries (kubectl logs --tail). */
  tailLines?: number;
  /** Only entries with time ≥ sinceTime (kubectl logs --since/--since-time). */
  sinceTime?: number;
}

export interface LogFollower {
  /** Stop following; `done` resolves. Idempotent. */
  stop(): void;
  /** Resolves when the container has exited and every entry was delivered, or after stop(). */
  readonly done: Promise<void>;
}

// ---------------------------------------------------------------------------
// stats

export interface ContainerStats {
  containerId: string;
  /** When sampled. */
  timestamp: number;
  /** Cumulative CPU time used, in core-nanoseconds. */
  cpuUsageCoreNanoSeconds: number;
  /** Memory working set (what the OOM killer and kubectl top look at). */
  memoryWorkingSetBytes: number;
}

export interface PodSandboxStats {
  podSandboxId: string;
  timestamp: number;
  cpuUsageCoreNanoSeconds: number;
  memoryWorkingSetBytes: number;
  containers: ContainerStats[];
}

// ---------------------------------------------------------------------------
// probes (and lifecycle hooks): how httpGet / tcpSocket / grpc / exec handlers reach a pod

export type ProbeType = 'liveness' | 'readiness' | 'startup';

/** Lifecycle hooks run their httpGet (and exec) handlers through the same transport. */
export type HookType = 'postStart' | 'preStop';

/**
 * Who is asking. A real transport needs only the address (`host` in each
 * request, the pod IP by default); the sim answers from the pod's
 * `sim.podbay.io/probe.<container>.<type>` / `hook.<container>.<type>`
 * annotations, so the prober and the hook runner always say who they are and
 * never special-case the sim.
 */
export interface ProbeTarget {
  podSandboxId: string;
  containerId: string;
  containerName: string;
  probeType: ProbeType | HookType;
}

export interface HttpProbeRequest {
  scheme: 'HTTP' | 'HTTPS';
  /** httpGet.host, or the pod IP. */
  host: string;
  port: number;
  /** Path with query, starting with "/". */
  path: string;
  /** In order; the prober adds User-Agent `kube-probe/<major>.<minor>` and Accept (k8s pkg/probe/http/request.go). */
  headers: [name: string, value: string][];
}

export interface HttpProbeResponse {
  statusCode: number;
  /** Lower-cased names; the prober reads `location` to decide about redirects. */
  headers: Record<string, string>;
  /** At most the first 10 KiB of the body (k8s pkg/probe/http/http.go maxRespBodyLength). */
  body: string;
}

export type GrpcServingStatus = 'UNKNOWN' | 'SERVING' | 'NOT_SERVING' | 'SERVICE_UNKNOWN';

/**
 * One probe attempt over the wire, without Kubernetes' interpretation: the
 * prober (src/node/prober) decides success from the answer (200 ≤ code < 400,
 * redirect rules, exit code 0, SERVING) and owns thresholds and periods.
 * Every method either answers or rejects with RuntimeError: 'Unavailable' for
 * a refused/reset connection, 'DeadlineExceeded' after timeoutMs.
 * Callers: the agent's probe workers, concurrently for many containers, and
 * its lifecycle-hook runner (exec and httpGet handlers of postStart/preStop;
 * the `sleep` handler needs no transport).
 */
export interface ProbeTransport {
  /** An exec probe or exec hook (real: runtime.execSync). */
  exec(target: ProbeTarget, cmd: string[], timeoutMs: number): Promise<ExecSyncResult>;
  /** One HTTP request; redirects are NOT followed here (the prober follows same-host ones). */
  http(target: ProbeTarget, req: HttpProbeRequest, timeoutMs: number): Promise<HttpProbeResponse>;
  /** Resolves once a TCP connection to host:port is established (then closed). */
  tcp(target: ProbeTarget, host: string, port: number, timeoutMs: number): Promise<void>;
  /** grpc.health.v1.Health/Check for `service` ("" = the server). */
  grpc(target: ProbeTarget, host: string, port: number, service: string, timeoutMs: number): Promise<GrpcServingStatus>;
}

// ---------------------------------------------------------------------------
// the services

/**
 * CRI ImageService. Caller: the agent's image manager (pull policy, backoff,
 * image GC), and the pod worker for the image id of a container.
 */
export interface ImageService {
  /**
   * Pulls `image` and returns its image id ("sha256:…", which the agent passes
   * to createContainer as ContainerConfig.image.image). Pulling an image
   * that is present refreshes it and resolves to the (possibly new) id.
   * Concurrent pulls of one reference may be coalesced into one.
   * `sandboxConfig` is the pod asking (CRI passes it for runtime-class and
   * per-pod behaviour; the sim reads `sim.podbay.io/pull-*` from it).
   * Errors: RuntimeError 'NotFound' (no such image/tag), 'Unavailable' with
   * pullReason 'RegistryUnavailable', 'Unknown' with the registry's message.
   */
  pullImage(image: ImageSpec, auth?: AuthConfig, sandboxConfig?: PodSandboxConfig): Promise<string>;
  /** The image if present (by reference or id), else undefined. Never throws NotFound. */
  imageStatus(image: ImageSpec): Promise<Image | undefined>;
  listImages(filter?: ImageFilter): Promise<Image[]>;
  /**
   * Removes the image and every tag of it. Idempotent: removing a missing image
   * resolves. Rejects with 'FailedPrecondition' while a container uses it.
   */
  removeImage(image: ImageSpec): Promise<void>;
}

/**
 * CRI RuntimeService. Callers: the agent's pod workers (one per pod,
 * serialised per pod), the PLEG / status code (list, status, events), the
 * prober (execSync), the stream server (exec, attach, portForward, logs) and
 * the stats collector.
 */
export interface RuntimeService {
  /** Name and version; cheap, any time. */
  version(): Promise<VersionInfo>;
  /** Runtime and network readiness, polled by the agent's node-status loop. */
  status(): Promise<RuntimeStatus>;

  // ---- sandboxes --------------------------------------------------------

  /**
   * Creates and starts the pod sandbox: network namespace with an IP from the
   * pod CIDR (or the node's network for NamespaceOptions.network NODE), shared
   * IPC/UTS, hostname, the pause process when the PID namespace is shared, the
   * pod cgroup under linux.cgroupParent. On success the sandbox is READY.
   * Caller: the pod worker, when computePodActions says a sandbox is needed
   * (first sync, or the old one died); each retry bumps metadata.attempt.
   * Not idempotent: a second call with the same metadata while that sandbox
   * exists → 'AlreadyExists'. On failure nothing is left behind.
   */
  runPodSandbox(config: PodSandboxConfig): Promise<string>;
  /**
   * Stops every container in the sandbox (forcibly: SIGKILL, exit 137; the
   * agent stops them gracefully first) and tears down the network, returning
   * the IP to the pool. State → NOTREADY. Idempotent: stopping a stopped
   * sandbox resolves; an unknown id (never created, or removed) → 'NotFound'
   * (as containerd answers; the agent treats NotFound as done).
   * Caller: the pod worker when the pod terminates, possibly several times.
   */
  stopPodSandbox(podSandboxId: string): Promise<void>;
  /**
   * Removes the sandbox and all its containers (killing any still running).
   * Idempotent: removing a removed / unknown sandbox resolves.
   * Caller: pod GC in the agent after the pod is gone or the sandbox was replaced.
   */
  removePodSandbox(podSandboxId: string): Promise<void>;
  /** Current status; 'NotFound' if absent (including after remove). */
  podSandboxStatus(podSandboxId: string): Promise<PodSandboxStatus>;
  /** Sandboxes matching every given field of the filter, oldest first. */
  listPodSandboxes(filter?: PodSandboxFilter): Promise<PodSandbox[]>;

  // ---- containers -------------------------------------------------------

  /**
   * Creates a container (state CREATED) in a READY sandbox from an image that
   * is present. Caller: the pod worker, after pullImage, once per start
   * attempt (metadata.attempt = the restart count). `sandboxConfig` is the same
   * value runPodSandbox got (CRI passes it again). Errors: 'NotFound' for an
   * unknown sandbox or absent image, 'FailedPrecondition' if the sandbox is not
   * READY, 'AlreadyExists' for the same name+attempt in the sandbox,
   * 'InvalidArgument' for a bad config; the agent reports CreateContainerError.
   */
  createContainer(podSandboxId: string, config: ContainerConfig, sandboxConfig: PodSandboxConfig): Promise<string>;
  /**
   * Starts a CREATED container → RUNNING (startedAt = now). Resolves once the
   * process runs; it may exit at any moment after. If the process cannot
   * start, the container becomes EXITED (exit 128, reason StartError) and the
   * call rejects ('Unknown'); the agent reports RunContainerError.
   * 'FailedPrecondition' for any state other than CREATED.
   */
  startContainer(containerId: string): Promise<void>;
  /**
   * Stops a running container and resolves once it has EXITED (CRI
   * StopContainer):
   *
   *   t=0            t=timeoutSeconds
   *   │ SIGTERM       │ SIGKILL (exit 137) if still running
   *   ├───────────────┤
   *   └─ exits on its own meanwhile → its own exit code (143 if it died of SIGTERM)
   *
   * timeoutSeconds 0 sends SIGKILL at once (the agent never passes less than 2,
   * pod-semantics.md §7.3 — minimumGracePeriodInSeconds). Idempotent: an
   * EXITED or CREATED container resolves at once, unchanged. Concurrent calls
   * all resolve on the same exit; the earliest kill deadline wins.
   * 'NotFound' for an unknown id. Caller: the pod worker (kill, probe failure,
   * termination), after it ran the preStop hook.
   */
  stopContainer(containerId: string, timeoutSeconds: number): Promise<void>;
  /**
   * Removes the container (SIGKILL first if it runs) and its in-runtime
   * state; its log file stays on disk for the agent's log GC (the sim drops
   * its in-memory log). Idempotent: unknown ids resolve.
   * Caller: the agent's container GC (keeps the last exited instance per
   * container for `kubectl logs --previous` and lastState).
   */
  removeContainer(containerId: string): Promise<void>;
  /** Current status; 'NotFound' for an unknown or removed id. */
  containerStatus(containerId: string): Promise<ContainerStatus>;
  /** Containers matching every given field of the filter, oldest first. */
  listContainers(filter?: ContainerFilter): Promise<Container[]>;
  /**
   * Subscribes to lifecycle events of all containers and sandboxes, delivered
   * in order, synchronously after the state change is visible to
   * containerStatus — possibly inside the runtime call that caused it (a
   * stopContainer emits CONTAINER_STOPPED_EVENT before it resolves). So the
   * listener must only enqueue work (the agent's PLEG wakes the pod worker),
   * never call back into the runtime synchronously, and never throw.
   */
  watchContainerEvents(listener: (event: ContainerEvent) => void): Unsubscribe;

  // ---- exec / attach / port-forward ---------------------------------------

  /**
   * Runs `cmd` in a RUNNING container and collects its output (CRI ExecSync).
   * Resolves with the exit code, whatever it is; rejects with
   * 'DeadlineExceeded' after timeoutMs (0 = no timeout; the process is
   * killed), 'FailedPrecondition' if the container is not running, 'NotFound'.
   * Callers: lifecycle hooks (postStart/preStop exec) and the real exec probe.
   */
  execSync(containerId: string, cmd: string[], timeoutMs: number): Promise<ExecSyncResult>;
  /** Starts `cmd` in a RUNNING container with streams (kubectl exec). Errors as execSync. */
  exec(containerId: string, cmd: string[], options: StreamOptions): Promise<ExecSession>;
  /**
   * Attaches to the main process of a RUNNING container (kubectl attach, and
   * `kubectl run -i`): its output from now on; stdin only if the container was
   * created with stdin. `exit` resolves with the container's exit code.
   */
  attach(containerId: string, options: StreamOptions): Promise<ExecSession>;
  /**
   * Opens one TCP connection to `port` inside the sandbox's network namespace
   * (kubectl port-forward). Bytes from the pod go to `toClient`; write to the
   * returned sink to send to the pod; either side's end() closes that
   * direction. 'Unavailable' if nothing listens, 'FailedPrecondition' if the
   * sandbox is not READY.
   */
  portForward(podSandboxId: string, port: number, toClient: ByteSink): Promise<ByteSink>;

  // ---- logs ---------------------------------------------------------------

  /**
   * The container's log entries so far (from its CRI log file; sim: memory).
   * Works for EXITED containers until they are removed ('NotFound' after).
   * Callers: the stream server (kubectl logs), the agent for
   * FallbackToLogsOnError (last 80 lines, pod-semantics.md §2.3).
   */
  readContainerLog(containerId: string, options?: LogReadOptions): Promise<LogEntry[]>;
  /**
   * Delivers the selected existing entries (synchronously, before it
   * returns), then new ones as they are written, until the container exits or
   * stop() (kubectl logs -f). Throws RuntimeError 'NotFound' at once for an
   * unknown id.
   */
  followContainerLog(containerId: string, options: LogReadOptions, onEntry: (entry: LogEntry) => void): LogFollower;
  /**
   * Reopens the log file after the agent rotated it (CRI ReopenContainerLog).
   * 'FailedPrecondition' if the container is not running.
   */
  reopenContainerLog(containerId: string): Promise<void>;

  // ---- stats ------------------------------------------------------------

  /** Usage of one container (running or not); 'NotFound' for an unknown id. */
  containerStats(containerId: string): Promise<ContainerStats>;
  /** Usage of a sandbox: the sum over its containers, plus each of them. */
  podSandboxStats(podSandboxId: string): Promise<PodSandboxStats>;

  // ---- probes -------------------------------------------------------------

  /**
   * How the prober reaches this runtime's pods (see ProbeTransport). The same
   * object for the runtime's lifetime.
   */
  probeTransport(): ProbeTransport;
}

/**
 * What the agent depends on: both CRI services in one object, as podbay runs
 * the runtime in-process. main.ts is the only place that picks sim or oci.
 */
export interface Runtime extends RuntimeService, ImageService {}
