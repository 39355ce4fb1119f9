// One serialized worker per pod UID: k8s pkg/kubelet/pod_workers.go (the
// state machine) with the bodies of kubelet.go#SyncPod / SyncTerminatingPod /
// SyncTerminatedPod and kuberuntime_manager.go#SyncPod / killPodWithSyncResult.
//
//   updatePod(create/update/sync)             deletionTimestamp, removal from the API,
//          │                                  a terminal phase, or the active deadline
//          ▼                                                  │
//   ┌─────────────┐  syncPod: decide (computePodActions),     ▼
//   │   syncing   │  then act; status → status manager  ┌──────────────┐
//   │  (SyncPod)  │ ───────────────────────────────────►│ terminating  │ kill every container:
//   └─────────────┘                                     │(SyncTerminat-│ preStop → SIGTERM → grace
//        ▲  │ PLEG event, probe result, back-off        │  ingPod)     │ → SIGKILL; regular ones
//        └──┘ or deadline timer: sync again             └──────┬───────┘ first, sidecars last in
//                                                              │         reverse order; sandbox stop
//                                                              ▼
//                                                       ┌──────────────┐ final status (terminal
//                                                       │  terminated  │ phase); status manager
//                                                       │(SyncTermina- │ deletes the object if it
//                                                       │  tedPod)     │ has a deletionTimestamp;
//                                                       └──────────────┘ once gone from the API:
//                                                                         sandbox removed, forgotten
//
// Updates coalesce: a worker runs one step at a time; updates that arrive
// meanwhile replace the pending pod, and the worker runs again once with the
// newest (pod_workers.go#UpdatePod "pendingUpdate"). Nothing restarts once
// termination has begun (the state only moves forward).
import type { Container, Pod } from '../../api/types/index.js';
import type { Clock, Timer } from '../../lib/clock.js';
import type { ContainerConfig, Mount, PodSandboxConfig, Runtime } from '../../runtime/runtime.js';
import { isNotFound } from '../../runtime/runtime.js';
import { activeDeadlineRemainingMs, pastActiveDeadline } from '../active-deadline.js';
import { goDuration, newCrashLoopBackoff } from '../backoff/backoff.js';
import type { Backoff } from '../backoff/backoff.js';
import { makeEnvironment, REASON_CREATE_CONTAINER_CONFIG_ERROR } from '../env/container-env.js';
import { expandContainerCommandAndArgs } from '../env/expand.js';
import type { EnvLookups } from '../env/container-env.js';
import {
  EVENT_BACK_OFF,
  EVENT_CREATED,
  EVENT_DEADLINE_EXCEEDED,
  EVENT_FAILED,
  EVENT_FAILED_CREATE_POD_SANDBOX,
  EVENT_KILLING,
  EVENT_SANDBOX_CHANGED,
  EVENT_STARTED,
  REASON_CRASH_LOOP_BACK_OFF,
  REASON_CREATE_CONTAINER_ERROR,
  REASON_RUN_CONTAINER_ERROR,
} from '../events.js';
import { KILLING_MESSAGE_POST_START, REASON_POST_START_HOOK_ERROR, runPostStart, runPreStop } from '../hooks/hooks.js';
import type { HookContext } from '../hooks/hooks.js';
import { ImageManager } from '../images/image-manager.js';
import { containerRef } from '../prober/event-recorder-like.js';
import type { EventRecorderLike } from '../prober/event-recorder-like.js';
import type { ProbeResult } from '../prober/probe-outcome.js';
import { generatePodStatus } from '../status/generate-pod-status.js';
import type { StartFailure } from '../status/container-statuses.js';
import type { StatusManager } from '../status/status-manager.js';
import { EVENT_EVICTED, REASON_EVICTED } from '../volumes/volume-manager.js';
import type { VolumeManager } from '../volumes/volume-manager.js';
import { composeTerminatedMessage, readTerminationMessage } from '../termination/termination-message.js';
import { computePodActions, isSidecar } from './actions.js';
import type { ContainerToKill, ProbeView } from './actions.js';
import { hashContainer } from './container-hash.js';
import { podCgroupConfig } from '../cm/pod-cgroup-config.js';
import { containerResources } from './container-resources.js';
import { containerSecurityContext, sandboxSecurityContext, verifyRunAsNonRoot } from './security-context.js';
import {
  ANNOTATION_CONTAINER_HASH,
  ANNOTATION_RESTART_COUNT,
  ANNOTATION_IS_INIT,
  LABEL_CONTAINER_NAME,
  LABEL_POD_NAME,
  LABEL_POD_NAMESPACE,
  LABEL_POD_UID,
  findContainer,
  getPodRuntimeStatus,
  podIPs,
} from './runtime-pod-status.js';
import type { ContainerView, PodRuntimeStatus } from './runtime-pod-status.js';

/** The slice of "node"'s ProberManager the workers use. */
export interface ProberLike {
  addPod(pod: Pod, containerIds?: ReadonlyMap<string, string>, sandbox?: { id: string; podIP?: string }): void;
  removePod(uid: string): void;
  stopLivenessAndStartup?(uid: string): void;
  containerStarted(uid: string, name: string, containerId: string, startedAtMs: number): void;
  containerStopped(uid: string, name: string): void;
  isStarted(uid: string, name: string): boolean;
  isReady(uid: string, name: string): boolean;
  livenessKill(
    uid: string,
    name: string,
  ): { probeType: 'liveness' | 'startup'; message: string; gracePeriodSeconds: number } | undefined;
  settle?(): Promise<void>;
}

