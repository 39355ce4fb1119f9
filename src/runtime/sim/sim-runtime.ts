// SimRuntime: the Runtime interface in memory, moved only by an injected Clock
// (kwok's idea: a node whose containers "run" as data). Containers run,
// print, exit, get OOM-killed, obey or ignore SIGTERM and answer probes as
// their command (sim-shell.ts) and the Pod's `sim.podbay.io/*` annotations
// (sim-annotations.ts, docs/sim-runtime.md) say.
//
// Scale (issue 3: 10,000 pods on 100 nodes in one process): every operation
// is O(1) in the number of pods except the list* calls; a running container
// holds at most one timer per kind (exit, OOM, next log line, SIGTERM exit,
// SIGKILL), all on the Clock; nothing polls.
import { createHash } from 'node:crypto';
import type { Clock, Timer } from '../../lib/clock.js';
import {
  EXIT_CODE_SIGKILL,
  EXIT_CODE_SIGTERM,
  REASON_COMPLETED,
  REASON_ERROR,
  REASON_OOM_KILLED,
  REASON_START_ERROR,
  RuntimeError,
} from '../runtime.js';
import type {
  AuthConfig,
  ByteSink,
  Container,
  ContainerConfig,
  ContainerEvent,
  ContainerEventType,
  ContainerFilter,
  ContainerState,
  ContainerStats,
  ContainerStatus,
  ExecSession,
  ExecSyncResult,
  Image,
  ImageFilter,
  ImageSpec,
  Labels,
  LogEntry,
  LogFollower,
  LogReadOptions,
  PodSandbox,
  PodSandboxConfig,
  PodSandboxFilter,
  PodSandboxState,
  PodSandboxStats,
  PodSandboxStatus,
  ProbeTransport,
  HookType,
  ProbeType,
  Runtime,
  RuntimeCondition,
  RuntimeStatus,
  StreamOptions,
  TerminalSize,
  Unsubscribe,
  VersionInfo,
} from '../runtime.js';
import { IpAllocator } from './ip-allocator.js';
import {
  checkSimAnnotationKeys,
  readContainerBehaviour,
  readPortAnswer,
  readPullBehaviour,
} from './sim-annotations.js';
import type { ContainerBehaviour } from './sim-annotations.js';
import { normaliseImageRef, SimImageStore } from './sim-image-store.js';
import type { SimImageConfig } from './sim-image-store.js';
import { SimProbeTransport } from './sim-probe-transport.js';
import type { SimProbeSubject } from './sim-probe-transport.js';
import { planCommand, planScript } from './sim-shell.js';
import type { CommandPlan, PlannedOutput, ShellContext } from './sim-shell.js';
import { PodUidIndex } from './pod-uid-index.js';

export const SIM_RUNTIME_NAME = 'podbay-sim';
export const SIM_RUNTIME_VERSION = '0.1.0';
export const DEFAULT_SIM_POD_CIDR = '10.88.0.0/16';
/** Working set of a running container that declares no `memory` (1 MiB). */
export const DEFAULT_WORKING_SET_BYTES = 1 << 20;
/** MaxContainerTerminationMessageLength (k8s pkg/kubelet/container/runtime.go). */
const MAX_TERMINATION_MESSAGE_BYTES = 4096;

export interface SimRuntimeOptions {
  clock: Clock;
  /** Pod IPs come from here (default 10.88.0.0/16, the CNI bridge default). */
  podCidr?: string;
  /** IP of sandboxes with network namespace NODE (hostNetwork pods). */
  nodeIp?: string;
  /** Seeds the ids so that several sim nodes in one process never share one (default: an instance counter). */
  name?: string;
  /** Images present from the start (as if pulled), e.g. the pause image or test images. */
  preloadedImages?: string[];
  /** Configs (ENTRYPOINT, CMD, ENV, USER…) of images by reference; others get DEFAULT_SIM_IMAGE_CONFIG. */
  imageConfigs?: Record<string, Partial<SimImageConfig>>;
}

interface SimSandbox {
  id: string;
  config: PodSandboxConfig;
  key: string;
  state: PodSandboxState;
  createdAt: number;
  ip: string | undefined;
  /** The IP came from the pool and is still held. */
  holdsIp: boolean;
  containers: Map<string, SimContainer>;
  /** `<name>_<attempt>` of its containers (containerd reserves these names). */
  names: Set<string>;
}

interface SimContainer {
  id: string;
  sandbox: SimSandbox;
  config: ContainerConfig;
  image: Image;
  state: ContainerState;
  createdAt: number;
  startedAt: number | undefined;
  finishedAt: number | undefined;
  exitCode: number;
  reason: string;
  message: string;
  terminationMessage: string | undefined;
  behaviour: ContainerBehaviour;
  plan: CommandPlan;
  env: Record<string, string>;
  /** Timers while running: natural exit, OOM, next log line, exit after SIGTERM, SIGKILL. */
  timers: Partial<Record<'exit' | 'oom' | 'log' | 'term' | 'kill', Timer>>;
  killDeadline: number | undefined;
  sigtermAt: number | undefined;
  /** Log lines still to write, sorted by time, and the index of the next one. */
  outputs: PlannedOutput[];
  nextOutput: number;
  log: LogEntry[];
  /** Called with each new log entry (followers, attachers). */
  logListeners: Set<(e: LogEntry) => void>;
  /** Called once when it stops running or is removed (stop waiters, followers, exec sessions). */
  exitListeners: Set<() => void>;
}

