// The seam between the MVCC rules (mvcc.ts) and a backend that keeps rows: kine's
// logstructured.Log (github.com/k3s-io/kine pkg/logstructured/logstructured.go),
// made synchronous because both backends are (better-sqlite3 and plain memory), which
// lets one JavaScript turn validate, append and fan out a batch without interleaving.

import type { Key } from './store.js';

/**
 * One write in the log (kine's table row). The log holds every revision of every key
 * until compaction; the latest row of a key is its current state, or a tombstone.
 */
export interface LogRow {
  /** The store revision of this write (= the row id; strictly increasing by 1). */
  revision: number;
  key: Key;
  /** This write created the key (it was absent or tombstoned before). */
  created: boolean;
  /** This write deleted the key; value is the last state with this row's revision. */
  deleted: boolean;
  /** Revision of the row that last created the key (etcd's create_revision). */
  createRevision: number;
  /** Revision of the key's previous row, 0 when there was none (kine prev_revision). */
  prevRevision: number;
  /** The object as JSON, metadata.resourceVersion = String(revision). */
  value: string;
}

/** A row plus the value of its previous row, when still kept (for watch events' prevObject). */
export interface LogEvent {
  row: LogRow;
  prevValue?: string;
}

/** A key range: keys k with start <= k < end (UTF-16 order; keys are ASCII in practice). */
export interface KeyRange {
  start: Key;
  end: Key;
}

/**
 * A backend's rows. All methods are synchronous and called from one JavaScript thread
 * by MvccStore, which alone decides what to append (it checks preconditions first).
 */
export interface Log {
  /** The newest revision ever written (survives compaction and restart); 0 when empty. */
  currentRevision(): number;

  /** The revision the log was last compacted at (0 = never). */
  compactRevision(): number;

  /** The newest row of key, tombstones included (what kine's get(includeDeletes) returns). */
  latest(key: Key): LogRow | undefined;

  /**
   * Runs fn in one atomic transaction: either all rows fn appended are kept and durable
   * when this returns, or this throws and none are. Reads inside fn see fn's appends.
   */
  transaction<T>(fn: () => T): T;

  /** Appends a row (inside transaction); row.revision must be currentRevision() + 1. */
  append(row: LogRow): void;

  /**
   * The live (non-deleted) state of keys in range with key >= startKey, as of revision,
   * sorted by key, at most limit rows (0 = all).
   */
  list(range: KeyRange, startKey: Key, revision: number, limit: number): LogRow[];

  /** How many live keys in range with key >= startKey exist as of revision. */
  count(range: KeyRange, startKey: Key, revision: number): number;

  /** Rows in range with revision > afterRevision, in revision order (watch replay). */
  after(range: KeyRange, afterRevision: number): LogEvent[];

  /**
   * Forgets rows superseded by a later row of their key that is itself at or below
   * revision, and tombstones at or below revision (kine's compact query); records
   * revision as the compact revision. So the state as of any revision >= the compact
   * revision can still be listed, every row after it replayed with its previous value,
   * and the latest row of every live key is kept.
   */
  compact(revision: number): void;

  /** Releases the backend. */
  close(): void;
}
