// Which layer directories are in use: an unpacked layer is mounted as an overlayfs
// lowerdir under every running container made from it, and deleting it would pull the
// files out from under them. The kernel lists each overlay mount's lowerdirs in
// /proc/self/mountinfo (proc(5) "mountinfo": field 11 on are the super options), so the
// store can tell without knowing anything of the runtime.
import { readFile } from 'node:fs/promises';

/** mountinfo escapes space, tab, newline and backslash as octal (\040 …). */
function unescapeMountField(s: string): string {
  return s.replace(/\\([0-7]{3})/g, (_, o: string) => String.fromCharCode(parseInt(o, 8)));
}

/** Every lowerdir of every overlay mount in a mountinfo text. */
export function parseOverlayLowerDirs(mountinfo: string): Set<string> {
  const out = new Set<string>();
  for (const line of mountinfo.split('\n')) {
    const sep = line.indexOf(' - ');
    if (sep === -1) {
      continue;
    }
    const [fstype, , superOptions = ''] = line.slice(sep + 3).split(' ');
    if (fstype !== 'overlay') {
      continue;
    }
    for (const opt of superOptions.split(',')) {
      const m = /^lowerdir\+?=(.*)$/.exec(opt);
      if (!m) {
        continue;
      }
      // Layers are separated by ':'; a literal colon in a path is written "\:".
      for (const dir of m[1]!.split(/(?<!\\):/)) {
        out.add(unescapeMountField(dir.replace(/\\:/g, ':')));
      }
    }
  }
  return out;
}

/** The lowerdirs mounted in this mount namespace now (empty where /proc is not there). */
export async function mountedLowerDirs(mountinfoPath = '/proc/self/mountinfo'): Promise<Set<string>> {
  try {
    return parseOverlayLowerDirs(await readFile(mountinfoPath, 'utf8'));
  } catch {
    return new Set();
  }
}
