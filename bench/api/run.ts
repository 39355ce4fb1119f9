// bench/api (issue 2 item 8; not a test): how fast podbay's apiserver takes Pod creates
// over HTTPS, lists them and fans watch events out, next to a raw SQLite insert loop of the
// same JSON documents as the baseline. Run: `make bench-api` (node dist/bench/api/run.js).
//
//   warm-up  WARMUP creates, not measured (TLS sessions, JIT)
//   phase 1  CLIENTS keep-alive HTTPS clients POST PODS pods        → creates/s, p50/p99
//   phase 2  one GET of the whole list                              → ms, bytes
//   phase 3  WATCHERS watches from the list's resourceVersion, then PODS more creates;
//            every watcher must receive every ADDED                 → creates/s, delivery
//   baseline better-sqlite3, WAL, one insert per transaction (autocommit) and one batch
//
// Flags: --pods N (2000) --clients N (16) --watchers N (100) --warmup N (200)
//        --cpu-prof DIR (the server writes a CPU profile there on exit).
import Database from 'better-sqlite3';
import { readFileSync } from 'node:fs';
import { Agent, request } from 'node:https';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { startPodbay, type PodbayProcess } from '../../test/helpers/podbay-process.js';
import { makeTempDir } from '../../test/helpers/temp-dir.js';

const { values } = parseArgs({
  options: {
    pods: { type: 'string', default: '2000' },
    clients: { type: 'string', default: '16' },
    watchers: { type: 'string', default: '100' },
    warmup: { type: 'string', default: '200' },
    'cpu-prof': { type: 'string' },
  },
});
if (values['cpu-prof']) {
  // The launcher hands PODBAY_NODE_ARGS to Node: the server writes a .cpuprofile on exit.
  process.env.PODBAY_NODE_ARGS = `--cpu-prof --cpu-prof-dir=${values['cpu-prof']}`;
}
const PODS = Number(values.pods);
const CLIENTS = Number(values.clients);
const WATCHERS = Number(values.watchers);
const WARMUP = Number(values.warmup);

interface Response {
  status: number;
  body: string;
}

function send(agent: Agent, server: PodbayProcess, method: string, path: string, body?: string): Promise<Response> {
  return new Promise((resolve, reject) => {
    const req = request(
      `${server.url}${path}`,
      {
        method,
        agent,
        headers: {
          authorization: `Bearer ${server.token}`,
          accept: 'application/json',
          ...(body === undefined
            ? {}
            : { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) }),
        },
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => (text += c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

function podJson(name: string, batch: string): string {
  return JSON.stringify({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, labels: { app: 'bench', batch } },
    spec: {
      // The API path alone (issue 2): no scheduler serves this name, so the control plane's
      // default scheduler does not answer each Pod with a FailedScheduling status and event
      // on this node-less cluster (bench/sim measures the whole lifecycle).
      schedulerName: 'bench-api-unscheduled',
      containers: [
        {
          name: 'main',
          image: 'busybox:1.36',
          command: ['sleep', '3600'],
          resources: { requests: { cpu: '10m', memory: '16Mi' } },
        },
      ],
    },
  });
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) {
    return NaN;
  }
  const i = Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1);
  return sorted[Math.max(0, i)] ?? NaN;
}

interface CreateRun {
  seconds: number;
  latenciesMs: number[];
  stored: string[];
}

/** CLIENTS workers pull names off one counter until PODS pods are created. */
async function createPods(
  server: PodbayProcess,
  agent: Agent,
  prefix: string,
  batch: string,
  count = PODS,
): Promise<CreateRun> {
  let next = 0;
  const latenciesMs: number[] = [];
  const stored: string[] = [];
  const start = performance.now();
  await Promise.all(
    Array.from({ length: CLIENTS }, async () => {
      for (let i = next++; i < count; i = next++) {
        const t0 = performance.now();
        const res = await send(
          agent,
          server,
          'POST',
          '/api/v1/namespaces/default/pods',
          podJson(`${prefix}-${i}`, batch),
        );
        latenciesMs.push(performance.now() - t0);
        if (res.status !== 201) {
          throw new Error(`create ${prefix}-${i}: HTTP ${res.status}: ${res.body.slice(0, 300)}`);
        }
        stored.push(res.body);
      }
    }),
  );
  const seconds = (performance.now() - start) / 1000;
  latenciesMs.sort((a, b) => a - b);
  return { seconds, latenciesMs, stored };
}

interface Watcher {
  added: number;
  /** Resolves once the server answered 200 (it flushes watch headers at once). */
  established: Promise<void>;
  done: Promise<void>;
  close(): void;
}

/** One watch stream counting ADDED events of a batch; done when it has seen `want`. */
function startWatcher(
  server: PodbayProcess,
  agent: Agent,
  resourceVersion: string,
  batch: string,
  want: number,
): Watcher {
  let resolveEstablished: () => void = () => undefined;
  const established = new Promise<void>((resolve) => {
    resolveEstablished = resolve;
  });
  let resolveDone: () => void = () => undefined;
  let rejectDone: (e: Error) => void = () => undefined;
  const done = new Promise<void>((resolve, reject) => {
    resolveDone = resolve;
    rejectDone = reject;
  });
  const w: Watcher = { added: 0, established, done, close: () => req.destroy() };
  const req = request(
    `${server.url}/api/v1/namespaces/default/pods?watch=true&labelSelector=batch%3D${batch}&resourceVersion=${resourceVersion}&allowWatchBookmarks=true`,
    { agent, headers: { authorization: `Bearer ${server.token}`, accept: 'application/json' } },
    (res) => {
      if (res.statusCode !== 200) {
        rejectDone(new Error(`watch: HTTP ${res.statusCode}`));
        return;
      }
      resolveEstablished();
      let buf = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        buf += chunk;
        let nl: number;
        while ((nl = buf.indexOf('\n')) >= 0) {
          const line = buf.slice(0, nl);
          buf = buf.slice(nl + 1);
          if (isAdded(line)) {
            w.added++;
            if (w.added === want) {
              resolveDone();
            }
          }
        }
      });
      res.on('error', () => undefined);
    },
  );
  req.on('error', (e) => rejectDone(e));
  req.end();
  return w;
}

