// Keys and the ranges a prefix selects (store.ts documents the key layout).
import type { KeyRange } from './log.js';
import type { Key } from './store.js';

/**
 * The keys a list or watch selects: everything under prefix when it ends in `/`, else
 * the exact key. The end of a prefix range is the prefix with its last character
 * incremented (`/pods/` → `/pods0`), as etcd's clientv3.GetPrefixRangeEnd does for bytes.
 */
export function keyRange(prefix: Key): KeyRange {
  if (!prefix.endsWith('/')) {
    // [key, key + '\0') holds exactly key.
    return { start: prefix, end: `${prefix}\u0000` };
  }
  const last = prefix.charCodeAt(prefix.length - 1);
  return { start: prefix, end: prefix.slice(0, -1) + String.fromCharCode(last + 1) };
}

export function inRange(range: KeyRange, key: Key): boolean {
  return key >= range.start && key < range.end;
}

/** The smallest key after key (etcd3 store.go continues from `lastKey + "\x00"`). */
export function keyAfter(key: Key): Key {
  return `${key}\u0000`;
}

/**
 * The resource and name an error about key names: `/pods/default/x` → pods, x;
 * `/leases.coordination.k8s.io/kube-node-lease/n1` → leases.coordination.k8s.io, n1;
 * `/nodes/n1` → nodes, n1. Errors read like the registry's (`pods "x" not found`).
 */
export function resourceAndName(key: Key): { resource: string; name: string } {
  const parts = key.split('/').filter((p) => p !== '');
  return { resource: parts[0] ?? '', name: parts[parts.length - 1] ?? '' };
}
