// Keyed exponential back-off over a Clock, as client-go's
// util/flowcontrol/backoff.go (Backoff: Next, IsInBackOffSince,
// IsInBackOffSinceUpdate) with the kubelet's settings:
//
//   CrashLoopBackOff  10 s initial, 300 s max, no jitter; an entry expires when
//                     the event is more than 600 s after its last update
//                     (k8s pkg/kubelet/kubelet.go NewMainKubelet HasExpiredFunc;
//                     before ≈1.32 the default 2*max gave the same 600 s)
//   ImagePullBackOff  10 s initial, 300 s max (pkg/kubelet/images, MaxImageBackOff)
//
// Waits the CrashLoopBackOff produces (pod-semantics.md §4.2): the first
// restart is immediate, then 10, 20, 40, 80, 160, 300, 300… s counted from the
// crash's finishedAt.
import type { Clock } from '../../lib/clock.js';

export const INITIAL_CRASH_LOOP_BACKOFF_MS = 10_000;
export const MAX_CONTAINER_BACKOFF_MS = 300_000;
/** Run time after which a crashing container's back-off starts again from scratch. */
export const CRASH_LOOP_BACKOFF_RESET_MS = 600_000;
export const INITIAL_IMAGE_BACKOFF_MS = 10_000;
export const MAX_IMAGE_BACKOFF_MS = 300_000;

interface Entry {
  backoffMs: number;
  lastUpdateMs: number;
}

export interface BackoffOptions {
  clock: Clock;
  initialMs: number;
  maxMs: number;
  /** An entry has expired when eventTime − lastUpdate exceeds this (default 2 × maxMs). */
  expireAfterMs?: number;
}

export class Backoff {
  private readonly entries = new Map<string, Entry>();

  constructor(private readonly opts: BackoffOptions) {}

  /** The current back-off of key, or 0 without an entry. */
  get(key: string): number {
    return this.entries.get(key)?.backoffMs ?? 0;
  }

  /** Records an attempt at eventTimeMs: starts at initialMs (no entry or expired), else doubles up to maxMs. */
  next(key: string, eventTimeMs: number): void {
    const e = this.entries.get(key);
    if (!e || this.hasExpired(eventTimeMs, e.lastUpdateMs)) {
      this.entries.set(key, { backoffMs: this.opts.initialMs, lastUpdateMs: this.opts.clock.now() });
      return;
    }
    e.backoffMs = Math.min(e.backoffMs * 2, this.opts.maxMs);
    e.lastUpdateMs = this.opts.clock.now();
  }

  /** True while now − eventTimeMs < back-off (the CrashLoopBackOff test: eventTime = the crash's finishedAt). */
  isInBackOffSince(key: string, eventTimeMs: number): boolean {
    return this.remainingSince(key, eventTimeMs) > 0;
  }

  /** Milliseconds left in back-off counted from eventTimeMs (≤ 0: not in back-off). */
  remainingSince(key: string, eventTimeMs: number): number {
    const e = this.entries.get(key);
    if (!e || this.hasExpired(eventTimeMs, e.lastUpdateMs)) {
      return 0;
    }
    return e.backoffMs - (this.opts.clock.now() - eventTimeMs);
  }

  /** True while eventTimeMs − lastUpdate < back-off (the image-pull test: eventTime = now). */
  isInBackOffSinceUpdate(key: string, eventTimeMs: number): boolean {
    return this.remainingSinceUpdate(key, eventTimeMs) > 0;
  }

  /** Milliseconds left counted from the last update (≤ 0: not in back-off). */
  remainingSinceUpdate(key: string, eventTimeMs: number): number {
    const e = this.entries.get(key);
    if (!e || this.hasExpired(eventTimeMs, e.lastUpdateMs)) {
      return 0;
    }
    return e.lastUpdateMs + e.backoffMs - eventTimeMs;
  }

  /** Forgets key (the pod left the node). */
  reset(key: string): void {
    this.entries.delete(key);
  }

  /** Forgets every key starting with prefix. */
  resetPrefix(prefix: string): void {
    for (const k of [...this.entries.keys()]) {
      if (k.startsWith(prefix)) {
        this.entries.delete(k);
      }
    }
  }

  private hasExpired(eventTimeMs: number, lastUpdateMs: number): boolean {
    return eventTimeMs - lastUpdateMs > (this.opts.expireAfterMs ?? 2 * this.opts.maxMs);
  }
}

/** The kubelet's restart back-off (pod-semantics.md §4.1). */
export function newCrashLoopBackoff(clock: Clock): Backoff {
  return new Backoff({
    clock,
    initialMs: INITIAL_CRASH_LOOP_BACKOFF_MS,
    maxMs: MAX_CONTAINER_BACKOFF_MS,
    expireAfterMs: CRASH_LOOP_BACKOFF_RESET_MS,
  });
}

/** The image manager's pull back-off (pod-semantics.md §4.4). */
export function newImagePullBackoff(clock: Clock): Backoff {
  return new Backoff({ clock, initialMs: INITIAL_IMAGE_BACKOFF_MS, maxMs: MAX_IMAGE_BACKOFF_MS });
}

/**
 * A Go time.Duration string as the kubelet prints back-offs in messages
 * (`10s`, `1m20s`, `5m0s`).
 */
export function goDuration(ms: number): string {
  if (ms === 0) {
    return '0s';
  }
  if (ms < 1000) {
    return `${ms}ms`;
  }
  const totalS = ms / 1000;
  const h = Math.floor(totalS / 3600);
  const m = Math.floor((totalS - h * 3600) / 60);
  const s = totalS - h * 3600 - m * 60;
  const sText = `${Number.isInteger(s) ? s : Number(s.toFixed(9))}s`;
  if (h > 0) {
    return `${h}h${m}m${sText}`;
  }
  if (m > 0) {
    return `${m}m${sText}`;
  }
  return sText;
}
