// The Store rules over a Log: revisions, create-if-absent, update/delete preconditions,
// tombstones, snapshot listing with continue tokens, watch replay + fan-out, compaction
// bookkeeping. The shape is kine's (github.com/k3s-io/kine pkg/logstructured/
// logstructured.go): every write appends one row whose id is the new revision.
//
// Writes are group-committed. A write joins a queue; the queue is flushed in one Log
// transaction on the next turn of the event loop (setImmediate), so writes arriving
// together share one commit (and, with synchronous=FULL, one fsync):
//
//   create(a) ─┐
//   update(b) ─┼─ queue ──setImmediate──▶ BEGIN; check+append a; check+append b; COMMIT
//   delete(c) ─┘                                   │
//                  promises settle, watchers see a, b, c ◀── only after COMMIT returned
//
// A write whose precondition fails (409/404) is rejected alone and takes no revision;
// if the commit itself fails every write of the batch is rejected and nothing is
// published. No promise resolves before its row is committed, which is what makes an
// acknowledged write durable (sqlite-store.ts says how durable).
import {
  newAlreadyExists,
  newBadRequest,
  newConflict,
  newNotFound,
  newResourceExpired,
  OBJECT_MODIFIED_MSG,
} from '../api/errors.js';
import type { KubeObject } from '../api/types/meta.js';
import { type ContinuePoint, decodeContinue, encodeContinue } from './continue-token.js';
import { keyAfter, keyRange, resourceAndName } from './key-range.js';
import type { Log, LogEvent, LogRow } from './log.js';
import type { Key, ListOptions, ListResult, Store, StoreEvent, WatchOptions } from './store.js';
import { WatchHistory } from './watch-history.js';
import { type HubWatchHandle, WatchHub } from './watch-hub.js';

export interface MvccStoreOptions {
  /**
   * Events kept in memory for watch replay (default 4096). Older ones are replayed
   * from the Log until compacted. The apiserver's watch cache keeps 75 s of events
   * (k8s.io/apiserver pkg/storage/cacher/cacher.go DefaultEventFreshDuration = bookmark
   * frequency 1 min + 15 s) in 100..102400 slots; 4096 holds 75 s at ~55 writes/s in
   * ~16 MB of pod JSON, and the Log serves anything older.
   */
  historySize?: number;
}

export const DEFAULT_HISTORY_SIZE = 4096;

/**
 * How many rows a filtered paged list reads per Log query: the apiserver's etcd3 store
 * reads `limit` rows and doubles while a selector rejects them, up to 10000 (maxLimit
 * in k8s.io/apiserver pkg/storage/etcd3/store.go).
 */
const MAX_LIST_BATCH = 10_000;

/** Revisions compacted per Log transaction: ~5 ms each on SQLite (measured, 2 KB pods). */
const COMPACT_STEP_REVISIONS = 2000;

/**
 * Most writes committed in one transaction. A flush runs synchronously, so this bounds
 * how long one flush holds the event loop (~25 µs per write measured on SQLite with
 * synchronous=NORMAL: ~13 ms); the rest go in the next flush.
 */
const MAX_WRITE_BATCH = 512;

/** Prefixes whose live-key count is kept up to date (a bound against unbounded growth). */
const MAX_COUNTED_PREFIXES = 256;

// Messages of k8s.io/apiserver pkg/storage/etcd3/errors.go, used for a continue token
// whose snapshot has been compacted.
const INCONSISTENT_CONTINUE_MSG =
  'The provided continue parameter is too old to display a consistent list result. You can start a new list ' +
  'without the continue parameter, or use the continue token in this response to retrieve the remainder of the ' +
  'results. Continuing with the provided token results in an inconsistent list - objects that were created, ' +
  'modified, or deleted between the time the first chunk was returned and now may show up in the list.';

type WriteOp =
  | { kind: 'create'; key: Key; obj: KubeObject }
  | { kind: 'update'; key: Key; obj: KubeObject; expectedRevision: number | undefined }
  | { kind: 'delete'; key: Key; expectedRevision: number | undefined };

interface PendingWrite {
  op: WriteOp;
  resolve(obj: KubeObject): void;
  reject(err: unknown): void;
}

