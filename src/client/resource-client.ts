// The typed verbs on one resource (client-go typed clients + rest.Request), over HttpTransport.
import { StatusError, isStatusError } from '../api/errors.js';
import type { DeleteOptions, KubeList, KubeObject, Status, WatchEvent } from '../api/types/index.js';
import type { HttpTransport, Query } from './http-transport.js';
import { apiVersionOf, resourcePath } from './resources.js';
import type { ResourceDescriptor } from './resources.js';

export interface ListOptions {
  labelSelector?: string;
  fieldSelector?: string;
  /** Page size; the answer's metadata.continue fetches the next page. */
  limit?: number;
  continue?: string;
  resourceVersion?: string;
  resourceVersionMatch?: 'Exact' | 'NotOlderThan';
}

export interface WatchOptions {
  labelSelector?: string;
  fieldSelector?: string;
  /** Start after this revision; '' or '0' asks for synthetic ADDED events for every current object. */
  resourceVersion?: string;
  allowWatchBookmarks?: boolean;
  timeoutSeconds?: number;
  /** Aborts the request, also while it still waits for the answer's headers. */
  signal?: AbortSignal;
}

/**
 * - merge: `application/merge-patch+json` (RFC 7386)
 * - strategic: `application/strategic-merge-patch+json` (lists merged by key, e.g. conditions by type)
 * - json: `application/json-patch+json` (RFC 6902, an array of operations)
 * - apply: `application/apply-patch+yaml` (server-side apply; needs fieldManager)
 */
export type PatchType = 'merge' | 'strategic' | 'json' | 'apply';

const PATCH_CONTENT_TYPE: Record<PatchType, string> = {
  merge: 'application/merge-patch+json',
  strategic: 'application/strategic-merge-patch+json',
  json: 'application/json-patch+json',
  apply: 'application/apply-patch+yaml',
};

export interface PatchOptions {
  /** Required by apply; recorded in managedFields otherwise. */
  fieldManager?: string;
  /** apply only: take ownership of conflicting fields. */
  force?: boolean;
  /** Patch a subresource (`status`) instead of the main object. */
  subresource?: 'status';
}

export interface WriteOptions {
  fieldManager?: string;
  dryRun?: boolean;
}

/** One open watch: its events in order, until the server ends it or stop() is called. */
export interface WatchStream<T extends KubeObject> {
  /** Ends with an error for a dropped connection or an in-stream ERROR event (StatusError). */
  events: AsyncIterable<WatchEvent<T>>;
  stop: () => void;
}

function listQuery(o: ListOptions | undefined): Query {
  return {
    labelSelector: o?.labelSelector,
    fieldSelector: o?.fieldSelector,
    limit: o?.limit,
    continue: o?.continue,
    resourceVersion: o?.resourceVersion,
    resourceVersionMatch: o?.resourceVersionMatch,
  };
}

/** Turns an in-stream `{"type":"ERROR","object":<Status>}` into the error it reports. */
function errorFromWatchEvent(ev: WatchEvent<unknown>): StatusError {
  const st = ev.object as Partial<Status>;
  return new StatusError({
    kind: 'Status',
    apiVersion: 'v1',
    metadata: {},
    status: 'Failure',
    message: st.message ?? 'watch error',
    reason: st.reason ?? 'InternalError',
    code: st.code ?? 500,
    ...(st.details ? { details: st.details } : {}),
  });
}

/** True for the answers that mean "your resourceVersion is too old; list again" (HTTP 410). */
export function isExpired(e: unknown): boolean {
  return isStatusError(e) && (e.code === 410 || e.reason === 'Expired' || e.reason === 'Gone');
}

/**
 * Verbs on one resource. `namespace` is ignored for cluster-scoped resources; for
 * namespaced ones, `undefined` on list/watch means all namespaces.
 */
export class ResourceClient<T extends KubeObject> {
  constructor(
    readonly transport: HttpTransport,
    readonly resource: ResourceDescriptor<T>,
  ) {}

  get(namespace: string | undefined, name: string): Promise<T> {
    return this.transport.request<T>('GET', resourcePath(this.resource, namespace, name));
  }

  /** One page (or everything when no limit is given). */
  list(namespace?: string, opts?: ListOptions): Promise<KubeList<T>> {
    return this.transport.request<KubeList<T>>('GET', resourcePath(this.resource, namespace), {
      query: listQuery(opts),
    });
  }

  /** Every page of a list, following `continue`; the resourceVersion is the first page's. */
  async listAll(namespace?: string, opts?: Omit<ListOptions, 'continue'>): Promise<KubeList<T>> {
    const first = await this.list(namespace, opts);
    const items = [...first.items];
    let cont = first.metadata.continue;
    while (cont) {
      const page = await this.list(namespace, { ...opts, continue: cont });
      items.push(...page.items);
      cont = page.metadata.continue;
    }
    return { ...first, metadata: { resourceVersion: first.metadata.resourceVersion }, items };
  }