// The type is the first key of a watch event ({"type":"ADDED","object":…}); parse the
// line only if a server ever orders it otherwise, so 100 watchers cost the client little.
function isAdded(line: string): boolean {
  if (line.startsWith('{"type":')) {
    return line.startsWith('{"type":"ADDED"');
  }
  return line.trim() !== '' && (JSON.parse(line) as { type?: string }).type === 'ADDED';
}

function memoryOf(pid: number): { rssMb: number; hwmMb: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (field: string): number => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN);
  return { rssMb: kb('VmRSS') / 1024, hwmMb: kb('VmHWM') / 1024 };
}

/** The same documents through better-sqlite3 directly: the floor under any store. */
function sqliteBaseline(dir: string, docs: string[]): { autocommitPerSec: number; batchPerSec: number } {
  const db = new Database(join(dir, 'baseline.db'));
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.exec('CREATE TABLE kv (id INTEGER PRIMARY KEY AUTOINCREMENT, name TEXT NOT NULL, value BLOB NOT NULL)');
  const insert = db.prepare('INSERT INTO kv (name, value) VALUES (?, ?)');
  let t0 = performance.now();
  docs.forEach((d, i) => insert.run(`a-${i}`, d));
  const autocommitPerSec = docs.length / ((performance.now() - t0) / 1000);
  t0 = performance.now();
  db.transaction(() => docs.forEach((d, i) => insert.run(`b-${i}`, d)))();
  const batchPerSec = docs.length / ((performance.now() - t0) / 1000);
  db.close();
  return { autocommitPerSec, batchPerSec };
}

const fmt = (n: number, digits = 0): string => n.toFixed(digits);