export type { ProbeResult };

/** The sim node's default memory capacity (node registration's default 16 GiB). */
const DEFAULT_MEMORY_CAPACITY_BYTES = 16 * 1024 ** 3;

export interface PodWorkersOptions {
  runtime: Runtime;
  clock: Clock;
  statusManager: StatusManager;
  recorder: EventRecorderLike;
  nodeName: string;
  prober?: ProberLike;
  /** ConfigMap / Secret lookups for the environment (default: none exist). */
  lookups?: Pick<EnvLookups, 'configMap' | 'secret'>;
  hostIPs?: string[];
  /** The scheme of containerID in statuses (`sim`, `containerd`). */
  runtimeType?: string;
  /** `<data-dir>/pods`: each sandbox's log directory is `<logRoot>/<uid>`. */
  logRoot?: string;
  /** The node's memory capacity, for Burstable containers' oom_score_adj (default 16 GiB, the sim node's). */
  memoryCapacityBytes?: number;
  /**
   * Volumes (kubelet volumemanager): set up before the sandbox, mounts per
   * container, torn down once terminated. Without it containers get no mounts.
   */
  volumes?: Pick<VolumeManager, 'setUpPod' | 'containerMounts' | 'tearDownPod'>;
  /** Wait before retrying a sync that failed with an unexpected error (pod_workers.go backOffPeriod). */
  errorBackoffMs?: number;
  onError?(e: unknown, pod: Pod): void;
}

type WorkState = 'syncing' | 'terminating' | 'terminated';

interface Worker {
  uid: string;
  pod: Pod;
  state: WorkState;
  /** Another step is wanted (an update or a wake-up arrived). */
  pending: boolean;
  loop: Promise<void> | undefined;
  timer: Timer | undefined;
  timerAt: number;
  /** Gone from the API (force-deleted, or deleted after termination). */
  removed: boolean;
  /** The effective grace period once termination began (only ever lowered). */
  graceSeconds: number | undefined;
  forceFailed: { reason: string; message: string } | undefined;
  /** Last failed start per container name (kubelet reason_cache.go). */
  reasons: Map<string, StartFailure>;
  /** Termination messages read per container id (read once). */
  messages: Map<string, string>;
  sandboxes: Set<string>;
}

/** Syncs one worker runs back to back before it yields (see run()). */
const MAX_STEPS_PER_RUN = 50;
/** pod_workers.go backOffPeriod */
export const SYNC_ERROR_BACKOFF_MS = 10_000;
/** Instances kept per container name by the container GC (the current one and the previous). */
export const GC_KEEP_PER_CONTAINER = 2;
/** kuberuntime_container.go minimumGracePeriodInSeconds */
export const MINIMUM_GRACE_PERIOD_SECONDS = 2;

export class PodWorkers {
  readonly crashBackoff: Backoff;
  readonly images: ImageManager;
  private readonly workers = new Map<string, Worker>();
  private readonly sandboxOwners = new Map<string, string>();
  private readonly runtime: Runtime;
  private readonly unsubscribe: () => void;
  private inFlight = 0;
  private progress = 0;
  private stopped = false;

  constructor(private readonly opts: PodWorkersOptions) {
    this.runtime = this.counting(opts.runtime);
    this.crashBackoff = newCrashLoopBackoff(opts.clock);
    this.images = new ImageManager({
      runtime: this.runtime,
      clock: opts.clock,
      recorder: opts.recorder,
      ...(opts.lookups ? { secret: opts.lookups.secret } : {}),
    });
    // The event half of the PLEG: a container or sandbox of a known pod changed → sync it.
    this.unsubscribe = opts.runtime.watchContainerEvents((ev) => {
      const uid = this.sandboxOwners.get(ev.podSandboxId);
      if (uid) {
        queueMicrotask(() => this.wake(uid));
      }
    });
  }

  /** A pod was added or changed in the API (or a periodic sync asks for it). */
  updatePod(pod: Pod): void {
    if (this.stopped) {
      return;
    }
    const uid = pod.metadata.uid ?? '';
    let w = this.workers.get(uid);
    if (!w) {
      w = {
        uid,
        pod,
        state: 'syncing',
        pending: false,
        loop: undefined,
        timer: undefined,
        timerAt: 0,
        removed: false,
        graceSeconds: undefined,
        forceFailed: undefined,
        reasons: new Map(),
        messages: new Map(),
        sandboxes: new Set(),
      };
      this.workers.set(uid, w);
      const phase = pod.status?.phase;
      if (phase === 'Succeeded' || phase === 'Failed') {
        // Already finished (e.g. the agent restarted): only make sure nothing runs.
        w.state = 'terminating';
      }
    }
    w.pod = pod;
    if (pod.metadata.deletionTimestamp && w.state === 'syncing') {
      w.state = 'terminating';
    }
    this.schedule(w);
  }

