// Periodic compaction, as kube-apiserver runs it against etcd (k8s.io/apiserver
// pkg/storage/etcd3/compact.go, --etcd-compaction-interval default 5m): each tick
// compacts to the revision seen at the previous tick, so watchers and paged lists
// always keep at least one interval of history, and nothing is compacted on the first
// tick ("We don't compact on bootstrap").
//
//   t0                 t1                   t2
//   │ note rev r0      │ compact(r0)         │ compact(r1)
//   │                  │ note rev r1         │ note rev r2
//   ├──── interval ────┼────── interval ─────┼──▶
import type { Clock, Timer } from '../lib/clock.js';
import type { Store } from './store.js';

/** kube-apiserver's default --etcd-compaction-interval. */
export const DEFAULT_COMPACTION_INTERVAL_MS = 5 * 60_000;

export interface Compactor {
  /** Stops future ticks; idempotent. A compaction already running finishes. */
  stop(): void;
}

export interface CompactorOptions {
  intervalMs?: number;
  /** Called with a failed compaction's error (the next tick tries again). */
  onError?: (err: unknown) => void;
}

export function startCompactor(store: Store, clock: Clock, opts: CompactorOptions = {}): Compactor {
  const intervalMs = opts.intervalMs ?? DEFAULT_COMPACTION_INTERVAL_MS;
  let noted = 0;
  let timer: Timer | undefined;
  let stopped = false;

  const tick = async (): Promise<void> => {
    const target = noted;
    noted = store.currentRevision();
    if (target > store.compactedRevision()) {
      try {
        await store.compact(target);
      } catch (err) {
        opts.onError?.(err);
      }
    }
    if (!stopped) {
      timer = clock.setTimer(intervalMs, () => void tick());
    }
  };

  timer = clock.setTimer(intervalMs, () => void tick());
  return {
    stop(): void {
      stopped = true;
      timer?.cancel();
    },
  };
}
