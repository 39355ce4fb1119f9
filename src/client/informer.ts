// List + watch into a local cache with change handlers: client-go's reflector +
// DeltaFIFO + Indexer (tools/cache/reflector.go, shared_informer.go), trimmed:
// no resync (podbay's loops are level-driven from their own timers), one goroutine-like
// loop, handlers called in revision order on the event loop.
//
//   start ──► LIST (paged) ──► replace cache, fire add/update/delete for the diff
//               ▲                 │
//               │ 410 Expired     ▼
//               └──────────── WATCH from list RV (RetryWatcher: resumes after drops)
import type { KubeObject, WatchEvent } from '../api/types/index.js';
import type { Clock, Timer } from '../lib/clock.js';
import type { ResourceClient } from './resource-client.js';
import { RetryWatcher } from './retry-watcher.js';

export interface InformerHandlers<T extends KubeObject> {
  onAdd?(obj: T): void;
  onUpdate?(oldObj: T, newObj: T): void;
  /** obj is the last state seen (after a re-list, possibly older than the real final state). */
  onDelete?(obj: T): void;
}

export interface InformerOptions<T extends KubeObject = KubeObject> {
  /** Watch one namespace; default all. */
  namespace?: string;
  labelSelector?: string;
  fieldSelector?: string;
  clock: Clock;
  /** Page size of the initial list; client-go's reflector uses 500. */
  pageSize?: number;
  /** Wait before retrying a failed list; doubles up to 30 s. */
  initialBackoffMs?: number;
  /** Called when a list or watch fails (the informer retries by itself). */
  onError?: (e: unknown) => void;
  /**
   * Applied to every object before it enters the cache and reaches the handlers
   * (client-go SharedInformer.SetTransform), e.g. stripManagedFields.
   */
  transform?: (obj: T) => T;
}

/** `namespace/name`, or `name` for cluster-scoped objects (cache.MetaNamespaceKeyFunc). */
export function objectKey(obj: KubeObject): string {
  const ns = obj.metadata.namespace;
  return ns ? `${ns}/${obj.metadata.name ?? ''}` : (obj.metadata.name ?? '');
}

/**
 * A transform that drops metadata.managedFields: kube-controller-manager trims them
 * from every shared informer "for memory efficiency" (cmd/kube-controller-manager/app/
 * controllermanager.go CreateControllerContext, informers.WithTransform(trim)); nothing
 * that reads a cache needs them, and an update sent without them keeps the stored
 * ones. Returns obj itself when it has none.
 */
export function stripManagedFields<T extends KubeObject>(obj: T): T {
  if (obj.metadata.managedFields === undefined) {
    return obj;
  }
  const { managedFields: _dropped, ...metadata } = obj.metadata;
  return { ...obj, metadata };
}

export class Informer<T extends KubeObject> {
  private readonly cache = new Map<string, T>();
  private readonly handlers: InformerHandlers<T>[] = [];
  private watcher: RetryWatcher<T> | undefined;
  private stopped = false;
  private started = false;
  private synced = false;
  private syncWaiters: (() => void)[] = [];
  private timer: Timer | undefined;
  private rv = '';

  constructor(
    private readonly rc: ResourceClient<T>,
    private readonly opts: InformerOptions<T>,
  ) {}

  /**
   * Handlers added after start() first get onAdd for every cached object (as client-go
   * does). Returns a function that removes them.
   */
  addHandlers(h: InformerHandlers<T>): () => void {
    this.handlers.push(h);
    if (this.synced) {
      for (const o of this.cache.values()) {
        this.call(() => h.onAdd?.(o));
      }
    }
    return () => {
      const i = this.handlers.indexOf(h);
      if (i >= 0) {
        this.handlers.splice(i, 1);
      }
    };
  }

  /** Starts listing and watching; resolves once the first list is in the cache. */
  start(): Promise<void> {
    if (!this.started) {
      this.started = true;
      void this.relist(this.opts.initialBackoffMs ?? 500);
    }
    return this.waitForSync();
  }

