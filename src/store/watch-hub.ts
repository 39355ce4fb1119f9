// Fan-out of committed writes to running watches. Each watch has its own queue, filled
// synchronously in revision order (first with its replay, then with every live event
// as the write is committed) and drained in a microtask, so a watch never sees an
// event twice or out of order, and a slow consumer cannot reorder another's events.
import { inRange } from './key-range.js';
import type { KeyRange, LogEvent } from './log.js';
import type { StoreEvent, Watch } from './store.js';
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

export class WatchHub {
  private readonly watches = new Set<HubWatch>();
  /** The newest revision fanned out (the store's current revision). */
  revision: number;

  constructor(revision: number) {
    this.revision = revision;
  }

  /**
   * Starts a watch whose first events are replay (all with revision > from, in order,
   * already filtered by range); every later publish() in range follows.
   */
  add(range: KeyRange, from: number, replay: LogEvent[], onEvent: (ev: StoreEvent) => void): HubWatchHandle {
    const w = new HubWatch(this, range, from, replay, onEvent);
    this.watches.add(w);
    return w;
  }

  /** Hands a committed event to every watch whose range holds its key. */
  publish(ev: LogEvent): void {
    this.revision = ev.row.revision;
    let shared: StoreEvent | undefined;
    for (const w of this.watches) {
      if (inRange(w.range, ev.row.key)) {
        shared ??= toStoreEvent(ev);
        w.enqueue(shared);
      }
    }
  }

  remove(w: HubWatch): void {
    this.watches.delete(w);
  }

  get size(): number {
    return this.watches.size;
  }

  stopAll(): void {
    for (const w of [...this.watches]) {
      w.stop();
    }
  }
}