  /** The pod is gone from the API: terminate it (if not yet) and forget it. */
  removePod(pod: Pod): void {
    const w = this.workers.get(pod.metadata.uid ?? '');
    if (!w) {
      return;
    }
    w.removed = true;
    if (w.state === 'syncing') {
      w.state = 'terminating';
    }
    this.schedule(w);
  }

  /** Something about the pod changed in the runtime or the prober: sync it again. */
  wake(uid: string): void {
    const w = this.workers.get(uid);
    if (w) {
      this.schedule(w);
    }
  }

  /**
   * The eviction manager's kill (eviction_manager.go#evictPod with a zero
   * grace override, as for local-storage limits): an `Evicted` event, then the
   * pod terminates with phase Failed, reason Evicted and this message.
   */
  evictPod(uid: string, message: string): void {
    const w = this.workers.get(uid);
    if (!w || w.forceFailed || w.state !== 'syncing') {
      return;
    }
    this.opts.recorder.event(w.pod, 'Warning', EVENT_EVICTED, message);
    w.forceFailed = { reason: REASON_EVICTED, message };
    w.graceSeconds = 0;
    this.schedule(w);
  }

  /** Pod UIDs with a worker. */
  podUids(): string[] {
    return [...this.workers.keys()];
  }

  /** The pod that owns a sandbox id, if known. */
  ownerOfSandbox(id: string): string | undefined {
    return this.sandboxOwners.get(id);
  }

  /** The worker state of a pod (tests, the agent's housekeeping). */
  stateOf(uid: string): WorkState | undefined {
    return this.workers.get(uid)?.state;
  }

  /**
   * Resolves when every worker is idle or waits only for the clock (a
   * back-off, a grace period, a sim container's run time), and the status
   * manager and the prober are idle: STYLE.md §11's settle hook. Quiescence
   * is detected over event-loop turns because a runtime call may wait on
   * FakeClock.step, which only the test can do.
   */
  async settle(): Promise<void> {
    let quiet = 0;
    for (;;) {
      const before = this.progress;
      await this.opts.statusManager.settle();
      await this.opts.prober?.settle?.();
      await new Promise<void>((r) => setImmediate(r));
      const busy = [...this.workers.values()].some((w) => w.loop !== undefined) || this.inFlight > 0;
      if (!busy && this.progress === before) {
        return;
      }
      quiet = this.progress === before ? quiet + 1 : 0;
      if (quiet >= 5) {
        return; // blocked on the clock
      }
    }
  }

  stop(): void {
    this.stopped = true;
    this.unsubscribe();
    for (const w of this.workers.values()) {
      w.timer?.cancel();
    }
  }

  // ---- scheduling ---------------------------------------------------------

  private schedule(w: Worker): void {
    w.pending = true;
    if (w.loop || this.stopped) {
      return;
    }
    w.loop = this.run(w).finally(() => {
      w.loop = undefined;
      this.progress++;
      if (w.pending && !this.stopped && this.workers.get(w.uid) === w) {
        this.schedule(w);
      }
    });
  }

  /** Sync again after ms (the earliest request wins). */
  private requeue(w: Worker, ms: number): void {
    const at = this.opts.clock.now() + Math.max(0, ms);
    if (w.timer && w.timerAt <= at) {
      return;
    }
    w.timer?.cancel();
    w.timerAt = at;
    w.timer = this.opts.clock.setTimer(Math.max(0, ms), () => {
      w.timer = undefined;
      this.schedule(w);
    });
  }

  private async run(w: Worker): Promise<void> {
    let steps = 0;
    while (w.pending && !this.stopped) {
      if (++steps > MAX_STEPS_PER_RUN) {
        // A safety net, not a rule from upstream: a pod that keeps asking for
        // another sync yields the event loop and continues after a second.
        w.pending = false;
        this.opts.onError?.(new Error(`pod ${w.uid}: ${MAX_STEPS_PER_RUN} syncs in a row; pausing 1s`), w.pod);
        this.requeue(w, 1_000);
        return;
      }
      w.pending = false;
      const pod = w.pod;
      try {
        if (w.state === 'syncing') {
          await this.syncPod(w, pod);
        } else if (w.state === 'terminating') {
          await this.syncTerminatingPod(w, pod);
        } else {
          await this.syncTerminatedPod(w, pod);
        }
      } catch (e) {
        this.opts.onError?.(e, pod);
        this.requeue(w, this.opts.errorBackoffMs ?? SYNC_ERROR_BACKOFF_MS);
      }
    }
  }

  // ---- SyncPod ------------------------------------------------------------

