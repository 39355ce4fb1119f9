// rmdir of a cgroup and everything below it, children first. A cgroup
// directory can only be removed once it has no child cgroups and no tasks;
// the interface files in it are not real files and go with the rmdir.
//
// Kills nothing: the caller stopped the processes. The kernel can report
// EBUSY for a short while after the last task exited (the task is still
// being reaped, or a memcg is still being offlined), so each rmdir is retried
// with a short back-off (runc's cgroups.RemovePath retries 5 times from 10 ms
// doubling; we do the same) before the directory is reported busy.
import { readdir, rmdir } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

const RETRIES = 5;
const FIRST_DELAY_MS = 10;

function code(err: unknown): string | undefined {
  return (err as NodeJS.ErrnoException | undefined)?.code;
}

async function rmdirRetrying(dir: string): Promise<boolean> {
  let delay = FIRST_DELAY_MS;
  for (let attempt = 0; ; attempt++) {
    try {
      await rmdir(dir);
      return true;
    } catch (err) {
      if (code(err) === 'ENOENT') {
        return true;
      }
      if (code(err) !== 'EBUSY' || attempt >= RETRIES) {
        if (code(err) === 'EBUSY' || code(err) === 'ENOTEMPTY') {
          return false;
        }
        throw err;
      }
    }
    await sleep(delay);
    delay *= 2;
  }
}

/**
 * Removes `dir` and its child cgroups. Resolves with the directories still
 * busy (empty when all are gone); a missing `dir` is already removed.
 */
export async function removeCgroupTree(dir: string): Promise<string[]> {
  let entries;
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch (err) {
    if (code(err) === 'ENOENT') {
      return [];
    }
    throw err;
  }
  const busy: string[] = [];
  for (const e of entries) {
    if (e.isDirectory()) {
      busy.push(...(await removeCgroupTree(join(dir, e.name))));
    }
  }
  if (busy.length > 0) {
    return [...busy, dir];
  }
  return (await rmdirRetrying(dir)) ? [] : [dir];
}
