// The Log in plain memory, for fast tests (STYLE.md: store/memory). Same rows, same
// compaction rule as the SQLite log, so both pass one conformance suite.
import { inRange } from '../key-range.js';
import type { KeyRange, Log, LogEvent, LogRow } from '../log.js';
import type { Key } from '../store.js';

export class MemoryLog implements Log {
  /** Every kept row, in revision order. */
  private rows: LogRow[] = [];
  /** Kept rows per key, oldest first. */
  private readonly byKey = new Map<Key, LogRow[]>();
  /** Keys of byKey, sorted. */
  private sortedKeys: Key[] = [];
  private current = 0;
  private compacted = 0;
  /** Rows appended by the running transaction (undone if it throws). */
  private txAppended: LogRow[] | undefined;

  currentRevision(): number {
    return this.current;
  }

  compactRevision(): number {
    return this.compacted;
  }

  latest(key: Key): LogRow | undefined {
    const versions = this.byKey.get(key);
    return versions?.[versions.length - 1];
  }

  transaction<T>(fn: () => T): T {
    if (this.txAppended) {
      return fn();
    }
    this.txAppended = [];
    const revisionBefore = this.current;
    try {
      return fn();
    } catch (err) {
      for (const row of this.txAppended.reverse()) {
        this.unappend(row);
      }
      this.current = revisionBefore;
      throw err;
    } finally {
      this.txAppended = undefined;
    }
  }

  append(row: LogRow): void {
    if (row.revision !== this.current + 1) {
      throw new Error(`memory log: append of revision ${row.revision} after ${this.current}`);
    }
    this.rows.push(row);
    let versions = this.byKey.get(row.key);
    if (!versions) {
      versions = [];
      this.byKey.set(row.key, versions);
      this.sortedKeys.splice(lowerBound(this.sortedKeys, row.key), 0, row.key);
    }
    versions.push(row);
    this.current = row.revision;
    this.txAppended?.push(row);
  }

  list(range: KeyRange, startKey: Key, revision: number, limit: number): LogRow[] {
    const out: LogRow[] = [];
    this.forLive(range, startKey, revision, (row) => {
      out.push(row);
      return limit === 0 || out.length < limit;
    });
    return out;
  }

  count(range: KeyRange, startKey: Key, revision: number): number {
    let n = 0;
    this.forLive(range, startKey, revision, () => {
      n++;
      return true;
    });
    return n;
  }

  after(range: KeyRange, afterRevision: number): LogEvent[] {
    const out: LogEvent[] = [];
    for (let i = this.firstAfter(afterRevision); i < this.rows.length; i++) {
      const row = this.rows[i]!;
      if (!inRange(range, row.key)) {
        continue;
      }
      const prev = row.prevRevision === 0 ? undefined : this.rowAt(row.prevRevision);
      out.push(prev ? { row, prevValue: prev.value } : { row });
    }
    return out;
  }

  compact(revision: number): void {
    const drop = new Set<LogRow>();
    for (const [key, versions] of this.byKey) {
      // The last version at or below revision supersedes every earlier one; it goes
      // too when it is a tombstone. Versions after revision stay.
      let j = -1;
      while (j + 1 < versions.length && versions[j + 1]!.revision <= revision) {
        j++;
      }
      if (j < 0) {
        continue;
      }
      const cut = versions[j]!.deleted ? j + 1 : j;
      for (let i = 0; i < cut; i++) {
        drop.add(versions[i]!);
      }
      if (cut === versions.length) {
        this.byKey.delete(key);
      } else if (cut > 0) {
        this.byKey.set(key, versions.slice(cut));
      }
    }
    if (drop.size > 0) {
      this.rows = this.rows.filter((r) => !drop.has(r));
      this.sortedKeys = this.sortedKeys.filter((k) => this.byKey.has(k));
    }
    this.compacted = Math.max(this.compacted, revision);
  }

  close(): void {
    // Nothing to release; the rows go with the object.
  }

  /** Calls visit with the live row of each key in range from startKey, as of revision, until it returns false. */
  private forLive(range: KeyRange, startKey: Key, revision: number, visit: (row: LogRow) => boolean): void {
    const from = startKey > range.start ? startKey : range.start;
    for (let i = lowerBound(this.sortedKeys, from); i < this.sortedKeys.length; i++) {
      const key = this.sortedKeys[i]!;
      if (key >= range.end) {
        return;
      }
      const versions = this.byKey.get(key)!;
      let v = versions.length - 1;
      while (v >= 0 && versions[v]!.revision > revision) {
        v--;
      }
      const row = versions[v];
      if (row && !row.deleted && !visit(row)) {
        return;
      }
    }
  }

  private firstAfter(revision: number): number {
    let lo = 0;
    let hi = this.rows.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.rows[mid]!.revision > revision) {
        hi = mid;
      } else {
        lo = mid + 1;
      }
    }
    return lo;
  }

  private rowAt(revision: number): LogRow | undefined {
    const i = this.firstAfter(revision - 1);
    const row = this.rows[i];
    return row?.revision === revision ? row : undefined;
  }

  private unappend(row: LogRow): void {
    this.rows.pop();
    const versions = this.byKey.get(row.key)!;
    versions.pop();
    if (versions.length === 0) {
      this.byKey.delete(row.key);
      this.sortedKeys.splice(lowerBound(this.sortedKeys, row.key), 1);
    }
  }
}

/** The first index of sorted whose element is >= key. */
function lowerBound(sorted: readonly Key[], key: Key): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid]! < key) {
      lo = mid + 1;
    } else {
      hi = mid;
    }
  }
  return lo;
}
