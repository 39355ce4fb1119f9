// The relist half of the pod lifecycle event generator
// (k8s pkg/kubelet/pleg/generic.go#Relist): every period, the runtime's
// containers are listed and compared with the previous listing; each pod with
// a container that appeared, changed state or disappeared is reported once.
// The event half (runtime.watchContainerEvents, as the Evented PLEG) lives in
// PodWorkers; the relist catches what events miss.
import type { Clock, Timer } from '../../lib/clock.js';
import type { ContainerState, Runtime } from '../../runtime/runtime.js';
import { LABEL_POD_UID } from './runtime-pod-status.js';

/** kubelet genericPlegRelistPeriod. */
export const PLEG_RELIST_PERIOD_MS = 1_000;

export interface PlegOptions {
  runtime: Pick<Runtime, 'listContainers'>;
  clock: Clock;
  periodMs?: number;
  /** A pod's containers changed: sync it. */
  onPodChanged(uid: string): void;
  onError?(e: unknown): void;
}

export interface Pleg {
  /** One relist now (tests; the timer does it every period). Concurrent calls coalesce. */
  relist(): Promise<void>;
  stop(): void;
}

export function startPleg(opts: PlegOptions): Pleg {
  let last = new Map<string, { uid: string; state: ContainerState }>();
  let running: Promise<void> | undefined;
  let timer: Timer | undefined;
  let stopped = false;

  const once = async (): Promise<void> => {
    try {
      const now = new Map<string, { uid: string; state: ContainerState }>();
      for (const c of await opts.runtime.listContainers()) {
        const uid = c.labels[LABEL_POD_UID];
        if (uid) {
          now.set(c.id, { uid, state: c.state });
        }
      }
      const changed = new Set<string>();
      for (const [id, v] of now) {
        if (last.get(id)?.state !== v.state) {
          changed.add(v.uid);
        }
      }
      for (const [id, v] of last) {
        if (!now.has(id)) {
          changed.add(v.uid);
        }
      }
      last = now;
      if (!stopped) {
        for (const uid of changed) {
          opts.onPodChanged(uid);
        }
      }
    } catch (e) {
      opts.onError?.(e);
    }
  };
  const relist = (): Promise<void> => {
    running ??= once().finally(() => {
      running = undefined;
    });
    return running;
  };
  const tick = (): void => {
    timer = opts.clock.setTimer(opts.periodMs ?? PLEG_RELIST_PERIOD_MS, () => {
      if (stopped) {
        return;
      }
      void relist();
      tick();
    });
  };
  tick();
  return {
    relist,
    stop() {
      stopped = true;
      timer?.cancel();
    },
  };
}
