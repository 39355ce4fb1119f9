// The storage seam (kine's Backend, k8s.io/apiserver storage.Interface, trimmed to
// what podbay needs). Only the apiserver uses a Store; every other component is an
// API client (ARCHITECTURE.md).
import type { KubeObject } from '../api/types/meta.js';

/**
 * Keys are `/<resource>/<namespace>/<name>` for namespaced objects and
 * `/<resource>/<name>` for cluster-scoped ones (resource = plural, with group
 * when not core: `/leases.coordination.k8s.io/kube-node-lease/n1`). A prefix
 * ends in `/` and selects every key under it.
 */
export type Key = string;

export type StoreEventType = 'ADDED' | 'MODIFIED' | 'DELETED';

/**
 * A change delivered to a watch. The event and its objects may be shared by every
 * watch the change concerns and frozen: copy an object before changing it.
 */
export interface StoreEvent {
  type: StoreEventType;
  key: Key;
  /** The object after the change; for DELETED, the last state with the deletion's revision. */
  object: KubeObject;
  /** The object before the change (MODIFIED and DELETED). */
  prevObject?: KubeObject;
  /** The revision of this change (= object.metadata.resourceVersion). */
  revision: number;
  /**
   * `object` as the JSON the store holds, when it has it: a watch server can write it
   * to the wire as is instead of serialising `object` again for every watcher.
   */
  objectJson?: string;
}

export interface ListOptions {
  /** Most items to return; 0 or undefined = all. */
  limit?: number;
  /** Opaque token from a previous page's `continue`. */
  continue?: string;
  /** Only items for which this returns true are returned (and counted against limit). */
  filter?: (obj: KubeObject) => boolean;
}

export interface ListResult {
  items: KubeObject[];
  /** The store revision the list reflects (a list's metadata.resourceVersion). */
  revision: number;
  /** Set when more items follow; pass back as ListOptions.continue. */
  continue?: string;
  /** Items left after this page (when known). */
  remainingItemCount?: number;
}

export interface WatchOptions {
  /**
   * Deliver every change with revision > fromRevision, in revision order. Events
   * between fromRevision and now are replayed from history first. If history
   * before fromRevision has been compacted, watch() throws a 410 Expired
   * StatusError (`too old resource version: <from> (<oldest>)`).
   */
  fromRevision: number;
  /**
   * A hint that this watch can only care about events whose object, or previous
   * object, has `value` under the named index: the store may skip every other event
   * (kube-apiserver's cacher "indexed triggers", k8s.io/apiserver pkg/storage/cacher/
   * cacher.go, registered for pods as spec.nodeName by pkg/registry/core/pod/storage
   * NodeNameTriggerFunc). A store that ignores it delivers every event, which is
   * also correct: the caller still applies its own filter.
   */
  trigger?: WatchTrigger;
}

/** An exact-match index value a watch is interested in (see WatchOptions.trigger). */
export interface WatchTrigger {
  /** The index name, e.g. `spec.nodeName`; every trigger with this name uses the same indexValue. */
  index: string;
  value: string;
  /** The index value of a stored object. */
  indexValue: (obj: KubeObject) => string;
}

/** A running watch. */
export interface Watch {
  /** Stops delivery; idempotent. After it returns no more events are delivered. */
  stop(): void;
  /**
   * The highest revision R such that every event of this watch with revision <= R has
   * already been passed to onEvent: the resourceVersion a BOOKMARK may carry without
   * overtaking an undelivered event. Optional: stores that cannot tell omit it.
   */
  progressRevision?(): number;
}

/**
 * The contract every store implements (see testing/conformance.ts):
 * - One revision counter for the whole store, strictly increasing by 1 per
 *   write; every stored object carries its revision as metadata.resourceVersion.
 * - Writes are atomic and, once their promise resolves, durable (sqlite: the
 *   transaction committed in WAL mode with synchronous=FULL or NORMAL+WAL).
 * - Watchers see events in revision order, none skipped, none twice.
 * - Methods may be called concurrently; each write is serialised.
 */
export interface Store {
  /** Stores obj at key if absent. Throws 409 AlreadyExists (resource/name from the key) if present. Returns the stored object with resourceVersion set. */
  create(key: Key, obj: KubeObject): Promise<KubeObject>;

  /** The object at key, or undefined. */
  get(key: Key): Promise<KubeObject | undefined>;

  /** Objects under prefix, sorted by key, with pagination and filtering. */
  list(prefix: Key, opts?: ListOptions): Promise<ListResult>;

  /**
   * Replaces the object at key. If expectedRevision is given and differs from
   * the stored one, throws 409 Conflict (OBJECT_MODIFIED_MSG). Throws 404
   * NotFound if absent. Returns the stored object with its new resourceVersion.
   */
  update(key: Key, obj: KubeObject, expectedRevision?: number): Promise<KubeObject>;

  /**
   * Removes the object at key (with a precondition like update). Returns the
   * last state, carrying the deletion's revision as resourceVersion. Throws 404
   * NotFound if absent.
   */
  delete(key: Key, expectedRevision?: number): Promise<KubeObject>;

  /** Watches keys under prefix (or the exact key when it does not end in `/`). */
  watch(prefix: Key, opts: WatchOptions, onEvent: (ev: StoreEvent) => void): Watch;

  /** The newest revision written (0 for an empty store). */
  currentRevision(): number;

  /** The oldest revision a watch may start from (history before it was compacted). */
  compactedRevision(): number;

  /** Forgets history at or below revision (deleted objects' tombstones, old versions). */
  compact(revision: number): Promise<void>;

  /** Releases resources; pending watches are stopped. */
  close(): Promise<void>;
}

/** Helper to build keys consistently. */
export function objectKey(resource: string, namespace: string | undefined, name: string): Key {
  return namespace ? `/${resource}/${namespace}/${name}` : `/${resource}/${name}`;
}

export function prefixKey(resource: string, namespace?: string): Key {
  return namespace ? `/${resource}/${namespace}/` : `/${resource}/`;
}