  create(namespace: string | undefined, obj: T, opts?: WriteOptions): Promise<T> {
    return this.transport.request<T>('POST', resourcePath(this.resource, namespace), {
      body: this.withTypeMeta(obj),
      query: { fieldManager: opts?.fieldManager, dryRun: opts?.dryRun ? 'All' : undefined },
    });
  }

  /** PUT: optimistic concurrency on obj.metadata.resourceVersion (409 Conflict when stale). */
  update(obj: T, opts?: WriteOptions): Promise<T> {
    return this.transport.request<T>('PUT', resourcePath(this.resource, obj.metadata.namespace, this.nameOf(obj)), {
      body: this.withTypeMeta(obj),
      query: { fieldManager: opts?.fieldManager, dryRun: opts?.dryRun ? 'All' : undefined },
    });
  }

  /** PUT on /status: only the status of obj is taken; resourceVersion is checked as for update. */
  updateStatus(obj: T, opts?: WriteOptions): Promise<T> {
    return this.transport.request<T>(
      'PUT',
      resourcePath(this.resource, obj.metadata.namespace, this.nameOf(obj), 'status'),
      { body: this.withTypeMeta(obj), query: { fieldManager: opts?.fieldManager } },
    );
  }

  patch(namespace: string | undefined, name: string, type: PatchType, patch: unknown, opts?: PatchOptions): Promise<T> {
    if (type === 'apply' && !opts?.fieldManager) {
      // The apiserver rejects apply without a manager (fieldManager is required for apply patch).
      throw new Error('apply patch needs a fieldManager');
    }
    return this.transport.request<T>('PATCH', resourcePath(this.resource, namespace, name, opts?.subresource), {
      body: patch,
      contentType: PATCH_CONTENT_TYPE[type],
      query: {
        fieldManager: opts?.fieldManager,
        force: type === 'apply' && opts?.force !== undefined ? opts.force : undefined,
      },
    });
  }

  /**
   * DELETE with DeleteOptions in the body (as kubectl and client-go send them). Answers
   * the object (graceful deletion in progress) or a Status (gone at once).
   */
  delete(
    namespace: string | undefined,
    name: string,
    opts?: Omit<DeleteOptions, 'kind' | 'apiVersion'>,
  ): Promise<T | Status> {
    return this.transport.request<T | Status>('DELETE', resourcePath(this.resource, namespace, name), {
      body: opts ? { kind: 'DeleteOptions', apiVersion: 'v1', ...opts } : undefined,
    });
  }

  /** POST a subresource (pods/binding, pods/eviction). */
  createSubresource<B extends object, R = Status>(
    namespace: string | undefined,
    name: string,
    subresource: string,
    body: B,
  ): Promise<R> {
    return this.transport.request<R>('POST', resourcePath(this.resource, namespace, name, subresource), { body });
  }

  /**
   * One watch request (no resume: see RetryWatcher). An HTTP 410 rejects here; an
   * in-stream ERROR event ends `events` with its StatusError.
   */
  async watch(namespace: string | undefined, opts: WatchOptions = {}): Promise<WatchStream<T>> {
    const ac = new AbortController();
    opts.signal?.addEventListener('abort', () => ac.abort(), { once: true });
    if (opts.signal?.aborted) {
      ac.abort();
    }
    const s = await this.transport.stream(resourcePath(this.resource, namespace), {
      signal: ac.signal,
      query: {
        watch: true,
        resourceVersion: opts.resourceVersion,
        allowWatchBookmarks: opts.allowWatchBookmarks ? true : undefined,
        labelSelector: opts.labelSelector,
        fieldSelector: opts.fieldSelector,
        timeoutSeconds: opts.timeoutSeconds,
      },
    });
    let stopped = false;
    async function* events(): AsyncGenerator<WatchEvent<T>> {
      try {
        for await (const line of s.lines) {
          let ev: WatchEvent<T>;
          try {
            ev = JSON.parse(line) as WatchEvent<T>;
          } catch {
            // client-go's decoder would fail the watch; skipping matches client-node and is harmless.
            continue;
          }
          if (ev.type === 'ERROR') {
            throw errorFromWatchEvent(ev);
          }
          yield ev;
        }
      } catch (e) {
        if (!stopped) {
          throw e;
        }
      } finally {
        s.close();
      }
    }
    return {
      events: events(),
      stop: () => {
        stopped = true;
        ac.abort();
        s.close();
      },
    };
  }

  private nameOf(obj: T): string {
    const name = obj.metadata.name;
    if (!name) {
      throw new Error(`${this.resource.kind} has no metadata.name`);
    }
    return name;
  }

  private withTypeMeta(obj: T): T {
    return { ...obj, apiVersion: obj.apiVersion ?? apiVersionOf(this.resource), kind: obj.kind ?? this.resource.kind };
  }
}
