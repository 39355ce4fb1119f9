// The prober: k8s pkg/kubelet/prober/prober_manager.go (AddPod, RemovePod,
// StopLivenessAndStartup, UpdatePodStatus's started/ready rules) with the
// three results caches of pkg/kubelet/prober/results/results_manager.go.
//
// Callers: the agent's pod worker (one per pod, serialised) calls addPod on
// every sync (idempotent: workers are created once per probe; later calls
// refresh the pod object, e.g. its deletionTimestamp, and the network), tells
// it when containers start and stop, and asks isStarted / isReady /
// livenessFailed when it computes actions and status. The prober calls
// onResult whenever a cached result changes (including the initial value for
// a new container id, as upstream's results manager does), so the worker
// re-syncs the pod. Everything runs on the injected Clock.
import type { Container, Pod } from '../../api/types/index.js';
import type { Clock } from '../../lib/clock.js';
import type { Runtime, ProbeType } from '../../runtime/runtime.js';
import type { EventRecorderLike } from './event-recorder-like.js';
import type { ProbeResult } from './probe-outcome.js';
import { probeKillGracePeriodSeconds, probeKillMessage } from './probe-kill.js';
import type { KillingProbe } from './probe-kill.js';
import { ProbeWorker } from './probe-worker.js';
import type { ProbedContainerState } from './probe-worker.js';

export interface ProberManagerOptions {
  runtime: Pick<Runtime, 'probeTransport'>;
  clock: Clock;
  recorder: EventRecorderLike;
  /** A cached result changed; called synchronously from the prober's timers, must only enqueue work. */
  onResult(podUid: string, containerName: string, probeType: ProbeType, result: ProbeResult): void;
  /** [0,1) source for the first-probe jitter (worker.go uses rand.Float64); tests pass a constant. */
  random?: () => number;
}

export interface ProbeKill {
  probeType: KillingProbe;
  /** The Killing event message. */
  message: string;
  /** Before killContainer's 2 s minimum. */
  gracePeriodSeconds: number;
}

interface PodRecord {
  pod: Pod | undefined;
  podSandboxId: string;
  podIP: string;
  containers: Map<string, ProbedContainerState>;
}

const PROBE_TYPES: ProbeType[] = ['startup', 'readiness', 'liveness'];

export class ProberManager {
  private readonly startedAt: number;
  private readonly pods = new Map<string, PodRecord>();
  private readonly workers = new Map<string, ProbeWorker>();
  /** results caches keyed by container id, one per probe type */
  private readonly results: Record<ProbeType, Map<string, ProbeResult>> = {
    liveness: new Map(),
    readiness: new Map(),
    startup: new Map(),
  };

  constructor(private readonly opts: ProberManagerOptions) {
    this.startedAt = opts.clock.now();
  }

  /**
   * Creates the workers for every probe of the pod's containers and sidecars
   * (init containers with restartPolicy Always). `containerIds` names
   * containers already running (re-adopted after an agent restart: probed at
   * once, initial delay taken as passed). `sandbox` gives the pod IP the
   * probes go to (default: pod.status.podIP).
   */
  addPod(
    pod: Pod,
    containerIds: ReadonlyMap<string, string> = new Map(),
    sandbox?: { id: string; podIP?: string },
  ): void {
    const uid = pod.metadata.uid ?? '';
    const rec = this.record(uid);
    rec.pod = pod;
    if (sandbox) {
      rec.podSandboxId = sandbox.id;
      rec.podIP = sandbox.podIP ?? rec.podIP;
    }
    if (!rec.podIP && pod.status?.podIP) {
      rec.podIP = pod.status.podIP;
    }
    for (const [name, id] of containerIds) {
      if (rec.containers.get(name)?.containerId !== id) {
        rec.containers.set(name, { containerId: id, running: true, terminated: false });
      }
    }
    const probed = [
      ...pod.spec.containers,
      ...(pod.spec.initContainers ?? []).filter((c) => c.restartPolicy === 'Always'),
    ];
    for (const c of probed) {
      for (const t of PROBE_TYPES) {
        const spec = probeOf(c, t);
        const key = workerKey(uid, c.name, t);
        if (!spec || this.workers.has(key)) {
          continue;
        }
        const w: ProbeWorker = new ProbeWorker(
          this.hostFor(uid, c.name, t, () => w),
          t,
          c,
          spec,
        );
        this.workers.set(key, w);
        const periodMs = w.settings.periodSeconds * 1000;
        // worker.go#run: right after a (re)start of the prober, spread the first
        // probes over one period so they do not all fire at once.
        const jitter =
          periodMs > this.opts.clock.now() - this.startedAt ? (this.opts.random ?? Math.random)() * periodMs : 0;
        w.start(jitter);
      }
    }
  }

  /** Stops the pod's workers and forgets its results. Idempotent. */
  removePod(uid: string): void {
    for (const [key, w] of [...this.workers]) {
      if (key.startsWith(`${uid}/`)) {
        w.stop();
      }
    }
    this.pods.delete(uid);
  }

  /** Termination began: liveness and startup probing ends (prober_manager.go#StopLivenessAndStartup). */
  stopLivenessAndStartup(uid: string): void {
    for (const [key, w] of [...this.workers]) {
      if (key.startsWith(`${uid}/`) && (w.probeType === 'liveness' || w.probeType === 'startup')) {
        w.stop();
      }
    }
  }

