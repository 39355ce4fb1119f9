// The Log on SQLite through better-sqlite3 (synchronous, one connection, prepared
// statements). Queries follow kine's generic dialect (github.com/k3s-io/kine
// pkg/drivers/generic/generic.go): latest row per name as of a revision, rows after a
// revision for watch replay, and compaction that deletes superseded rows and tombstones.
import Database from 'better-sqlite3';
import type { KeyRange, Log, LogEvent, LogRow } from '../log.js';
import type { Key } from '../store.js';
import { SCHEMA, SCHEMA_VERSION } from './schema.js';

/**
 * PRAGMA synchronous in WAL mode (https://www.sqlite.org/pragma.html#pragma_synchronous):
 * - NORMAL: a commit has written its frames to the WAL file (write(2)) before it
 *   returns, so it survives kill -9 of the process (the kernel holds the pages); an OS
 *   crash or power loss can lose the last commits since the previous checkpoint, never
 *   consistency. Measured here: ~27 µs per single-row commit.
 * - FULL: additionally fsyncs the WAL on every commit, so commits also survive power
 *   loss; ~170 µs per commit on this machine's disk, more on slow disks, and the fsync
 *   blocks the event loop (better-sqlite3 is synchronous). Group commit (mvcc.ts)
 *   shares one fsync among the writes of a batch.
 */
export type Synchronous = 'NORMAL' | 'FULL';

interface SqlRow {
  id: number;
  name: string;
  created: number;
  deleted: number;
  create_revision: number;
  prev_revision: number;
  value: string;
}

interface SqlEventRow extends SqlRow {
  prev_value: string | null;
}

const COLUMNS = 'l.id, l.name, l.created, l.deleted, l.create_revision, l.prev_revision, l.value';

// The live state of a name range as of @rev: walk the (name, id) index, keep an entry
// when no newer entry of its name exists at or below @rev, and only then read its row.
// Measured against GROUP BY/MAX forms (kine's), this reads the fewest table rows when
// keys have several versions: 20k keys x 3 versions list in ~95 ms vs ~150-450 ms.
// The index entry m is the row's (name, id, deleted); l is the row itself.
const LIVE_AS_OF = `
  m.name >= @start AND m.name < @end AND m.id <= @rev AND m.deleted = 0
    AND NOT EXISTS (
      SELECT 1 FROM log n INDEXED BY log_name_id
      WHERE n.name = m.name AND n.id > m.id AND n.id <= @rev)`;

/** How long open waits for another process to release the file before failing. */
const OPEN_BUSY_TIMEOUT_MS = 1000;

export class SqliteLog implements Log {
  private readonly db: Database.Database;
  private current: number;
  private compacted: number;
  private readonly stmt: {
    begin: Database.Statement;
    commit: Database.Statement;
    rollback: Database.Statement;
    latest: Database.Statement<[string], SqlRow>;
    insert: Database.Statement<[number, string, number, number, number, number, string]>;
    list: Database.Statement<[{ start: string; end: string; rev: number; limit: number }], SqlRow>;
    count: Database.Statement<[{ start: string; end: string; rev: number }], { n: number }>;
    after: Database.Statement<[{ start: string; end: string; rev: number }], SqlEventRow>;
    compact: Database.Statement<[{ from: number; rev: number }]>;
    setCompact: Database.Statement<[number]>;
  };
  private inTx = false;

