// The StoreEvent a committed row stands for. One event object is shared by every watch
// the write concerns (a hundred `kubectl get -w` would otherwise parse the same pod a
// hundred times), so it and its objects are frozen: a watcher that wants to change an
// object copies it first. Objects are parsed on first access, so a watcher that never
// reads prevObject (most) never pays for it, and objectJson lets a watch server write
// the stored bytes to the wire without serialising them again.
import type { KubeObject } from '../api/types/meta.js';
import type { LogEvent } from './log.js';
import type { StoreEvent } from './store.js';

export function toStoreEvent(ev: LogEvent): StoreEvent {
  const { row, prevValue } = ev;
  let object: KubeObject | undefined;
  let prevObject: KubeObject | undefined;
  const out = {} as StoreEvent;
  Object.defineProperties(out, {
    type: { value: row.deleted ? 'DELETED' : row.created ? 'ADDED' : 'MODIFIED', enumerable: true },
    key: { value: row.key, enumerable: true },
    object: { get: () => (object ??= deepFreeze(JSON.parse(row.value) as KubeObject)), enumerable: true },
    revision: { value: row.revision, enumerable: true },
    objectJson: { value: row.value, enumerable: false },
  });
  // A create after a tombstone has a previous row, but no previous *object*.
  if (!row.created && prevValue !== undefined) {
    Object.defineProperty(out, 'prevObject', {
      get: () => (prevObject ??= deepFreeze(JSON.parse(prevValue) as KubeObject)),
      enumerable: true,
    });
  }
  return Object.freeze(out);
}

// Every pod event's object (and previous object) is frozen, so this walks without the
// array Object.values would allocate per object (~1 % of the sim benchmark's allocations).
function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    if (Array.isArray(value)) {
      for (let i = 0; i < value.length; i++) {
        deepFreeze(value[i] as unknown);
      }
    } else {
      const obj = value as Record<string, unknown>;
      for (const k in obj) {
        deepFreeze(obj[k]);
      }
    }
  }
  return value;
}