let instances = 0;

export class SimRuntime implements Runtime {
  private readonly clock: Clock;
  private readonly ips: IpAllocator;
  private readonly nodeIp: string;
  private readonly seed: string;
  private seq = 0;
  private readonly images: SimImageStore;
  /** Containers per image id, so removeImage can refuse images in use. */
  private readonly imageUsers = new Map<string, number>();
  private readonly sandboxes = new Map<string, SimSandbox>();
  private readonly sandboxKeys = new Map<string, SimSandbox>();
  private readonly containers = new Map<string, SimContainer>();
  private readonly sandboxesByPod = new PodUidIndex<SimSandbox>();
  private readonly containersByPod = new PodUidIndex<SimContainer>();
  private readonly listeners = new Set<(e: ContainerEvent) => void>();
  private readonly conditions: RuntimeCondition[] = [
    { type: 'RuntimeReady', status: true },
    { type: 'NetworkReady', status: true },
  ];
  private readonly transport: SimProbeTransport;

  constructor(options: SimRuntimeOptions) {
    this.clock = options.clock;
    this.ips = new IpAllocator(options.podCidr ?? DEFAULT_SIM_POD_CIDR);
    this.nodeIp = options.nodeIp ?? '10.0.0.10';
    this.seed = options.name ?? `sim-${instances++}`;
    this.images = new SimImageStore(options.imageConfigs);
    for (const ref of options.preloadedImages ?? []) {
      this.images.add(ref);
    }
    this.transport = new SimProbeTransport({
      clock: this.clock,
      probeSubject: (id, type) => this.probeSubject(id, type),
      execSync: (id, cmd, timeoutMs) => this.execSync(id, cmd, timeoutMs),
    });
  }

  // ---- test and wiring hooks (not part of Runtime) --------------------------

  /** Makes the runtime or its network report not ready (the agent's node status shows it). */
  setCondition(type: RuntimeCondition['type'], status: boolean, reason?: string, message?: string): void {
    const c = this.conditions.find((x) => x.type === type)!;
    c.status = status;
    c.reason = reason;
    c.message = message;
  }

  /** Number of pod IPs currently held (tests check that stop/remove release them). */
  podIpsInUse(): number {
    return this.ips.inUse();
  }

  // ---- version / status ----------------------------------------------------

  async version(): Promise<VersionInfo> {
    return { runtimeApiVersion: 'v1', runtimeName: SIM_RUNTIME_NAME, runtimeVersion: SIM_RUNTIME_VERSION };
  }

  async status(): Promise<RuntimeStatus> {
    return { conditions: this.conditions.map((c) => ({ ...c })) };
  }

  // ---- sandboxes -----------------------------------------------------------

  async runPodSandbox(config: PodSandboxConfig): Promise<string> {
    checkSimAnnotationKeys(config.annotations);
    const m = config.metadata;
    const key = `${m.name}_${m.namespace}_${m.uid}_${m.attempt}`;
    if (this.sandboxKeys.has(key)) {
      throw new RuntimeError(
        'AlreadyExists',
        `sandbox name "${key}" is reserved for "${this.sandboxKeys.get(key)!.id}"`,
      );
    }
    const hostNetwork = config.linux.securityContext.namespaceOptions.network === 'NODE';
    let ip: string;
    if (hostNetwork) {
      ip = this.nodeIp;
    } else {
      try {
        ip = this.ips.allocate();
      } catch (e) {
        throw new RuntimeError(
          'Unknown',
          `failed to setup network for sandbox "${key}": ${e instanceof Error ? e.message : String(e)}`,
        );
      }
    }
    const sandbox: SimSandbox = {
      id: this.newId('sandbox'),
      config: clone(config),
      key,
      state: 'SANDBOX_READY',
      createdAt: this.clock.now(),
      ip,
      holdsIp: !hostNetwork,
      containers: new Map(),
      names: new Set(),
    };
    this.sandboxes.set(sandbox.id, sandbox);
    this.sandboxesByPod.add(sandbox.config.labels, sandbox);
    this.sandboxKeys.set(key, sandbox);
    this.emit('CONTAINER_CREATED_EVENT', sandbox.id, sandbox.id);
    this.emit('CONTAINER_STARTED_EVENT', sandbox.id, sandbox.id);
    return sandbox.id;
  }

  async stopPodSandbox(podSandboxId: string): Promise<void> {
    const sandbox = this.sandbox(podSandboxId);
    for (const c of sandbox.containers.values()) {
      this.finish(c, EXIT_CODE_SIGKILL);
    }
    if (sandbox.holdsIp && sandbox.ip !== undefined) {
      this.ips.release(sandbox.ip);
      sandbox.holdsIp = false;
    }
    if (sandbox.state === 'SANDBOX_READY') {
      sandbox.state = 'SANDBOX_NOTREADY';
      this.emit('CONTAINER_STOPPED_EVENT', sandbox.id, sandbox.id);
    }
  }

  async removePodSandbox(podSandboxId: string): Promise<void> {
    const sandbox = this.sandboxes.get(podSandboxId);
    if (!sandbox) {
      return;
    }
    await this.stopPodSandbox(podSandboxId);
    for (const id of [...sandbox.containers.keys()]) {
      this.deleteContainer(id);
    }
    this.sandboxes.delete(sandbox.id);
    this.sandboxesByPod.remove(sandbox.config.labels, sandbox);
    this.sandboxKeys.delete(sandbox.key);
    this.emit('CONTAINER_DELETED_EVENT', sandbox.id, sandbox.id);
  }

