// Polls a condition until it holds or a deadline passes (STYLE.md §11: waits use
// waitFor(cond, {timeoutMs}), never bare sleeps). For tests that watch real processes
// and servers; lifecycle tests use FakeClock instead.
import { setTimeout as delay } from 'node:timers/promises';

export interface WaitForOptions {
  timeoutMs?: number;
  intervalMs?: number;
  /** What is awaited, for the timeout message. */
  what?: string;
}

/**
 * Resolves with the first truthy value cond returns; rejects after timeoutMs with the
 * last error cond threw (if any), so a failed wait says why.
 */
export async function waitFor<T>(
  cond: () => T | undefined | null | false | Promise<T | undefined | null | false>,
  opts: WaitForOptions = {},
): Promise<T> {
  const timeoutMs = opts.timeoutMs ?? 10_000;
  const intervalMs = opts.intervalMs ?? 50;
  const deadline = performance.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const value = await cond();
      if (value) {
        return value;
      }
    } catch (e) {
      lastError = e;
    }
    if (performance.now() >= deadline) {
      const why = lastError instanceof Error ? `: ${lastError.message}` : '';
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${opts.what ?? 'a condition'}${why}`, {
        cause: lastError,
      });
    }
    await delay(intervalMs);
  }
}
