// Watch responses: newline-delimited JSON events (`{"type":..,"object":..}\n`) over a
// chunked 200, as k8s.io/apiserver/pkg/endpoints/handlers/watch.go serves them with the
// semantics of the watch cache (storage/cacher):
// - resourceVersion unset or "0": a synthetic ADDED for every matching object first;
//   resourceVersion N: every change after N (replayed from history), or 410 Expired
//   when N was compacted;
// - selectors apply to events: a MODIFIED object that starts matching arrives as ADDED,
//   one that stops matching as DELETED (cacher.go watchCacheEvent filtering);
// - BOOKMARKs when allowWatchBookmarks=true, carrying a revision that overtakes no
//   undelivered event; sendInitialEvents=true ends the initial ADDEDs with a bookmark
//   annotated k8s.io/initial-events-end;
// - timeoutSeconds ends the stream; the client going away (res 'close') stops the watch.
// Headers are flushed at once: kubectl's informers cannot be stopped before a response
// starts (kubectl-contract.md §0.2).
import type { ServerResponse } from 'node:http';
import type { KubeObject } from '../../api/types/index.js';
import type { Clock, Timer } from '../../lib/clock.js';
import type { Store, StoreEvent, Watch, WatchTrigger } from '../../store/store.js';
import type { RestRegistry } from '../registry/rest-registry.js';
import { apiVersionOf, type ResourceInfo } from '../registry/resource-info.js';
import { toTable, type IncludeObject } from '../table/table-convert.js';
import { newBadRequest } from '../../api/errors.js';
import { eventFrame } from './watch-frame.js';

/** kube-apiserver sends a bookmark about once a minute (cacher.go bookmark frequency). */
export const DEFAULT_BOOKMARK_INTERVAL_MS = 60_000;
/** A watcher more than this far behind is dropped, as the cacher drops slow watchers. */
const MAX_BUFFERED_BYTES = 64 * 1024 * 1024;

export const INITIAL_EVENTS_END_ANNOTATION = 'k8s.io/initial-events-end';

export interface WatchRequest {
  info: ResourceInfo;
  namespace: string;
  /** Stored-form predicate (selectors). */
  filter?: (obj: KubeObject) => boolean;
  /** The store may skip events this trigger rules out (watch-trigger.ts); filter still applies. */
  trigger?: WatchTrigger;
  resourceVersion: string | null;
  allowBookmarks: boolean;
  sendInitialEvents?: boolean;
  timeoutSeconds?: number;
  table?: { version: 'v1' | 'v1beta1'; includeObject: IncludeObject };
}

export interface WatchDeps {
  store: Store;
  registry: RestRegistry;
  clock: Clock;
  bookmarkIntervalMs: number;
  /** Registers a stop function so the server can end every watch on close. */
  track(stop: () => void): () => void;
}

type EventType = 'ADDED' | 'MODIFIED' | 'DELETED';

/**
 * Starts the watch. Throws (before anything is written) for a bad or expired
 * resourceVersion, so the caller answers with a Status; resolves once the stream is open.
 */
