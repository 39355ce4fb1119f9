// A watch that survives dropped connections (client-go tools/watch/retrywatcher.go):
// it reconnects from the last resourceVersion it delivered (or a BOOKMARK's), so no
// event is lost or repeated, and reports 410 Expired to its owner, who must list again.
import type { KubeObject, WatchEvent } from '../api/types/index.js';
import type { Clock, Timer } from '../lib/clock.js';
import { isExpired } from './resource-client.js';
import type { ResourceClient } from './resource-client.js';

export interface RetryWatcherOptions {
  namespace?: string;
  labelSelector?: string;
  fieldSelector?: string;
  /** Deliver changes after this revision (the list's resourceVersion). */
  resourceVersion: string;
  clock: Clock;
  /**
   * Wait before reconnecting after an error; doubles up to maxBackoffMs. A watch the
   * server ended cleanly (timeoutSeconds) reconnects at once. client-go waits 1 s.
   */
  initialBackoffMs?: number;
  maxBackoffMs?: number;
  /** Ask the server to end each watch after this long (client-go's reflector: 5–10 min). */
  timeoutSeconds?: number;
}

export interface RetryWatcherHandlers<T extends KubeObject> {
  /** ADDED / MODIFIED / DELETED, in revision order (bookmarks are consumed here). */
  onEvent(ev: WatchEvent<T>): void;
  /** The revision was compacted away (410): the watcher has stopped; list and start again. */
  onExpired(): void;
  /** A connection failed; the watcher retries by itself. For logging. */
  onError?: (e: unknown) => void;
}

export class RetryWatcher<T extends KubeObject> {
  private rv: string;
  private stopped = false;
  private stopCurrent: (() => void) | undefined;
  private readonly abort = new AbortController();
  private timer: Timer | undefined;
  private wake: (() => void) | undefined;
  private readonly done: Promise<void>;

  constructor(
    private readonly rc: ResourceClient<T>,
    private readonly opts: RetryWatcherOptions,
    private readonly handlers: RetryWatcherHandlers<T>,
  ) {
    this.rv = opts.resourceVersion;
    this.done = this.run();
  }

  /** The resourceVersion the next connection would resume from. */
  get resourceVersion(): string {
    return this.rv;
  }

  /** Stops at once; no handler is called afterwards. Resolves when the loop has exited. */
  stop(): Promise<void> {
    this.stopped = true;
    this.abort.abort();
    this.stopCurrent?.();
    this.timer?.cancel();
    this.wake?.();
    return this.done;
  }

  private async run(): Promise<void> {
    let backoff = this.opts.initialBackoffMs ?? 1000;
    const maxBackoff = this.opts.maxBackoffMs ?? 30_000;
    while (!this.stopped) {
      try {
        const w = await this.rc.watch(this.opts.namespace, {
          resourceVersion: this.rv,
          allowWatchBookmarks: true,
          labelSelector: this.opts.labelSelector,
          fieldSelector: this.opts.fieldSelector,
          timeoutSeconds: this.opts.timeoutSeconds,
          signal: this.abort.signal,
        });
        this.stopCurrent = w.stop;
        if (this.stopped) {
          w.stop();
          return;
        }
        let received = 0;
        for await (const ev of w.events) {
          if (this.stopped) {
            return;
          }
          received++;
          const rv = ev.object?.metadata?.resourceVersion;
          if (rv) {
            this.rv = rv;
          }
          if (ev.type !== 'BOOKMARK') {
            this.handlers.onEvent(ev);
          }
          backoff = this.opts.initialBackoffMs ?? 1000;
        }
        // The server ended the watch (timeoutSeconds or restart): resume at once, unless
        // it ended without a single event — then back off, so a server that closes every
        // watch at once is not hammered (reflector.go's "very short watch").
        if (received === 0 && !this.stopped) {
          await this.sleep(backoff);
          backoff = Math.min(backoff * 2, maxBackoff);
        }
      } catch (e) {
        if (this.stopped) {
          return;
        }
        if (isExpired(e)) {
          this.stopped = true;
          this.handlers.onExpired();
          return;
        }
        this.handlers.onError?.(e);
        await this.sleep(backoff);
        backoff = Math.min(backoff * 2, maxBackoff);
      } finally {
        this.stopCurrent = undefined;
      }
    }
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      this.wake = resolve;
      this.timer = this.opts.clock.setTimer(ms, resolve);
    });
  }
}