  private async syncPod(w: Worker, pod: Pod): Promise<void> {
    const uid = w.uid;
    const sm = this.opts.statusManager;
    // activeDeadlineSeconds counts from the status' startTime (kubelet active_deadline.go).
    const startTime = sm.getPodStatus(uid)?.startTime ?? pod.status?.startTime;
    const timed: Pod = startTime ? { ...pod, status: { ...pod.status, startTime } } : pod;
    const deadline = pastActiveDeadline(timed, this.opts.clock.now());
    if (deadline && !w.forceFailed) {
      w.forceFailed = deadline;
      this.opts.recorder.event(pod, 'Normal', EVENT_DEADLINE_EXCEEDED, deadline.message);
    }
    let runtime = await this.readRuntime(w, pod);
    await this.collectGarbage(w, runtime);
    const status = this.generate(w, pod, runtime, false);
    sm.setPodStatus(pod, status);
    if (status.phase === 'Succeeded' || status.phase === 'Failed') {
      w.state = 'terminating';
      w.pending = true;
      return;
    }
    const left = activeDeadlineRemainingMs(
      { ...pod, status: { ...pod.status, startTime: sm.getPodStatus(uid)?.startTime } },
      this.opts.clock.now(),
    );
    if (left !== undefined) {
      this.requeue(w, left);
    }

    // kubelet.go#SyncPod: WaitForAttachAndMount before anything is created; the
    // pod stays ContainerCreating (FailedMount events) until every volume is set up.
    if (this.opts.volumes) {
      const v = await this.opts.volumes.setUpPod(pod);
      if (!v.ready) {
        this.requeue(w, v.retryInMs);
        return;
      }
    }

    const actions = computePodActions(pod, runtime, this.probeView(uid));
    const sandbox = runtime.sandboxes[0];
    let changed = false;
    if (actions.killPod) {
      if (actions.createSandbox && actions.sandboxId) {
        this.opts.recorder.event(
          pod,
          'Normal',
          EVENT_SANDBOX_CHANGED,
          'Pod sandbox changed, it will be killed and re-created.',
        );
      }
      changed = (await this.killPod(w, pod, runtime, undefined)) || changed;
      if (actions.createSandbox) {
        // purgeInitContainers: a new sandbox runs initialization again from the start.
        for (const c of runtime.containers) {
          if ((pod.spec.initContainers ?? []).some((i) => i.name === c.name)) {
            await this.runtime.removeContainer(c.id);
          }
        }
      }
    } else {
      for (const k of actions.containersToKill) {
        const spec = this.specOf(pod, k.name);
        if (spec) {
          await this.killContainer(w, pod, spec, k.containerId, this.killGraceSeconds(pod, spec, k), k.message);
          changed = true;
        }
      }
    }
    let sandboxId = actions.sandboxId;
    let sandboxConfig = this.sandboxConfig(pod, actions.createSandbox ? actions.attempt : (sandbox?.attempt ?? 0));
    if (actions.createSandbox) {
      try {
        sandboxId = await this.runtime.runPodSandbox(sandboxConfig);
      } catch (e) {
        this.opts.recorder.event(
          pod,
          'Warning',
          EVENT_FAILED_CREATE_POD_SANDBOX,
          `Failed to create pod sandbox: ${(e as Error).message}`,
        );
        this.requeue(w, this.opts.errorBackoffMs ?? SYNC_ERROR_BACKOFF_MS);
        return;
      }
      this.sandboxOwners.set(sandboxId, uid);
      w.sandboxes.add(sandboxId);
      changed = true;
      runtime = await this.readRuntime(w, pod);
      // The pod has an IP now: write it out before containers start (kubelet updates status after the sandbox).
      sm.setPodStatus(pod, this.generate(w, pod, runtime, false));
    }
    if (actions.initContainersToStart.length === 0 && actions.containersToStart.length === 0) {
      if (changed) {
        w.pending = true;
      }
      return;
    }
    sandboxConfig = this.sandboxConfig(pod, runtime.sandboxes[0]?.attempt ?? actions.attempt);
    const podIP = podIPs(runtime)[0];
    for (const i of actions.initContainersToStart) {
      const c = pod.spec.initContainers![i]!;
      const r = await this.startContainer(w, pod, c, true, sandboxId, sandboxConfig, runtime, podIP);
      changed = changed || r !== 'skipped';
      // A regular init container that does not start (error or back-off) ends this sync; sidecars are skipped.
      if (r !== 'started' && !isSidecar(c)) {
        break;
      }
    }
    for (const i of actions.containersToStart) {
      const r = await this.startContainer(
        w,
        pod,
        pod.spec.containers[i]!,
        false,
        sandboxId,
        sandboxConfig,
        runtime,
        podIP,
      );
      changed = changed || r !== 'skipped';
    }
    if (changed) {
      w.pending = true;
    } else {
      // Only the reason cache moved (a back-off, a failed pull): show it.
      sm.setPodStatus(pod, this.generate(w, pod, runtime, false));
    }
  }

