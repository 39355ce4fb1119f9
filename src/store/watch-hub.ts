// Fan-out of committed writes to running watches. Each watch has its own queue, filled
// synchronously in revision order (first with its replay, then with every live event
// as the write is committed) and drained in a microtask, so a watch never sees an
// event twice or out of order, and a slow consumer cannot reorder another's events.
//
// Watches that name a trigger (WatchOptions.trigger: "only events whose object or
// previous object has spec.nodeName=X can concern me") are indexed by its value, so a
// pod event reaches the one node agent it is about instead of being matched by all of
// them: the cacher's indexed triggers (k8s.io/apiserver pkg/storage/cacher/cacher.go
// dispatchEvent: `c.watchers.valueWatchers[value]` for each of the event's trigger
// values, plus `c.watchers.allWatchers`).
import { inRange } from './key-range.js';
import type { KeyRange, LogEvent } from './log.js';
import type { KubeObject } from '../api/types/meta.js';
import type { StoreEvent, Watch, WatchTrigger } from './store.js';
import { toStoreEvent } from './store-event.js';

class HubWatch implements Watch {
  private queue: StoreEvent[];
  private head = 0;
  private draining = false;
  private stopped = false;
  /** Revision of the last event handed to onEvent (or the watch's start). */
  private delivered: number;

  constructor(
    private readonly hub: WatchHub,
    readonly range: KeyRange,
    private readonly from: number,
    replay: LogEvent[],
    private readonly onEvent: (ev: StoreEvent) => void,
    readonly trigger: WatchTrigger | undefined,
  ) {
    this.queue = replay.map(toStoreEvent);
    this.delivered = from;
    this.schedule();
  }

  enqueue(ev: StoreEvent): void {
    // A watch may start from a revision not written yet (etcd allows it).
    if (ev.revision <= this.from) {
      return;
    }
    this.queue.push(ev);
    this.schedule();
  }

  stop(): void {
    if (this.stopped) {
      return;
    }
    this.stopped = true;
    this.queue = [];
    this.head = 0;
    this.hub.remove(this);
  }

  progressRevision(): number {
    // An empty queue means every committed write either reached onEvent or did not
    // match; a non-empty one means delivery stops at the last event handed over.
    return this.head >= this.queue.length ? Math.max(this.delivered, this.hub.revision) : this.delivered;
  }

  private schedule(): void {
    if (this.draining || this.stopped || this.head >= this.queue.length) {
      return;
    }
    this.draining = true;
    queueMicrotask(() => this.drain());
  }

  private drain(): void {
    this.draining = false;
    while (!this.stopped && this.head < this.queue.length) {
      const ev = this.queue[this.head++]!;
      this.delivered = ev.revision;
      try {
        this.onEvent(ev);
      } catch (err) {
        // A consumer that throws is broken: stop its watch and surface the error as
        // an uncaught exception rather than lose it (or the store's delivery loop).
        this.stop();
        queueMicrotask(() => {
          throw err;
        });
        return;
      }
    }
    if (!this.stopped) {
      // Release delivered events; keeps replay arrays from pinning memory.
      this.queue = [];
      this.head = 0;
    }
  }
}

/** Extra members of the watches this hub returns (Watch's optional progressRevision). */
export type HubWatchHandle = Watch & { progressRevision(): number };

/** The watches of one trigger index (e.g. spec.nodeName), by trigger value. */
interface TriggerIndex {
  indexValue: (obj: KubeObject) => string;
  byValue: Map<string, Set<HubWatch>>;
  /** How many watches of this index use each range: an event outside all of them needs no index value. */
  ranges: Map<string, { range: KeyRange; watches: number }>;
}

export class WatchHub {
  /** Watches without a trigger: each sees every event in its range. */
  private readonly unindexed = new Set<HubWatch>();
  private readonly indexes = new Map<string, TriggerIndex>();
  private count = 0;
  /** The newest revision fanned out (the store's current revision). */
  revision: number;

