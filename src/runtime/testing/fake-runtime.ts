// FakeRuntime: a recording Runtime double for tier-2 tests of the agent
// (STYLE.md §11), after kubelet's pkg/kubelet/container/testing/fake_runtime.go
// (records calls, injected errors, BlockImagePulls) and cri-api's
// FakeRuntimeService. It keeps just enough state to be believable — sandboxes,
// containers, images — but no timing model beyond scripted exits: use
// SimRuntime when a test is about behaviour over time.
import type { Clock } from '../../lib/clock.js';
import { FakeClock } from '../../lib/testing/fake-clock.js';
import { EXIT_CODE_SIGKILL, EXIT_CODE_SIGTERM, REASON_COMPLETED, REASON_ERROR, RuntimeError } from '../runtime.js';
import type {
  AuthConfig,
  ByteSink,
  Container,
  ContainerConfig,
  ContainerEvent,
  ContainerEventType,
  ContainerFilter,
  ContainerStats,
  ContainerStatus,
  ExecSession,
  ExecSyncResult,
  GrpcServingStatus,
  HttpProbeResponse,
  Image,
  ImageFilter,
  ImageSpec,
  LogEntry,
  LogFollower,
  LogReadOptions,
  PodSandbox,
  PodSandboxConfig,
  PodSandboxFilter,
  PodSandboxStats,
  PodSandboxStatus,
  ProbeTarget,
  ProbeTransport,
  HookType,
  ProbeType,
  Runtime,
  RuntimeStatus,
  StreamOptions,
  Unsubscribe,
  VersionInfo,
} from '../runtime.js';

/** Names of the Runtime methods, as recorded. */
export type RuntimeMethod = {
  [K in keyof Runtime]: Runtime[K] extends (...args: never[]) => unknown ? K : never;
}[keyof Runtime];

export interface RecordedCall {
  method: RuntimeMethod;
  args: unknown[];
}

/** How a container exits once started: at once, or after afterMs on the clock. */
export interface ScriptedExit {
  exitCode: number;
  /** Default: Completed for 0, else Error. */
  reason?: string;
  afterMs?: number;
  terminationMessage?: string;
}

export interface FakeRuntimeOptions {
  clock?: Clock;
  /**
   * Scripted exits by container name; an array scripts successive attempts
   * (index = metadata.attempt, the last entry repeats). Containers without
   * a script run until stopped.
   */
  exits?: Record<string, ScriptedExit | ScriptedExit[]>;
  /** Exit code a stopped container reports (default 143: it obeyed SIGTERM). */
  stopExitCode?: number;
  /** Images present from the start. */
  images?: string[];
}

interface FakeSandbox {
  status: PodSandboxStatus;
  config: PodSandboxConfig;
}

interface FakeContainer {
  status: ContainerStatus;
  config: ContainerConfig;
  log: LogEntry[];
  exitTimer?: { cancel(): void };
}

interface Gate {
  promise: Promise<void>;
  release: () => void;
  waiting: number;
}

/** A ProbeTransport whose answers the test sets per container name and probe type. */
export class FakeProbeTransport implements ProbeTransport {
  readonly calls: { kind: 'exec' | 'http' | 'tcp' | 'grpc'; target: ProbeTarget }[] = [];
  private readonly results = new Map<string, boolean | RuntimeError>();

  /** true = success, false = failure, a RuntimeError = that error (e.g. 'DeadlineExceeded'). Default success. */
  setResult(containerName: string, probeType: ProbeType | HookType, result: boolean | RuntimeError): void {
    this.results.set(`${containerName}/${probeType}`, result);
  }

  private result(kind: 'exec' | 'http' | 'tcp' | 'grpc', target: ProbeTarget): boolean {
    this.calls.push({ kind, target });
    const r = this.results.get(`${target.containerName}/${target.probeType}`) ?? true;
    if (r instanceof RuntimeError) {
      throw r;
    }
    return r;
  }

  async exec(target: ProbeTarget): Promise<ExecSyncResult> {
    return { stdout: '', stderr: '', exitCode: this.result('exec', target) ? 0 : 1 };
  }
  async http(target: ProbeTarget): Promise<HttpProbeResponse> {
    return { statusCode: this.result('http', target) ? 200 : 500, headers: {}, body: '' };
  }
  async tcp(target: ProbeTarget, host: string, port: number): Promise<void> {
    if (!this.result('tcp', target)) {
      throw new RuntimeError('Unavailable', `dial tcp ${host}:${port}: connect: connection refused`);
    }
  }
  async grpc(target: ProbeTarget): Promise<GrpcServingStatus> {
    return this.result('grpc', target) ? 'SERVING' : 'NOT_SERVING';
  }
}