/** A closed store's answer to every call. */
export class StoreClosedError extends Error {
  constructor() {
    super('store is closed');
    this.name = 'StoreClosedError';
  }
}

/**
 * A Store over a Log (see store.ts for the contract). Subclasses pick the Log:
 * MemoryStore (memory/memory-store.ts) and SqliteStore (sqlite/sqlite-store.ts).
 */
export class MvccStore implements Store {
  private readonly history: WatchHistory;
  private readonly hub: WatchHub;
  private pending: PendingWrite[] = [];
  /**
   * Live keys under a list prefix at the current revision, for prefixes a paged list
   * has counted: kept by every committed create and delete, so the first page of a
   * list answers remainingItemCount without counting the range again (a COUNT over
   * 10,000 pods per `limit=1` list was ~7 % of a busy server's CPU).
   */
  private readonly liveCounts = new Map<Key, number>();
  private flushScheduled = false;
  private closed = false;

  protected constructor(
    private readonly log: Log,
    opts: MvccStoreOptions = {},
  ) {
    const rev = log.currentRevision();
    this.history = new WatchHistory(opts.historySize ?? DEFAULT_HISTORY_SIZE, rev);
    this.hub = new WatchHub(rev);
  }

  create(key: Key, obj: KubeObject): Promise<KubeObject> {
    return this.enqueue({ kind: 'create', key, obj });
  }

  update(key: Key, obj: KubeObject, expectedRevision?: number): Promise<KubeObject> {
    return this.enqueue({ kind: 'update', key, obj, expectedRevision });
  }

  delete(key: Key, expectedRevision?: number): Promise<KubeObject> {
    return this.enqueue({ kind: 'delete', key, expectedRevision });
  }

  async get(key: Key): Promise<KubeObject | undefined> {
    this.assertOpen();
    const row = this.log.latest(key);
    return row && !row.deleted ? (JSON.parse(row.value) as KubeObject) : undefined;
  }

  /**
   * Pages list one snapshot: the first page's revision travels in the continue token,
   * and each page lists the state as of it (etcd3 store.go GetList with the token's
   * revision). If that revision has been compacted meanwhile, the answer is 410 Expired
   * whose Status carries a token that continues from the same key at the latest state,
   * as etcd3 does (its "inconsistent continue").
   */
  async list(prefix: Key, opts: ListOptions = {}): Promise<ListResult> {
    this.assertOpen();
    const range = keyRange(prefix);
    const current = this.log.currentRevision();
    let revision = current;
    let start = range.start;
    let point: ContinuePoint | undefined;
    if (opts.continue !== undefined && opts.continue !== '') {
      point = decodeContinue(opts.continue, range);
      start = point.startKey;
      if (point.rev !== 0) {
        if (point.rev < this.log.compactRevision()) {
          const err = newResourceExpired(INCONSISTENT_CONTINUE_MSG);
          err.status.metadata.continue = encodeContinue({ rev: 0, startKey: point.startKey });
          throw err;
        }
        if (point.rev > current) {
          throw newBadRequest(`invalid continue token: revision ${point.rev} is newer than the store (${current})`);
        }
        revision = point.rev;
      }
    }
    const limit = opts.limit !== undefined && opts.limit > 0 ? Math.floor(opts.limit) : 0;
    const filter = opts.filter;
    if (limit === 0) {
      const items: KubeObject[] = [];
      for (const row of this.log.list(range, start, revision, 0)) {
        const obj = JSON.parse(row.value) as KubeObject;
        if (!filter || filter(obj)) {
          items.push(obj);
        }
      }
      return { items, revision };
    }

    // Without a filter, one extra row tells whether more follow; with one, read
    // growing batches until the page is full or the range is exhausted.
    let batch = filter ? Math.min(Math.max(limit, 100), MAX_LIST_BATCH) : limit + 1;
    const items: KubeObject[] = [];
    let cursor = start;
    let lastKey: Key | undefined;
    let more = false;
    scan: for (;;) {
      const rows = this.log.list(range, cursor, revision, batch);
      for (let i = 0; i < rows.length; i++) {
        const row = rows[i]!;
        const obj = JSON.parse(row.value) as KubeObject;
        lastKey = row.key;
        if (!filter || filter(obj)) {
          items.push(obj);
        }
        if (items.length === limit) {
          more =
            i < rows.length - 1 ||
            (rows.length === batch && this.log.list(range, keyAfter(row.key), revision, 1).length > 0);
          break scan;
        }
      }
      if (rows.length < batch || lastKey === undefined) {
        break;
      }
      cursor = keyAfter(lastKey);
      batch = Math.min(batch * 2, MAX_LIST_BATCH);
    }
    const result: ListResult = { items, revision };
    if (more && lastKey !== undefined) {
      const next: ContinuePoint = { rev: revision, startKey: keyAfter(lastKey) };
      // The apiserver reports remainingItemCount only when no selector filters the
      // list (etcd3 store.go: `if pred.Empty()`), since a count cannot apply one.
      // Within one snapshot the count only shrinks by each page, so it is counted once.
      if (!filter) {
        next.remaining =
          point?.remaining !== undefined && point.rev === revision
            ? point.remaining - items.length
            : point === undefined && revision === current && prefix.endsWith('/')
              ? // A first page at the current revision holds every live key before its
                // last one, so the rest is the prefix's live count minus the page.
                this.liveCount(prefix, current) - items.length
              : this.log.count(range, next.startKey, revision);
        result.remainingItemCount = next.remaining;
      }
      result.continue = encodeContinue(next);
    }
    return result;
  }

