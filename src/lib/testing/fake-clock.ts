import { BinaryHeap } from '../binary-heap.js';
import type { Clock, Timer } from '../clock.js';

interface Pending {
  at: number;
  seq: number;
  fn: () => void;
  cancelled: boolean;
}

function before(a: Pending, b: Pending): boolean {
  return a.at < b.at || (a.at === b.at && a.seq < b.seq);
}

/**
 * A Clock that only moves when told (kwok's Clock / k8s testingclock.FakeClock).
 * step(ms) fires every timer due by the new time, in time order (ties in the
 * order they were set), each with now() equal to its own deadline. Timers live
 * in a binary heap so that tests with 10,000 pods stay fast; cancelled timers
 * are dropped lazily when they reach the top.
 */
export class FakeClock implements Clock {
  private t: number;
  private seq = 0;
  private readonly heap = new BinaryHeap<Pending>(before);
  private live = 0;

  constructor(startMs = Date.UTC(2026, 0, 1)) {
    this.t = startMs;
  }
  now(): number {
    return this.t;
  }
  setTimer(ms: number, fn: () => void): Timer {
    const p: Pending = { at: this.t + Math.max(0, ms), seq: this.seq++, fn, cancelled: false };
    this.heap.push(p);
    this.live++;
    return {
      cancel: () => {
        if (!p.cancelled) {
          p.cancelled = true;
          this.live--;
        }
      },
    };
  }
  sleep(ms: number): Promise<void> {
    return new Promise((resolve) => this.setTimer(ms, resolve));
  }
  /** Advances time by ms, firing due timers in order (including ones they schedule). */
  step(ms: number): void {
    const end = this.t + ms;
    for (;;) {
      const next = this.peek();
      if (!next || next.at > end) {
        break;
      }
      this.heap.pop();
      next.cancelled = true;
      this.live--;
      this.t = next.at;
      next.fn();
    }
    this.t = end;
  }
  /** Number of timers waiting to fire. */
  pendingTimers(): number {
    return this.live;
  }
  /** Deadline of the earliest pending timer, or undefined. */
  nextTimerAt(): number | undefined {
    return this.peek()?.at;
  }

  private peek(): Pending | undefined {
    while (this.heap.peek()?.cancelled) {
      this.heap.pop();
    }
    return this.heap.peek();
  }
}
