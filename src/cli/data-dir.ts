import { join, resolve } from 'node:path';

/** ARCHITECTURE.md "On disk": /var/lib/podbay for root, ~/.podbay for everyone else. */
export function defaultDataDir(uid: number, home: string): string {
  return uid === 0 ? '/var/lib/podbay' : join(home, '.podbay');
}

/** The data dir as an absolute path (the kubeconfig and messages show it). */
export function resolveDataDir(flag: string | undefined, uid: number, home: string): string {
  return resolve(flag ?? defaultDataDir(uid, home));
}
