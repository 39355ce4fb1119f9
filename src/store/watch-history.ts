// The recent-events ring a watch replays from, like the apiserver's watch cache
// (k8s.io/apiserver pkg/storage/cacher/watch_cache.go: a fixed-capacity circular buffer,
// binary-searched for the first event after the requested resourceVersion). Older
// history is the Log's business (mvcc.ts falls back to Log.after).
import { inRange } from './key-range.js';
import type { KeyRange, LogEvent } from './log.js';

export class WatchHistory {
  private readonly ring: (LogEvent | undefined)[];
  private start = 0;
  private size = 0;
  private floor: number;

  /**
   * capacity: events kept. floor: every event with a revision above it will be
   * pushed here (the store's revision when the ring starts).
   */
  constructor(
    readonly capacity: number,
    floor: number,
  ) {
    if (!Number.isSafeInteger(capacity) || capacity < 1) {
      throw new RangeError(`watch history capacity must be a positive integer, got ${capacity}`);
    }
    this.ring = new Array<LogEvent | undefined>(capacity);
    this.floor = floor;
  }

  /**
   * The smallest fromRevision this ring can serve: every event after it is here. It is
   * the revision of the last evicted event (watch_cache.go's `oldest - 1`).
   */
  oldestFrom(): number {
    return this.floor;
  }

  /** Appends the next event; revisions must increase. Evicts the oldest when full. */
  push(ev: LogEvent): void {
    if (this.size === this.capacity) {
      const evicted = this.ring[this.start]!;
      this.floor = evicted.row.revision;
      this.ring[this.start] = ev;
      this.start = (this.start + 1) % this.capacity;
      return;
    }
    this.ring[(this.start + this.size) % this.capacity] = ev;
    this.size++;
  }

  /** Events in range with revision > from, in order. Requires from >= oldestFrom(). */
  since(from: number, range: KeyRange): LogEvent[] {
    if (from < this.floor) {
      throw new RangeError(`watch history starts after ${this.floor}, asked from ${from}`);
    }
    // Binary search for the first index whose revision is > from.
    let lo = 0;
    let hi = this.size;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.at(mid).row.revision > from) {
        hi = mid;
      } else {
        lo = mid + 1;
      }
    }
    const out: LogEvent[] = [];
    for (let i = lo; i < this.size; i++) {
      const ev = this.at(i);
      if (inRange(range, ev.row.key)) {
        out.push(ev);
      }
    }
    return out;
  }

  private at(i: number): LogEvent {
    return this.ring[(this.start + i) % this.capacity]!;
  }
}