  /**
   * kuberuntime_container.go#startContainer with kuberuntime_manager.go#doBackOff
   * in front: 'started', 'failed' (runtime touched, reason cached) or
   * 'skipped' (in back-off or nothing could be tried; requeued).
   */
  private async startContainer(
    w: Worker,
    pod: Pod,
    c: Container,
    isInit: boolean,
    sandboxId: string,
    sandboxConfig: PodSandboxConfig,
    runtime: PodRuntimeStatus,
    podIP: string | undefined,
  ): Promise<'started' | 'failed' | 'skipped'> {
    const uid = w.uid;
    const ref = containerRef(pod, c.name);
    const rec = this.opts.recorder;
    const podDesc = `${pod.metadata.name}_${pod.metadata.namespace}(${uid})`;
    const last = findContainer(runtime, c.name);
    // doBackOff: a container with an exited instance restarts only once its back-off is over.
    if (last && last.state === 'CONTAINER_EXITED') {
      const key = `${pod.metadata.name}_${pod.metadata.namespace}_${uid}_${c.name}_${hashContainer(c)}`;
      const finishedAt = last.finishedAt ?? this.opts.clock.now();
      const left = this.crashBackoff.remainingSince(key, finishedAt);
      if (left > 0) {
        rec.event(ref, 'Warning', EVENT_BACK_OFF, `Back-off restarting failed container ${c.name} in pod ${podDesc}`);
        w.reasons.set(c.name, {
          reason: REASON_CRASH_LOOP_BACK_OFF,
          message: `back-off ${goDuration(this.crashBackoff.get(key))} restarting failed container=${c.name} pod=${podDesc}`,
        });
        this.requeue(w, left);
        return 'skipped';
      }
      this.crashBackoff.next(key, finishedAt);
    }
    const pulled = await this.images.ensureImageExists(pod, c, ref, sandboxConfig);
    if (!pulled.ok) {
      rec.event(ref, 'Warning', EVENT_FAILED, `Error: ${pulled.reason}`);
      w.reasons.set(c.name, { reason: pulled.reason, message: pulled.message });
      if (pulled.retryInMs !== undefined) {
        this.requeue(w, pulled.retryInMs);
      }
      return 'skipped';
    }
    const restartCount = last ? last.restartCount + 1 : 0;
    const env = await makeEnvironment(pod, c, {
      configMap: this.opts.lookups?.configMap ?? (async () => undefined),
      secret: this.opts.lookups?.secret ?? (async () => undefined),
      nodeName: this.opts.nodeName,
      podIP,
      podIPs: podIPs(runtime),
      hostIP: this.opts.hostIPs?.[0],
      hostIPs: this.opts.hostIPs,
      recorder: rec,
    });
    if ('error' in env) {
      rec.event(ref, 'Warning', EVENT_FAILED, `Error: ${env.error.message}`);
      w.reasons.set(c.name, { reason: env.error.reason, message: env.error.message });
      this.requeue(w, this.opts.errorBackoffMs ?? SYNC_ERROR_BACKOFF_MS);
      return 'skipped';
    }
    const image = await this.runtime.imageStatus({ image: pulled.imageRef }).catch(() => undefined);
    const nonRoot = verifyRunAsNonRoot(pod, c, image?.user ?? '');
    if (nonRoot !== undefined) {
      rec.event(ref, 'Warning', EVENT_FAILED, `Error: ${nonRoot}`);
      w.reasons.set(c.name, { reason: REASON_CREATE_CONTAINER_CONFIG_ERROR, message: nonRoot });
      this.requeue(w, this.opts.errorBackoffMs ?? SYNC_ERROR_BACKOFF_MS);
      return 'skipped';
    }
    let mounts: Mount[] = [];
    if (this.opts.volumes) {
      const m = await this.opts.volumes.containerMounts(pod, c, env.env);
      if ('error' in m) {
        // kubelet_pods.go#makeMounts failures (subPath, subPathExpr) are CreateContainerConfigError.
        rec.event(ref, 'Warning', EVENT_FAILED, `Error: ${m.error.message}`);
        w.reasons.set(c.name, { reason: m.error.reason, message: m.error.message });
        this.requeue(w, this.opts.errorBackoffMs ?? SYNC_ERROR_BACKOFF_MS);
        return 'skipped';
      }
      mounts = m.mounts;
    }
    const config = this.containerConfig(pod, c, isInit, restartCount, pulled.imageRef, env.env, mounts);
    let id: string;
    try {
      id = await this.runtime.createContainer(sandboxId, config, sandboxConfig);
    } catch (e) {
      const msg = (e as Error).message;
      rec.event(ref, 'Warning', EVENT_FAILED, `Error: ${msg}`);
      w.reasons.set(c.name, { reason: REASON_CREATE_CONTAINER_ERROR, message: msg });
      // Nothing changed in the runtime: retry after the sync error back-off, not at once.
      this.requeue(w, this.opts.errorBackoffMs ?? SYNC_ERROR_BACKOFF_MS);
      return 'skipped';
    }
    rec.event(ref, 'Normal', EVENT_CREATED, `Created container: ${c.name}`);
    try {
      await this.runtime.startContainer(id);
    } catch (e) {
      const msg = (e as Error).message;
      rec.event(ref, 'Warning', EVENT_FAILED, `Error: ${msg}`);
      w.reasons.set(c.name, { reason: REASON_RUN_CONTAINER_ERROR, message: msg });
      return 'failed';
    }
    rec.event(ref, 'Normal', EVENT_STARTED, `Started container ${c.name}`);
    w.reasons.delete(c.name);
    const startedAt = await this.runtime
      .containerStatus(id)
      .then((s) => s.startedAt ?? this.opts.clock.now())
      .catch(() => this.opts.clock.now());
    this.opts.prober?.containerStarted(uid, c.name, id, startedAt);
    if (c.lifecycle?.postStart) {
      const r = await runPostStart(pod, c, id, this.hookContext(sandboxId, podIP));
      if (!r.ok) {
        await this.killContainer(w, pod, c, id, this.killGraceSeconds(pod, c, undefined), KILLING_MESSAGE_POST_START);
        w.reasons.set(c.name, { reason: REASON_POST_START_HOOK_ERROR, message: r.message });
        return 'failed';
      }
    }
    return 'started';
  }