  async podSandboxStatus(podSandboxId: string): Promise<PodSandboxStatus> {
    const s = this.sandbox(podSandboxId);
    return {
      ...this.sandboxSummary(s),
      network: { ip: s.ip, additionalIps: [] },
      namespaceOptions: { ...s.config.linux.securityContext.namespaceOptions },
    };
  }

  async listPodSandboxes(filter: PodSandboxFilter = {}): Promise<PodSandbox[]> {
    const out: PodSandbox[] = [];
    const candidates =
      filter.id !== undefined
        ? [this.sandboxes.get(filter.id)].filter(isDefined)
        : (this.sandboxesByPod.candidates(filter.labelSelector) ?? this.sandboxes.values());
    for (const s of candidates) {
      if (
        (filter.state === undefined || s.state === filter.state) &&
        labelsMatch(s.config.labels, filter.labelSelector)
      ) {
        out.push(this.sandboxSummary(s));
      }
    }
    return out;
  }

  // ---- containers ------------------------------------------------------------

  async createContainer(
    podSandboxId: string,
    config: ContainerConfig,
    sandboxConfig: PodSandboxConfig,
  ): Promise<string> {
    const sandbox = this.sandbox(podSandboxId);
    if (sandbox.state !== 'SANDBOX_READY') {
      throw new RuntimeError('FailedPrecondition', `sandbox ${podSandboxId} is not ready`);
    }
    const image = this.images.get(config.image.image);
    if (!image) {
      throw new RuntimeError('NotFound', `failed to get image "${config.image.image}": image not found`);
    }
    const { name, attempt } = config.metadata;
    // The agent passes the Pod's current annotations; check them again (they may have been edited).
    checkSimAnnotationKeys(sandboxConfig.annotations);
    const behaviour = readContainerBehaviour(sandboxConfig.annotations, name, attempt);
    if (behaviour.createError !== undefined) {
      throw new RuntimeError('Unknown', behaviour.createError);
    }
    const nameKey = `${name}_${attempt}`;
    if (sandbox.names.has(nameKey)) {
      throw new RuntimeError(
        'AlreadyExists',
        `container name "${name}_${sandbox.key}" (attempt ${attempt}) is already in use`,
      );
    }
    const env: Record<string, string> = {};
    for (const kv of image.env) {
      const eq = kv.indexOf('=');
      env[eq < 0 ? kv : kv.slice(0, eq)] = eq < 0 ? '' : kv.slice(eq + 1);
    }
    env.HOSTNAME = sandbox.config.hostname;
    for (const { key, value } of config.envs) {
      env[key] = value;
    }
    const workingDir = config.workingDir || image.workingDir;
    const plan = planCommand(resolveArgv(config, image), {
      env,
      hostname: sandbox.config.hostname,
      workingDir,
      unknown: 'runs-forever',
    });
    const c: SimContainer = {
      id: this.newId('container'),
      sandbox,
      config: clone(config),
      image,
      state: 'CONTAINER_CREATED',
      createdAt: this.clock.now(),
      startedAt: undefined,
      finishedAt: undefined,
      exitCode: 0,
      reason: '',
      message: '',
      terminationMessage: undefined,
      behaviour,
      plan,
      env,
      timers: {},
      killDeadline: undefined,
      sigtermAt: undefined,
      outputs: [...plan.output, ...behaviour.logs].sort((a, b) => a.atMs - b.atMs),
      nextOutput: 0,
      log: [],
      logListeners: new Set(),
      exitListeners: new Set(),
    };
    sandbox.containers.set(c.id, c);
    sandbox.names.add(nameKey);
    this.containers.set(c.id, c);
    this.containersByPod.add(c.config.labels, c);
    this.imageUsers.set(image.id, (this.imageUsers.get(image.id) ?? 0) + 1);
    this.emit('CONTAINER_CREATED_EVENT', c.id, sandbox.id);
    return c.id;
  }

  async startContainer(containerId: string): Promise<void> {
    const c = this.container(containerId);
    if (c.state !== 'CONTAINER_CREATED') {
      throw new RuntimeError('FailedPrecondition', `container ${containerId} is in ${c.state} state, not CREATED`);
    }
    if (c.sandbox.state !== 'SANDBOX_READY') {
      throw new RuntimeError('FailedPrecondition', `sandbox container "${c.sandbox.id}" is not running`);
    }
    const now = this.clock.now();
    if (c.behaviour.startError !== undefined) {
      // containerd: a process that never ran is EXITED with 128/StartError (internal/cri/server/container_start.go).
      c.state = 'CONTAINER_EXITED';
      c.finishedAt = now;
      c.exitCode = 128;
      c.reason = REASON_START_ERROR;
      c.message = c.behaviour.startError;
      this.emit('CONTAINER_STOPPED_EVENT', c.id, c.sandbox.id);
      throw new RuntimeError('Unknown', `failed to start container "${containerId}": ${c.behaviour.startError}`);
    }
    c.state = 'CONTAINER_RUNNING';
    c.startedAt = now;
    this.emit('CONTAINER_STARTED_EVENT', c.id, c.sandbox.id);

    const b = c.behaviour;
    const runMs = b.runMs ?? c.plan.exitAtMs ?? (b.exitCode !== undefined ? 0 : undefined);
    if (runMs !== undefined) {
      const code = b.exitCode ?? (c.plan.exitAtMs !== undefined ? c.plan.exitCode : 0);
      c.timers.exit = this.clock.setTimer(runMs, () => this.finish(c, code));
    }
    const limit = c.config.linux.resources.memoryLimitInBytes ?? 0;
    if (b.memoryBytes !== undefined && limit > 0 && b.memoryBytes > limit) {
      c.timers.oom = this.clock.setTimer(b.memoryAtMs, () => this.finish(c, EXIT_CODE_SIGKILL, REASON_OOM_KILLED));
    }
    this.scheduleOutput(c);
  }

