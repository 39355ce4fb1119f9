// An acknowledged write survives kill -9 of the process (Store contract, issue 2 §3).
//
// The test re-runs this same file as a child with `--crash-writer <db> <sync>`: the
// child opens a SqliteStore and writes as fast as it can (16 writes in flight, so group
// commit is exercised), printing a line for each write only after its promise resolved.
// The parent SIGKILLs it mid-stream, reopens the file, and checks that every printed
// write is there and that the log is whole.
//
//   parent ──spawn──▶ child: create/update … ─ack─▶ stdout "C key rv" / "U key rv"
//     │ reads ≥ 20000 lines                                   (sync pipe write)
//     └──SIGKILL──▶ child dies with writes in flight
//   parent: reopen, every line's write present, revisions 1..current with no gap
import * as assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, test } from 'node:test';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import type { Synchronous } from '../../src/store/sqlite/sqlite-log.js';
import type { StoreEvent } from '../../src/store/store.js';

const HOT_KEY = '/configmaps/default/hot';
const IN_FLIGHT = 16;
const KILL_AFTER_LINES = 20_000;

if (process.argv[2] === '--crash-writer') {
  await runWriter(process.argv[3]!, process.argv[4] as Synchronous);
} else {
  describeCrashTests();
}

/** The child: writes until killed; one stdout line per acknowledged write. */
async function runWriter(path: string, synchronous: Synchronous): Promise<void> {
  const store = SqliteStore.open(path, { synchronous });
  let hot = await store.create(HOT_KEY, { metadata: { name: 'hot', namespace: 'default' }, data: { n: '0' } } as never);
  process.stdout.write(`C ${HOT_KEY} ${hot.metadata.resourceVersion}\n`);
  let next = 0;
  const worker = async (): Promise<void> => {
    for (;;) {
      const i = next++;
      if (i % 4 === 3) {
        // Updates of one hot key, conditional on the last acknowledged revision; a
        // conflict with another worker is fine (not acknowledged, not printed).
        try {
          hot = await store.update(
            HOT_KEY,
            { ...hot, data: { n: String(i) } } as never,
            Number(hot.metadata.resourceVersion),
          );
          process.stdout.write(`U ${HOT_KEY} ${hot.metadata.resourceVersion}\n`);
        } catch {
          hot = (await store.get(HOT_KEY))!;
        }
        continue;
      }
      const key = `/pods/default/p${i}`;
      const out = await store.create(key, {
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: { name: `p${i}`, namespace: 'default', labels: { app: 'crash' } },
        spec: { containers: [{ name: 'c', image: 'busybox' }] },
      } as never);
      process.stdout.write(`C ${key} ${out.metadata.resourceVersion}\n`);
    }
  };
  await Promise.all(Array.from({ length: IN_FLIGHT }, worker));
}

interface Ack {
  op: 'C' | 'U';
  key: string;
  revision: number;
}

/** Starts the child, collects its acknowledgements, SIGKILLs it after enough of them. */
function writeUntilKilled(path: string, synchronous: Synchronous): Promise<Ack[]> {
  return new Promise((resolve, reject) => {
    const self = fileURLToPath(import.meta.url);
    const child = spawn(process.execPath, [self, '--crash-writer', path, synchronous], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const acks: Ack[] = [];
    let buffered = '';
    let stderr = '';
    let killed = false;
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
    });
    child.stdout.on('data', (d: Buffer) => {
      buffered += d.toString();
      const lines = buffered.split('\n');
      buffered = lines.pop()!;
      for (const line of lines) {
        const [op, key, rev] = line.split(' ');
        acks.push({ op: op as Ack['op'], key: key!, revision: Number(rev) });
      }
      if (!killed && acks.length >= KILL_AFTER_LINES) {
        killed = true;
        child.kill('SIGKILL');
      }
    });
    child.on('error', reject);
    // 'close' fires after stdout is drained, so every line the child wrote is counted.
    child.on('close', (code, signal) => {
      if (signal !== 'SIGKILL') {
        reject(new Error(`writer exited by itself (code ${code}, signal ${signal}): ${stderr}`));
        return;
      }
      resolve(acks);
    });
  });
}

function describeCrashTests(): void {
  describe('SqliteStore crash durability', () => {
    for (const synchronous of ['NORMAL', 'FULL'] as const) {
      test(
        `every write acknowledged before kill -9 is in the reopened store (synchronous=${synchronous})`,
        {
          timeout: 60_000,
        },
        async () => {
          const dir = mkdtempSync(join(tmpdir(), 'podbay-crash-'));
          try {
            const path = join(dir, 'state.db');
            const acks = await writeUntilKilled(path, synchronous);
            assert.ok(acks.length >= KILL_AFTER_LINES, `only ${acks.length} acknowledgements`);

            const store = SqliteStore.open(path, { synchronous });
            try {
              // The file is a sound SQLite database after the crash.
              assert.deepEqual(store.integrityCheck(), []);
              const maxAck = Math.max(...acks.map((a) => a.revision));
              assert.ok(store.currentRevision() >= maxAck, `revision ${store.currentRevision()} < acked ${maxAck}`);

              // Every acknowledged create is there with the revision it was acknowledged at
              // (nothing else writes those keys).
              for (const ack of acks.filter((a) => a.op === 'C' && a.key !== HOT_KEY)) {
                const got = await store.get(ack.key);
                assert.ok(got, `acknowledged ${ack.key}@${ack.revision} is missing`);
                assert.equal(Number(got.metadata.resourceVersion), ack.revision);
              }
              // The hot key is at least as new as its last acknowledged update.
              const lastHot = Math.max(...acks.filter((a) => a.key === HOT_KEY).map((a) => a.revision));
              const hot = await store.get(HOT_KEY);
              assert.ok(hot && Number(hot.metadata.resourceVersion) >= lastHot);

              // The log is whole: replaying everything yields revisions 1..current, no gap.
              const events: StoreEvent[] = [];
              const current = store.currentRevision();
              await new Promise<void>((resolve) => {
                const w = store.watch('/', { fromRevision: 0 }, (ev) => {
                  events.push(ev);
                  if (ev.revision === current) {
                    w.stop();
                    resolve();
                  }
                });
              });
              assert.deepEqual(
                events.map((e) => e.revision),
                Array.from({ length: current }, (_, i) => i + 1),
              );
              const live = await store.list('/pods/');
              assert.equal(live.items.length, events.filter((e) => e.key.startsWith('/pods/')).length);

              // And it accepts writes again, continuing the revision counter.
              const after = await store.create('/pods/default/after-crash', { metadata: { name: 'after-crash' } });
              assert.equal(Number(after.metadata.resourceVersion), current + 1);
            } finally {
              await store.close();
            }
          } finally {
            rmSync(dir, { recursive: true, force: true });
          }
        },
      );
    }
  });
}
