// Reading this process' mount table, /proc/self/mountinfo (proc(5)): no
// privileges needed, so every VolumeHost can answer "is anything mounted
// under this pod's directory?" before a recursive delete.
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';

/** mountinfo escapes space, tab, newline and backslash as \ooo octal. */
export function unescapeMountinfo(s: string): string {
  return s.replace(/\\([0-7]{3})/g, (_m, o: string) => String.fromCharCode(parseInt(o, 8)));
}

/** Mount points (field 5) of a mountinfo text, in mount order. */
export function parseMountPoints(text: string): string[] {
  const out: string[] = [];
  for (const line of text.split('\n')) {
    const f = line.split(' ');
    if (f.length > 4 && f[4]) {
      out.push(unescapeMountinfo(f[4]));
    }
  }
  return out;
}

export async function readMountPoints(): Promise<string[]> {
  return parseMountPoints(await readFile('/proc/self/mountinfo', 'utf8'));
}

/** Mount points strictly under dir, deepest first and, among equals, the latest mount first. */
export function sortedMountPointsUnder(points: readonly string[], dir: string): string[] {
  const base = resolve(dir);
  return points
    .map((m, i) => ({ m, i }))
    .filter(({ m }) => m.startsWith(base + '/'))
    .sort((a, b) => b.m.split('/').length - a.m.split('/').length || b.i - a.i)
    .map((x) => x.m);
}

export async function mountPointsUnder(dir: string): Promise<string[]> {
  return sortedMountPointsUnder(await readMountPoints(), dir);
}