  /**
   * Replays from the in-memory history when it reaches back far enough, else from the
   * Log; below the compacted revision the answer is 410 Expired with the watch cache's
   * message (k8s.io/apiserver pkg/storage/cacher/watch_cache.go getAllEventsSinceLocked:
   * `too old resource version: %d (%d)`, the second number being the oldest revision a
   * watch may start from). Registration and replay happen in one synchronous step, so
   * no write can fall between them.
   */
  watch(prefix: Key, opts: WatchOptions, onEvent: (ev: StoreEvent) => void): HubWatchHandle {
    this.assertOpen();
    const from = opts.fromRevision;
    if (!Number.isSafeInteger(from) || from < 0) {
      throw newBadRequest(`invalid watch revision: ${String(from)}`);
    }
    const oldest = this.log.compactRevision();
    if (from < oldest) {
      throw newResourceExpired(`too old resource version: ${from} (${oldest})`);
    }
    const range = keyRange(prefix);
    const replay = from >= this.history.oldestFrom() ? this.history.since(from, range) : this.log.after(range, from);
    return this.hub.add(range, from, replay, onEvent, opts.trigger);
  }

  currentRevision(): number {
    return this.log.currentRevision();
  }

  compactedRevision(): number {
    return this.log.compactRevision();
  }

  /**
   * Compaction at or below the last one is a no-op; above the current revision it is
   * refused, as etcd refuses a future revision (mvcc.ErrFutureRev).
   */
  async compact(revision: number): Promise<void> {
    this.assertOpen();
    const current = this.log.currentRevision();
    if (revision > current) {
      throw newBadRequest(`cannot compact to revision ${revision}: the current revision is ${current}`);
    }
    // In steps, yielding to the event loop between them: one transaction over five
    // minutes of writes would hold the loop for a second (kine compacts in batches of
    // 1000 revisions, pkg/logstructured/sqllog/sql.go compactIter, for the same reason).
    // Every step is itself a valid compaction, so writes may run in between.
    for (;;) {
      const done = this.log.compactRevision();
      if (revision <= done) {
        return;
      }
      this.log.compact(Math.min(done + COMPACT_STEP_REVISIONS, revision));
      await new Promise<void>((resolve) => setImmediate(resolve));
      if (this.closed) {
        return;
      }
    }
  }

  /** Commits writes already queued, stops every watch, then closes the Log. */
  async close(): Promise<void> {
    if (this.closed) {
      return;
    }
    while (this.pending.length > 0) {
      this.flush();
    }
    this.closed = true;
    this.hub.stopAll();
    this.log.close();
  }

  /** Running watches (for tests and metrics). */
  watchCount(): number {
    return this.hub.size;
  }

  /** Live keys under prefix (ending in `/`) at the current revision. */
  private liveCount(prefix: Key, current: number): number {
    let n = this.liveCounts.get(prefix);
    if (n === undefined) {
      if (this.liveCounts.size >= MAX_COUNTED_PREFIXES) {
        this.liveCounts.clear();
      }
      const range = keyRange(prefix);
      n = this.log.count(range, range.start, current);
      this.liveCounts.set(prefix, n);
    }
    return n;
  }

