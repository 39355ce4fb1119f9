// Issue 3 item 8: 100 simulated nodes and 10,000 Pods created through the API.
// Measures the time until every Pod is Running, the API's p99 latency during
// the run, and the server's peak RSS; an empty cluster (the same nodes, no
// Pods) is measured first in the same command as the baseline.
// Target on this machine: all Running within 60 s, RSS ≤ 1.5 GiB.
//
// Run (after `make build`, which writes bin/podbay; `make bench-sim` does both):
//   node dist/bench/sim/sim-cluster.bench.js [--nodes 100] [--pods 10000]
//        [--podbay bin/podbay | dist-NAME/src/main.js] [--concurrency 64]
//        [--baseline-seconds 15] [--timeout-seconds 300] [--record BENCHMARKS.md]
//        [--hold-seconds N]   (keep the server up after the run, e.g. for a heap snapshot:
//                              PODBAY_NODE_ARGS=--heapsnapshot-signal=SIGUSR2, kill -USR2 PID)
// A `--podbay` ending in .js is run with this Node and PODBAY_NODE_ARGS (as the
// bin/podbay launcher does), e.g. PODBAY_NODE_ARGS='--cpu-prof --cpu-prof-dir=DIR'.
//
// It starts `podbay up --runtime sim --sim-nodes K --data-dir DIR --listen 127.0.0.1:P`
// (one process: apiserver, scheduler, controllers and K simulated agents),
// reads DIR/kubeconfig for the server and token, and talks to it only over
// 127.0.0.1. Latency is sampled by a steady prober (GET of one pod page every
// 100 ms) plus every create request; RSS is the server process's VmHWM/VmRSS
// from /proc. Everything it starts is stopped and its data dir removed.
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, appendFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { parse as parseYaml } from 'yaml';
import type { Node, Pod } from '../../src/api/types/index.js';
import { ApiClient } from '../../src/client/api-client.js';

interface Args {
  nodes: number;
  pods: number;
  podbay: string;
  concurrency: number;
  baselineSeconds: number;
  timeoutSeconds: number;
  record: string | undefined;
  holdSeconds: number;
}

function parseArgs(argv: string[]): Args {
  const get = (name: string): string | undefined => {
    const i = argv.indexOf(`--${name}`);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  return {
    nodes: Number(get('nodes') ?? 100),
    pods: Number(get('pods') ?? 10_000),
    podbay: get('podbay') ?? 'bin/podbay',
    concurrency: Number(get('concurrency') ?? 64),
    baselineSeconds: Number(get('baseline-seconds') ?? 15),
    timeoutSeconds: Number(get('timeout-seconds') ?? 300),
    record: get('record'),
    holdSeconds: Number(get('hold-seconds') ?? 0),
  };
}

/** Extra Node flags for a .js --podbay, e.g. PODBAY_NODE_ARGS='--cpu-prof --cpu-prof-dir=DIR'. */
function serverNodeArgs(): string[] {
  return (process.env.PODBAY_NODE_ARGS ?? '').split(' ').filter(Boolean);
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const addr = s.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      s.close(() => resolve(port));
    });
  });
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** VmHWM (peak) and VmRSS (now) of a process, in bytes. */
function memoryOf(pid: number): { peak: number; now: number } {
  const text = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (key: string) => Number(new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(text)?.[1] ?? 0) * 1024;
  return { peak: kb('VmHWM'), now: kb('VmRSS') };
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) {
    return NaN;
  }
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

function clientFromKubeconfig(path: string): ApiClient {
  const kc = parseYaml(readFileSync(path, 'utf8')) as {
    clusters: { cluster: { server: string; 'certificate-authority-data'?: string } }[];
    users: { user: { token?: string } }[];
  };
  const cluster = kc.clusters[0]!.cluster;
  const ca = cluster['certificate-authority-data'];
  return new ApiClient({
    server: cluster.server,
    ...(kc.users[0]?.user.token ? { token: kc.users[0].user.token } : {}),
    ...(ca ? { caCertPem: Buffer.from(ca, 'base64').toString('utf8') } : {}),
    userAgent: 'podbay-bench',
  });
}

/** Set when the run is over (or failed): pending waits give up. */
let aborted = false;

async function waitFor<T>(what: string, timeoutMs: number, fn: () => Promise<T | undefined>): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (aborted) {
      throw new Error(`gave up waiting for ${what}`);
    }
    try {
      const v = await fn();
      if (v !== undefined) {
        return v;
      }
    } catch {
      // not yet
    }
    if (Date.now() > deadline) {
      throw new Error(`timed out waiting for ${what}`);
    }
    await sleep(200);
  }
}

