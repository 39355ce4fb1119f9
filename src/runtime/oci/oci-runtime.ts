// The real runtime: Pods as runc containers under one conmon each, on
// Debian's runc 1.1, conmon 2.1 and catatonit (ARCHITECTURE.md "The real
// runtime uses the field's real parts"; issue 4). Networking, cgroups and
// images come in through ./ports.ts.
//
// A sandbox is an infra container (catatonit -P) holding the pod's IPC, UTS
// and PID namespaces, in a network namespace made by PodNetwork, under the
// pod cgroup. A container is an overlayfs rootfs over the image's layers and
// an OCI bundle, started by conmon (runc create) and `runc start`, joining
// the infra's namespaces by path. conmon outlives the agent: it reaps the
// container, writes its CRI log and its exit code to <run>/exits/<id>.
//
// On disk (dataDir = the podbay data dir):
//   run/oci/runc/                 runc --root
//   run/oci/exits/<id>            exit codes (conmon --exit-dir); mtime = finishedAt
//   run/oci/sockets/              conmon --socket-dir-path (attach sockets)
//   run/oci/{sandboxes,containers}/<id>.json   records (OciStateStore)
//   containers/<id>/              bundle: config.json, rootfs (overlay or
//                                 empty for the infra), upper/, work/, pid files;
//                                 a sandbox's also hosts, hostname, resolv.conf, shm/
//
// Timeline of a container:
//   createContainer: overlay mount, config.json          → CREATED
//   startContainer:  conmon (runc create) + runc start    → RUNNING
//   <exit file appears>: exit code, OOM check, message    → EXITED
//   removeContainer: runc delete, umount, rm bundle       → gone
import { randomBytes } from 'node:crypto';
import {
  accessSync,
  constants,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  watch,
  writeFileSync,
} from 'node:fs';
import type { FSWatcher } from 'node:fs';
import { networkInterfaces } from 'node:os';
import { dirname, join } from 'node:path';
import type { Clock, Timer } from '../../lib/clock.js';
import { isNotFound, RuntimeError } from '../runtime.js';
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
  PodSandboxState,
  PodSandboxStatus,
  ProbeTransport,
  Runtime,
  RuntimeStatus,
  StreamOptions,
  Unsubscribe,
  VersionInfo,
  ContainerState,
  Labels,
} from '../runtime.js';
import { REASON_COMPLETED, REASON_ERROR, REASON_OOM_KILLED, REASON_START_ERROR, REASON_UNKNOWN } from '../runtime.js';
import { startAttach } from './attach-session.js';
import { CONMON_BINARY, startConmon } from './conmon.js';
import { followCriLogFile, readCriLogFile } from './cri-log.js';
import { managedHostsFileContent, nodeHostsFileContent, resolvConfContent } from './etc-files.js';
import { execSyncIn, startExec } from './exec-session.js';
import { deviceAt, hostDevices } from './host-devices.js';
import { readHostLimits } from './host-limits.js';
import type { HostLimits } from './host-limits.js';
import { readImageFile, resolveProcessUser } from './image-user.js';
import { buildContainerSpec, buildSandboxSpec } from './oci-spec.js';
import type { OciDevice, OciSpec } from './oci-spec.js';
import { OciProbeTransport } from './oci-probe-transport.js';
import { OciStateStore } from './oci-state-store.js';
import { mountOverlay, mountTmpfs, unmountIfMounted } from './overlay-rootfs.js';
import { openPortForward } from './port-forward.js';
import type { CgroupDriver, OciImage, OciImageSource, PodNetwork, PodNetworkRequest } from './ports.js';
import { mergeEnv, resolveProcessArgs } from './process-args.js';
import { Runc, RUNC_BINARY } from './runc.js';

export const OCI_RUNTIME_NAME = 'podbay-oci';
export const OCI_RUNTIME_VERSION = '0.1.0';

/** kubelet MaxContainerTerminationMessageLength (pkg/kubelet/container/runtime.go). */
const MAX_TERMINATION_MESSAGE_BYTES = 4096;
/** How often exits are checked besides fs.watch on the exit directory (watch events can be missed). */
const DEFAULT_EXIT_POLL_MS = 1000;
/** How long a SIGKILLed container may take to be reaped before stop/remove give up waiting. */
const KILL_WAIT_MS = 10_000;

export interface OciRuntimeOptions {
  /** The podbay data dir. */
  dataDir: string;
  network: PodNetwork;
  cgroups: CgroupDriver;
  images: OciImageSource;
  clock: Clock;
  /**
   * Where a sandbox's cgroup goes when its config has no cgroupParent:
   * `<cgroupRoot>/pod<uid>` (default "/podbay"). The agent normally passes
   * "/kubepods/<qos>/pod<uid>".
   */
  cgroupRoot?: string;
  /** Prefix of the network namespaces' names (default "podbay-"); tests use a recognisable one. */
  netnsPrefix?: string;
  /** The pause binary bind-mounted into every infra container. */
  pauseBinary?: string;
  exitPollMs?: number;
  /** The node's IP, reported as the pod IP of hostNetwork sandboxes (default: the first non-loopback IPv4). */
  nodeIp?: string;
}

/** The first non-internal IPv4 address of this machine. */
function firstNodeIp(): string | undefined {
  for (const addrs of Object.values(networkInterfaces())) {
    for (const a of addrs ?? []) {
      if (a.family === 'IPv4' && !a.internal) {
        return a.address;
      }
    }
  }
  return undefined;
}

interface SandboxRecord {
  id: string;
  order: number;
  config: PodSandboxConfig;
  createdAt: number;
  state: PodSandboxState;
  ip?: string;
  netnsPath?: string;
  networkUp: boolean;
  cgroupParent: string;
  infraPid: number;
  shmMounted: boolean;
}

interface ContainerRecord {
  id: string;
  order: number;
  sandboxId: string;
  config: ContainerConfig;
  imageId: string;
  /** Status imageRef: first repo digest or the id. */
  statusImageRef: string;
  createdAt: number;
  startedAt?: number;
  finishedAt?: number;
  exitCode: number;
  reason: string;
  message: string;
  state: ContainerState;
  logPath: string;
  cgroupsPath: string;
  terminationMessage?: string;
  /** Pod cgroup OOM kills when the container started: a rise means the pod limit killed it. */
  podOomKillsAtStart?: number;
}