export class FakeRuntime implements Runtime {
  readonly clock: Clock;
  /** Every call, in order, with its arguments. */
  readonly calls: RecordedCall[] = [];
  readonly probes = new FakeProbeTransport();
  /** execSync answers by the command joined with spaces; default exit 0 and no output. */
  readonly execResults = new Map<string, ExecSyncResult>();

  private readonly options: FakeRuntimeOptions;
  private seq = 0;
  private readonly sandboxes = new Map<string, FakeSandbox>();
  private readonly containers = new Map<string, FakeContainer>();
  private readonly images = new Map<string, Image>();
  private readonly errors = new Map<RuntimeMethod, { error: Error; times: number }[]>();
  private readonly gates = new Map<RuntimeMethod, Gate>();
  private readonly listeners = new Set<(e: ContainerEvent) => void>();

  constructor(options: FakeRuntimeOptions = {}) {
    this.options = options;
    this.clock = options.clock ?? new FakeClock();
    for (const ref of options.images ?? []) {
      this.addImage(ref);
    }
  }

  // ---- test controls ---------------------------------------------------------

  callCount(method: RuntimeMethod): number {
    return this.calls.filter((c) => c.method === method).length;
  }

  /** Arguments of each call of `method`, in order. */
  callsOf(method: RuntimeMethod): unknown[][] {
    return this.calls.filter((c) => c.method === method).map((c) => c.args);
  }

  /** The method names called, in order (kubelet's AssertCalls). */
  methodsCalled(): RuntimeMethod[] {
    return this.calls.map((c) => c.method);
  }

  clearCalls(): void {
    this.calls.length = 0;
  }

  /** The next `times` calls of `method` (default: every call until clearErrors) reject with `error`. */
  injectError(method: RuntimeMethod, error: Error, times = Infinity): void {
    const list = this.errors.get(method) ?? [];
    list.push({ error, times });
    this.errors.set(method, list);
  }

  clearErrors(method?: RuntimeMethod): void {
    if (method) {
      this.errors.delete(method);
    } else {
      this.errors.clear();
    }
  }

  /**
   * Holds every call of `method` (already recorded) until release() —
   * kubelet's BlockImagePulls. `waiting()` tells how many calls are held.
   */
  block(method: RuntimeMethod): { release(): void; waiting(): number } {
    let release!: () => void;
    const gate: Gate = { promise: new Promise<void>((r) => (release = r)), release: () => release(), waiting: 0 };
    this.gates.set(method, gate);
    return {
      release: () => {
        if (this.gates.get(method) === gate) {
          this.gates.delete(method);
        }
        gate.release();
      },
      waiting: () => gate.waiting,
    };
  }

  /** Makes a running container exit now (a crash the test decides on). */
  exitContainer(containerId: string, exitCode: number, reason?: string): void {
    const c = this.containers.get(containerId);
    if (c) {
      this.finish(c, exitCode, reason);
    }
  }

  /** Appends a log line to a container (what it "printed"). */
  writeLog(containerId: string, content: string, stream: 'stdout' | 'stderr' = 'stdout'): void {
    this.containers.get(containerId)?.log.push({ time: this.clock.now(), stream, partial: false, content });
  }

  // ---- RuntimeService ----------------------------------------------------------

  version(): Promise<VersionInfo> {
    return this.record('version', [], () => ({
      runtimeApiVersion: 'v1',
      runtimeName: 'podbay-fake',
      runtimeVersion: '0.0.0',
    }));
  }

  status(): Promise<RuntimeStatus> {
    return this.record('status', [], () => ({
      conditions: [
        { type: 'RuntimeReady', status: true },
        { type: 'NetworkReady', status: true },
      ],
    }));
  }

  runPodSandbox(config: PodSandboxConfig): Promise<string> {
    return this.record('runPodSandbox', [config], () => {
      const id = this.newId('sandbox');
      const n = this.sandboxes.size + 2;
      this.sandboxes.set(id, {
        config,
        status: {
          id,
          metadata: { ...config.metadata },
          state: 'SANDBOX_READY',
          createdAt: this.clock.now(),
          labels: { ...config.labels },
          annotations: { ...config.annotations },
          network: { ip: `10.88.${(n >> 8) & 255}.${n & 255}`, additionalIps: [] },
          namespaceOptions: { ...config.linux.securityContext.namespaceOptions },
        },
      });
      this.emit('CONTAINER_STARTED_EVENT', id, id);
      return id;
    });
  }