  async stopContainer(containerId: string, timeoutSeconds: number): Promise<void> {
    const c = this.container(containerId);
    if (c.state !== 'CONTAINER_RUNNING') {
      return;
    }
    await new Promise<void>((resolve) => {
      c.exitListeners.add(resolve);
      const now = this.clock.now();
      if (timeoutSeconds <= 0) {
        this.finish(c, EXIT_CODE_SIGKILL);
        return;
      }
      const deadline = now + timeoutSeconds * 1000;
      if (c.killDeadline === undefined || deadline < c.killDeadline) {
        c.timers.kill?.cancel();
        c.killDeadline = deadline;
        c.timers.kill = this.clock.setTimer(deadline - now, () => this.finish(c, EXIT_CODE_SIGKILL));
      }
      if (c.sigtermAt === undefined) {
        c.sigtermAt = now;
        const stopMs = c.behaviour.stopMs ?? (this.ignoresSigterm(c) ? Infinity : 0);
        const code = c.behaviour.termExitCode ?? c.plan.sigtermExitCode ?? EXIT_CODE_SIGTERM;
        if (stopMs === 0) {
          this.finish(c, code);
        } else if (Number.isFinite(stopMs)) {
          c.timers.term = this.clock.setTimer(stopMs, () => this.finish(c, code));
        }
      }
    });
  }

  async removeContainer(containerId: string): Promise<void> {
    this.deleteContainer(containerId);
  }

  async containerStatus(containerId: string): Promise<ContainerStatus> {
    const c = this.container(containerId);
    return {
      ...this.containerSummary(c),
      imageRef: c.image.repoDigests[0] ?? c.image.id,
      startedAt: c.startedAt,
      finishedAt: c.finishedAt,
      exitCode: c.exitCode,
      reason: c.reason,
      message: c.message,
      logPath: joinPath(c.sandbox.config.logDirectory, c.config.logPath),
      terminationMessage: c.terminationMessage,
      mounts: c.config.mounts.map((m) => ({ ...m })),
      resources: { ...c.config.linux.resources },
    };
  }

  async listContainers(filter: ContainerFilter = {}): Promise<Container[]> {
    let candidates: Iterable<SimContainer>;
    if (filter.id !== undefined) {
      candidates = [this.containers.get(filter.id)].filter(isDefined);
    } else if (filter.podSandboxId !== undefined) {
      candidates = this.sandboxes.get(filter.podSandboxId)?.containers.values() ?? [];
    } else {
      candidates = this.containersByPod.candidates(filter.labelSelector) ?? this.containers.values();
    }
    const out: Container[] = [];
    for (const c of candidates) {
      if (
        (filter.podSandboxId === undefined || c.sandbox.id === filter.podSandboxId) &&
        (filter.state === undefined || c.state === filter.state) &&
        labelsMatch(c.config.labels, filter.labelSelector)
      ) {
        out.push(this.containerSummary(c));
      }
    }
    return out;
  }

  watchContainerEvents(listener: (event: ContainerEvent) => void): Unsubscribe {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  }

  // ---- exec / attach / port-forward ----------------------------------------

  async execSync(containerId: string, cmd: string[], timeoutMs: number): Promise<ExecSyncResult> {
    const c = this.runningContainer(containerId);
    const plan = this.planExec(c, cmd);
    const collect = (untilMs: number, exitCode: number): ExecSyncResult => {
      const res: ExecSyncResult = { stdout: '', stderr: '', exitCode };
      for (const o of plan.output) {
        if (o.atMs <= untilMs) {
          res[o.stream] += o.text;
        }
      }
      return res;
    };
    const runMs = plan.exitAtMs ?? Infinity;
    if (runMs === 0) {
      return collect(0, plan.exitCode);
    }
    const started = this.clock.now();
    return new Promise<ExecSyncResult>((resolve, reject) => {
      const timers: Timer[] = [];
      const done = (): void => {
        timers.forEach((t) => t.cancel());
        c.exitListeners.delete(onContainerExit);
      };
      // The exec'd process dies with its container (SIGKILL → 137).
      const onContainerExit = (): void => {
        done();
        resolve(collect(this.clock.now() - started, EXIT_CODE_SIGKILL));
      };
      c.exitListeners.add(onContainerExit);
      if (Number.isFinite(runMs) && (timeoutMs <= 0 || runMs <= timeoutMs)) {
        timers.push(
          this.clock.setTimer(runMs, () => {
            done();
            resolve(collect(runMs, plan.exitCode));
          }),
        );
      }
      if (timeoutMs > 0 && !(runMs <= timeoutMs)) {
        timers.push(
          this.clock.setTimer(timeoutMs, () => {
            done();
            reject(
              new RuntimeError('DeadlineExceeded', `command ${JSON.stringify(cmd)} timed out after ${timeoutMs}ms`),
            );
          }),
        );
      }
    });
  }