  /** Keeps liveCounts right after a committed write. */
  private countWrite(row: LogRow): void {
    const delta = row.created ? 1 : row.deleted ? -1 : 0;
    if (delta === 0 || this.liveCounts.size === 0) {
      return;
    }
    for (const [prefix, n] of this.liveCounts) {
      if (row.key.startsWith(prefix)) {
        this.liveCounts.set(prefix, n + delta);
      }
    }
  }

  private assertOpen(): void {
    if (this.closed) {
      throw new StoreClosedError();
    }
  }

  private enqueue(op: WriteOp): Promise<KubeObject> {
    if (this.closed) {
      return Promise.reject(new StoreClosedError());
    }
    return new Promise<KubeObject>((resolve, reject) => {
      this.pending.push({ op, resolve, reject });
      this.scheduleFlush();
    });
  }

  private scheduleFlush(): void {
    if (!this.flushScheduled) {
      this.flushScheduled = true;
      setImmediate(() => this.flush());
    }
  }

  private flush(): void {
    this.flushScheduled = false;
    if (this.pending.length === 0) {
      return;
    }
    const batch = this.pending.splice(0, MAX_WRITE_BATCH);
    if (this.pending.length > 0) {
      this.scheduleFlush();
    }
    const outcomes: (LogEvent | Error)[] = [];
    try {
      this.log.transaction(() => {
        for (const w of batch) {
          outcomes.push(this.apply(w.op));
        }
      });
    } catch (err) {
      for (const w of batch) {
        w.reject(err);
      }
      return;
    }
    // Committed: publish in revision order, then settle.
    for (let i = 0; i < batch.length; i++) {
      const outcome = outcomes[i]!;
      if (outcome instanceof Error) {
        batch[i]!.reject(outcome);
        continue;
      }
      this.history.push(outcome);
      this.countWrite(outcome.row);
      this.hub.publish(outcome);
      batch[i]!.resolve(JSON.parse(outcome.row.value) as KubeObject);
    }
  }

  /**
   * Checks one write against the key's latest row and appends it. A failed check (or
   * an object that cannot be serialised) is returned, not thrown, so it fails alone and
   * the batch goes on; an error from the Log itself is thrown and aborts the batch,
   * since the backend may have rolled the transaction back already.
   */
  private apply(op: WriteOp): LogEvent | Error {
    let ev: LogEvent;
    try {
      ev = this.prepare(op);
    } catch (err) {
      return err instanceof Error ? err : new Error(String(err));
    }
    this.log.append(ev.row);
    return ev;
  }

  private prepare(op: WriteOp): LogEvent {
    const latest = this.log.latest(op.key);
    const live = latest !== undefined && !latest.deleted ? latest : undefined;
    const { resource, name } = resourceAndName(op.key);
    const revision = this.log.currentRevision() + 1;
    if (op.kind === 'create') {
      if (live) {
        throw newAlreadyExists(resource, name);
      }
      const row: LogRow = {
        revision,
        key: op.key,
        created: true,
        deleted: false,
        createRevision: revision,
        prevRevision: latest?.revision ?? 0,
        value: serialize(op.obj, revision),
      };
      return { row };
    }
    if (!live) {
      throw newNotFound(resource, name);
    }
    if (op.expectedRevision !== undefined && op.expectedRevision !== live.revision) {
      throw newConflict(resource, name, OBJECT_MODIFIED_MSG);
    }
    const row: LogRow = {
      revision,
      key: op.key,
      created: false,
      deleted: op.kind === 'delete',
      createRevision: live.createRevision,
      prevRevision: live.revision,
      // A tombstone keeps the last state, stamped with the deletion's revision.
      value: serialize(op.kind === 'update' ? op.obj : (JSON.parse(live.value) as KubeObject), revision),
    };
    return { row, prevValue: live.value };
  }
}

/** The stored JSON of obj at revision: a copy whose metadata.resourceVersion is the revision. */
function serialize(obj: KubeObject, revision: number): string {
  return JSON.stringify({ ...obj, metadata: { ...obj.metadata, resourceVersion: String(revision) } });
}
