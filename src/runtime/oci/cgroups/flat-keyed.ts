// cgroup "flat keyed" files (memory.stat, cpu.stat, memory.events,
// memory.oom_control): one "key value" pair per line (kernel
// Documentation/admin-guide/cgroup-v2.rst, "Interface Files").
import { readFile } from 'node:fs/promises';

export function parseFlatKeyed(text: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const line of text.split('\n')) {
    const [key, value] = line.trim().split(/\s+/);
    if (key && value !== undefined) {
      const n = Number(value);
      if (Number.isFinite(n)) {
        out.set(key, n);
      }
    }
  }
  return out;
}

/** Whether an fs error says the file (or its cgroup) is not there. */
export function isMissing(err: unknown): boolean {
  return (err as NodeJS.ErrnoException | undefined)?.code === 'ENOENT';
}

/** One key of a flat-keyed file; 0 when the key, the file or its cgroup is absent. */
export async function readFlatKeyedValue(file: string, key: string): Promise<number> {
  try {
    return parseFlatKeyed(await readFile(file, 'utf8')).get(key) ?? 0;
  } catch (err) {
    if (isMissing(err)) {
      return 0;
    }
    throw err;
  }
}