  async exec(containerId: string, cmd: string[], options: StreamOptions): Promise<ExecSession> {
    const c = this.runningContainer(containerId);
    const out = outputSinks(options);
    let finished = false;
    let resolveExit!: (code: number) => void;
    const exit = new Promise<number>((r) => (resolveExit = r));
    const timers: Timer[] = [];
    const end = (code: number): void => {
      if (finished) {
        return;
      }
      finished = true;
      timers.forEach((t) => t.cancel());
      c.exitListeners.delete(onContainerExit);
      out.stdout?.end();
      out.stderr?.end();
      resolveExit(code);
    };
    const onContainerExit = (): void => end(EXIT_CODE_SIGKILL);
    c.exitListeners.add(onContainerExit);
    const write = (stream: 'stdout' | 'stderr', text: string): void => {
      if (!finished) {
        out[stream]?.write(new TextEncoder().encode(text));
      }
    };
    const prog = basename(cmd[0] ?? '');
    const interactive = options.stdin && cmd.length === 1 && ['sh', 'bash', 'ash', 'dash', 'cat'].includes(prog);
    let stdin: ByteSink | undefined;
    if (interactive) {
      // `kubectl exec -i … -- sh` (each line is a script for the sim shell) or `-- cat` (echo).
      let buffered = '';
      let last = 0;
      const decoder = new TextDecoder();
      stdin = {
        write: (chunk) => {
          if (finished) {
            return;
          }
          if (prog === 'cat') {
            write('stdout', decoder.decode(chunk, { stream: true }));
            return;
          }
          buffered += decoder.decode(chunk, { stream: true });
          for (let nl = buffered.indexOf('\n'); nl >= 0 && !finished; nl = buffered.indexOf('\n')) {
            const line = buffered.slice(0, nl);
            buffered = buffered.slice(nl + 1);
            const plan = this.planExecScript(c, line);
            plan.output.forEach((o) => write(o.stream, o.text));
            last = plan.exitCode;
            if (plan.explicitExit) {
              end(plan.exitCode);
            }
          }
        },
        end: () => end(last),
      };
    } else {
      if (options.stdin) {
        stdin = { write: () => {}, end: () => {} };
      }
      const plan = this.planExec(c, cmd);
      for (const o of plan.output) {
        if (o.atMs === 0) {
          write(o.stream, o.text);
        } else {
          timers.push(this.clock.setTimer(o.atMs, () => write(o.stream, o.text)));
        }
      }
      if (plan.exitAtMs !== undefined) {
        const code = plan.exitCode;
        timers.push(this.clock.setTimer(plan.exitAtMs, () => end(code)));
      }
    }
    const session: ExecSession = {
      resize: (_size: TerminalSize) => {},
      exit,
      close: () => end(EXIT_CODE_SIGKILL),
    };
    if (stdin) {
      session.stdin = stdin;
    }
    return session;
  }

  async attach(containerId: string, options: StreamOptions): Promise<ExecSession> {
    const c = this.runningContainer(containerId);
    const out = outputSinks(options);
    let resolveExit!: (code: number) => void;
    const exit = new Promise<number>((r) => (resolveExit = r));
    let attached = true;
    const onEntry = (e: LogEntry): void => {
      out[e.stream]?.write(new TextEncoder().encode(e.content + (e.partial ? '' : '\n')));
    };
    const detach = (code: number): void => {
      if (!attached) {
        return;
      }
      attached = false;
      c.logListeners.delete(onEntry);
      c.exitListeners.delete(onExit);
      out.stdout?.end();
      out.stderr?.end();
      resolveExit(code);
    };
    const onExit = (): void => detach(c.exitCode);
    c.logListeners.add(onEntry);
    c.exitListeners.add(onExit);
    const session: ExecSession = { resize: () => {}, exit, close: () => detach(-1) };
    if (options.stdin && c.config.stdin) {
      // The sim's main process echoes its stdin to stdout, like `cat`.
      const decoder = new TextDecoder();
      session.stdin = {
        write: (chunk) => {
          if (attached && c.state === 'CONTAINER_RUNNING') {
            this.writeLog(c, 'stdout', decoder.decode(chunk, { stream: true }));
          }
        },
        end: () => {},
      };
    }
    return session;
  }

  async portForward(podSandboxId: string, port: number, toClient: ByteSink): Promise<ByteSink> {
    const sandbox = this.sandbox(podSandboxId);
    if (sandbox.state !== 'SANDBOX_READY') {
      throw new RuntimeError('FailedPrecondition', `sandbox ${podSandboxId} is not ready`);
    }
    const answer = readPortAnswer(sandbox.config.annotations, port);
    if (!answer) {
      throw new RuntimeError('Unavailable', `dial tcp ${sandbox.ip}:${port}: connect: connection refused`);
    }
    let closed = false;
    if (answer.kind === 'echo') {
      return {
        write: (chunk) => {
          if (!closed) {
            toClient.write(chunk);
          }
        },
        end: () => {
          if (!closed) {
            closed = true;
            toClient.end();
          }
        },
      };
    }
    // A tiny HTTP server: answers the first request once its headers are complete, then closes.
    let request = '';
    const decoder = new TextDecoder();
    return {
      write: (chunk) => {
        if (closed) {
          return;
        }
        request += decoder.decode(chunk, { stream: true });
        if (request.includes('\r\n\r\n')) {
          closed = true;
          const body = new TextEncoder().encode(answer.body);
          const head =
            `HTTP/1.1 ${answer.statusCode} ${answer.statusCode < 400 ? 'OK' : 'Error'}\r\n` +
            `Content-Type: text/plain\r\nContent-Length: ${body.length}\r\nConnection: close\r\n\r\n`;
          toClient.write(new TextEncoder().encode(head));
          toClient.write(body);
          toClient.end();
        }
      },
      end: () => {
        if (!closed) {
          closed = true;
          toClient.end();
        }
      },
    };
  }