async function main(): Promise<void> {
  const tmp = await makeTempDir('podbay-bench-api-');
  const server = await startPodbay({ dataDir: join(tmp.path, 'data') });
  const agent = new Agent({ keepAlive: true, maxSockets: CLIENTS, ca: server.caCertPem });
  const watchAgent = new Agent({ keepAlive: true, maxSockets: WATCHERS + 1, ca: server.caCertPem });
  try {
    const rssBefore = memoryOf(server.pid);

    // Warm-up, not measured: TLS handshakes for every keep-alive socket, and WARMUP
    // creates so V8 has compiled decoding, defaulting and validation (the first few
    // hundred creates of a fresh process run in the interpreter: p99 doubles).
    await createPods(server, agent, 'warmup', 'warmup', WARMUP);

    const create = await createPods(server, agent, 'bench', 'one');
    const rssAfterCreates = memoryOf(server.pid);

    let t0 = performance.now();
    const list = await send(agent, server, 'GET', '/api/v1/namespaces/default/pods');
    const listMs = performance.now() - t0;
    const listed = JSON.parse(list.body) as { items: unknown[]; metadata: { resourceVersion: string } };
    if (listed.items.length !== PODS + WARMUP) {
      throw new Error(`list returned ${listed.items.length} pods, want ${PODS + WARMUP}`);
    }

    const watchers = Array.from({ length: WATCHERS }, () =>
      startWatcher(server, watchAgent, listed.metadata.resourceVersion, 'two', PODS),
    );
    // Creates start once every watch is open, so each event is live fan-out (a watch
    // that opened late would replay history instead, a different path in the store).
    await Promise.race([Promise.all(watchers.map((w) => w.established)), Promise.all(watchers.map((w) => w.done))]);
    t0 = performance.now();
    const fanout = await createPods(server, agent, 'fanout', 'two');
    let timedOut = false;
    const deadline = new Promise<void>((resolve) =>
      setTimeout(() => {
        timedOut = true;
        resolve();
      }, 60_000).unref(),
    );
    await Promise.race([Promise.all(watchers.map((w) => w.done)), deadline]);
    const deliveredMs = performance.now() - t0;
    const counts = watchers.map((w) => w.added);
    const allReceived = counts.every((c) => c === PODS);
    watchers.forEach((w) => w.close());
    const rssEnd = memoryOf(server.pid);

    const baseline = sqliteBaseline(tmp.path, create.stored);

    const p = (xs: number[], q: number): string => fmt(percentile(xs, q), 1);
    const lines = [
      `| measure | value |`,
      `| --- | --- |`,
      `| Pod creates (${PODS} after ${WARMUP} warm-up creates, ${CLIENTS} keep-alive TLS clients) | **${fmt(PODS / create.seconds)} creates/s** |`,
      `| create latency p50 / p99 / max | ${p(create.latenciesMs, 50)} / **${p(create.latenciesMs, 99)}** / ${p(create.latenciesMs, 100)} ms |`,
      `| list of ${PODS + WARMUP} pods (one GET, JSON) | ${fmt(listMs)} ms, ${fmt(list.body.length / 1e6, 1)} MB |`,
      `| creates with ${WATCHERS} watchers attached | ${fmt(PODS / fanout.seconds)} creates/s, p99 ${p(fanout.latenciesMs, 99)} ms |`,
      `| ${WATCHERS} watchers × ${PODS} ADDED events | ${allReceived ? 'all received' : `MISSING (min ${Math.min(...counts)})`}${timedOut ? ' (timed out after 60 s)' : ''} in ${fmt(deliveredMs)} ms from the first create |`,
      `| server RSS: start / after creates / end (VmHWM) | ${fmt(rssBefore.rssMb)} / ${fmt(rssAfterCreates.rssMb)} / ${fmt(rssEnd.rssMb)} MB (${fmt(rssEnd.hwmMb)} MB) |`,
      `| baseline: better-sqlite3 WAL NORMAL, one insert per transaction | ${fmt(baseline.autocommitPerSec)} inserts/s |`,
      `| baseline: better-sqlite3 WAL NORMAL, all in one transaction | ${fmt(baseline.batchPerSec)} inserts/s |`,
      `| document size (stored Pod JSON) | ${create.stored[0]?.length ?? 0} bytes |`,
    ];
    console.log(`\n## bench/api — ${new Date().toISOString()}, node ${process.version}\n`);
    console.log(lines.join('\n'));
    const targets = [
      [`≥ 1,000 creates/s`, PODS / create.seconds >= 1000],
      [`p99 ≤ 50 ms`, percentile(create.latenciesMs, 99) <= 50],
      [`${WATCHERS} watchers receive every event`, allReceived],
    ] as const;
    console.log(`\nTargets: ${targets.map(([t, ok]) => `${t} ${ok ? 'met' : 'MISSED'}`).join('; ')}`);
    if (!allReceived) {
      process.exitCode = 1;
    }
  } finally {
    agent.destroy();
    watchAgent.destroy();
    await server.stop();
    await tmp.remove();
  }
}

await main();
