// Store write throughput and latency with pod-sized objects (issue 2's budget: 1,000 pod
// creates/s through the whole API with p99 <= 50 ms, so a store write must cost well
// under 1 ms). Run: node dist-NAME/bench/store/store-write.bench.js [writes]
//
// Two shapes per store: one writer awaiting each write (latency of a lone request), and
// 64 writes in flight (an apiserver under load; group commit shares the commits).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { KubeObject } from '../../src/api/types/meta.js';
import { MemoryStore } from '../../src/store/memory/memory-store.js';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import type { Store } from '../../src/store/store.js';

const N = Number(process.argv[2] ?? 20_000);
const IN_FLIGHT = 64;

/** A pod as the apiserver stores it after defaulting (~2.3 KB of JSON). */
function pod(i: number): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name: `bench-${i}`,
      namespace: 'default',
      uid: `5f0c1e1a-0000-4000-8000-${String(i).padStart(12, '0')}`,
      creationTimestamp: '2026-01-01T00:00:00Z',
      labels: { app: 'bench', tier: 'web', index: String(i % 100) },
      annotations: { 'kubectl.kubernetes.io/last-applied-configuration': 'x'.repeat(400) },
      managedFields: [
        {
          manager: 'kubectl-client-side-apply',
          operation: 'Update',
          apiVersion: 'v1',
          time: '2026-01-01T00:00:00Z',
          fieldsType: 'FieldsV1',
          fieldsV1: { 'f:metadata': { 'f:labels': { '.': {}, 'f:app': {} } }, 'f:spec': { 'f:containers': {} } },
        },
      ],
    },
    spec: {
      containers: [
        {
          name: 'app',
          image: 'registry.example/app:1.2.3',
          ports: [{ containerPort: 8080, protocol: 'TCP' }],
          resources: { requests: { cpu: '100m', memory: '128Mi' }, limits: { cpu: '500m', memory: '256Mi' } },
          terminationMessagePath: '/dev/termination-log',
          terminationMessagePolicy: 'File',
          imagePullPolicy: 'IfNotPresent',
        },
      ],
      restartPolicy: 'Always',
      terminationGracePeriodSeconds: 30,
      dnsPolicy: 'ClusterFirst',
      serviceAccountName: 'default',
      securityContext: {},
      schedulerName: 'default-scheduler',
      tolerations: [
        { key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 },
        { key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 },
      ],
      priority: 0,
      enableServiceLinks: true,
      preemptionPolicy: 'PreemptLowerPriority',
    },
    status: { phase: 'Pending', qosClass: 'Burstable' },
  } as KubeObject;
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

async function sequential(store: Store, offset: number): Promise<string> {
  const lat: number[] = [];
  const t0 = performance.now();
  for (let i = 0; i < N; i++) {
    const s = performance.now();
    await store.create(`/pods/default/bench-${offset + i}`, pod(offset + i));
    lat.push(performance.now() - s);
  }
  const secs = (performance.now() - t0) / 1000;
  lat.sort((a, b) => a - b);
  return `sequential: ${Math.round(N / secs)} writes/s, p50 ${percentile(lat, 50).toFixed(3)} ms, p99 ${percentile(lat, 99).toFixed(3)} ms`;
}

async function concurrent(store: Store, offset: number): Promise<string> {
  const lat: number[] = [];
  let next = 0;
  const t0 = performance.now();
  const worker = async (): Promise<void> => {
    while (next < N) {
      const i = offset + next++;
      const s = performance.now();
      await store.create(`/pods/default/bench-${i}`, pod(i));
      lat.push(performance.now() - s);
    }
  };
  await Promise.all(Array.from({ length: IN_FLIGHT }, worker));
  const secs = (performance.now() - t0) / 1000;
  lat.sort((a, b) => a - b);
  return `${IN_FLIGHT} in flight: ${Math.round(N / secs)} writes/s, p50 ${percentile(lat, 50).toFixed(3)} ms, p99 ${percentile(lat, 99).toFixed(3)} ms`;
}

async function listAll(store: Store): Promise<string> {
  const t0 = performance.now();
  const out = await store.list('/pods/');
  const ms = performance.now() - t0;
  const t1 = performance.now();
  let pages = 0;
  let cont: string | undefined;
  do {
    const page = await store.list('/pods/', { limit: 500, continue: cont });
    cont = page.continue;
    pages++;
  } while (cont);
  return `list ${out.items.length} pods: ${ms.toFixed(0)} ms; in pages of 500: ${(performance.now() - t1).toFixed(0)} ms (${pages} pages)`;
}

/**
 * issue 2's bench shape at the store: 100 watchers each receive every one of 2,000
 * creates and write it out as a watch server would (the stored JSON when offered).
 */
async function fanOut(store: Store, offset: number): Promise<string> {
  const WATCHERS = 100;
  const CREATES = 2_000;
  let bytes = 0;
  let received = 0;
  const from = store.currentRevision();
  const last = from + CREATES;
  let done!: () => void;
  const all = new Promise<void>((resolve) => (done = resolve));
  const watches = Array.from({ length: WATCHERS }, () =>
    store.watch('/pods/', { fromRevision: from }, (ev) => {
      const body = ev.objectJson ?? JSON.stringify(ev.object);
      bytes += `{"type":"${ev.type}","object":${body}}\n`.length;
      if (ev.revision === last && ++received === WATCHERS) {
        done();
      }
    }),
  );
  const t0 = performance.now();
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < CREATES) {
      const i = offset + next++;
      await store.create(`/pods/default/bench-${i}`, pod(i));
    }
  };
  await Promise.all(Array.from({ length: IN_FLIGHT }, worker));
  await all;
  const secs = (performance.now() - t0) / 1000;
  for (const w of watches) {
    w.stop();
  }
  return `${WATCHERS} watchers x ${CREATES} creates: ${Math.round(CREATES / secs)} creates/s, ${Math.round((WATCHERS * CREATES) / secs)} deliveries/s (${(bytes / 1e6).toFixed(0)} MB of watch lines)`;
}

async function bench(name: string, open: () => Store, cleanup: () => void): Promise<void> {
  const store = open();
  try {
    process.stdout.write(`${name}\n  ${await sequential(store, 0)}\n`);
    process.stdout.write(`  ${await concurrent(store, N)}\n`);
    process.stdout.write(`  ${await listAll(store)}\n`);
    process.stdout.write(`  ${await fanOut(store, 2 * N)}\n`);
  } finally {
    await store.close();
    cleanup();
  }
}

const dir = mkdtempSync(join(tmpdir(), 'podbay-store-bench-'));
try {
  process.stdout.write(`${N} pod creates (${JSON.stringify(pod(0)).length} bytes of JSON each)\n`);
  await bench(
    'MemoryStore',
    () => new MemoryStore(),
    () => undefined,
  );
  for (const synchronous of ['NORMAL', 'FULL'] as const) {
    const path = join(dir, `${synchronous}.db`);
    await bench(
      `SqliteStore synchronous=${synchronous}`,
      () => SqliteStore.open(path, { synchronous }),
      () => undefined,
    );
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
