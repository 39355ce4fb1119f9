// A cross-process lock for the image index: `podbay image …` and a running `podbay up`
// share one data dir. Node has no flock(2), so the lock is a file created with O_EXCL
// holding the owner's pid; a lock whose owner is gone (crashed mid-update) is broken.
// The lock is held only around index read-modify-write and deletions (milliseconds);
// downloads and unpacking run outside it, into temp names renamed into place.
//
// Known limit: two processes that find the same dead owner at the same instant could
// both break the lock; the window needs a crash first and is a few microseconds wide.
import { open, readFile, unlink } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';

export interface FileLockOptions {
  /** Give up after this long (default 60 s: a pull's commit waits for another's). */
  timeoutMs?: number;
  /** Delay between attempts (default 10 ms). */
  retryMs?: number;
}

/** Whether a process with this pid exists (EPERM: it does, owned by someone else). */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Runs `fn` while holding the lock file at `path`; releases it however `fn` ends. */
export async function withFileLock<T>(path: string, fn: () => Promise<T>, opts: FileLockOptions = {}): Promise<T> {
  const timeoutMs = opts.timeoutMs ?? 60_000;
  const retryMs = opts.retryMs ?? 10;
  const started = performance.now();
  for (;;) {
    try {
      const fh = await open(path, 'wx', 0o644);
      try {
        await fh.writeFile(String(process.pid));
      } finally {
        await fh.close();
      }
      break;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') {
        throw e;
      }
    }
    const owner = parseInt(await readFile(path, 'utf8').catch(() => ''), 10);
    // An empty file is an owner between open and write: wait for it.
    if (Number.isInteger(owner) && owner !== process.pid && !isAlive(owner)) {
      await unlink(path).catch(() => undefined);
      continue;
    }
    if (performance.now() - started > timeoutMs) {
      throw new Error(
        `timed out after ${timeoutMs} ms waiting for the image store lock ${path} (held by pid ${owner})`,
      );
    }
    await sleep(retryMs);
  }
  try {
    return await fn();
  } finally {
    await unlink(path).catch(() => undefined);
  }
}