  constructor(revision: number) {
    this.revision = revision;
  }

  /**
   * Starts a watch whose first events are replay (all with revision > from, in order,
   * already filtered by range); every later publish() in range follows, only those
   * whose object or previous object carries trigger.value when a trigger is given.
   */
  add(
    range: KeyRange,
    from: number,
    replay: LogEvent[],
    onEvent: (ev: StoreEvent) => void,
    trigger?: WatchTrigger,
  ): HubWatchHandle {
    const w = new HubWatch(this, range, from, replay, onEvent, trigger);
    this.count++;
    if (!trigger) {
      this.unindexed.add(w);
      return w;
    }
    let idx = this.indexes.get(trigger.index);
    if (!idx) {
      idx = { indexValue: trigger.indexValue, byValue: new Map(), ranges: new Map() };
      this.indexes.set(trigger.index, idx);
    }
    let set = idx.byValue.get(trigger.value);
    if (!set) {
      set = new Set();
      idx.byValue.set(trigger.value, set);
    }
    set.add(w);
    const rk = rangeKey(range);
    const r = idx.ranges.get(rk);
    if (r) {
      r.watches++;
    } else {
      idx.ranges.set(rk, { range, watches: 1 });
    }
    return w;
  }

  /** Hands a committed event to every watch whose range holds its key (and whose trigger it meets). */
  publish(ev: LogEvent): void {
    this.revision = ev.row.revision;
    const key = ev.row.key;
    let shared: StoreEvent | undefined;
    for (const w of this.unindexed) {
      if (inRange(w.range, key)) {
        shared ??= toStoreEvent(ev);
        w.enqueue(shared);
      }
    }
    for (const idx of this.indexes.values()) {
      if (!anyRangeHolds(idx, key)) {
        continue;
      }
      shared ??= toStoreEvent(ev);
      // cacher.go triggerValuesThreadUnsafe: the value of the object, and of the
      // previous object when it differs (a pod leaving a node concerns that node).
      const now = idx.indexValue(shared.object);
      this.enqueueAll(idx.byValue.get(now), key, shared);
      if (shared.prevObject !== undefined) {
        const before = idx.indexValue(shared.prevObject);
        if (before !== now) {
          this.enqueueAll(idx.byValue.get(before), key, shared);
        }
      }
    }
  }

  remove(w: HubWatch): void {
    const t = w.trigger;
    if (!t) {
      if (this.unindexed.delete(w)) {
        this.count--;
      }
      return;
    }
    const idx = this.indexes.get(t.index);
    const set = idx?.byValue.get(t.value);
    if (!idx || !set?.delete(w)) {
      return;
    }
    this.count--;
    if (set.size === 0) {
      idx.byValue.delete(t.value);
    }
    const rk = rangeKey(w.range);
    const r = idx.ranges.get(rk);
    if (r && --r.watches === 0) {
      idx.ranges.delete(rk);
    }
    if (idx.byValue.size === 0) {
      this.indexes.delete(t.index);
    }
  }

  get size(): number {
    return this.count;
  }

  stopAll(): void {
    for (const w of [...this.unindexed]) {
      w.stop();
    }
    for (const idx of [...this.indexes.values()]) {
      for (const set of [...idx.byValue.values()]) {
        for (const w of [...set]) {
          w.stop();
        }
      }
    }
  }

  private enqueueAll(watches: Set<HubWatch> | undefined, key: string, ev: StoreEvent): void {
    if (watches === undefined) {
      return;
    }
    for (const w of watches) {
      if (inRange(w.range, key)) {
        w.enqueue(ev);
      }
    }
  }
}

function rangeKey(range: KeyRange): string {
  return `${range.start}\u0000${range.end}`;
}

function anyRangeHolds(idx: TriggerIndex, key: string): boolean {
  for (const r of idx.ranges.values()) {
    if (inRange(r.range, key)) {
      return true;
    }
  }
  return false;
}