export async function serveWatch(deps: WatchDeps, res: ServerResponse, w: WatchRequest): Promise<void> {
  const { registry } = deps;
  const { info } = w;
  const rvText = w.resourceVersion ?? '';
  let fromRevision: number;
  let initial: KubeObject[] = [];
  const wantsInitial = w.sendInitialEvents ?? (rvText === '' || rvText === '0');
  if (wantsInitial) {
    const list = await deps.store.list(registry.prefix(info, w.namespace));
    fromRevision = list.revision;
    initial = list.items;
  } else {
    const n = Number(rvText);
    if (!Number.isInteger(n) || n < 0) {
      throw newBadRequest(`invalid resource version: ${rvText}`);
    }
    fromRevision = n;
  }

  const served = (stored: KubeObject): KubeObject => registry.toServed(info, stored);
  const matches = (stored: KubeObject | undefined): boolean =>
    stored !== undefined && (w.filter === undefined || w.filter(stored));

  let firstTableEvent = true;
  let lastRevision = fromRevision;
  let ended = false;
  const timers: Timer[] = [];
  const queued: StoreEvent[] = [];
  let ready = false;

  // The lines of one turn of the event loop go out in one socket write (one TLS record
  // batch instead of one per event): the store hands a committed batch of up to 512
  // events to a watch at once. Node's docs suggest exactly this cork/nextTick pairing.
  let corked = false;
  const uncork = (): void => {
    corked = false;
    // end() has flushed everything already (OutgoingMessage.end uncorks fully).
    if (!ended) {
      res.uncork();
    }
  };
  const writeLine = (line: string | Buffer): void => {
    if (ended) {
      return;
    }
    if (!corked) {
      corked = true;
      res.cork();
      process.nextTick(uncork);
    }
    res.write(line);
    if (res.writableLength > MAX_BUFFERED_BYTES) {
      end();
    }
  };

  const writeEvent = (type: EventType, stored: KubeObject, ev?: StoreEvent): void => {
    if (w.table) {
      const t = toTable(info, [stored], [served(stored)], {
        version: w.table.version,
        nowMs: deps.clock.now(),
        includeObject: w.table.includeObject,
        resourceVersion: stored.metadata.resourceVersion,
        omitColumns: !firstTableEvent,
      });
      firstTableEvent = false;
      writeLine(`{"type":"${type}","object":${JSON.stringify(t)}}\n`);
      return;
    }
    if (ev?.objectJson !== undefined && !info.view) {
      writeLine(eventFrame(ev, type, ev.objectJson));
      return;
    }
    writeLine(`{"type":"${type}","object":${JSON.stringify(served(stored))}}\n`);
  };

  const writeBookmark = (revision: number, annotations?: Record<string, string>): void => {
    const metadata: Record<string, unknown> = { resourceVersion: String(revision) };
    if (annotations) {
      metadata.annotations = annotations;
    }
    writeLine(
      `${JSON.stringify({ type: 'BOOKMARK', object: { kind: info.kind, apiVersion: apiVersionOf(info), metadata } })}\n`,
    );
  };

  const deliver = (ev: StoreEvent): void => {
    lastRevision = ev.revision;
    if (ev.type === 'ADDED') {
      if (matches(ev.object)) {
        writeEvent('ADDED', ev.object, ev);
      }
    } else if (ev.type === 'DELETED') {
      if (matches(ev.object)) {
        writeEvent('DELETED', ev.object, ev);
      }
    } else {
      const now = matches(ev.object);
      // Without prevObject (no filter needs it) a MODIFIED stays a MODIFIED.
      const before = w.filter === undefined ? true : matches(ev.prevObject);
      if (now && before) {
        writeEvent('MODIFIED', ev.object, ev);
      } else if (now) {
        writeEvent('ADDED', ev.object, ev);
      } else if (before) {
        writeEvent('DELETED', ev.object, ev);
      }
    }
  };

  function end(): void {
    if (ended) {
      return;
    }
    ended = true;
    watch.stop();
    for (const t of timers) {
      t.cancel();
    }
    untrack();
    if (!res.writableEnded) {
      res.end();
    }
  }

  // Throws 410 Expired synchronously when fromRevision was compacted: nothing written yet.
  const watch: Watch = deps.store.watch(
    registry.prefix(info, w.namespace),
    { fromRevision, trigger: w.trigger },
    (ev) => {
      if (ended) {
        return;
      }
      if (!ready) {
        queued.push(ev);
        return;
      }
      deliver(ev);
    },
  );
  const untrack = deps.track(end);

  res.writeHead(200, {
    'Content-Type': 'application/json',
    'Cache-Control': 'no-cache, private',
    'Transfer-Encoding': 'chunked',
  });
  res.flushHeaders();
  res.on('close', end);

  for (const obj of initial) {
    if (matches(obj)) {
      writeEvent('ADDED', obj);
    }
  }
  if (w.sendInitialEvents && w.allowBookmarks) {
    writeBookmark(fromRevision, { [INITIAL_EVENTS_END_ANNOTATION]: 'true' });
  }
  ready = true;
  for (const ev of queued.splice(0)) {
    deliver(ev);
  }

  if (w.allowBookmarks && deps.bookmarkIntervalMs > 0) {
    const tick = (): void => {
      if (ended) {
        return;
      }
      const rev = watch.progressRevision?.() ?? lastRevision;
      if (rev > 0) {
        writeBookmark(Math.max(rev, lastRevision));
      }
      timers.push(deps.clock.setTimer(deps.bookmarkIntervalMs, tick));
    };
    timers.push(deps.clock.setTimer(deps.bookmarkIntervalMs, tick));
  }
  if (w.timeoutSeconds !== undefined && w.timeoutSeconds > 0) {
    timers.push(deps.clock.setTimer(w.timeoutSeconds * 1000, end));
  }
}
