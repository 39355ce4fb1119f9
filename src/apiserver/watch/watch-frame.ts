// The bytes of one watch event line, made once per event and type and shared by every
// watcher that is sent it: a pod event goes out to the all-pods informers, kubectl
// watches and the one node agent it concerns with the same stored JSON, so building and
// UTF-8-encoding the line per watcher is wasted work. kube-apiserver's cacher does the
// same with cachingObject (k8s.io/apiserver pkg/storage/cacher/caching_object.go:
// "serialize the object once per encoding and share the result among watchers").
import type { StoreEvent } from '../../store/store.js';

export type FrameType = 'ADDED' | 'MODIFIED' | 'DELETED';

// Keyed by the shared StoreEvent, so a frame lives as long as the event does (the
// store's history or a watcher's queue); a watcher's own copy of an event (none today)
// would simply miss the cache.
const frames = new WeakMap<StoreEvent, Partial<Record<FrameType, Buffer>>>();

/** `{"type":TYPE,"object":<objectJson>}\n` as bytes, shared for (ev, type). */
export function eventFrame(ev: StoreEvent, type: FrameType, objectJson: string): Buffer {
  let byType = frames.get(ev);
  if (byType === undefined) {
    byType = {};
    frames.set(ev, byType);
  }
  let frame = byType[type];
  if (frame === undefined) {
    frame = Buffer.from(`{"type":"${type}","object":${objectJson}}\n`, 'utf8');
    byType[type] = frame;
  }
  return frame;
}