  stopPodSandbox(podSandboxId: string): Promise<void> {
    return this.record('stopPodSandbox', [podSandboxId], () => {
      const s = this.sandbox(podSandboxId);
      for (const c of this.containers.values()) {
        if (c.status.podSandboxId === podSandboxId) {
          this.finish(c, EXIT_CODE_SIGKILL);
        }
      }
      s.status.state = 'SANDBOX_NOTREADY';
    });
  }

  removePodSandbox(podSandboxId: string): Promise<void> {
    return this.record('removePodSandbox', [podSandboxId], () => {
      for (const [id, c] of this.containers) {
        if (c.status.podSandboxId === podSandboxId) {
          this.remove(id);
        }
      }
      this.sandboxes.delete(podSandboxId);
    });
  }

  podSandboxStatus(podSandboxId: string): Promise<PodSandboxStatus> {
    return this.record('podSandboxStatus', [podSandboxId], () => structuredClone(this.sandbox(podSandboxId).status));
  }

  listPodSandboxes(filter: PodSandboxFilter = {}): Promise<PodSandbox[]> {
    return this.record('listPodSandboxes', [filter], () =>
      [...this.sandboxes.values()]
        .map((s) => s.status)
        .filter(
          (s) =>
            (filter.id === undefined || s.id === filter.id) &&
            (filter.state === undefined || s.state === filter.state) &&
            matches(s.labels, filter.labelSelector),
        )
        .map(({ network: _n, namespaceOptions: _o, ...rest }) => structuredClone(rest)),
    );
  }

  createContainer(podSandboxId: string, config: ContainerConfig, sandboxConfig: PodSandboxConfig): Promise<string> {
    return this.record('createContainer', [podSandboxId, config, sandboxConfig], () => {
      const s = this.sandbox(podSandboxId);
      const image = this.findImage(config.image.image);
      const id = this.newId('container');
      this.containers.set(id, {
        config,
        log: [],
        status: {
          id,
          podSandboxId,
          metadata: { ...config.metadata },
          image: { ...config.image },
          imageRef: image?.id ?? config.image.image,
          state: 'CONTAINER_CREATED',
          createdAt: this.clock.now(),
          labels: { ...config.labels },
          annotations: { ...config.annotations },
          exitCode: 0,
          reason: '',
          message: '',
          logPath: `${s.config.logDirectory}/${config.logPath}`,
          mounts: config.mounts.map((m) => ({ ...m })),
          resources: { ...config.linux.resources },
        },
      });
      this.emit('CONTAINER_CREATED_EVENT', id, podSandboxId);
      return id;
    });
  }

  startContainer(containerId: string): Promise<void> {
    return this.record('startContainer', [containerId], () => {
      const c = this.container(containerId);
      if (c.status.state !== 'CONTAINER_CREATED') {
        throw new RuntimeError('FailedPrecondition', `container ${containerId} is in ${c.status.state} state`);
      }
      c.status.state = 'CONTAINER_RUNNING';
      c.status.startedAt = this.clock.now();
      this.emit('CONTAINER_STARTED_EVENT', containerId, c.status.podSandboxId);
      const script = this.options.exits?.[c.config.metadata.name];
      const exit = Array.isArray(script) ? script[Math.min(c.config.metadata.attempt, script.length - 1)] : script;
      if (exit) {
        const fire = (): void => {
          if (exit.terminationMessage !== undefined) {
            c.status.terminationMessage = exit.terminationMessage;
          }
          this.finish(c, exit.exitCode, exit.reason);
        };
        if (exit.afterMs) {
          c.exitTimer = this.clock.setTimer(exit.afterMs, fire);
        } else {
          fire();
        }
      }
    });
  }

  stopContainer(containerId: string, timeoutSeconds: number): Promise<void> {
    return this.record('stopContainer', [containerId, timeoutSeconds], () => {
      const c = this.container(containerId);
      this.finish(c, timeoutSeconds <= 0 ? EXIT_CODE_SIGKILL : (this.options.stopExitCode ?? EXIT_CODE_SIGTERM));
    });
  }

  removeContainer(containerId: string): Promise<void> {
    return this.record('removeContainer', [containerId], () => this.remove(containerId));
  }

  containerStatus(containerId: string): Promise<ContainerStatus> {
    return this.record('containerStatus', [containerId], () => structuredClone(this.container(containerId).status));
  }

