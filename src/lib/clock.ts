/**
 * Time as a dependency (STYLE.md habit 2): lifecycle code asks a Clock, never
 * Date.now() or setTimeout, so tests can drive it with FakeClock.step().
 */
export interface Timer {
  /** Stops the timer; idempotent. */
  cancel(): void;
}

export interface Clock {
  /** Milliseconds since the epoch. */
  now(): number;
  /** Runs fn once after ms; the returned Timer cancels it. */
  setTimer(ms: number, fn: () => void): Timer;
  /** Resolves after ms (FakeClock: when stepped past it). */
  sleep(ms: number): Promise<void>;
}

export class RealClock implements Clock {
  now(): number {
    return Date.now();
  }
  setTimer(ms: number, fn: () => void): Timer {
    const t = setTimeout(fn, ms);
    t.unref?.();
    return { cancel: () => clearTimeout(t) };
  }
  sleep(ms: number): Promise<void> {
    return new Promise((resolve) => setTimeout(resolve, ms));
  }
}

/** RFC 3339 with second precision, as Kubernetes serialises metav1.Time. */
export function rfc3339(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}