  /** Opens (creating if needed) the database file at path. */
  constructor(path: string, synchronous: Synchronous) {
    // A short busy timeout: the only contention is another process holding the file.
    this.db = new Database(path, { timeout: OPEN_BUSY_TIMEOUT_MS });
    try {
      // One process owns the file (the apiserver is the store's only user): exclusive
      // locking, taken by the first write below and held until close, makes a second
      // `podbay up` on the same data dir fail at open instead of forking revisions.
      // It also keeps the WAL index in process memory rather than a -shm file.
      this.db.pragma('locking_mode = EXCLUSIVE');
      // WAL: a commit appends frames to one file; readers never block the writer.
      const mode = this.db.pragma('journal_mode = WAL', { simple: true });
      if (mode !== 'wal' && path !== ':memory:') {
        throw new Error(`sqlite: could not enable WAL on ${path} (journal_mode=${String(mode)})`);
      }
      this.db.pragma(`synchronous = ${synchronous}`);
      const version = this.db.pragma('user_version', { simple: true }) as number;
      if (version > SCHEMA_VERSION) {
        throw new Error(`sqlite: ${path} has schema version ${version}, newer than this podbay (${SCHEMA_VERSION})`);
      }
      this.db.transaction(() => {
        for (const sql of SCHEMA) {
          this.db.exec(sql);
        }
        this.db.pragma(`user_version = ${SCHEMA_VERSION}`);
      })();
      this.stmt = {
        begin: this.db.prepare('BEGIN IMMEDIATE'),
        commit: this.db.prepare('COMMIT'),
        rollback: this.db.prepare('ROLLBACK'),
        latest: this.db.prepare<[string], SqlRow>(
          'SELECT id, name, created, deleted, create_revision, prev_revision, value FROM log WHERE name = ? ORDER BY id DESC LIMIT 1',
        ),
        insert: this.db.prepare(
          'INSERT INTO log (id, name, created, deleted, create_revision, prev_revision, value) VALUES (?, ?, ?, ?, ?, ?, ?)',
        ),
        list: this.db.prepare(
          `SELECT ${COLUMNS} FROM log m INDEXED BY log_name_id JOIN log l ON l.id = m.id
           WHERE ${LIVE_AS_OF} ORDER BY m.name LIMIT @limit`,
        ),
        count: this.db.prepare(`SELECT COUNT(*) AS n FROM log m INDEXED BY log_name_id WHERE ${LIVE_AS_OF}`),
        after: this.db.prepare(
          `SELECT ${COLUMNS}, p.value AS prev_value FROM log l LEFT JOIN log p ON p.id = l.prev_revision
           WHERE l.id > @rev AND l.name >= @start AND l.name < @end ORDER BY l.id`,
        ),
        // kine's compact query, limited to rows written since the last compaction
        // (earlier ones were handled then): a row goes when a row of its name at or
        // below @rev points back at it, and a tombstone at or below @rev goes.
        compact: this.db.prepare(
          `DELETE FROM log WHERE id IN (
             SELECT prev_revision FROM log WHERE id > @from AND id <= @rev AND prev_revision != 0
             UNION
             SELECT id FROM log WHERE id > @from AND id <= @rev AND deleted = 1)`,
        ),
        setCompact: this.db.prepare(
          `INSERT INTO meta (name, value) VALUES ('compact_revision', ?)
           ON CONFLICT (name) DO UPDATE SET value = excluded.value`,
        ),
      };
      this.compacted =
        this.db.prepare<[], { value: number }>(`SELECT value FROM meta WHERE name = 'compact_revision'`).get()?.value ??
        0;
      const maxId = this.db.prepare<[], { m: number | null }>('SELECT MAX(id) AS m FROM log').get()?.m ?? 0;
      // Compaction may have removed the newest row (a tombstone), so the revision
      // counter is the larger of the newest row and the compact revision.
      this.current = Math.max(maxId, this.compacted);
    } catch (err) {
      this.db.close();
      if (err instanceof Database.SqliteError && err.code === 'SQLITE_BUSY') {
        throw new Error(`sqlite: ${path} is in use by another process (${err.message})`);
      }
      throw err;
    }
  }

  currentRevision(): number {
    return this.current;
  }

  compactRevision(): number {
    return this.compacted;
  }

  latest(key: Key): LogRow | undefined {
    const r = this.stmt.latest.get(key);
    return r ? toRow(r) : undefined;
  }

  transaction<T>(fn: () => T): T {
    if (this.inTx) {
      return fn();
    }
    const revisionBefore = this.current;
    this.stmt.begin.run();
    this.inTx = true;
    try {
      const out = fn();
      this.stmt.commit.run();
      return out;
    } catch (err) {
      // SQLite rolls back by itself after some errors (e.g. SQLITE_FULL, IOERR).
      if (this.db.inTransaction) {
        this.stmt.rollback.run();
      }
      this.current = revisionBefore;
      throw err;
    } finally {
      this.inTx = false;
    }
  }

  append(row: LogRow): void {
    if (!this.inTx) {
      throw new Error('sqlite log: append outside a transaction');
    }
    if (row.revision !== this.current + 1) {
      throw new Error(`sqlite log: append of revision ${row.revision} after ${this.current}`);
    }
    this.stmt.insert.run(
      row.revision,
      row.key,
      row.created ? 1 : 0,
      row.deleted ? 1 : 0,
      row.createRevision,
      row.prevRevision,
      row.value,
    );
    this.current = row.revision;
  }

  list(range: KeyRange, startKey: Key, revision: number, limit: number): LogRow[] {
    const start = startKey > range.start ? startKey : range.start;
    return this.stmt.list.all({ start, end: range.end, rev: revision, limit: limit > 0 ? limit : -1 }).map(toRow);
  }

  count(range: KeyRange, startKey: Key, revision: number): number {
    const start = startKey > range.start ? startKey : range.start;
    return this.stmt.count.get({ start, end: range.end, rev: revision })?.n ?? 0;
  }

  after(range: KeyRange, afterRevision: number): LogEvent[] {
    return this.stmt.after.all({ start: range.start, end: range.end, rev: afterRevision }).map((r) => {
      const row = toRow(r);
      return r.prev_value === null ? { row } : { row, prevValue: r.prev_value };
    });
  }

  compact(revision: number): void {
    if (revision <= this.compacted) {
      return;
    }
    this.transaction(() => {
      this.stmt.compact.run({ from: this.compacted, rev: revision });
      this.stmt.setCompact.run(revision);
    });
    this.compacted = revision;
  }

  /** SQLite's own consistency check of the file: [] when sound, else its complaints. */
  integrityCheck(): string[] {
    const rows = this.db.pragma('integrity_check') as { integrity_check: string }[];
    return rows.map((r) => r.integrity_check).filter((msg) => msg !== 'ok');
  }

  close(): void {
    // Closing checkpoints the WAL into the main file (SQLite does it on last close).
    this.db.close();
  }
}

function toRow(r: SqlRow): LogRow {
  return {
    revision: r.id,
    key: r.name,
    created: r.created === 1,
    deleted: r.deleted === 1,
    createRevision: r.create_revision,
    prevRevision: r.prev_revision,
    value: r.value,
  };
}
