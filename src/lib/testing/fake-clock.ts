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
  private heap: Pending[] = [];
  private live = 0;

  constructor(startMs = Date.UTC(2026, 0, 1)) {
    this.t = startMs;
  }
  now(): number {
    return this.t;
  }
  setTimer(ms: number, fn: () => void): Timer {
    const p: Pending = { at: this.t + Math.max(0, ms), seq: this.seq++, fn, cancelled: false };
    this.push(p);
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
      this.pop();
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
    while (this.heap.length > 0 && this.heap[0]!.cancelled) {
      this.pop();
    }
    return this.heap[0];
  }
  private push(p: Pending): void {
    const h = this.heap;
    h.push(p);
    let i = h.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!before(h[i]!, h[parent]!)) {
        break;
      }
      [h[i], h[parent]] = [h[parent]!, h[i]!];
      i = parent;
    }
  }
  private pop(): void {
    const h = this.heap;
    const last = h.pop();
    if (h.length === 0 || !last) {
      return;
    }
    h[0] = last;
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < h.length && before(h[l]!, h[m]!)) {
        m = l;
      }
      if (r < h.length && before(h[r]!, h[m]!)) {
        m = r;
      }
      if (m === i) {
        break;
      }
      [h[i], h[m]] = [h[m]!, h[i]!];
      i = m;
    }
  }
}