  /** A container instance started (startedAtMs = its running.startedAt). Runs its readiness probe at once. */
  containerStarted(uid: string, name: string, containerId: string, startedAtMs: number): void {
    this.record(uid).containers.set(name, { containerId, running: true, startedAt: startedAtMs, terminated: false });
    // UpdatePodStatus triggers a readiness probe whose result is not known yet.
    this.workers.get(workerKey(uid, name, 'readiness'))?.trigger();
  }

  /** The container's current instance exited. */
  containerStopped(uid: string, name: string): void {
    const c = this.pods.get(uid)?.containers.get(name);
    if (c) {
      c.running = false;
      c.terminated = true;
    }
  }

  /**
   * ContainerStatus.started: running, and its startup probe succeeded (or it
   * has none; an unknown result with a worker means not yet).
   */
  isStarted(uid: string, name: string): boolean {
    const c = this.pods.get(uid)?.containers.get(name);
    if (!c?.running) {
      return false;
    }
    const r = this.results.startup.get(c.containerId);
    if (r !== undefined) {
      return r === 'success';
    }
    return !this.workers.has(workerKey(uid, name, 'startup'));
  }

  /** ContainerStatus.ready: started, and its readiness probe succeeded (true without one). */
  isReady(uid: string, name: string): boolean {
    if (!this.isStarted(uid, name)) {
      return false;
    }
    const c = this.pods.get(uid)!.containers.get(name)!;
    if (this.results.readiness.get(c.containerId) === 'success') {
      return true;
    }
    return !this.workers.has(workerKey(uid, name, 'readiness'));
  }

  /**
   * The current container instance failed its liveness probe (committed at
   * failureThreshold): the pod worker must kill it. A failed startup probe is
   * startupResult() === 'failure'; livenessKill() covers both.
   */
  livenessFailed(uid: string, name: string): boolean {
    const c = this.pods.get(uid)?.containers.get(name);
    return c !== undefined && this.results.liveness.get(c.containerId) === 'failure';
  }

  /**
   * The startup probe's committed result for the current container instance:
   * undefined while unknown (not yet decided) or when there is no startup
   * probe or no container.
   */
  startupResult(uid: string, name: string): 'success' | 'failure' | undefined {
    const c = this.pods.get(uid)?.containers.get(name);
    const r = c ? this.results.startup.get(c.containerId) : undefined;
    return r === 'unknown' ? undefined : r;
  }

  /** How to kill a container that failed liveness/startup (message and grace), or undefined. */
  livenessKill(uid: string, name: string): ProbeKill | undefined {
    const rec = this.pods.get(uid);
    const c = rec?.containers.get(name);
    if (!rec?.pod || !c) {
      return undefined;
    }
    let probeType: KillingProbe;
    if (this.results.liveness.get(c.containerId) === 'failure') {
      probeType = 'liveness';
    } else if (this.results.startup.get(c.containerId) === 'failure') {
      probeType = 'startup';
    } else {
      return undefined;
    }
    const container = findContainer(rec.pod, name);
    if (!container) {
      return undefined;
    }
    return {
      probeType,
      message: probeKillMessage(rec.pod, container, probeType),
      gracePeriodSeconds: probeKillGracePeriodSeconds(rec.pod, container, probeType),
    };
  }

  /**
   * Resolves when no probe is in flight. Probes start synchronously from clock
   * timers, so a test steps the FakeClock and then awaits settle().
   */
  async settle(): Promise<void> {
    for (;;) {
      const busy = [...this.workers.values()].filter((w) => w.isBusy());
      if (busy.length === 0) {
        return;
      }
      await Promise.all(busy.map((w) => w.idle()));
    }
  }

  /** Number of live workers. */
  workerCount(): number {
    return this.workers.size;
  }

  private record(uid: string): PodRecord {
    let rec = this.pods.get(uid);
    if (!rec) {
      rec = { pod: undefined, podSandboxId: '', podIP: '', containers: new Map() };
      this.pods.set(uid, rec);
    }
    return rec;
  }

  private hostFor(uid: string, name: string, t: ProbeType, self: () => ProbeWorker) {
    const key = workerKey(uid, name, t);
    const cache = this.results[t];
    return {
      ctx: {
        transport: this.opts.runtime.probeTransport(),
        clock: this.opts.clock,
        recorder: this.opts.recorder,
      },
      pod: () => this.pods.get(uid)?.pod,
      network: () => {
        const rec = this.pods.get(uid);
        return { podSandboxId: rec?.podSandboxId ?? '', podIP: rec?.podIP ?? '' };
      },
      container: () => this.pods.get(uid)?.containers.get(name),
      isStarted: () => this.isStarted(uid, name),
      setResult: (containerId: string, result: ProbeResult) => {
        if (cache.get(containerId) !== result) {
          cache.set(containerId, result);
          this.opts.onResult(uid, name, t, result);
        }
      },
      removeResult: (containerId: string) => {
        cache.delete(containerId);
      },
      workerDone: () => {
        if (this.workers.get(key) === self()) {
          this.workers.delete(key);
        }
      },
    };
  }
}

function workerKey(uid: string, name: string, t: ProbeType): string {
  return `${uid}/${name}/${t}`;
}

function probeOf(c: Container, t: ProbeType) {
  return t === 'liveness' ? c.livenessProbe : t === 'readiness' ? c.readinessProbe : c.startupProbe;
}

function findContainer(pod: Pod, name: string): Container | undefined {
  return [...pod.spec.containers, ...(pod.spec.initContainers ?? [])].find((c) => c.name === name);
}
