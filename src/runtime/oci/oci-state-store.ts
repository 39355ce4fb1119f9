// The runtime's own records of sandboxes and containers, one JSON file each
// under <dataDir>/run/oci/{sandboxes,containers}/<id>.json, so a restarted
// agent (OciRuntime.open) finds what it created. Writes are atomic
// (write + rename): a crash leaves the old or the new record, never half.
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export class OciStateStore<T extends { id: string }> {
  constructor(readonly dir: string) {
    mkdirSync(dir, { recursive: true });
  }

  loadAll(): T[] {
    const out: T[] = [];
    for (const name of readdirSync(this.dir)) {
      if (!name.endsWith('.json')) {
        continue;
      }
      try {
        out.push(JSON.parse(readFileSync(join(this.dir, name), 'utf8')) as T);
      } catch {
        // a torn temp file or foreign file: ignore
      }
    }
    return out;
  }

  save(record: T): void {
    const path = join(this.dir, `${record.id}.json`);
    const tmp = `${path}.tmp`;
    writeFileSync(tmp, JSON.stringify(record));
    renameSync(tmp, path);
  }

  delete(id: string): void {
    rmSync(join(this.dir, `${id}.json`), { force: true });
  }
}