function newId(): string {
  return randomBytes(32).toString('hex');
}

/** A rejected promise for a synchronous throw in a non-async method. */
function rejected(e: unknown): Promise<never> {
  return Promise.reject(e instanceof Error ? e : new Error(String(e)));
}

function errorMessage(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

function matchesLabels(labels: Labels, selector: Labels | undefined): boolean {
  return Object.entries(selector ?? {}).every(([k, v]) => labels[k] === v);
}

function toImage(i: OciImage): Image {
  return {
    id: i.id,
    repoTags: i.repoTags,
    repoDigests: i.repoDigests,
    size: i.size,
    user: i.config.User ?? '',
    env: i.config.Env ?? [],
    entrypoint: i.config.Entrypoint ?? [],
    cmd: i.config.Cmd ?? [],
    workingDir: i.config.WorkingDir ?? '',
    pinned: false,
  };
}

export class OciRuntime implements Runtime {
  private readonly sandboxes = new Map<string, SandboxRecord>();
  private readonly containers = new Map<string, ContainerRecord>();
  /** name/namespace/uid/attempt of sandboxes being created (AlreadyExists before the record exists). */
  private readonly reservedSandboxes = new Set<string>();
  private readonly reservedContainers = new Set<string>();
  private readonly listeners = new Set<(e: ContainerEvent) => void>();
  /** Resolvers waiting for a container (or infra) exit, by id. */
  private readonly exitWaiters = new Map<string, (() => void)[]>();
  private readonly processingExit = new Set<string>();
  /** conmon pids of running containers (read once from conmon.pid), for the periodic liveness check. */
  private readonly conmonPids = new Map<string, number>();
  /** removePodSandbox / removeContainer runs in flight, by id. */
  private readonly removing = new Map<string, Promise<void>>();
  /** Pending SIGKILL timers of stopContainer, by id, with their deadline. */
  private readonly killTimers = new Map<string, { at: number; timer: Timer }>();
  private readonly sandboxStore: OciStateStore<SandboxRecord>;
  private readonly containerStore: OciStateStore<ContainerRecord>;
  private readonly runc: Runc;
  private readonly stateDir: string;
  private readonly exitDir: string;
  private readonly socketDir: string;
  private readonly containersDir: string;
  private readonly host: HostLimits;
  private readonly withSwap: boolean;
  private readonly transport: OciProbeTransport;
  private order = 0;
  private watcher: FSWatcher | undefined;
  private pollTimer: NodeJS.Timeout | undefined;
  private closed = false;

  private constructor(private readonly o: OciRuntimeOptions) {
    this.stateDir = join(o.dataDir, 'run', 'oci');
    this.exitDir = join(this.stateDir, 'exits');
    this.socketDir = join(this.stateDir, 'sockets');
    this.containersDir = join(o.dataDir, 'containers');
    for (const d of [this.exitDir, this.socketDir, this.containersDir, join(this.stateDir, 'runc')]) {
      mkdirSync(d, { recursive: true });
    }
    this.runc = new Runc(join(this.stateDir, 'runc'));
    this.sandboxStore = new OciStateStore(join(this.stateDir, 'sandboxes'));
    this.containerStore = new OciStateStore(join(this.stateDir, 'containers'));
    this.host = readHostLimits();
    // v1 needs memory.memsw for a swap limit; v2 always has memory.swap.max.
    this.withSwap = o.cgroups.version === 2 || existsSync('/sys/fs/cgroup/memory/memory.memsw.limit_in_bytes');
    this.transport = new OciProbeTransport((id, cmd, t) => this.execSync(id, cmd, t));
  }

  /**
   * Opens the runtime over `dataDir`, adopting the sandboxes and containers a
   * previous instance left running (no restart is counted: records keep
   * their ids and attempts); exits that happened meanwhile are recorded with
   * the exit code and time conmon wrote.
   */
  static async open(options: OciRuntimeOptions): Promise<OciRuntime> {
    const rt = new OciRuntime(options);
    await rt.adopt();
    rt.startExitWatch();
    return rt;
  }

  /** Stops watching for exits. Containers keep running (as when the agent stops). */
  close(): void {
    this.closed = true;
    this.watcher?.close();
    clearInterval(this.pollTimer);
    for (const k of this.killTimers.values()) {
      k.timer.cancel();
    }
    this.killTimers.clear();
  }

  // ---------------------------------------------------------------- adoption

  private async adopt(): Promise<void> {
    const sandboxes = this.sandboxStore.loadAll();
    const containers = this.containerStore.loadAll();
    for (const s of [...sandboxes].sort((a, b) => a.order - b.order)) {
      this.sandboxes.set(s.id, s);
    }
    for (const c of [...containers].sort((a, b) => a.order - b.order)) {
      this.containers.set(c.id, c);
    }
    this.order = Math.max(0, ...sandboxes.map((s) => s.order), ...containers.map((c) => c.order)) + 1;
    for (const s of this.sandboxes.values()) {
      if (s.state !== 'SANDBOX_READY') {
        continue;
      }
      // The infra died while podbay was away (exit file), or with the machine (runc no longer runs it).
      const dead =
        existsSync(join(this.exitDir, s.id)) ||
        (await this.runc.state(s.id).catch(() => undefined))?.status !== 'running';
      if (dead) {
        s.state = 'SANDBOX_NOTREADY';
        this.sandboxStore.save(s);
      }
    }
    for (const c of this.containers.values()) {
      if (c.state === 'CONTAINER_CREATED') {
        await this.adoptCreated(c);
      }
      if (c.state !== 'CONTAINER_RUNNING') {
        continue;
      }
      if (existsSync(join(this.exitDir, c.id))) {
        await this.recordExit(c.id, false);
        continue;
      }
      const st = await this.runc.state(c.id).catch(() => undefined);
      if (st?.status !== 'running' && !existsSync(join(this.exitDir, c.id))) {
        // Neither running nor an exit code: conmon died with it (e.g. a host reboot). containerd reports 255 Unknown.
        this.markExited(c, 255, REASON_UNKNOWN, this.o.clock.now(), 'the container was lost while podbay was away');
      }
    }
    await this.removeOrphans();
  }

  /**
   * A CREATED record whose start was under way when the agent died: if runc
   * runs it, it is RUNNING (the start happened); otherwise whatever runc has
   * is deleted and it stays CREATED.
   */
  private async adoptCreated(c: ContainerRecord): Promise<void> {
    const st = await this.runc.state(c.id).catch(() => undefined);
    if (st?.status === 'running') {
      c.state = 'CONTAINER_RUNNING';
      c.startedAt = this.o.clock.now();
      this.containerStore.save(c);
    } else if (st) {
      await this.runc.delete(c.id).catch(() => undefined);
    }
  }

  /**
   * Bundles and runc containers without a record: left by an agent killed in
   * the middle of creating them. Removed, with their mounts.
   */
  private async removeOrphans(): Promise<void> {
    const known = (id: string): boolean => this.sandboxes.has(id) || this.containers.has(id);
    const runcIds = (await this.runc.list().catch(() => [])).map((r) => r.id);
    let dirs: string[] = [];
    try {
      dirs = readdirSync(this.containersDir);
    } catch {
      // none
    }
    for (const id of new Set([...runcIds, ...dirs])) {
      if (!/^[0-9a-f]{64}$/.test(id) || known(id)) {
        continue;
      }
      await this.runc.delete(id).catch(() => undefined);
      await unmountIfMounted(join(this.containerDir(id), 'rootfs')).catch(() => undefined);
      await unmountIfMounted(join(this.containerDir(id), 'shm')).catch(() => undefined);
      rmSync(this.containerDir(id), { recursive: true, force: true });
      rmSync(join(this.exitDir, id), { force: true });
    }
  }

  // ----------------------------------------------------------------- events

  private emit(type: ContainerEventType, containerId: string, podSandboxId: string): void {
    const e: ContainerEvent = { type, containerId, podSandboxId, createdAt: this.o.clock.now() };
    for (const l of [...this.listeners]) {
      try {
        l(e);
      } catch {
        // listeners must not throw (contract); one that does must not break the runtime
      }
    }
  }

  watchContainerEvents(listener: (event: ContainerEvent) => void): Unsubscribe {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  }

  // ----------------------------------------------------------- exit watching

  private startExitWatch(): void {
    try {
      this.watcher = watch(this.exitDir, (_event, name) => {
        if (typeof name === 'string' && /^[0-9a-f]{64}$/.test(name)) {
          void this.onExitFile(name);
        }
      });
      this.watcher.on('error', () => undefined);
      (this.watcher as unknown as { unref?: () => void }).unref?.();
    } catch {
      // polling below covers it
    }
    this.pollTimer = setInterval(() => void this.pollExits(), this.o.exitPollMs ?? DEFAULT_EXIT_POLL_MS);
    this.pollTimer.unref();
  }

  private async pollExits(): Promise<void> {
    for (const c of [...this.containers.values()]) {
      if (c.state !== 'CONTAINER_RUNNING') {
        continue;
      }
      if (existsSync(join(this.exitDir, c.id))) {
        await this.onExitFile(c.id);
      } else if (!this.conmonAlive(c.id)) {
        await this.recordLostExit(c);
      }
    }
    for (const s of [...this.sandboxes.values()]) {
      if (s.state === 'SANDBOX_READY' && existsSync(join(this.exitDir, s.id))) {
        await this.onExitFile(s.id);
      }
    }
  }

  /** Whether the conmon of `id` (from its pid file) still runs; true when unknown. */
  private conmonAlive(id: string): boolean {
    let pid = this.conmonPids.get(id);
    if (pid === undefined) {
      try {
        pid = Number(readFileSync(join(this.containerDir(id), 'conmon.pid'), 'utf8').trim());
      } catch {
        return true;
      }
      this.conmonPids.set(id, pid);
    }
    if (!(pid > 0)) {
      return true;
    }
    try {
      process.kill(pid, 0);
      return true;
    } catch (e) {
      return (e as NodeJS.ErrnoException).code === 'EPERM';
    }
  }

  /**
   * conmon is gone without an exit file (killed, or OOM-killed itself): if
   * runc no longer runs the container, it exited with an unknown code
   * (containerd reports 255, reason Unknown, for a lost task).
   */
  private async recordLostExit(c: ContainerRecord): Promise<void> {
    const st = await this.runc.state(c.id).catch(() => undefined);
    if (st?.status === 'running' || c.state !== 'CONTAINER_RUNNING' || existsSync(join(this.exitDir, c.id))) {
      return;
    }
    this.markExited(c, 255, REASON_UNKNOWN, this.o.clock.now(), 'conmon exited without recording the exit code');
    this.cancelKillTimer(c.id);
    this.emit('CONTAINER_STOPPED_EVENT', c.id, c.sandboxId);
    this.wakeExitWaiters(c.id);
  }

  private async onExitFile(id: string): Promise<void> {
    if (this.closed || !existsSync(join(this.exitDir, id))) {
      return;
    }
    const c = this.containers.get(id);
    if (c?.state === 'CONTAINER_RUNNING') {
      await this.recordExit(id, true);
      return;
    }
    const s = this.sandboxes.get(id);
    if (s?.state === 'SANDBOX_READY') {
      // The infra process died: the pod's namespaces are gone, so the sandbox is NOTREADY and the agent recreates it.
      s.state = 'SANDBOX_NOTREADY';
      this.sandboxStore.save(s);
      this.emit('CONTAINER_STOPPED_EVENT', s.id, s.id);
    }
    this.wakeExitWaiters(id);
  }

  private wakeExitWaiters(id: string): void {
    const ws = this.exitWaiters.get(id);
    this.exitWaiters.delete(id);
    for (const w of ws ?? []) {
      w();
    }
  }

  /** Resolves when `id` (container or infra) has an exit file processed, or after timeoutMs. */
  private waitExit(id: string, done: () => boolean, timeoutMs: number): Promise<void> {
    if (done()) {
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      const timer = setTimeout(finish, timeoutMs);
      // Faster than the global poll while someone is waiting; a dead conmon writes no exit file, so look at it too.
      const poll = setInterval(() => {
        if (done()) {
          finish();
          return;
        }
        void this.onExitFile(id);
        const c = this.containers.get(id);
        if (c?.state === 'CONTAINER_RUNNING' && !existsSync(join(this.exitDir, id)) && !this.conmonAlive(id)) {
          void this.recordLostExit(c);
        }
      }, 100);
      function finish(): void {
        clearTimeout(timer);
        clearInterval(poll);
        resolve();
      }
      const list = this.exitWaiters.get(id) ?? [];
      list.push(finish);
      this.exitWaiters.set(id, list);
      void this.onExitFile(id);
    });
  }

  /** Reads conmon's exit file and turns a RUNNING container into EXITED. */
  private async recordExit(id: string, emit: boolean): Promise<void> {
    const c = this.containers.get(id);
    if (!c || c.state !== 'CONTAINER_RUNNING' || this.processingExit.has(id)) {
      return;
    }
    this.processingExit.add(id);
    try {
      const file = join(this.exitDir, id);
      let code = 255;
      let finishedAt = this.o.clock.now();
      try {
        const text = readFileSync(file, 'utf8').trim();
        // conmon writes the code once the container is reaped; an empty file is still being written.
        if (text === '') {
          return;
        }
        code = Number(text);
        finishedAt = Math.max(statSync(file).mtimeMs, c.startedAt ?? 0);
      } catch {
        return;
      }
      let reason = code === 0 ? REASON_COMPLETED : REASON_ERROR;
      if (code !== 0 && (await this.wasOomKilled(c))) {
        reason = REASON_OOM_KILLED;
      }
      this.readTerminationMessage(c);
      this.markExited(c, code, reason, Math.round(finishedAt), '');
      this.cancelKillTimer(id);
      if (emit) {
        this.emit('CONTAINER_STOPPED_EVENT', c.id, c.sandboxId);
      }
      this.wakeExitWaiters(id);
    } finally {
      this.processingExit.delete(id);
    }
  }

  private markExited(c: ContainerRecord, code: number, reason: string, finishedAt: number, message: string): void {
    this.conmonPids.delete(c.id);
    c.state = 'CONTAINER_EXITED';
    c.exitCode = code;
    c.reason = reason;
    c.message = message;
    c.finishedAt = finishedAt;
    this.containerStore.save(c);
  }

  /**
   * The kernel's OOM kill counter of the container's cgroup (its own memory
   * limit), or a rise of the pod cgroup's since the start (the pod limit):
   * containerd reports OOMKilled from the same cgroup event.
   */
  private async wasOomKilled(c: ContainerRecord): Promise<boolean> {
    try {
      if ((await this.o.cgroups.oomKillCount(c.cgroupsPath)) > 0) {
        return true;
      }
      const s = this.sandboxes.get(c.sandboxId);
      if (s && c.podOomKillsAtStart !== undefined) {
        return (await this.o.cgroups.oomKillCount(s.cgroupParent)) > c.podOomKillsAtStart;
      }
    } catch {
      // no cgroup evidence
    }
    return false;
  }

  private readTerminationMessage(c: ContainerRecord): void {
    if (!c.config.terminationMessagePath) {
      return;
    }
    try {
      const buf = readFileSync(join(this.containerDir(c.id), 'termination-log'));
      const text = new TextDecoder().decode(
        new Uint8Array(buf.buffer, buf.byteOffset, Math.min(buf.length, MAX_TERMINATION_MESSAGE_BYTES)),
      );
      if (text !== '') {
        c.terminationMessage = text;
      }
    } catch {
      // no file: no message
    }
  }

  // ---------------------------------------------------------------- version

  version(): Promise<VersionInfo> {
    return Promise.resolve({
      runtimeApiVersion: 'v1',
      runtimeName: OCI_RUNTIME_NAME,
      runtimeVersion: OCI_RUNTIME_VERSION,
    });
  }

  async status(): Promise<RuntimeStatus> {
    let runtimeReady = true;
    let runtimeMessage: string | undefined;
    for (const bin of [RUNC_BINARY, CONMON_BINARY, this.pauseBinary]) {
      try {
        accessSync(bin, constants.X_OK);
      } catch {
        runtimeReady = false;
        runtimeMessage = `${bin} is missing`;
      }
    }
    const net = await this.o.network.status().catch((e: unknown) => ({ ready: false, message: errorMessage(e) }));
    return {
      conditions: [
        {
          type: 'RuntimeReady',
          status: runtimeReady,
          ...(runtimeMessage ? { reason: 'RuntimeBinaryMissing', message: runtimeMessage } : {}),
        },
        {
          type: 'NetworkReady',
          status: net.ready,
          ...(net.ready ? {} : { reason: 'NetworkPluginNotReady', message: net.message ?? 'network plugin not ready' }),
        },
      ],
    };
  }

  private get pauseBinary(): string {
    return this.o.pauseBinary ?? '/usr/bin/catatonit';
  }

  private containerDir(id: string): string {
    return join(this.containersDir, id);
  }

  // -------------------------------------------------------------- sandboxes

  private sandboxKey(c: PodSandboxConfig): string {
    const m = c.metadata;
    return `${m.namespace}/${m.name}/${m.uid}/${m.attempt}`;
  }

  private networkRequest(s: SandboxRecord): PodNetworkRequest {
    const m = s.config.metadata;
    return {
      sandboxId: s.id,
      podName: m.name,
      podNamespace: m.namespace,
      podUid: m.uid,
      netnsPath: s.netnsPath ?? '',
      portMappings: s.config.portMappings,
    };
  }

  async runPodSandbox(config: PodSandboxConfig): Promise<string> {
    const key = this.sandboxKey(config);
    if (
      this.reservedSandboxes.has(key) ||
      [...this.sandboxes.values()].some((s) => this.sandboxKey(s.config) === key)
    ) {
      throw new RuntimeError('AlreadyExists', `a sandbox for ${key} already exists`);
    }
    this.reservedSandboxes.add(key);
    const id = newId();
    const dir = this.containerDir(id);
    const hostNetwork = config.linux.securityContext.namespaceOptions.network === 'NODE';
    const s: SandboxRecord = {
      id,
      order: this.order++,
      config,
      createdAt: this.o.clock.now(),
      state: 'SANDBOX_NOTREADY',
      networkUp: false,
      cgroupParent: config.linux.cgroupParent || `${this.o.cgroupRoot ?? '/podbay'}/pod${config.metadata.uid}`,
      infraPid: 0,
      shmMounted: false,
    };
    try {
      mkdirSync(join(dir, 'rootfs'), { recursive: true });
      // Saved at each step, so an agent killed halfway leaves a NOTREADY record that says what to tear down.
      this.sandboxStore.save(s);
      await this.o.cgroups.ensure(s.cgroupParent, config.linux.resources ?? {});
      if (hostNetwork) {
        const nodeIp = this.o.nodeIp ?? firstNodeIp();
        if (nodeIp !== undefined) {
          s.ip = nodeIp;
        }
      } else {
        s.netnsPath = await this.o.network.createNetns(`${this.o.netnsPrefix ?? 'podbay-'}${id.slice(0, 12)}`);
        // Marked before setUp: a half-done ADD is undone by the (idempotent) tearDown.
        s.networkUp = true;
        this.sandboxStore.save(s);
        s.ip = (await this.o.network.setUp(this.networkRequest(s))).ip;
      }
      writeFileSync(
        join(dir, 'hosts'),
        hostNetwork
          ? nodeHostsFileContent(readFileSync('/etc/hosts', 'utf8'), config.hostAliases)
          : managedHostsFileContent(s.ip ? [s.ip] : [], config.hostname, config.domain, config.hostAliases),
      );
      writeFileSync(join(dir, 'hostname'), `${config.hostname}\n`);
      writeFileSync(
        join(dir, 'resolv.conf'),
        config.dnsConfig ? resolvConfContent(config.dnsConfig) : readFileSync('/etc/resolv.conf', 'utf8'),
      );
      if (config.linux.securityContext.namespaceOptions.ipc !== 'NODE') {
        // The pod's /dev/shm, shared by its containers as their IPC namespace is (containerd's sandbox shm).
        s.shmMounted = true;
        this.sandboxStore.save(s);
        await mountTmpfs(join(dir, 'shm'), 'mode=1777,size=65536k,nosuid,nodev,noexec');
      }
      const spec = buildSandboxSpec({
        config,
        netnsPath: s.netnsPath,
        cgroupsPath: this.o.cgroups.runcCgroupsPath(s.cgroupParent, id),
        host: this.host,
        pauseBinary: this.pauseBinary,
      });
      writeFileSync(join(dir, 'config.json'), JSON.stringify(spec));
      s.infraPid = (await this.createAndStart(id, dir, join(dir, 'infra.log'), false, false, false)).pid;
      s.state = 'SANDBOX_READY';
      this.sandboxes.set(id, s);
      this.sandboxStore.save(s);
    } catch (e) {
      await this.teardownSandbox(s).catch(() => undefined);
      await this.removeSandboxFiles(s).catch(() => undefined);
      this.sandboxStore.delete(id);
      throw new RuntimeError('Unknown', `failed to run the pod sandbox: ${errorMessage(e)}`);
    } finally {
      this.reservedSandboxes.delete(key);
    }
    this.emit('CONTAINER_CREATED_EVENT', id, id);
    this.emit('CONTAINER_STARTED_EVENT', id, id);
    return id;
  }

  /**
   * conmon + runc create, then runc start; resolves with the init pid and the
   * time just before `runc start` (the process runs from inside that call, so
   * a time taken after it would be late). Cleans runc up on failure.
   */
  private async createAndStart(
    id: string,
    bundle: string,
    logPath: string,
    terminal: boolean,
    stdin: boolean,
    stdinOnce: boolean,
  ): Promise<{ pid: number; startedAt: number }> {
    rmSync(join(this.exitDir, id), { force: true });
    try {
      const pid = await startConmon({
        containerId: id,
        bundleDir: bundle,
        containerPidFile: join(bundle, 'pidfile'),
        conmonPidFile: join(bundle, 'conmon.pid'),
        exitDir: this.exitDir,
        socketDir: this.socketDir,
        logPath,
        terminal,
        stdin,
        stdinOnce,
        runc: this.runc,
      });
      const startedAt = this.o.clock.now();
      await this.runc.start(id);
      return { pid, startedAt };
    } catch (e) {
      await this.runc.delete(id).catch(() => undefined);
      throw e;
    }
  }

  /** Stops the infra process and the network. Idempotent. */
  private async teardownSandbox(s: SandboxRecord): Promise<void> {
    if (s.infraPid > 0 || (await this.runc.state(s.id).catch(() => undefined))) {
      await this.runc.kill(s.id, 'KILL', true);
      // Done when conmon recorded the exit, or when no conmon is left to record it.
      await this.waitExit(s.id, () => existsSync(join(this.exitDir, s.id)) || !this.conmonAlive(s.id), KILL_WAIT_MS);
    }
    if (s.networkUp) {
      await this.o.network.tearDown(this.networkRequest(s));
      s.networkUp = false;
    }
    if (s.netnsPath) {
      await this.o.network.removeNetns(s.netnsPath);
      s.netnsPath = undefined;
    }
    if (s.shmMounted) {
      await unmountIfMounted(join(this.containerDir(s.id), 'shm'));
      s.shmMounted = false;
    }
  }

  private async removeSandboxFiles(s: SandboxRecord): Promise<void> {
    await this.runc.delete(s.id);
    rmSync(join(this.exitDir, s.id), { force: true });
    rmSync(join(this.socketDir, s.id), { force: true, recursive: true });
    rmSync(this.containerDir(s.id), { force: true, recursive: true });
    const shared = [...this.sandboxes.values()].some((o) => o.id !== s.id && o.cgroupParent === s.cgroupParent);
    if (!shared) {
      await this.o.cgroups.remove(s.cgroupParent);
    }
  }

  private sandboxOrThrow(id: string): SandboxRecord {
    const s = this.sandboxes.get(id);
    if (!s) {
      throw new RuntimeError('NotFound', `pod sandbox ${id} not found`);
    }
    return s;
  }

  async stopPodSandbox(podSandboxId: string): Promise<void> {
    const s = this.sandboxOrThrow(podSandboxId);
    const running = [...this.containers.values()].filter(
      (c) => c.sandboxId === s.id && c.state === 'CONTAINER_RUNNING',
    );
    await Promise.all(running.map((c) => this.stopContainer(c.id, 0)));
    const wasReady = s.state === 'SANDBOX_READY';
    try {
      await this.teardownSandbox(s);
    } catch (e) {
      throw new RuntimeError('Unknown', `failed to stop pod sandbox ${s.id}: ${errorMessage(e)}`);
    } finally {
      s.state = 'SANDBOX_NOTREADY';
      if (this.sandboxes.has(s.id)) {
        this.sandboxStore.save(s);
      }
    }
    if (wasReady) {
      this.emit('CONTAINER_STOPPED_EVENT', s.id, s.id);
    }
  }

  /** Concurrent removals of one id share one run (one DELETED event). */
  private coalesce(id: string, run: () => Promise<void>): Promise<void> {
    let p = this.removing.get(id);
    if (!p) {
      p = run().finally(() => this.removing.delete(id));
      this.removing.set(id, p);
    }
    return p;
  }

  removePodSandbox(podSandboxId: string): Promise<void> {
    return this.coalesce(podSandboxId, () => this.doRemovePodSandbox(podSandboxId));
  }

  private async doRemovePodSandbox(podSandboxId: string): Promise<void> {
    const s = this.sandboxes.get(podSandboxId);
    if (!s) {
      return;
    }
    await this.stopPodSandbox(podSandboxId);
    const containers = [...this.containers.values()].filter((x) => x.sandboxId === s.id);
    await Promise.all(containers.map((c) => this.removeContainer(c.id)));
    try {
      await this.removeSandboxFiles(s);
    } catch (e) {
      throw new RuntimeError('Unknown', `failed to remove pod sandbox ${s.id}: ${errorMessage(e)}`);
    }
    this.sandboxes.delete(s.id);
    this.sandboxStore.delete(s.id);
    this.emit('CONTAINER_DELETED_EVENT', s.id, s.id);
  }

  private toPodSandbox(s: SandboxRecord): PodSandbox {
    return {
      id: s.id,
      metadata: s.config.metadata,
      state: s.state,
      createdAt: s.createdAt,
      labels: s.config.labels,
      annotations: s.config.annotations,
    };
  }

  podSandboxStatus(podSandboxId: string): Promise<PodSandboxStatus> {
    try {
      const s = this.sandboxOrThrow(podSandboxId);
      return Promise.resolve({
        ...this.toPodSandbox(s),
        network: { ...(s.ip ? { ip: s.ip } : {}), additionalIps: [] },
        namespaceOptions: s.config.linux.securityContext.namespaceOptions,
      });
    } catch (e) {
      return rejected(e);
    }
  }

  listPodSandboxes(filter: PodSandboxFilter = {}): Promise<PodSandbox[]> {
    return Promise.resolve(
      [...this.sandboxes.values()]
        .filter(
          (s) =>
            (filter.id === undefined || s.id === filter.id) &&
            (filter.state === undefined || s.state === filter.state) &&
            matchesLabels(s.config.labels, filter.labelSelector),
        )
        .sort((a, b) => a.order - b.order)
        .map((s) => this.toPodSandbox(s)),
    );
  }

  // ------------------------------------------------------------- containers

  private containerOrThrow(id: string): ContainerRecord {
    const c = this.containers.get(id);
    if (!c) {
      throw new RuntimeError('NotFound', `container ${id} not found`);
    }
    return c;
  }

  async createContainer(
    podSandboxId: string,
    config: ContainerConfig,
    sandboxConfig: PodSandboxConfig,
  ): Promise<string> {
    const s = this.sandboxOrThrow(podSandboxId);
    if (s.state !== 'SANDBOX_READY') {
      throw new RuntimeError('FailedPrecondition', `pod sandbox ${podSandboxId} is not ready`);
    }
    const key = `${podSandboxId}/${config.metadata.name}/${config.metadata.attempt}`;
    if (
      this.reservedContainers.has(key) ||
      [...this.containers.values()].some(
        (c) =>
          c.sandboxId === podSandboxId &&
          c.config.metadata.name === config.metadata.name &&
          c.config.metadata.attempt === config.metadata.attempt,
      )
    ) {
      throw new RuntimeError(
        'AlreadyExists',
        `container ${config.metadata.name} attempt ${config.metadata.attempt} already exists`,
      );
    }
    const image = await this.o.images.get(config.image.image);
    if (!image) {
      throw new RuntimeError('NotFound', `image ${config.image.image} not found`);
    }
    this.reservedContainers.add(key);
    const id = newId();
    const dir = this.containerDir(id);
    const rootfs = join(dir, 'rootfs');
    let mounted = false;
    try {
      await mountOverlay(image.layerDirs, join(dir, 'upper'), join(dir, 'work'), rootfs);
      mounted = true;
      const spec = this.containerSpec(id, s, sandboxConfig, config, image);
      writeFileSync(join(dir, 'config.json'), JSON.stringify(spec));
      if (config.terminationMessagePath) {
        writeFileSync(join(dir, 'termination-log'), '');
      }
      const logPath = join(s.config.logDirectory, config.logPath);
      mkdirSync(dirname(logPath), { recursive: true });
      const c: ContainerRecord = {
        id,
        order: this.order++,
        sandboxId: s.id,
        config,
        imageId: image.id,
        statusImageRef: image.repoDigests[0] ?? image.id,
        createdAt: this.o.clock.now(),
        exitCode: 0,
        reason: '',
        message: '',
        state: 'CONTAINER_CREATED',
        logPath,
        cgroupsPath: spec.linux.cgroupsPath,
      };
      this.containers.set(id, c);
      this.containerStore.save(c);
    } catch (e) {
      if (mounted) {
        await unmountIfMounted(rootfs).catch(() => undefined);
      }
      rmSync(dir, { recursive: true, force: true });
      if (e instanceof RuntimeError) {
        throw e;
      }
      throw new RuntimeError('Unknown', `failed to create container ${config.metadata.name}: ${errorMessage(e)}`);
    } finally {
      this.reservedContainers.delete(key);
    }
    this.emit('CONTAINER_CREATED_EVENT', id, s.id);
    return id;
  }

  private containerSpec(
    id: string,
    s: SandboxRecord,
    sandboxConfig: PodSandboxConfig,
    config: ContainerConfig,
    image: OciImage,
  ): OciSpec {
    const sc = config.linux.securityContext;
    let user;
    try {
      user = resolveProcessUser(sc, image.config.User ?? '', (p) => readImageFile(image.layerDirs, p));
    } catch (e) {
      throw new RuntimeError('InvalidArgument', errorMessage(e));
    }
    const args = resolveProcessArgs(config.command, config.args, image.config);
    if (args.length === 0) {
      throw new RuntimeError('InvalidArgument', 'no command specified: the image has no ENTRYPOINT or CMD');
    }
    const hostNetwork = sc.namespaceOptions.network === 'NODE';
    const devices: OciDevice[] = sc.privileged ? hostDevices() : [];
    for (const d of config.devices) {
      const dev = deviceAt(d.hostPath, d.containerPath);
      if (dev) {
        devices.push(dev);
      }
    }
    const dir = this.containerDir(s.id);
    return buildContainerSpec({
      config,
      sandbox: sandboxConfig,
      args,
      env: mergeEnv(hostNetwork ? undefined : s.config.hostname, image.config.Env ?? [], config.envs),
      cwd: config.workingDir || image.config.WorkingDir || '/',
      user,
      infraPid: s.infraPid,
      netnsPath: s.netnsPath,
      cgroupsPath: this.o.cgroups.runcCgroupsPath(s.cgroupParent, id),
      podFiles: {
        hosts: join(dir, 'hosts'),
        hostname: join(dir, 'hostname'),
        resolvConf: join(dir, 'resolv.conf'),
        ...(s.shmMounted ? { shm: join(dir, 'shm') } : {}),
      },
      terminationLog: join(this.containerDir(id), 'termination-log'),
      host: this.host,
      devices,
      withSwap: this.withSwap,
    });
  }

  async startContainer(containerId: string): Promise<void> {
    const c = this.containerOrThrow(containerId);
    if (c.state !== 'CONTAINER_CREATED') {
      throw new RuntimeError('FailedPrecondition', `container ${containerId} is ${c.state}, not CREATED`);
    }
    const s = this.sandboxes.get(c.sandboxId);
    if (!s || s.state !== 'SANDBOX_READY') {
      throw new RuntimeError('FailedPrecondition', `pod sandbox ${c.sandboxId} is not ready`);
    }
    // Mark it before the first await so a concurrent start is refused.
    c.state = 'CONTAINER_UNKNOWN';
    let startedAt: number;
    try {
      c.podOomKillsAtStart = await this.o.cgroups.oomKillCount(s.cgroupParent).catch(() => 0);
      const dir = this.containerDir(c.id);
      startedAt = (await this.createAndStart(c.id, dir, c.logPath, c.config.tty, c.config.stdin, c.config.stdinOnce))
        .startedAt;
    } catch (e) {
      const message = errorMessage(e);
      this.markExited(c, 128, REASON_START_ERROR, this.o.clock.now(), message);
      c.startedAt = undefined;
      this.emit('CONTAINER_STOPPED_EVENT', c.id, c.sandboxId);
      throw new RuntimeError('Unknown', `failed to start container ${c.config.metadata.name}: ${message}`);
    }
    c.state = 'CONTAINER_RUNNING';
    c.startedAt = startedAt;
    this.containerStore.save(c);
    this.emit('CONTAINER_STARTED_EVENT', c.id, c.sandboxId);
    // It may already have exited.
    void this.onExitFile(c.id);
  }

  private cancelKillTimer(id: string): void {
    this.killTimers.get(id)?.timer.cancel();
    this.killTimers.delete(id);
  }

  private scheduleKill(c: ContainerRecord, timeoutSeconds: number): void {
    const at = this.o.clock.now() + timeoutSeconds * 1000;
    const existing = this.killTimers.get(c.id);
    if (existing && existing.at <= at) {
      return;
    }
    existing?.timer.cancel();
    const timer = this.o.clock.setTimer(Math.max(0, at - this.o.clock.now()), () => {
      this.killTimers.delete(c.id);
      void this.runc.kill(c.id, 'KILL', true);
    });
    this.killTimers.set(c.id, { at, timer });
  }

  async stopContainer(containerId: string, timeoutSeconds: number): Promise<void> {
    const c = this.containerOrThrow(containerId);
    if (c.state !== 'CONTAINER_RUNNING') {
      return;
    }
    const exited = (): boolean => c.state !== 'CONTAINER_RUNNING';
    if (timeoutSeconds <= 0) {
      await this.runc.kill(c.id, 'KILL', true);
    } else {
      if (!this.killTimers.has(c.id)) {
        await this.runc.kill(c.id, 'TERM', false);
      }
      this.scheduleKill(c, timeoutSeconds);
    }
    await this.waitExit(c.id, exited, timeoutSeconds * 1000 + KILL_WAIT_MS);
    if (!exited()) {
      throw new RuntimeError('Unknown', `container ${containerId} did not exit after SIGKILL`);
    }
  }

  removeContainer(containerId: string): Promise<void> {
    return this.coalesce(containerId, () => this.doRemoveContainer(containerId));
  }

  private async doRemoveContainer(containerId: string): Promise<void> {
    const c = this.containers.get(containerId);
    if (!c) {
      return;
    }
    if (c.state === 'CONTAINER_RUNNING') {
      await this.runc.kill(c.id, 'KILL', true);
      await this.waitExit(c.id, () => c.state !== 'CONTAINER_RUNNING', KILL_WAIT_MS);
    }
    this.cancelKillTimer(c.id);
    try {
      await this.runc.delete(c.id);
      await unmountIfMounted(join(this.containerDir(c.id), 'rootfs'));
    } catch (e) {
      throw new RuntimeError('Unknown', `failed to remove container ${containerId}: ${errorMessage(e)}`);
    }
    rmSync(join(this.exitDir, c.id), { force: true });
    rmSync(join(this.socketDir, c.id), { force: true, recursive: true });
    rmSync(this.containerDir(c.id), { recursive: true, force: true });
    this.containers.delete(c.id);
    this.containerStore.delete(c.id);
    this.emit('CONTAINER_DELETED_EVENT', c.id, c.sandboxId);
  }

  private toContainer(c: ContainerRecord): Container {
    return {
      id: c.id,
      podSandboxId: c.sandboxId,
      metadata: c.config.metadata,
      image: c.config.image,
      imageRef: c.imageId,
      state: c.state === 'CONTAINER_UNKNOWN' ? 'CONTAINER_CREATED' : c.state,
      createdAt: c.createdAt,
      labels: c.config.labels,
      annotations: c.config.annotations,
    };
  }

  containerStatus(containerId: string): Promise<ContainerStatus> {
    try {
      const c = this.containerOrThrow(containerId);
      return Promise.resolve({
        ...this.toContainer(c),
        imageRef: c.statusImageRef,
        ...(c.startedAt !== undefined ? { startedAt: c.startedAt } : {}),
        ...(c.finishedAt !== undefined ? { finishedAt: c.finishedAt } : {}),
        exitCode: c.exitCode,
        reason: c.reason,
        message: c.message,
        logPath: c.logPath,
        ...(c.terminationMessage !== undefined ? { terminationMessage: c.terminationMessage } : {}),
        mounts: c.config.mounts,
        resources: c.config.linux.resources,
      });
    } catch (e) {
      return rejected(e);
    }
  }

  listContainers(filter: ContainerFilter = {}): Promise<Container[]> {
    return Promise.resolve(
      [...this.containers.values()]
        .map((c) => this.toContainer(c))
        .filter(
          (c) =>
            (filter.id === undefined || c.id === filter.id) &&
            (filter.podSandboxId === undefined || c.podSandboxId === filter.podSandboxId) &&
            (filter.state === undefined || c.state === filter.state) &&
            matchesLabels(c.labels, filter.labelSelector),
        )
        .sort((a, b) => this.containers.get(a.id)!.order - this.containers.get(b.id)!.order),
    );
  }

  // ---------------------------------------------------- exec, attach, ports

  private runningOrThrow(containerId: string): ContainerRecord {
    const c = this.containerOrThrow(containerId);
    if (c.state !== 'CONTAINER_RUNNING') {
      throw new RuntimeError('FailedPrecondition', `container ${containerId} is not running`);
    }
    return c;
  }

  async execSync(containerId: string, cmd: string[], timeoutMs: number): Promise<ExecSyncResult> {
    const c = this.runningOrThrow(containerId);
    return execSyncIn(this.runc, c.id, this.containerDir(c.id), cmd, timeoutMs);
  }

  async exec(containerId: string, cmd: string[], options: StreamOptions): Promise<ExecSession> {
    const c = this.runningOrThrow(containerId);
    return startExec(this.runc, c.id, this.containerDir(c.id), cmd, options);
  }

  attach(containerId: string, options: StreamOptions): Promise<ExecSession> {
    try {
      const c = this.runningOrThrow(containerId);
      if (options.stdin && !c.config.stdin) {
        throw new RuntimeError('InvalidArgument', `container ${containerId} was not created with stdin`);
      }
      return Promise.resolve(
        startAttach(
          {
            bundleDir: this.containerDir(c.id),
            tty: c.config.tty,
            follow: (onEntry) => this.followContainerLog(c.id, { tailLines: 0 }, onEntry),
            exitCode: () => this.containers.get(c.id)?.exitCode ?? -1,
          },
          options,
        ),
      );
    } catch (e) {
      return rejected(e);
    }
  }

  async portForward(podSandboxId: string, port: number, toClient: ByteSink): Promise<ByteSink> {
    const s = this.sandboxOrThrow(podSandboxId);
    if (s.state !== 'SANDBOX_READY') {
      throw new RuntimeError('FailedPrecondition', `pod sandbox ${podSandboxId} is not ready`);
    }
    return openPortForward(s.netnsPath, port, toClient);
  }

  // ------------------------------------------------------------------- logs

  readContainerLog(containerId: string, options: LogReadOptions = {}): Promise<LogEntry[]> {
    try {
      const c = this.containerOrThrow(containerId);
      return Promise.resolve(readCriLogFile(c.logPath, options));
    } catch (e) {
      return rejected(e);
    }
  }

  followContainerLog(containerId: string, options: LogReadOptions, onEntry: (entry: LogEntry) => void): LogFollower {
    const c = this.containerOrThrow(containerId);
    return followCriLogFile(
      c.logPath,
      options,
      () => {
        const now = this.containers.get(containerId);
        return now === undefined || now.state === 'CONTAINER_EXITED';
      },
      onEntry,
    );
  }

  async reopenContainerLog(containerId: string): Promise<void> {
    const c = this.runningOrThrow(containerId);
    // conmon's control FIFO in the bundle: message type 2 reopens the log (conmon src/ctrl.c).
    try {
      writeFileSync(join(this.containerDir(c.id), 'ctl'), '2 0 0\n');
    } catch (e) {
      throw new RuntimeError('Unknown', `failed to reopen the log of ${containerId}: ${errorMessage(e)}`);
    }
  }

  // ------------------------------------------------------------------ stats

  async containerStats(containerId: string): Promise<ContainerStats> {
    const c = this.containerOrThrow(containerId);
    const timestamp = this.o.clock.now();
    const usage =
      c.state === 'CONTAINER_RUNNING'
        ? await this.o.cgroups
            .stats(c.cgroupsPath)
            .catch(() => ({ cpuUsageCoreNanoSeconds: 0, memoryWorkingSetBytes: 0 }))
        : { cpuUsageCoreNanoSeconds: 0, memoryWorkingSetBytes: 0 };
    return { containerId, timestamp, ...usage };
  }

  async podSandboxStats(podSandboxId: string): Promise<PodSandboxStats> {
    this.sandboxOrThrow(podSandboxId);
    const ids = [...this.containers.values()].filter((c) => c.sandboxId === podSandboxId).map((c) => c.id);
    const containers = await Promise.all(ids.map((id) => this.containerStats(id)));
    return {
      podSandboxId,
      timestamp: this.o.clock.now(),
      cpuUsageCoreNanoSeconds: containers.reduce((a, c) => a + c.cpuUsageCoreNanoSeconds, 0),
      memoryWorkingSetBytes: containers.reduce((a, c) => a + c.memoryWorkingSetBytes, 0),
      containers,
    };
  }

  probeTransport(): ProbeTransport {
    return this.transport;
  }

  // ----------------------------------------------------------------- images

  async pullImage(image: ImageSpec, auth?: AuthConfig): Promise<string> {
    return this.o.images.pull(image.image, auth);
  }

  async imageStatus(image: ImageSpec): Promise<Image | undefined> {
    const i = await this.o.images.get(image.image);
    return i ? toImage(i) : undefined;
  }

  async listImages(filter: ImageFilter = {}): Promise<Image[]> {
    if (filter.image) {
      const i = await this.o.images.get(filter.image.image);
      return i ? [toImage(i)] : [];
    }
    return (await this.o.images.list()).map(toImage);
  }

  async removeImage(image: ImageSpec): Promise<void> {
    const i = await this.o.images.get(image.image);
    if (!i) {
      return;
    }
    if ([...this.containers.values()].some((c) => c.imageId === i.id)) {
      throw new RuntimeError('FailedPrecondition', `image ${image.image} is in use by a container`);
    }
    try {
      await this.o.images.remove(i.id);
    } catch (e) {
      if (!isNotFound(e)) {
        throw e;
      }
    }
  }
}
