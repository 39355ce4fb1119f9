// One worker per (pod, container, probe type): k8s pkg/kubelet/prober/worker.go.
//
//   addPod                       ticks every periodSeconds (Go ticker: a tick that
//   │ jitter (only in the first   comes while a probe runs is kept, one at most)
//   │ period after the prober     │         │         │
//   ▼ started: agent restart)     ▼         ▼         ▼
//   doProbe ─────────────────── doProbe ─ doProbe ─ doProbe …
//
// doProbe, in upstream order:
//   1. no container id yet                → wait
//   2. new container id                   → cache the initial value (readiness
//      Failure, liveness Success, startup Unknown), leave hold
//   3. on hold (after a committed liveness/startup Failure) → wait for a new id
//   4. container not running              → cache Failure; stop for good if it
//      terminated and will not be restarted
//   5. pod being deleted and liveness/startup → cache Success and stop (quiet shutdown;
//      readiness keeps probing during termination)
//   6. younger than initialDelaySeconds (whole seconds since startedAt) → wait
//   7. not started yet: only the startup probe runs; started: the startup probe idles
//   8. probe; an error is thrown away; equal results are counted and the cache
//      changes only at failureThreshold / successThreshold
//   9. a committed liveness/startup Failure puts the worker on hold
// Upstream keeps the run counter across container ids (only the hold resets it);
// so does this worker.
import type { Container, Pod, Probe } from '../../api/types/index.js';
import type { Timer } from '../../lib/clock.js';
import type { ProbeType } from '../../runtime/runtime.js';
import type { ProbeResult } from './probe-outcome.js';
import { probeSettings } from './probe-settings.js';
import type { ProbeSettings } from './probe-settings.js';
import type { AttemptResult, ProbeContext } from './prober.js';
import { probeOnce } from './prober.js';

/** What the worker reads about its container (the status manager's role upstream). */
export interface ProbedContainerState {
  containerId: string;
  running: boolean;
  /** When it started (ms); undefined = long ago (re-adopted after an agent restart). */
  startedAt?: number;
  /** It exited (as opposed to not having started yet). */
  terminated: boolean;
}

/** The worker's view of its manager. */
export interface WorkerHost {
  readonly ctx: Omit<ProbeContext, 'podSandboxId' | 'podIP'>;
  /** The pod as last given to addPod (fresh: deletionTimestamp shows up here). */
  pod(): Pod | undefined;
  network(): { podSandboxId: string; podIP: string };
  container(): ProbedContainerState | undefined;
  isStarted(): boolean;
  /** Sets the cached result for a container id (notifies on change). */
  setResult(containerId: string, result: ProbeResult): void;
  removeResult(containerId: string): void;
  /** The worker stopped itself (or was stopped): forget it. */
  workerDone(): void;
}

export const INITIAL_RESULT: Record<ProbeType, ProbeResult> = {
  readiness: 'failure',
  liveness: 'success',
  startup: 'unknown',
};

export class ProbeWorker {
  readonly settings: ProbeSettings;
  private containerId: string | undefined;
  private lastResult: AttemptResult | undefined;
  private resultRun = 0;
  private onHold = false;
  private timer: Timer | undefined;
  private running: Promise<void> | undefined;
  private pendingTick = false;
  private stopped = false;

  constructor(
    private readonly host: WorkerHost,
    readonly probeType: ProbeType,
    private readonly container: Container,
    private readonly spec: Probe,
  ) {
    this.settings = probeSettings(spec);
  }

  /** Starts ticking; the first probe after `firstDelayMs` (the jitter), then every period. */
  start(firstDelayMs: number): void {
    this.timer = this.host.ctx.clock.setTimer(firstDelayMs, () => this.tick());
  }

  /** Probe now, out of period (prober_manager.go manualTriggerCh). */
  trigger(): void {
    if (this.stopped) {
      return;
    }
    if (this.running) {
      this.pendingTick = true;
      return;
    }
    this.run();
  }

  /** Stops the worker; it forgets its cached result. Idempotent. */
  stop(): void {
    if (this.stopped) {
      return;
    }
    this.stopped = true;
    this.timer?.cancel();
    if (this.containerId !== undefined) {
      this.host.removeResult(this.containerId);
    }
    this.host.workerDone();
  }

  /** A probe of this worker is in flight. */
  isBusy(): boolean {
    return this.running !== undefined;
  }

  /** Resolves when no probe of this worker is in flight. */
  async idle(): Promise<void> {
    while (this.running) {
      await this.running;
    }
  }

  private tick(): void {
    if (this.stopped) {
      return;
    }
    this.timer = this.host.ctx.clock.setTimer(this.settings.periodSeconds * 1000, () => this.tick());
    this.trigger();
  }

  private run(): void {
    this.running = (async () => {
      let keepGoing = true;
      try {
        keepGoing = await this.doProbe();
      } catch {
        // worker.go: a panic in doProbe is eaten and the worker goes on.
        keepGoing = true;
      }
      this.running = undefined;
      if (!keepGoing) {
        this.stop();
      } else if (this.pendingTick && !this.stopped) {
        this.pendingTick = false;
        this.run();
      }
    })();
  }

  private async doProbe(): Promise<boolean> {
    const pod = this.host.pod();
    const c = this.host.container();
    if (!pod || !c || !c.containerId) {
      return true;
    }
    if (this.containerId !== c.containerId) {
      if (this.containerId !== undefined) {
        this.host.removeResult(this.containerId);
      }
      this.containerId = c.containerId;
      this.host.setResult(c.containerId, INITIAL_RESULT[this.probeType]);
      this.onHold = false;
    }
    if (this.onHold) {
      return true;
    }
    if (!c.running) {
      this.host.setResult(c.containerId, 'failure');
      return !c.terminated || isRestartable(pod, this.container);
    }
    if (pod.metadata.deletionTimestamp && (this.probeType === 'liveness' || this.probeType === 'startup')) {
      this.host.setResult(c.containerId, 'success');
      return false;
    }
    const now = this.host.ctx.clock.now();
    if (c.startedAt !== undefined && Math.trunc((now - c.startedAt) / 1000) < this.settings.initialDelaySeconds) {
      return true;
    }
    if (this.host.isStarted()) {
      if (this.probeType === 'startup') {
        return true;
      }
    } else if (this.probeType !== 'startup') {
      return true;
    }

    const containerId = c.containerId;
    const result = await probeOnce(this.probeType, this.spec, pod, this.container, containerId, {
      ...this.host.ctx,
      ...this.host.network(),
    });
    if (this.stopped || this.containerId !== containerId) {
      return !this.stopped;
    }
    if (result === 'error') {
      return true;
    }
    if (this.lastResult === result) {
      this.resultRun++;
    } else {
      this.lastResult = result;
      this.resultRun = 1;
    }
    if (
      (result === 'failure' && this.resultRun < this.settings.failureThreshold) ||
      (result === 'success' && this.resultRun < this.settings.successThreshold)
    ) {
      return true;
    }
    this.host.setResult(containerId, result);
    if ((this.probeType === 'liveness' || this.probeType === 'startup') && result === 'failure') {
      // worker.go: stop probing until a new container id (kubernetes#21751).
      this.onHold = true;
      this.resultRun = 0;
    }
    return true;
  }
}

/** podutil.IsContainerRestartable: sidecars always; others unless the pod's policy is Never. */
export function isRestartable(pod: Pod, container: Container): boolean {
  if (container.restartPolicy === 'Always') {
    return true;
  }
  return (pod.spec.restartPolicy ?? 'Always') !== 'Never';
}
