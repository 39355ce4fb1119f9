// The queue of pods waiting for a node (pkg/scheduler/backend/queue/scheduling_queue.go,
// trimmed to one profile and no queueing hints):
//
//   add ──► activeQ ──pop──► scheduling cycle ──unschedulable──► unschedulablePods
//              ▲                                                    │ node or pod change:
//              │ backoff expired                                    ▼ moveAllToActiveOrBackoff
//           backoffQ ◄──────────────── still backing off ◄──────────┘ (and after 5 min anyway)
//
// Back-off per pod: 1 s doubling per failed attempt up to 10 s, counted from the last
// attempt (podInitialBackoffSeconds / podMaxBackoffSeconds defaults).
import { BinaryHeap } from '../lib/binary-heap.js';
import type { Pod } from '../api/types/index.js';
import type { Clock, Timer } from '../lib/clock.js';

export const POD_INITIAL_BACKOFF_MS = 1_000;
export const POD_MAX_BACKOFF_MS = 10_000;
/** podMaxInUnschedulablePodsDuration: a pod no event woke is retried after this long. */
export const POD_MAX_IN_UNSCHEDULABLE_MS = 5 * 60_000;

export interface QueuedPodInfo {
  key: string;
  pod: Pod;
  /** When the pod entered the queue (orders equal priorities, FIFO). */
  timestamp: number;
  /** Scheduling attempts so far. */
  attempts: number;
  /** When the last attempt failed (start of its back-off). */
  lastFailureMs?: number;
}

type Where = 'active' | 'backoff' | 'unschedulable' | 'inflight';

interface HeapEntry {
  info: QueuedPodInfo;
  /** Stale once the pod left activeQ after this entry was pushed. */
  gen: number;
}

function before(a: HeapEntry, b: HeapEntry): boolean {
  const pa = priorityOf(a.info.pod);
  const pb = priorityOf(b.info.pod);
  return pa > pb || (pa === pb && a.info.timestamp < b.info.timestamp);
}

function priorityOf(p: Pod): number {
  return p.spec.priority ?? 0;
}

export class SchedulingQueue {
  private readonly infos = new Map<string, QueuedPodInfo>();
  private readonly where = new Map<string, Where>();
  private readonly timers = new Map<string, Timer>();
  /** activeQ as a binary heap (PrioritySort: priority, then queue time), stale entries skipped on pop. */
  private readonly heap = new BinaryHeap<HeapEntry>(before);
  private readonly gens = new Map<string, number>();
  /** Pods with an event while in flight: retry them at once rather than park them. */
  private readonly movedWhileInFlight = new Set<string>();

  constructor(
    private readonly clock: Clock,
    /** Called (synchronously) whenever a pod becomes ready to pop. */
    private readonly onActive: () => void,
  ) {}

  /** A new pending pod, or a changed one (spec, labels): it goes (back) to activeQ. */
  add(key: string, pod: Pod): void {
    const info = this.infos.get(key);
    if (!info) {
      this.infos.set(key, { key, pod, timestamp: this.clock.now(), attempts: 0 });
      this.setWhere(key, 'active');
      this.onActive();
      return;
    }
    info.pod = pod;
    const w = this.where.get(key);
    if (w === 'inflight') {
      this.movedWhileInFlight.add(key);
    } else if (w === 'unschedulable') {
      this.activateOrBackoff(info);
    }
  }

  /** Keeps the newest object without requeueing (status-only changes). */
  refresh(key: string, pod: Pod): void {
    const info = this.infos.get(key);
    if (info) {
      info.pod = pod;
    }
  }

  delete(key: string): void {
    this.infos.delete(key);
    this.where.delete(key);
    this.gens.delete(key);
    this.movedWhileInFlight.delete(key);
    this.timers.get(key)?.cancel();
    this.timers.delete(key);
  }

  has(key: string): boolean {
    return this.infos.has(key);
  }

  /** The highest-priority, oldest active pod; it stays "in flight" until done() or unschedulable(). */
  pop(): QueuedPodInfo | undefined {
    for (;;) {
      const top = this.heap.pop();
      if (!top) {
        return undefined;
      }
      const key = top.info.key;
      if (this.where.get(key) !== 'active' || this.gens.get(key) !== top.gen || this.infos.get(key) !== top.info) {
        continue;
      }
      top.info.attempts++;
      this.setWhere(key, 'inflight');
      return top.info;
    }
  }

  /** The pod was bound (or is gone): forget it. */
  done(key: string): void {
    this.delete(key);
  }

  /**
   * The attempt failed. An event seen during the attempt retries it after its back-off;
   * otherwise it waits in unschedulablePods for one (or for 5 minutes).
   */
  unschedulable(key: string): void {
    const info = this.infos.get(key);
    if (!info) {
      return;
    }
    info.lastFailureMs = this.clock.now();
    if (this.movedWhileInFlight.delete(key)) {
      this.activateOrBackoff(info);
      return;
    }
    this.setWhere(key, 'unschedulable');
    this.timers.get(key)?.cancel();
    this.timers.set(
      key,
      this.clock.setTimer(POD_MAX_IN_UNSCHEDULABLE_MS, () => {
        this.timers.delete(key);
        if (this.where.get(key) === 'unschedulable') {
          this.activateOrBackoff(info);
        }
      }),
    );
  }

  /** A cluster change that may make parked pods fit (MoveAllToActiveOrBackoffQueue). */
  moveAllToActiveOrBackoff(): void {
    for (const [key, w] of [...this.where]) {
      if (w === 'unschedulable') {
        this.activateOrBackoff(this.infos.get(key)!);
      } else if (w === 'inflight') {
        this.movedWhileInFlight.add(key);
      }
    }
  }

  /** Back-off after `attempts` failures: 1 s, 2 s, 4 s, 8 s, 10 s, 10 s… */
  backoffMs(info: QueuedPodInfo): number {
    const n = Math.max(info.attempts, 1);
    return Math.min(POD_INITIAL_BACKOFF_MS * 2 ** (n - 1), POD_MAX_BACKOFF_MS);
  }

  /** Counts for tests and metrics. */
  stats(): Record<Where, number> {
    const out: Record<Where, number> = { active: 0, backoff: 0, unschedulable: 0, inflight: 0 };
    for (const w of this.where.values()) {
      out[w]++;
    }
    return out;
  }

  /** Cancels every timer; the queue is unusable afterwards. */
  close(): void {
    for (const t of this.timers.values()) {
      t.cancel();
    }
    this.timers.clear();
  }

  private activateOrBackoff(info: QueuedPodInfo): void {
    const key = info.key;
    this.timers.get(key)?.cancel();
    this.timers.delete(key);
    const until = info.lastFailureMs === undefined ? 0 : info.lastFailureMs + this.backoffMs(info);
    const wait = until - this.clock.now();
    if (wait <= 0) {
      this.setWhere(key, 'active');
      this.onActive();
      return;
    }
    this.setWhere(key, 'backoff');
    this.timers.set(
      key,
      this.clock.setTimer(wait, () => {
        this.timers.delete(key);
        if (this.where.get(key) === 'backoff') {
          this.setWhere(key, 'active');
          this.onActive();
        }
      }),
    );
  }

  private setWhere(key: string, w: Where): void {
    this.where.set(key, w);
    const gen = (this.gens.get(key) ?? 0) + 1;
    this.gens.set(key, gen);
    if (w === 'active') {
      this.heap.push({ info: this.infos.get(key)!, gen });
    }
  }
}
