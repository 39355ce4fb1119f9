import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Runs fn with a fresh temp dir and removes the dir afterwards, whatever fn did. */
export async function withTempDir(fn: (dir: string) => Promise<void>, prefix = 'podbay-cli-'): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), prefix));
  try {
    await fn(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