  listContainers(filter: ContainerFilter = {}): Promise<Container[]> {
    return this.record('listContainers', [filter], () =>
      [...this.containers.values()]
        .map((c) => c.status)
        .filter(
          (s) =>
            (filter.id === undefined || s.id === filter.id) &&
            (filter.podSandboxId === undefined || s.podSandboxId === filter.podSandboxId) &&
            (filter.state === undefined || s.state === filter.state) &&
            matches(s.labels, filter.labelSelector),
        )
        .map((s) => ({
          id: s.id,
          podSandboxId: s.podSandboxId,
          metadata: { ...s.metadata },
          image: { ...s.image },
          imageRef: s.imageRef,
          state: s.state,
          createdAt: s.createdAt,
          labels: { ...s.labels },
          annotations: { ...s.annotations },
        })),
    );
  }

  watchContainerEvents(listener: (event: ContainerEvent) => void): Unsubscribe {
    this.calls.push({ method: 'watchContainerEvents', args: [listener] });
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  }

  execSync(containerId: string, cmd: string[], timeoutMs: number): Promise<ExecSyncResult> {
    return this.record('execSync', [containerId, cmd, timeoutMs], () => {
      this.running(containerId);
      return { ...(this.execResults.get(cmd.join(' ')) ?? { stdout: '', stderr: '', exitCode: 0 }) };
    });
  }

  exec(containerId: string, cmd: string[], options: StreamOptions): Promise<ExecSession> {
    return this.record('exec', [containerId, cmd, options], () => {
      this.running(containerId);
      const r = this.execResults.get(cmd.join(' ')) ?? { stdout: '', stderr: '', exitCode: 0 };
      const enc = new TextEncoder();
      if (r.stdout) {
        options.stdout?.write(enc.encode(r.stdout));
      }
      if (r.stderr) {
        (options.tty ? options.stdout : options.stderr)?.write(enc.encode(r.stderr));
      }
      options.stdout?.end();
      options.stderr?.end();
      return { resize: () => {}, exit: Promise.resolve(r.exitCode), close: () => {} };
    });
  }

  attach(containerId: string, options: StreamOptions): Promise<ExecSession> {
    return this.record('attach', [containerId, options], () => {
      this.running(containerId);
      return { resize: () => {}, exit: Promise.resolve(-1), close: () => {} };
    });
  }

  portForward(podSandboxId: string, port: number, toClient: ByteSink): Promise<ByteSink> {
    return this.record('portForward', [podSandboxId, port, toClient], () => {
      this.sandbox(podSandboxId);
      // An echo server.
      return { write: (chunk) => toClient.write(chunk), end: () => toClient.end() };
    });
  }

  readContainerLog(containerId: string, options: LogReadOptions = {}): Promise<LogEntry[]> {
    return this.record('readContainerLog', [containerId, options], () => {
      let log = this.container(containerId).log.filter(
        (e) => options.sinceTime === undefined || e.time >= options.sinceTime,
      );
      if (options.tailLines !== undefined) {
        log = options.tailLines <= 0 ? [] : log.slice(-options.tailLines);
      }
      return log.map((e) => ({ ...e }));
    });
  }

  followContainerLog(containerId: string, options: LogReadOptions, onEntry: (entry: LogEntry) => void): LogFollower {
    this.calls.push({ method: 'followContainerLog', args: [containerId, options, onEntry] });
    for (const e of this.container(containerId).log) {
      onEntry({ ...e });
    }
    return { stop: () => {}, done: Promise.resolve() };
  }

  reopenContainerLog(containerId: string): Promise<void> {
    return this.record('reopenContainerLog', [containerId], () => {
      this.running(containerId);
    });
  }

  containerStats(containerId: string): Promise<ContainerStats> {
    return this.record('containerStats', [containerId], () => {
      this.container(containerId);
      return { containerId, timestamp: this.clock.now(), cpuUsageCoreNanoSeconds: 0, memoryWorkingSetBytes: 0 };
    });
  }

  podSandboxStats(podSandboxId: string): Promise<PodSandboxStats> {
    return this.record('podSandboxStats', [podSandboxId], () => {
      this.sandbox(podSandboxId);
      const containers = [...this.containers.values()]
        .filter((c) => c.status.podSandboxId === podSandboxId)
        .map((c) => ({
          containerId: c.status.id,
          timestamp: this.clock.now(),
          cpuUsageCoreNanoSeconds: 0,
          memoryWorkingSetBytes: 0,
        }));
      return {
        podSandboxId,
        timestamp: this.clock.now(),
        cpuUsageCoreNanoSeconds: 0,
        memoryWorkingSetBytes: 0,
        containers,
      };
    });
  }

