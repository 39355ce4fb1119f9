// cgroup "flat keyed" files (memory.stat, cpu.stat, memory.events,
// memory.oom_control): one "key value" pair per line (kernel
// Documentation/admin-guide/cgroup-v2.rst, "Interface Files").

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