  // ---- logs ------------------------------------------------------------------

  async readContainerLog(containerId: string, options: LogReadOptions = {}): Promise<LogEntry[]> {
    return selectEntries(this.container(containerId).log, options);
  }

  followContainerLog(containerId: string, options: LogReadOptions, onEntry: (entry: LogEntry) => void): LogFollower {
    const c = this.container(containerId);
    for (const e of selectEntries(c.log, options)) {
      onEntry({ ...e });
    }
    let resolveDone!: () => void;
    const done = new Promise<void>((r) => (resolveDone = r));
    const listener = (e: LogEntry): void => {
      if (options.sinceTime === undefined || e.time >= options.sinceTime) {
        onEntry({ ...e });
      }
    };
    const stop = (): void => {
      c.logListeners.delete(listener);
      c.exitListeners.delete(stop);
      resolveDone();
    };
    if (c.state === 'CONTAINER_EXITED') {
      stop();
    } else {
      c.logListeners.add(listener);
      c.exitListeners.add(stop);
    }
    return { stop, done };
  }

  async reopenContainerLog(containerId: string): Promise<void> {
    this.runningContainer(containerId);
  }

  // ---- stats -----------------------------------------------------------------

  async containerStats(containerId: string): Promise<ContainerStats> {
    return this.stats(this.container(containerId));
  }

  async podSandboxStats(podSandboxId: string): Promise<PodSandboxStats> {
    const sandbox = this.sandbox(podSandboxId);
    const containers = [...sandbox.containers.values()].map((c) => this.stats(c));
    return {
      podSandboxId,
      timestamp: this.clock.now(),
      cpuUsageCoreNanoSeconds: containers.reduce((s, c) => s + c.cpuUsageCoreNanoSeconds, 0),
      memoryWorkingSetBytes: containers.reduce((s, c) => s + c.memoryWorkingSetBytes, 0),
      containers,
    };
  }

  probeTransport(): ProbeTransport {
    return this.transport;
  }

  // ---- images ----------------------------------------------------------------

  async pullImage(image: ImageSpec, _auth?: AuthConfig, sandboxConfig?: PodSandboxConfig): Promise<string> {
    if (image.image.trim() === '') {
      throw new RuntimeError('InvalidArgument', 'image reference is empty');
    }
    const ref = normaliseImageRef(image.image);
    if (sandboxConfig) {
      checkSimAnnotationKeys(sandboxConfig.annotations);
    }
    const behaviour = sandboxConfig
      ? readPullBehaviour(sandboxConfig.annotations, ref, normaliseImageRef)
      : { error: undefined, delayMs: 0 };
    if (behaviour.delayMs > 0) {
      await this.clock.sleep(behaviour.delayMs);
    }
    if (behaviour.error !== undefined) {
      const reason = behaviour.error;
      if (reason.startsWith('RegistryUnavailable')) {
        throw new RuntimeError('Unavailable', reason, 'RegistryUnavailable');
      }
      if (reason.startsWith('SignatureValidationFailed')) {
        throw new RuntimeError('Unknown', reason, 'SignatureValidationFailed');
      }
      throw new RuntimeError(/not found|manifest unknown/i.test(reason) ? 'NotFound' : 'Unknown', reason);
    }
    return this.images.add(image.image).id;
  }

  async imageStatus(image: ImageSpec): Promise<Image | undefined> {
    const found = this.images.get(image.image);
    return found ? cloneImage(found) : undefined;
  }

  async listImages(filter: ImageFilter = {}): Promise<Image[]> {
    if (filter.image) {
      const found = this.images.get(filter.image.image);
      return found ? [cloneImage(found)] : [];
    }
    return this.images.list().map(cloneImage);
  }

  async removeImage(image: ImageSpec): Promise<void> {
    const found = this.images.get(image.image);
    if (!found) {
      return;
    }
    if ((this.imageUsers.get(found.id) ?? 0) > 0) {
      throw new RuntimeError('FailedPrecondition', `image "${image.image}" is in use by a container`);
    }
    this.images.remove(image.image);
  }

  // ---- internals -------------------------------------------------------------

  private newId(kind: string): string {
    return createHash('sha256').update(`${this.seed}/${kind}/${this.seq++}`).digest('hex');
  }

  private emit(type: ContainerEventType, containerId: string, podSandboxId: string): void {
    const event: ContainerEvent = { type, containerId, podSandboxId, createdAt: this.clock.now() };
    for (const l of this.listeners) {
      l(event);
    }
  }

  private sandbox(id: string): SimSandbox {
    const s = this.sandboxes.get(id);
    if (!s) {
      throw new RuntimeError('NotFound', `pod sandbox "${id}" not found`);
    }
    return s;
  }

