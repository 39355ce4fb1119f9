// How much disk a volume uses, as kubelet's MetricsDu measures it for the
// eviction manager (pkg/volume/metrics_du.go → `du -x -s -B 1`): allocated
// blocks, not apparent sizes, one filesystem only, hard links once.
import { lstat, readdir } from 'node:fs/promises';
import { posix } from 'node:path';
import { errnoCode } from './go-error-text.js';

/** Bytes allocated under dir (dir included); 0 when it does not exist. */
export async function diskUsageBytes(dir: string): Promise<number> {
  let root;
  try {
    root = await lstat(dir, { bigint: true });
  } catch (e) {
    if (errnoCode(e) === 'ENOENT') {
      return 0;
    }
    throw e;
  }
  const dev = root.dev;
  const seen = new Set<bigint>();
  let total = 0n;
  const visit = async (path: string, isRoot: boolean): Promise<void> => {
    let st;
    try {
      st = isRoot ? root : await lstat(path, { bigint: true });
    } catch (e) {
      if (errnoCode(e) === 'ENOENT') {
        return; // removed while we walked
      }
      throw e;
    }
    if (st.dev !== dev) {
      return; // -x: another filesystem mounted here
    }
    if (st.nlink > 1n) {
      if (seen.has(st.ino)) {
        return;
      }
      seen.add(st.ino);
    }
    total += st.blocks * 512n;
    if (st.isDirectory()) {
      let names: string[];
      try {
        names = await readdir(path);
      } catch (e) {
        if (errnoCode(e) === 'ENOENT') {
          return;
        }
        throw e;
      }
      for (const n of names) {
        await visit(posix.join(path, n), false);
      }
    }
  };
  await visit(dir, true);
  return Number(total);
}
