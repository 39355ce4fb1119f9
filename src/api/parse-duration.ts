// Durations in sim annotations and CLI flags: a Go duration string ("1m30s", "500ms", "2h"),
// the syntax of time.ParseDuration that Kubernetes users already know from
// flags and kubectl, or a bare number of seconds ("30", "0.5").

const UNIT_MS: Record<string, number> = {
  ns: 1e-6,
  us: 1e-3,
  µs: 1e-3,
  ms: 1,
  s: 1000,
  m: 60_000,
  h: 3_600_000,
};

const PART = /(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|ms|s|m|h)/y;

/** Milliseconds for a duration, or undefined if `text` is not one. Negative durations are rejected. */
export function parseDuration(text: string): number | undefined {
  const s = text.trim();
  if (s === '') {
    return undefined;
  }
  if (/^(\d+(\.\d*)?|\.\d+)$/.test(s)) {
    return Number(s) * 1000;
  }
  let ms = 0;
  PART.lastIndex = 0;
  while (PART.lastIndex < s.length) {
    const at = PART.lastIndex;
    const m = PART.exec(s);
    if (!m || m.index !== at) {
      return undefined;
    }
    ms += Number(m[1]) * UNIT_MS[m[2]!]!;
  }
  return ms;
}