/** GET one small page every 100 ms and record each latency (ms). */
function startLatencyProbe(client: ApiClient): { stop(): number[] } {
  const samples: number[] = [];
  let stopped = false;
  void (async () => {
    while (!stopped) {
      const t = performance.now();
      try {
        await client.pods.list('default', { limit: 1 });
        samples.push(performance.now() - t);
      } catch {
        samples.push(performance.now() - t);
      }
      await sleep(100);
    }
  })();
  return {
    stop() {
      stopped = true;
      return samples;
    },
  };
}

function benchPod(i: number): Pod {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: `bench-${i}`, namespace: 'default', labels: { app: 'bench' } },
    spec: { containers: [{ name: 'app', image: 'busybox:1.36', command: ['sleep', '3600'] }] },
  };
}

interface Phase {
  name: string;
  seconds: number;
  p50Ms: number;
  p99Ms: number;
  requests: number;
  rssNowMiB: number;
  rssPeakMiB: number;
  /** 1-minute load average at the end of the phase (the machine is shared). */
  load: number;
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const dataDir = mkdtempSync(join(tmpdir(), 'podbay-bench-sim-'));
  const port = await freePort();
  let server: ChildProcess | undefined;
  const mib = (b: number) => Math.round(b / 1024 / 1024);
  try {
    const upArgs = [
      'up',
      '--runtime',
      'sim',
      '--sim-nodes',
      String(args.nodes),
      '--data-dir',
      dataDir,
      '--listen',
      `127.0.0.1:${port}`,
    ];
    server = args.podbay.endsWith('.js')
      ? spawn(process.execPath, [...serverNodeArgs(), args.podbay, ...upArgs], { stdio: ['ignore', 'ignore', 'pipe'] })
      : spawn(args.podbay, upArgs, { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    server.stderr?.on('data', (d: Buffer) => {
      stderr = (stderr + d.toString()).slice(-4000);
    });
    const exited = new Promise<never>((_, reject) => {
      server!.once('exit', (code) => reject(new Error(`podbay up exited with ${code}: ${stderr}`)));
      server!.once('error', (e) => reject(new Error(`cannot start ${args.podbay}: ${e.message}`)));
    });
    exited.catch(() => undefined);
    const pid = server.pid!;
    const kubeconfig = join(dataDir, 'kubeconfig');
    const ready = (async () => {
      await waitFor('the kubeconfig', 60_000, () => Promise.resolve(existsSync(kubeconfig) ? true : undefined));
      const client = clientFromKubeconfig(kubeconfig);
      await waitFor(`${args.nodes} Ready nodes`, 120_000, async () => {
        const nodes = await client.nodes.list();
        const n = nodes.items.filter((x: Node) =>
          x.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True'),
        ).length;
        return n >= args.nodes ? n : undefined;
      });
      return client;
    })();
    const client = await Promise.race([ready, exited]);
    const phases: Phase[] = [];

    // Baseline: the same cluster with no pods.
    let probe = startLatencyProbe(client);
    const b0 = performance.now();
    await sleep(args.baselineSeconds * 1000);
    let samples = probe.stop().sort((a, b) => a - b);
    let mem = memoryOf(pid);
    phases.push({
      name: `empty cluster (${args.nodes} nodes, ${args.baselineSeconds} s idle)`,
      seconds: (performance.now() - b0) / 1000,
      p50Ms: percentile(samples, 50),
      p99Ms: percentile(samples, 99),
      requests: samples.length,
      rssNowMiB: mib(mem.now),
      rssPeakMiB: mib(mem.peak),
      load: loadavg()[0]!,
    });

    // Run: create the pods, wait until every one is Running.
    const running = new Set<string>();
    // Per pod: when its create returned, when the watch first showed it bound, and Running
    // (ms since t0), to tell which stage holds pods up: scheduling or the node.
    const createdMs = new Map<string, number>();
    const boundMs = new Map<string, number>();
    const runningMs = new Map<string, number>();
    let t0 = 0;
    const list = await client.pods.list('default');
    const watch = await client.pods.watch('default', { resourceVersion: list.metadata.resourceVersion ?? '' });
    let allRunning!: () => void;
    const done = new Promise<void>((r) => (allRunning = r));
    void (async () => {
      for await (const ev of watch.events) {
        const name = ev.object.metadata.name ?? '';
        if (ev.object.spec.nodeName && !boundMs.has(name)) {
          boundMs.set(name, performance.now() - t0);
        }
        if (ev.object.status?.phase === 'Running') {
          if (!runningMs.has(name)) {
            runningMs.set(name, performance.now() - t0);
          }
          running.add(name);
          if (running.size >= args.pods) {
            allRunning();
          }
        }
      }
    })().catch(() => undefined);
    probe = startLatencyProbe(client);
    const createLatencies: number[] = [];
    t0 = performance.now();
    let next = 0;
    await Promise.all(
      Array.from({ length: args.concurrency }, async () => {
        while (next < args.pods) {
          const i = next++;
          const t = performance.now();
          await client.pods.create('default', benchPod(i));
          createLatencies.push(performance.now() - t);
          createdMs.set(`bench-${i}`, performance.now() - t0);
        }
      }),
    );
    const createdAt = (performance.now() - t0) / 1000;
    await Promise.race([
      done,
      exited,
      sleep(args.timeoutSeconds * 1000).then(() => {
        throw new Error(`only ${running.size}/${args.pods} Running after ${args.timeoutSeconds} s`);
      }),
    ]);
    const allRunningAt = (performance.now() - t0) / 1000;
    watch.stop();
    samples = [...probe.stop(), ...createLatencies].sort((a, b) => a - b);
    mem = memoryOf(pid);
    phases.push({
      name: `${args.pods} pods on ${args.nodes} nodes (created in ${createdAt.toFixed(1)} s)`,
      seconds: allRunningAt,
      p50Ms: percentile(samples, 50),
      p99Ms: percentile(samples, 99),
      requests: samples.length,
      rssNowMiB: mib(mem.now),
      rssPeakMiB: mib(mem.peak),
      load: loadavg()[0]!,
    });

    const machine = `${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, ${mib(totalmem())} MiB, Node ${process.version}`;
    const table = [
      '| phase | seconds (to all Running) | API p50 ms | API p99 ms | requests | RSS MiB | peak RSS MiB | load avg (1 min) |',
      '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
      ...phases.map(
        (p) =>
          `| ${p.name} | ${p.seconds.toFixed(1)} | ${p.p50Ms.toFixed(1)} | ${p.p99Ms.toFixed(1)} | ${p.requests} | ${p.rssNowMiB} | ${p.rssPeakMiB} | ${p.load.toFixed(1)} |`,
      ),
    ].join('\n');
    const stage = (from: Map<string, number>, to: Map<string, number>): string => {
      const d = [...to]
        .map(([n, at]) => at - (from.get(n) ?? at))
        .map((x) => Math.max(0, x))
        .sort((a, b) => a - b);
      return `p50 ${(percentile(d, 50) / 1000).toFixed(1)} s, p99 ${(percentile(d, 99) / 1000).toFixed(1)} s`;
    };
    const last = (m: Map<string, number>): string => (Math.max(0, ...m.values()) / 1000).toFixed(1);
    const stages =
      `Stages: all created at ${createdAt.toFixed(1)} s, all bound at ${last(boundMs)} s, all Running at ` +
      `${allRunningAt.toFixed(1)} s; create → bound ${stage(createdMs, boundMs)}; bound → Running ` +
      `${stage(boundMs, runningMs)}.`;
    const verdict = `Target: all Running ≤ 60 s (${allRunningAt <= 60 ? 'met' : 'missed'}), peak RSS ≤ 1536 MiB (${phases[1]!.rssPeakMiB <= 1536 ? 'met' : 'missed'}).`;
    const report = `\n## Simulated cluster (bench/sim)\n\n${new Date().toISOString()} on ${machine}.\n\n${table}\n\n${stages}\n\n${verdict}\n`;
    process.stdout.write(report);
    if (args.record) {
      appendFileSync(args.record, report);
    }
    if (args.holdSeconds > 0) {
      process.stdout.write(`holding the server (pid ${pid}) for ${args.holdSeconds} s\n`);
      await sleep(args.holdSeconds * 1000);
    }
    client.close();
  } finally {
    aborted = true;
    if (server?.pid !== undefined && server.exitCode === null && server.signalCode === null) {
      server.kill('SIGTERM');
      // Generous: a --cpu-prof server writes its profile on the way out.
      await Promise.race([new Promise((r) => server!.once('exit', r)), sleep(60_000)]);
      if (server.exitCode === null) {
        server.kill('SIGKILL');
      }
    }
    rmSync(dataDir, { recursive: true, force: true });
  }
}

// Exit explicitly: the run's timeout timer and keep-alive sockets must not hold the process.
main().then(
  () => process.exit(0),
  (e: unknown) => {
    process.stderr.write(`${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    process.exit(1);
  },
);