  // ---- killing ------------------------------------------------------------

  /** kuberuntime_container.go#killContainer step 1 (grace) for a kill during SyncPod. */
  private killGraceSeconds(pod: Pod, c: Container, k: ContainerToKill | undefined): number {
    if (pod.metadata.deletionGracePeriodSeconds !== undefined && pod.metadata.deletionGracePeriodSeconds !== null) {
      return pod.metadata.deletionGracePeriodSeconds;
    }
    if (k?.reason === 'LivenessProbe' || k?.reason === 'StartupProbe') {
      const probe = k.reason === 'LivenessProbe' ? c.livenessProbe : c.startupProbe;
      if (probe?.terminationGracePeriodSeconds !== undefined) {
        return probe.terminationGracePeriodSeconds;
      }
    }
    return pod.spec.terminationGracePeriodSeconds ?? 30;
  }

  /**
   * killContainer: Killing event, preStop within the grace period, then
   * StopContainer with what is left (at least 2 s). `waitTurn` delays the
   * SIGTERM (sidecars wait for the containers that stop before them).
   */
  private async killContainer(
    w: Worker,
    pod: Pod,
    c: Container,
    containerId: string,
    graceSeconds: number,
    message: string | undefined,
    waitTurn?: Promise<unknown>,
  ): Promise<void> {
    const clock = this.opts.clock;
    const start = clock.now();
    this.opts.recorder.event(
      containerRef(pod, c.name),
      'Normal',
      EVENT_KILLING,
      message ?? `Stopping container ${c.name}`,
    );
    const sandbox = [...w.sandboxes].at(-1) ?? '';
    if (c.lifecycle?.preStop && graceSeconds > 0) {
      await runPreStop(pod, c, containerId, graceSeconds * 1000, this.hookContext(sandbox, pod.status?.podIP));
    }
    if (waitTurn) {
      await waitTurn;
    }
    const elapsedS = Math.floor((clock.now() - start) / 1000);
    const left = Math.max(graceSeconds - elapsedS, MINIMUM_GRACE_PERIOD_SECONDS);
    try {
      await this.runtime.stopContainer(containerId, left);
    } catch (e) {
      if (!isNotFound(e)) {
        throw e;
      }
    }
    this.opts.prober?.containerStopped(w.uid, c.name);
  }

  /**
   * killPodWithSyncResult with kuberuntime_termination_order.go: every running
   * container is killed at once; each sidecar sends its SIGTERM only after the
   * regular containers and the sidecars after it in the spec have stopped
   * (its preStop runs at once). Then the sandbox stops. Returns whether
   * anything was running.
   */
  private async killPod(
    w: Worker,
    pod: Pod,
    runtime: PodRuntimeStatus,
    graceSeconds: number | undefined,
  ): Promise<boolean> {
    const runningNow = new Map<string, ContainerView>();
    for (const v of runtime.containers) {
      if (
        (v.state === 'CONTAINER_RUNNING' || v.state === 'CONTAINER_CREATED' || v.state === 'CONTAINER_UNKNOWN') &&
        !runningNow.has(v.name)
      ) {
        runningNow.set(v.name, v);
      }
    }
    const regular: Promise<void>[] = [];
    for (const c of pod.spec.containers) {
      const v = runningNow.get(c.name);
      if (v) {
        regular.push(
          this.killContainer(w, pod, c, v.id, graceSeconds ?? this.killGraceSeconds(pod, c, undefined), undefined),
        );
      }
    }
    const inits = pod.spec.initContainers ?? [];
    const kills: Promise<void>[] = [...regular];
    let later: Promise<unknown> = Promise.all(regular);
    for (let i = inits.length - 1; i >= 0; i--) {
      const c = inits[i]!;
      const v = runningNow.get(c.name);
      if (!v) {
        continue;
      }
      const turn = isSidecar(c) ? later : undefined;
      const k = this.killContainer(
        w,
        pod,
        c,
        v.id,
        graceSeconds ?? this.killGraceSeconds(pod, c, undefined),
        undefined,
        turn,
      );
      kills.push(k);
      later = Promise.all([later, k]);
    }
    await Promise.all(kills);
    let stoppedSandbox = false;
    for (const s of runtime.sandboxes) {
      if (s.state === 'SANDBOX_READY') {
        try {
          await this.runtime.stopPodSandbox(s.id);
        } catch (e) {
          if (!isNotFound(e)) {
            throw e;
          }
        }
        stoppedSandbox = true;
      }
    }
    // Only what certainly changed counts (a CREATED or UNKNOWN one may stay so: no busy loop).
    return [...runningNow.values()].some((v) => v.state === 'CONTAINER_RUNNING') || stoppedSandbox;
  }

  // ---- SyncTerminatingPod / SyncTerminatedPod --------------------------------

