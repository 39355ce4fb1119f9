// The embedded default Store: the MVCC rules of mvcc.ts over a SQLite log in WAL mode
// (ARCHITECTURE.md: data dir `state.db`). Only the apiserver opens it.
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { MvccStore, type MvccStoreOptions } from '../mvcc.js';
import { SqliteLog, type Synchronous } from './sqlite-log.js';

export interface SqliteStoreOptions extends MvccStoreOptions {
  /**
   * Durability of an acknowledged write (see Synchronous in sqlite-log.ts). Default
   * NORMAL: the Store contract asks that an acknowledged write survive kill -9 of the
   * process, which a WAL commit written with NORMAL does (test/store/crash-durability
   * .test.ts kills a writer mid-stream to prove it) at a sixth of FULL's cost; choose
   * FULL to also survive power loss, as etcd does by fsyncing every commit.
   */
  synchronous?: Synchronous;
}

export class SqliteStore extends MvccStore {
  private constructor(
    readonly path: string,
    private readonly sqlite: SqliteLog,
    opts: MvccStoreOptions,
  ) {
    super(sqlite, opts);
  }

  /**
   * SQLite's integrity check of the file (PRAGMA integrity_check): [] when sound. For
   * tests and diagnostics; it reads the whole file.
   */
  integrityCheck(): string[] {
    return this.sqlite.integrityCheck();
  }

  /**
   * Opens the store at path (creating the file and its directory if needed). A
   * reopened store continues its revision counter, and watches may start from any
   * revision at or after its compacted revision: history older than what is kept in
   * memory is replayed from the table.
   */
  static open(path: string, opts: SqliteStoreOptions = {}): SqliteStore {
    if (path !== ':memory:') {
      mkdirSync(dirname(path), { recursive: true });
    }
    const log = new SqliteLog(path, opts.synchronous ?? 'NORMAL');
    return new SqliteStore(path, log, opts);
  }
}