  /** Stops the watch; the cache keeps its last contents. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.timer?.cancel();
    await this.watcher?.stop();
    for (const w of this.syncWaiters.splice(0)) {
      w();
    }
  }

  hasSynced(): boolean {
    return this.synced;
  }

  waitForSync(): Promise<void> {
    if (this.synced || this.stopped) {
      return Promise.resolve();
    }
    return new Promise((resolve) => this.syncWaiters.push(resolve));
  }

  /** The newest resourceVersion the cache reflects. */
  get resourceVersion(): string {
    return this.watcher?.resourceVersion ?? this.rv;
  }

  get(namespace: string | undefined, name: string): T | undefined {
    return this.cache.get(namespace ? `${namespace}/${name}` : name);
  }

  getByKey(key: string): T | undefined {
    return this.cache.get(key);
  }

  list(): T[] {
    return [...this.cache.values()];
  }

  get size(): number {
    return this.cache.size;
  }

  private async relist(backoffMs: number): Promise<void> {
    if (this.stopped) {
      return;
    }
    let list;
    try {
      list = await this.rc.listAll(this.opts.namespace, {
        labelSelector: this.opts.labelSelector,
        fieldSelector: this.opts.fieldSelector,
        limit: this.opts.pageSize ?? 500,
      });
    } catch (e) {
      if (this.stopped) {
        return;
      }
      this.opts.onError?.(e);
      this.timer = this.opts.clock.setTimer(backoffMs, () => void this.relist(Math.min(backoffMs * 2, 30_000)));
      return;
    }
    if (this.stopped) {
      return;
    }
    this.replace(list.items);
    this.rv = list.metadata.resourceVersion ?? '';
    this.synced = true;
    for (const w of this.syncWaiters.splice(0)) {
      w();
    }
    this.watcher = new RetryWatcher(
      this.rc,
      {
        namespace: this.opts.namespace,
        labelSelector: this.opts.labelSelector,
        fieldSelector: this.opts.fieldSelector,
        resourceVersion: this.rv,
        clock: this.opts.clock,
        initialBackoffMs: this.opts.initialBackoffMs,
      },
      {
        onEvent: (ev) => this.apply(ev),
        onExpired: () => void this.relist(this.opts.initialBackoffMs ?? 500),
        onError: (e) => this.opts.onError?.(e),
      },
    );
  }

  /** DeltaFIFO.Replace: the new list is the truth; diff it against the cache. */
  private replace(items: T[]): void {
    const seen = new Set<string>();
    const transform = this.opts.transform;
    for (const item of items) {
      const o = transform ? transform(item) : item;
      const k = objectKey(o);
      seen.add(k);
      const old = this.cache.get(k);
      this.cache.set(k, o);
      if (!old) {
        this.fire((h) => h.onAdd?.(o));
      } else if (old.metadata.resourceVersion !== o.metadata.resourceVersion) {
        this.fire((h) => h.onUpdate?.(old, o));
      }
    }
    for (const [k, old] of [...this.cache]) {
      if (!seen.has(k)) {
        this.cache.delete(k);
        this.fire((h) => h.onDelete?.(old));
      }
    }
  }

  private apply(ev: WatchEvent<T>): void {
    const o = this.opts.transform ? this.opts.transform(ev.object) : ev.object;
    const k = objectKey(o);
    const old = this.cache.get(k);
    switch (ev.type) {
      case 'ADDED':
      case 'MODIFIED':
        this.cache.set(k, o);
        if (old) {
          this.fire((h) => h.onUpdate?.(old, o));
        } else {
          this.fire((h) => h.onAdd?.(o));
        }
        break;
      case 'DELETED':
        this.cache.delete(k);
        this.fire((h) => h.onDelete?.(o));
        break;
      default:
        break;
    }
  }

  private fire(f: (h: InformerHandlers<T>) => void): void {
    for (const h of this.handlers) {
      this.call(() => f(h));
    }
  }

  private call(f: () => void): void {
    try {
      f();
    } catch (e) {
      // A failing handler must not stop the informer or starve the others.
      this.opts.onError?.(e);
    }
  }
}