  private async syncTerminatingPod(w: Worker, pod: Pod): Promise<void> {
    w.timer?.cancel();
    w.timer = undefined;
    this.opts.prober?.stopLivenessAndStartup?.(w.uid);
    // pod_workers.go#calculateEffectiveGracePeriod: deletion may only lower it; at least 1 s.
    let grace = pod.spec.terminationGracePeriodSeconds ?? 30;
    if (pod.metadata.deletionTimestamp && pod.metadata.deletionGracePeriodSeconds !== undefined) {
      grace = pod.metadata.deletionGracePeriodSeconds;
    }
    if (w.graceSeconds !== undefined) {
      grace = Math.min(grace, w.graceSeconds);
    }
    grace = Math.max(grace, 1);
    w.graceSeconds = grace;
    const before = await this.readRuntime(w, pod);
    await this.killPod(w, pod, before, grace);
    const after = await this.readRuntime(w, pod);
    const status = this.generate(w, pod, after, true);
    this.opts.statusManager.setPodStatus(pod, status);
    w.state = 'terminated';
    w.pending = true;
  }

  private async syncTerminatedPod(w: Worker, pod: Pod): Promise<void> {
    const runtime = await this.readRuntime(w, pod);
    this.opts.statusManager.setPodStatus(pod, this.generate(w, pod, runtime, true));
    this.opts.statusManager.terminatePod(pod);
    this.opts.prober?.removePod(w.uid);
    // Every container has stopped: the volumes go (volume manager reconciler unmounting a terminated pod's volumes).
    await this.opts.volumes?.tearDownPod(w.uid);
    if (!w.removed) {
      return;
    }
    // Gone from the API: nothing of it stays on the node.
    for (const s of runtime.sandboxes) {
      await this.runtime.removePodSandbox(s.id);
      this.sandboxOwners.delete(s.id);
    }
    this.images.forgetPod(w.uid);
    this.crashBackoff.resetPrefix(`${pod.metadata.name}_${pod.metadata.namespace}_${w.uid}_`);
    this.opts.statusManager.removePod(w.uid);
    w.timer?.cancel();
    this.workers.delete(w.uid);
  }

  // ---- helpers --------------------------------------------------------------

  /**
   * Container GC, per container name (kuberuntime_gc.go with MaxPerPodContainer):
   * exited instances older than the two newest are removed, so a crash loop
   * does not pile up instances; the two newest give state and lastState.
   */
  private async collectGarbage(w: Worker, runtime: PodRuntimeStatus): Promise<void> {
    const seen = new Map<string, number>();
    const keep: ContainerView[] = [];
    for (const v of runtime.containers) {
      const n = seen.get(v.name) ?? 0;
      seen.set(v.name, n + 1);
      if (n >= GC_KEEP_PER_CONTAINER && v.state === 'CONTAINER_EXITED') {
        await this.runtime.removeContainer(v.id);
        w.messages.delete(v.id);
        continue;
      }
      keep.push(v);
    }
    runtime.containers = keep;
  }

  private async readRuntime(w: Worker, pod: Pod): Promise<PodRuntimeStatus> {
    const status = await getPodRuntimeStatus(this.runtime, w.uid);
    for (const s of status.sandboxes) {
      this.sandboxOwners.set(s.id, w.uid);
      w.sandboxes.add(s.id);
    }
    // Termination messages (File / FallbackToLogsOnError), read once per exited instance.
    for (const v of status.containers) {
      if (v.state !== 'CONTAINER_EXITED') {
        continue;
      }
      let msg = w.messages.get(v.id);
      if (msg === undefined) {
        const spec = this.specOf(pod, v.name);
        msg = spec ? ((await readTerminationMessage(this.runtime, v.id, spec)) ?? '') : '';
        w.messages.set(v.id, msg);
      }
      v.message = composeTerminatedMessage(v.message, msg);
    }
    if (this.opts.prober) {
      const ids = new Map<string, string>();
      for (const v of status.containers) {
        if (v.state === 'CONTAINER_RUNNING' && !ids.has(v.name)) {
          ids.set(v.name, v.id);
        }
      }
      const sb = status.sandboxes[0];
      if (w.state === 'syncing') {
        this.opts.prober.addPod(pod, ids, sb ? { id: sb.id, podIP: sb.ip } : undefined);
      }
    }
    return status;
  }

  private generate(w: Worker, pod: Pod, runtime: PodRuntimeStatus, terminal: boolean) {
    const prober = this.opts.prober;
    return generatePodStatus({
      pod,
      runtime,
      previous: this.opts.statusManager.getPodStatus(w.uid),
      reasons: terminal ? new Map() : w.reasons,
      isStarted: (n) => (prober ? prober.isStarted(w.uid, n) : true),
      isReady: (n) => (prober ? prober.isReady(w.uid, n) : true),
      podIsTerminal: terminal,
      forceFailed: w.forceFailed,
      hostIPs: this.opts.hostIPs ?? [],
      runtimeType: this.opts.runtimeType ?? 'sim',
    });
  }

  private probeView(uid: string): ProbeView {
    const prober = this.opts.prober;
    if (!prober) {
      return { startup: () => 'success', livenessFailed: () => false };
    }
    return {
      startup: (name) => {
        if (prober.livenessKill(uid, name)?.probeType === 'startup') {
          return 'failure';
        }
        return prober.isStarted(uid, name) ? 'success' : undefined;
      },
      livenessFailed: (name) => prober.livenessKill(uid, name)?.probeType === 'liveness',
    };
  }