  probeTransport(): ProbeTransport {
    this.calls.push({ method: 'probeTransport', args: [] });
    return this.probes;
  }

  // ---- ImageService ------------------------------------------------------------

  pullImage(image: ImageSpec, auth?: AuthConfig, sandboxConfig?: PodSandboxConfig): Promise<string> {
    return this.record('pullImage', [image, auth, sandboxConfig], () => this.addImage(image.image).id);
  }

  imageStatus(image: ImageSpec): Promise<Image | undefined> {
    return this.record('imageStatus', [image], () => {
      const found = this.findImage(image.image);
      return found ? structuredClone(found) : undefined;
    });
  }

  listImages(filter: ImageFilter = {}): Promise<Image[]> {
    return this.record('listImages', [filter], () =>
      [...new Set(this.images.values())]
        .filter((i) => !filter.image || i === this.findImage(filter.image.image))
        .map((i) => structuredClone(i)),
    );
  }

  removeImage(image: ImageSpec): Promise<void> {
    return this.record('removeImage', [image], () => {
      const found = this.findImage(image.image);
      for (const [k, v] of this.images) {
        if (v === found) {
          this.images.delete(k);
        }
      }
    });
  }

  // ---- internals -------------------------------------------------------------------

  /** Records the call, then applies an injected error or a block, then runs `impl`. */
  private async record<T>(method: RuntimeMethod, args: unknown[], impl: () => T): Promise<T> {
    this.calls.push({ method, args });
    const injected = this.errors.get(method)?.[0];
    if (injected) {
      injected.times--;
      if (injected.times <= 0) {
        this.errors.get(method)!.shift();
      }
      throw injected.error;
    }
    const gate = this.gates.get(method);
    if (gate) {
      gate.waiting++;
      await gate.promise;
      gate.waiting--;
    }
    return impl();
  }

  private newId(kind: string): string {
    return `${kind}-${String(++this.seq).padStart(4, '0')}`;
  }

  private emit(type: ContainerEventType, containerId: string, podSandboxId: string): void {
    for (const l of this.listeners) {
      l({ type, containerId, podSandboxId, createdAt: this.clock.now() });
    }
  }

  private addImage(ref: string): Image {
    const existing = this.images.get(ref);
    if (existing) {
      return existing;
    }
    const hex = [...ref].reduce((h, ch) => (h * 31 + ch.charCodeAt(0)) >>> 0, 7).toString(16);
    const image: Image = {
      id: `sha256:${hex.padStart(64, '0')}`,
      repoTags: [ref],
      repoDigests: [],
      size: 1024,
      user: '',
      env: [],
      entrypoint: [],
      cmd: [],
      workingDir: '',
      pinned: false,
    };
    this.images.set(ref, image);
    this.images.set(image.id, image);
    return image;
  }

  private findImage(refOrId: string): Image | undefined {
    return this.images.get(refOrId);
  }

  private sandbox(id: string): FakeSandbox {
    const s = this.sandboxes.get(id);
    if (!s) {
      throw new RuntimeError('NotFound', `pod sandbox "${id}" not found`);
    }
    return s;
  }

  private container(id: string): FakeContainer {
    const c = this.containers.get(id);
    if (!c) {
      throw new RuntimeError('NotFound', `container "${id}" not found`);
    }
    return c;
  }

  private running(id: string): FakeContainer {
    const c = this.container(id);
    if (c.status.state !== 'CONTAINER_RUNNING') {
      throw new RuntimeError('FailedPrecondition', `container ${id} is not running`);
    }
    return c;
  }

  private finish(c: FakeContainer, exitCode: number, reason?: string): void {
    if (c.status.state !== 'CONTAINER_RUNNING') {
      return;
    }
    c.exitTimer?.cancel();
    c.status.state = 'CONTAINER_EXITED';
    c.status.finishedAt = this.clock.now();
    c.status.exitCode = exitCode;
    c.status.reason = reason ?? (exitCode === 0 ? REASON_COMPLETED : REASON_ERROR);
    this.emit('CONTAINER_STOPPED_EVENT', c.status.id, c.status.podSandboxId);
  }

  private remove(id: string): void {
    const c = this.containers.get(id);
    if (!c) {
      return;
    }
    this.finish(c, EXIT_CODE_SIGKILL);
    this.containers.delete(id);
    this.emit('CONTAINER_DELETED_EVENT', id, c.status.podSandboxId);
  }
}

function matches(labels: Record<string, string>, selector: Record<string, string> | undefined): boolean {
  return !selector || Object.entries(selector).every(([k, v]) => labels[k] === v);
}