  private container(id: string): SimContainer {
    const c = this.containers.get(id);
    if (!c) {
      throw new RuntimeError('NotFound', `container "${id}" not found`);
    }
    return c;
  }

  private runningContainer(id: string): SimContainer {
    const c = this.container(id);
    if (c.state !== 'CONTAINER_RUNNING') {
      throw new RuntimeError('FailedPrecondition', `container ${id} is not running (${c.state})`);
    }
    return c;
  }

  private sandboxSummary(s: SimSandbox): PodSandbox {
    return {
      id: s.id,
      metadata: { ...s.config.metadata },
      state: s.state,
      createdAt: s.createdAt,
      labels: { ...s.config.labels },
      annotations: { ...s.config.annotations },
    };
  }

  private containerSummary(c: SimContainer): Container {
    return {
      id: c.id,
      podSandboxId: c.sandbox.id,
      metadata: { ...c.config.metadata },
      image: { ...c.config.image },
      imageRef: c.image.id,
      state: c.state,
      createdAt: c.createdAt,
      labels: { ...c.config.labels },
      annotations: { ...c.config.annotations },
    };
  }

  /**
   * The main process ends: RUNNING → EXITED with `exitCode` and the reason
   * containerd gives it. Does nothing unless running (an exit can only happen
   * once; the timers racing for it are all cancelled here).
   */
  private finish(c: SimContainer, exitCode: number, reason?: string): void {
    if (c.state !== 'CONTAINER_RUNNING') {
      return;
    }
    for (const t of Object.values(c.timers)) {
      t.cancel();
    }
    c.timers = {};
    // Lines due at the very moment of exit were written before it (`echo two; exit`).
    const elapsed = this.clock.now() - c.startedAt!;
    while (c.nextOutput < c.outputs.length && c.outputs[c.nextOutput]!.atMs <= elapsed) {
      const o = c.outputs[c.nextOutput++]!;
      this.writeLog(c, o.stream, o.text);
    }
    c.state = 'CONTAINER_EXITED';
    c.finishedAt = this.clock.now();
    c.exitCode = exitCode;
    c.reason = reason ?? (exitCode === 0 ? REASON_COMPLETED : REASON_ERROR);
    if (c.config.terminationMessagePath && c.behaviour.terminationMessage !== undefined) {
      c.terminationMessage = c.behaviour.terminationMessage.slice(0, MAX_TERMINATION_MESSAGE_BYTES);
    }
    this.emit('CONTAINER_STOPPED_EVENT', c.id, c.sandbox.id);
    this.notifyExit(c);
  }

  private notifyExit(c: SimContainer): void {
    const listeners = [...c.exitListeners];
    c.exitListeners.clear();
    for (const l of listeners) {
      l();
    }
  }

  private deleteContainer(id: string): void {
    const c = this.containers.get(id);
    if (!c) {
      return;
    }
    this.finish(c, EXIT_CODE_SIGKILL);
    this.notifyExit(c); // followers of a never-started container
    this.containers.delete(id);
    this.containersByPod.remove(c.config.labels, c);
    c.sandbox.containers.delete(id);
    c.sandbox.names.delete(`${c.config.metadata.name}_${c.config.metadata.attempt}`);
    const users = (this.imageUsers.get(c.image.id) ?? 1) - 1;
    if (users > 0) {
      this.imageUsers.set(c.image.id, users);
    } else {
      this.imageUsers.delete(c.image.id);
    }
    c.log = [];
    this.emit('CONTAINER_DELETED_EVENT', id, c.sandbox.id);
  }

  /** Writes every output line that is due and arms one timer for the next. */
  private scheduleOutput(c: SimContainer): void {
    const elapsed = this.clock.now() - c.startedAt!;
    while (c.nextOutput < c.outputs.length && c.outputs[c.nextOutput]!.atMs <= elapsed) {
      const o = c.outputs[c.nextOutput++]!;
      this.writeLog(c, o.stream, o.text);
    }
    const next = c.outputs[c.nextOutput];
    if (next && c.state === 'CONTAINER_RUNNING') {
      c.timers.log = this.clock.setTimer(next.atMs - elapsed, () => this.scheduleOutput(c));
    }
  }

  /** Appends text as CRI log entries: one per line, a trailing piece without newline is partial ('P'). */
  private writeLog(c: SimContainer, stream: 'stdout' | 'stderr', text: string): void {
    const time = this.clock.now();
    const lines = text.split('\n');
    const tail = lines.pop()!;
    const entries: LogEntry[] = lines.map((content) => ({ time, stream, partial: false, content }));
    if (tail !== '') {
      entries.push({ time, stream, partial: true, content: tail });
    }
    for (const e of entries) {
      c.log.push(e);
      for (const l of c.logListeners) {
        l(e);
      }
    }
  }

  private planExec(c: SimContainer, cmd: string[]): CommandPlan {
    const ctx = this.shellContext(c);
    const prog = basename(cmd[0] ?? '');
    const script = ['sh', 'bash', 'ash', 'dash'].includes(prog) && cmd[1] === '-c' ? cmd[2] : undefined;
    const rule = c.behaviour.exec.find((r) => r.command === cmd.join(' ') || r.command === script);
    if (rule) {
      return {
        output: rule.stdout ? [{ atMs: 0, stream: 'stdout', text: rule.stdout }] : [],
        exitAtMs: 0,
        exitCode: rule.exitCode,
        ignoresSigterm: false,
        sigtermExitCode: undefined,
        known: true,
        explicitExit: false,
      };
    }
    return planCommand(cmd, ctx);
  }