  private specOf(pod: Pod, name: string): Container | undefined {
    return [...(pod.spec.initContainers ?? []), ...pod.spec.containers].find((c) => c.name === name);
  }

  private hookContext(podSandboxId: string, podIP: string | undefined): HookContext {
    return {
      transport: this.opts.runtime.probeTransport(),
      clock: this.opts.clock,
      recorder: this.opts.recorder,
      podSandboxId,
      podIP,
    };
  }

  /** kuberuntime_sandbox.go#generatePodSandboxConfig, trimmed. */
  private sandboxConfig(pod: Pod, attempt: number): PodSandboxConfig {
    const uid = pod.metadata.uid ?? '';
    const name = pod.metadata.name ?? '';
    const ns = pod.metadata.namespace ?? 'default';
    const hostname = (pod.spec.hostname ?? name).slice(0, 63).replace(/[-.]+$/, '');
    const ports = pod.spec.containers.flatMap((c) => c.ports ?? []).filter((p) => p.hostPort);
    const sysctls = pod.spec.securityContext?.sysctls ?? [];
    return {
      metadata: { name, namespace: ns, uid, attempt },
      hostname,
      // GetPodHostnameAndDomain: the cluster domain is cluster.local (podbay runs no DNS; /etc/hosts carries it).
      ...(pod.spec.subdomain ? { domain: `${pod.spec.subdomain}.${ns}.svc.cluster.local` } : {}),
      ...(pod.spec.hostAliases?.length
        ? { hostAliases: pod.spec.hostAliases.map((a) => ({ ip: a.ip, hostnames: [...(a.hostnames ?? [])] })) }
        : {}),
      logDirectory: `${this.opts.logRoot ?? '/var/lib/podbay/pods'}/${uid}`,
      portMappings: ports.map((p) => ({
        protocol: p.protocol ?? 'TCP',
        containerPort: p.containerPort,
        hostPort: p.hostPort ?? 0,
        ...(p.hostIP ? { hostIp: p.hostIP } : {}),
      })),
      labels: {
        ...(pod.metadata.labels ?? {}),
        [LABEL_POD_NAME]: name,
        [LABEL_POD_NAMESPACE]: ns,
        [LABEL_POD_UID]: uid,
      },
      annotations: { ...(pod.metadata.annotations ?? {}) },
      linux: {
        // The pod cgroup under its QoS class, with the pod-level values (src/node/cm).
        ...podCgroupConfig(pod),
        securityContext: sandboxSecurityContext(pod),
        ...(sysctls.length > 0 ? { sysctls: Object.fromEntries(sysctls.map((x) => [x.name, x.value])) } : {}),
      },
    };
  }

  /** kuberuntime_container.go#generateContainerConfig, trimmed. */
  private containerConfig(
    pod: Pod,
    c: Container,
    isInit: boolean,
    restartCount: number,
    imageRef: string,
    env: { key: string; value: string }[],
    mounts: Mount[],
  ): ContainerConfig {
    const uid = pod.metadata.uid ?? '';
    // $(VAR) in command and args comes from the resolved environment (ExpandContainerCommandAndArgs).
    const { command, args } = expandContainerCommandAndArgs(c, env);
    return {
      metadata: { name: c.name, attempt: restartCount },
      image: { image: imageRef, userSpecifiedImage: c.image },
      command,
      args,
      ...(c.workingDir ? { workingDir: c.workingDir } : {}),
      envs: env,
      mounts,
      devices: [],
      labels: {
        [LABEL_POD_NAME]: pod.metadata.name ?? '',
        [LABEL_POD_NAMESPACE]: pod.metadata.namespace ?? 'default',
        [LABEL_POD_UID]: uid,
        [LABEL_CONTAINER_NAME]: c.name,
      },
      annotations: {
        [ANNOTATION_CONTAINER_HASH]: hashContainer(c),
        [ANNOTATION_RESTART_COUNT]: String(restartCount),
        ...(isInit ? { [ANNOTATION_IS_INIT]: 'true' } : {}),
        ...(pod.metadata.annotations ?? {}),
      },
      logPath: `${c.name}/${restartCount}.log`,
      stdin: c.stdin ?? false,
      stdinOnce: c.stdinOnce ?? false,
      tty: c.tty ?? false,
      linux: {
        resources: containerResources(pod, c, this.opts.memoryCapacityBytes ?? DEFAULT_MEMORY_CAPACITY_BYTES),
        securityContext: containerSecurityContext(pod, c),
      },
      terminationMessagePath: c.terminationMessagePath ?? '/dev/termination-log',
    };
  }

  /** Counts runtime calls in flight and completed, for settle(). */
  private counting(rt: Runtime): Runtime {
    return new Proxy(rt, {
      get: (target, key, receiver) => {
        const v = Reflect.get(target, key, receiver) as unknown;
        if (typeof v !== 'function') {
          return v;
        }
        return (...args: unknown[]) => {
          const r = (v as (...a: unknown[]) => unknown).apply(target, args);
          if (r instanceof Promise) {
            this.inFlight++;
            return r.finally(() => {
              this.inFlight--;
              this.progress++;
            });
          }
          return r;
        };
      },
    });
  }
}
