// The uid, gid and supplementary groups of a container process, as
// containerd's CRI plugin resolves them (internal/cri/server/
// container_create_linux.go: WithUserID / WithUsername / WithUser from the
// image config, then WithAdditionalGIDs from the image's /etc/group, then
// the pod's supplementalGroups). Files are read from the image layers, never
// through symlinks, so an image cannot make the runtime read host files.
import { lstatSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ContainerSecurityContext } from '../runtime.js';

export interface ProcessUser {
  uid: number;
  gid: number;
  additionalGids: number[];
}

interface PasswdEntry {
  name: string;
  uid: number;
  gid: number;
}

interface GroupEntry {
  name: string;
  gid: number;
  members: string[];
}

export function parsePasswd(text: string): PasswdEntry[] {
  return text
    .split('\n')
    .map((l) => l.split(':'))
    .filter((f) => f.length >= 4 && /^\d+$/.test(f[2]!) && /^\d+$/.test(f[3]!))
    .map((f) => ({ name: f[0]!, uid: Number(f[2]), gid: Number(f[3]) }));
}

export function parseGroup(text: string): GroupEntry[] {
  return text
    .split('\n')
    .map((l) => l.split(':'))
    .filter((f) => f.length >= 3 && /^\d+$/.test(f[2]!))
    .map((f) => ({ name: f[0]!, gid: Number(f[2]), members: (f[3] ?? '').split(',').filter(Boolean) }));
}

/**
 * A regular file of the image, from the topmost layer that has it (a
 * whiteout or a symlink in that layer makes it absent).
 */
export function readImageFile(layerDirs: readonly string[], relPath: string): string | undefined {
  const parts = relPath.split('/').filter(Boolean);
  const base = parts.pop()!;
  for (let i = layerDirs.length - 1; i >= 0; i--) {
    const dir = join(layerDirs[i]!, ...parts);
    try {
      lstatSync(join(dir, `.wh.${base}`));
      return undefined;
    } catch {
      // no whiteout in this layer
    }
    try {
      const st = lstatSync(join(dir, base));
      return st.isFile() ? readFileSync(join(dir, base), 'utf8') : undefined;
    } catch {
      // not in this layer
    }
  }
  return undefined;
}

/**
 * Resolves the process user. Precedence: runAsUser, then runAsUsername, then
 * the image's User ("", "uid", "name", "uid:gid", "name:group"); runAsGroup
 * replaces the gid. Throws for a user name the image does not define (the
 * agent reports CreateContainerError).
 */
export function resolveProcessUser(
  sc: ContainerSecurityContext,
  imageUser: string,
  readFile: (relPath: string) => string | undefined,
): ProcessUser {
  let passwd: PasswdEntry[] | undefined;
  const users = (): PasswdEntry[] => (passwd ??= parsePasswd(readFile('/etc/passwd') ?? ''));
  let groupsCache: GroupEntry[] | undefined;
  const groups = (): GroupEntry[] => (groupsCache ??= parseGroup(readFile('/etc/group') ?? ''));

  let uid = 0;
  let gid = 0;
  let name: string | undefined;
  const byUid = (id: number): void => {
    uid = id;
    const e = users().find((u) => u.uid === id);
    gid = e?.gid ?? 0;
    name = e?.name;
  };
  const byName = (n: string): void => {
    const e = users().find((u) => u.name === n);
    if (!e) {
      throw new Error(`no users found matching ${JSON.stringify(n)} in the image's /etc/passwd`);
    }
    uid = e.uid;
    gid = e.gid;
    name = e.name;
  };
  if (sc.runAsUser !== undefined) {
    byUid(sc.runAsUser);
  } else if (sc.runAsUsername) {
    byName(sc.runAsUsername);
  } else if (imageUser) {
    const [u, g] = imageUser.split(':', 2) as [string, string | undefined];
    if (/^\d+$/.test(u)) {
      byUid(Number(u));
    } else {
      byName(u);
    }
    if (g !== undefined && g !== '') {
      if (/^\d+$/.test(g)) {
        gid = Number(g);
      } else {
        const e = groups().find((x) => x.name === g);
        if (!e) {
          throw new Error(`no groups found matching ${JSON.stringify(g)} in the image's /etc/group`);
        }
        gid = e.gid;
      }
    }
  }
  if (sc.runAsGroup !== undefined) {
    gid = sc.runAsGroup;
  }
  const extra =
    name === undefined
      ? []
      : groups()
          .filter((g) => g.members.includes(name!))
          .map((g) => g.gid);
  const additionalGids = [...new Set([gid, ...extra, ...(sc.supplementalGroups ?? [])])];
  return { uid, gid, additionalGids };
}
