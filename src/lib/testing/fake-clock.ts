import type { Clock, Timer } from '../clock.js';

interface Pending {
  at: number;
  seq: number;
  fn: () => void;
  cancelled: boolean;
}

/**
 * A Clock that only moves when told (kwok's Clock / k8s testingclock.FakeClock).
 * step(ms) fires every timer due by the new time, in time order, each with
 * now() equal to its own deadline.
 */
export class FakeClock implements Clock {
  private t: number;
  private seq = 0;
  private timers: Pending[] = [];

  constructor(startMs = Date.UTC(2026, 0, 1)) {
    this.t = startMs;
  }
  now(): number {
    return this.t;
  }
  setTimer(ms: number, fn: () => void): Timer {
    const p: Pending = { at: this.t + Math.max(0, ms), seq: this.seq++, fn, cancelled: false };
    this.timers.push(p);
    return {
      cancel: () => {
        p.cancelled = true;
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
      this.timers = this.timers.filter((p) => !p.cancelled);
      this.timers.sort((a, b) => a.at - b.at || a.seq - b.seq);
      const next = this.timers[0];
      if (!next || next.at > end) {
        break;
      }
      this.timers.shift();
      this.t = next.at;
      next.fn();
    }
    this.t = end;
  }
  /** Number of timers waiting to fire. */
  pendingTimers(): number {
    return this.timers.filter((p) => !p.cancelled).length;
  }
  /** Deadline of the earliest pending timer, or undefined. */
  nextTimerAt(): number | undefined {
    const live = this.timers.filter((p) => !p.cancelled).map((p) => p.at);
    return live.length ? Math.min(...live) : undefined;
  }
}