  private planExecScript(c: SimContainer, line: string): CommandPlan {
    const rule = c.behaviour.exec.find((r) => r.command === line.trim());
    if (rule) {
      return this.planExec(c, [line.trim()]);
    }
    return planScript(line, this.shellContext(c));
  }

  private shellContext(c: SimContainer): ShellContext {
    return {
      env: c.env,
      hostname: c.sandbox.config.hostname,
      workingDir: c.config.workingDir || c.image.workingDir,
      unknown: 'succeeds',
    };
  }

  /**
   * Whether SIGTERM does nothing to the main process. The kernel delivers a
   * signal to a PID namespace's init only if it installed a handler, so a
   * shell, `sleep` or `tail -f` that is PID 1 (no shareProcessNamespace)
   * ignores SIGTERM and dies only by SIGKILL at the end of the grace period —
   * the well-known "busybox pod takes 30 s to delete". `trap '' TERM` ignores it
   * anywhere. Commands the sim does not know (servers) and containers without
   * a command exit on SIGTERM.
   */
  private ignoresSigterm(c: SimContainer): boolean {
    if (c.plan.ignoresSigterm) {
      return true;
    }
    const pid1 = c.config.linux.securityContext.namespaceOptions.pid !== 'POD';
    const argv = resolveArgv(c.config, c.image);
    return pid1 && c.plan.known && argv.length > 0 && c.plan.sigtermExitCode === undefined;
  }

  private probeSubject(containerId: string, probeType: ProbeType | HookType): SimProbeSubject {
    const c = this.container(containerId);
    return {
      running: c.state === 'CONTAINER_RUNNING',
      startedAt: c.startedAt ?? 0,
      timeline: c.behaviour.probes[probeType],
    };
  }

  private stats(c: SimContainer): ContainerStats {
    const now = this.clock.now();
    const running = c.state === 'CONTAINER_RUNNING';
    const ranMs = c.startedAt === undefined ? 0 : (c.finishedAt ?? now) - c.startedAt;
    const b = c.behaviour;
    let memory = 0;
    if (running) {
      memory =
        b.memoryBytes !== undefined && now - c.startedAt! >= b.memoryAtMs ? b.memoryBytes : DEFAULT_WORKING_SET_BYTES;
    }
    return {
      containerId: c.id,
      timestamp: now,
      // millicores × ms × 1000 = core-nanoseconds
      cpuUsageCoreNanoSeconds: Math.round(b.cpuMillis * ranMs * 1000),
      memoryWorkingSetBytes: memory,
    };
  }
}

/**
 * The process a container runs, as Kubernetes defines command/args against
 * the image (containerd internal/cri/opts/spec_opts.go#WithProcessArgs):
 * command set → command + args; only args → ENTRYPOINT + args; neither →
 * ENTRYPOINT + CMD. (containerd fails "no command specified" when all are
 * empty; the sim instead runs such a container until stopped, its default.)
 */
export function resolveArgv(
  config: Pick<ContainerConfig, 'command' | 'args'>,
  image: Pick<Image, 'entrypoint' | 'cmd'>,
): string[] {
  if (config.command.length > 0) {
    return [...config.command, ...config.args];
  }
  if (config.args.length > 0) {
    return [...image.entrypoint, ...config.args];
  }
  return [...image.entrypoint, ...image.cmd];
}

function outputSinks(options: StreamOptions): { stdout?: ByteSink; stderr?: ByteSink } {
  // With a tty there is one stream: stderr goes to stdout.
  const sinks: { stdout?: ByteSink; stderr?: ByteSink } = {};
  if (options.stdout) {
    sinks.stdout = options.stdout;
  }
  const err = options.tty ? options.stdout : options.stderr;
  if (err && err !== options.stdout) {
    sinks.stderr = err;
  } else if (err) {
    // Same sink for both: end() it once, through stdout.
    sinks.stderr = { write: (chunk) => err.write(chunk), end: () => {} };
  }
  return sinks;
}

function selectEntries(log: LogEntry[], options: LogReadOptions): LogEntry[] {
  let entries = options.sinceTime === undefined ? log : log.filter((e) => e.time >= options.sinceTime!);
  if (options.tailLines !== undefined) {
    entries = options.tailLines <= 0 ? [] : entries.slice(-options.tailLines);
  }
  return entries.map((e) => ({ ...e }));
}

function labelsMatch(labels: Labels, selector: Labels | undefined): boolean {
  if (!selector) {
    return true;
  }
  for (const [k, v] of Object.entries(selector)) {
    if (labels[k] !== v) {
      return false;
    }
  }
  return true;
}

function joinPath(dir: string, rel: string): string {
  return dir.endsWith('/') ? dir + rel : `${dir}/${rel}`;
}

function basename(p: string): string {
  return p.slice(p.lastIndexOf('/') + 1);
}

function isDefined<T>(x: T | undefined): x is T {
  return x !== undefined;
}

function clone<T>(x: T): T {
  return structuredClone(x);
}

function cloneImage(i: Image): Image {
  return {
    ...i,
    repoTags: [...i.repoTags],
    repoDigests: [...i.repoDigests],
    env: [...i.env],
    entrypoint: [...i.entrypoint],
    cmd: [...i.cmd],
  };
}
