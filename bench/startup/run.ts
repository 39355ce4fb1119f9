// bench/startup (issue 4 item 9; a benchmark, never a test): how fast podbay's oci
// runtime starts and removes real Pods, next to the floor (the raw steps one Pod needs)
// and the peer (Debian's podman `kube play` / `kube down`), all in one run.
//
//   floor   ip netns add + one CNI bridge ADD + `runc run -d` per container   (floor.ts)
//   podbay  `kubectl apply -f -` → Ready (seen on a watch), N runs each for a 1- and a
//           2-container Pod; `kubectl delete --wait=false` → DELETED event; a burst of
//           B Pods in one apply → all Ready; the agent's idle RSS and CPU with the burst
//           running; PSS of conmon + infra (catatonit) per Pod
//   podman  `podman kube play` (returns with the containers started) / `kube down` of the
//           same manifests; the burst as one multi-document file; PSS per Pod likewise
//
// Run (root; runc, conmon, CNI plugins, catatonit, busybox-static, kubectl; podman
// optional): `make bench-startup` or
//   node dist/bench/startup/run.js [--runs 30] [--burst 50] [--idle-seconds 10]
//        [--podbay bin/podbay] [--no-podman] [--pod-cidr 10.250.0.0/24]
// Everything it makes is removed at the end, also on failure: Pods are deleted before
// podbay stops, podman's pods and storage root removed, floor netns/containers removed.
import { execFileSync } from 'node:child_process';
import {
  chmodSync,
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { setTimeout as delay } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { Floor, type FloorSample } from './floor.js';
import { podManifest, podObject, podsManifest } from './manifests.js';
import { PodmanPeer } from './podman-peer.js';
import { PodWatch } from './pod-watch.js';
import { cpuTicks, loadAverage, machineryPssKb, percentile, rssMb, USER_HZ } from './proc-stats.js';

const { values } = parseArgs({
  options: {
    runs: { type: 'string', default: '30' },
    burst: { type: 'string', default: '50' },
    'idle-seconds': { type: 'string', default: '10' },
    podbay: { type: 'string', default: 'bin/podbay' },
    'no-podman': { type: 'boolean', default: false },
    'pod-cidr': { type: 'string', default: '10.250.0.0/24' },
  },
});
const RUNS = Number(values.runs);
const BURST = Number(values.burst);
const IDLE_S = Number(values['idle-seconds']);
const PODBAY = resolve(values.podbay);
const KINDS = [1, 2] as const;

function log(msg: string): void {
  process.stderr.write(`[bench/startup ${new Date().toISOString().slice(11, 19)}] ${msg}\n`);
}

interface StartDelete {
  start: number[];
  del: number[];
  /** podbay only: how long the kubectl apply process itself ran. */
  apply?: number[];
  /** podbay only: POST over HTTPS → Ready and DELETE → gone, no kubectl process. */
  apiStart?: number[];
  apiDel?: number[];
}

interface BurstResult {
  pods: number;
  allReadyMs: number;
  deleteAllMs: number;
  pssKbPerPod: number;
  conmons: number;
  infra: number;
}

interface Results {
  load: Record<string, string>;
  floor: Record<number, FloorSample[]>;
  podbay?: Record<number, StartDelete>;
  podbayBurst?: BurstResult;
  agent?: { rssStartMb: number; rssIdleMb: number; cpuIdlePct: number; idleSeconds: number };
  podman?: Record<number, StartDelete>;
  podmanBurst?: BurstResult;
  missing: string[];
  podCidr?: string;
}

function busyboxRootfs(dir: string): string {
  // The layout scripts/import-busybox.sh imports: busybox, a link per applet, passwd/group.
  const rootfs = join(dir, 'busybox-rootfs');
  for (const d of ['bin', 'etc', 'tmp', 'root']) {
    mkdirSync(join(rootfs, d), { recursive: true });
  }
  copyFileSync('/bin/busybox', join(rootfs, 'bin', 'busybox'));
  chmodSync(join(rootfs, 'bin', 'busybox'), 0o755);
  // Relative links: `busybox --install -s` would point them at the host's /usr/bin/busybox.
  for (const applet of execFileSync('/bin/busybox', ['--list'], { encoding: 'utf8' }).split('\n')) {
    if (applet && applet !== 'busybox') {
      symlinkSync('busybox', join(rootfs, 'bin', applet));
    }
  }
  writeFileSync(join(rootfs, 'etc', 'passwd'), 'root:x:0:0:root:/root:/bin/sh\n');
  writeFileSync(join(rootfs, 'etc', 'group'), 'root:x:0:\n');
  return rootfs;
}

async function runFloor(dir: string, r: Results): Promise<void> {
  const floor = new Floor(join(dir, 'floor'));
  try {
    await floor.prepare();
    await floor.runOnce('warm', 1);
    for (const k of KINDS) {
      r.floor[k] = [];
      for (let i = 0; i < RUNS; i++) {
        r.floor[k].push(await floor.runOnce(`${k}c${i}`, k));
      }
    }
  } finally {
    await floor.dispose();
  }
  r.load.floor = loadAverage();
}

/**
 * The pod CIDR to start podbay with. Every podbay on a machine shares the bridge podbay0
 * (no flag names another), and the CNI bridge plugin refuses a CIDR other than the
 * bridge's address: while another podbay (e.g. a test run) holds podbay0, use its
 * network, and start host-local's allocation high in it (its last_reserved_ip file), so
 * the bench's Pod IPs stay clear of the other podbay's, which start at .0.2.
 */
function podCidr(dataDir: string): string {
  const wanted = values['pod-cidr'];
  if (!existsSync('/sys/class/net/podbay0')) {
    return wanted;
  }
  const out = execFileSync('ip', ['-4', '-o', 'addr', 'show', 'dev', 'podbay0'], { encoding: 'utf8' });
  const m = /inet (\d+)\.(\d+)\.(\d+)\.(\d+)\/(\d+)/.exec(out);
  if (!m || `${m[1]}.${m[2]}.${m[3]}.0/${m[5]}` === wanted) {
    return wanted;
  }
  const prefix = Number(m[5]);
  const cidr = prefix <= 16 ? `${m[1]}.${m[2]}.0.0/${prefix}` : `${m[1]}.${m[2]}.${m[3]}.0/${prefix}`;
  if (prefix <= 16) {
    const lease = join(dataDir, 'cni', 'networks', 'podbay');
    mkdirSync(lease, { recursive: true });
    writeFileSync(join(lease, 'last_reserved_ip.0'), `${m[1]}.${m[2]}.200.0`);
  }
  log(`podbay0 exists with ${cidr} (another podbay runs): using it, leases from ${m[1]}.${m[2]}.200.1`);
  return cidr;
}

async function runPodbay(dir: string, r: Results): Promise<void> {
  const dataDir = join(dir, 'podbay');
  // <outDir>/bench/startup/run.js → the repository's scripts/, from any cwd.
  const importBusybox = fileURLToPath(new URL('../../../scripts/import-busybox.sh', import.meta.url));
  execFileSync(importBusybox, [PODBAY, '--data-dir', dataDir], { stdio: 'ignore' });
  // The helper reads PODBAY_BIN when it is loaded.
  process.env.PODBAY_BIN = PODBAY;
  const { startPodbay, httpsRequest } = await import('../../test/helpers/podbay-process.js');
  const { newKubectl } = await import('../../test/helpers/kubectl.js');
  const cidr = podCidr(dataDir);
  r.podCidr = cidr;
  const server = await startPodbay({ dataDir, extraArgs: ['--runtime', 'oci', '--pod-cidr', cidr] });
  const kubectl = newKubectl(server.kubeconfigPath);
  const watch = new PodWatch(server.url, server.caCertPem, server.token);
  try {
    await watch.start();
    const startOne = async (name: string, containers: number): Promise<{ start: number; apply: number }> => {
      const t0 = performance.now();
      const res = await kubectl(['apply', '-f', '-'], { stdin: podManifest(name, containers) });
      if (res.code !== 0) {
        throw new Error(`kubectl apply ${name}: ${res.stderr}`);
      }
      const applyMs = performance.now() - t0;
      return { start: (await watch.readyAt(name)) - t0, apply: applyMs };
    };
    const deleteOne = async (name: string): Promise<number> => {
      const t0 = performance.now();
      const res = await kubectl(['delete', 'pod', name, '--wait=false']);
      if (res.code !== 0) {
        throw new Error(`kubectl delete ${name}: ${res.stderr}`);
      }
      return (await watch.deletedAt(name)) - t0;
    };
    // Warm-up: kubectl's discovery cache, the JIT, the image's first overlay mount.
    for (const k of KINDS) {
      await startOne(`warm-${k}`, k);
      await deleteOne(`warm-${k}`);
    }
    r.podbay = {};
    for (const k of KINDS) {
      const s: StartDelete = { start: [], del: [], apply: [] };
      for (let i = 0; i < RUNS; i++) {
        const name = `sb-${k}c-${i}`;
        const st = await startOne(name, k);
        s.start.push(st.start);
        s.apply!.push(st.apply);
        s.del.push(await deleteOne(name));
      }
      // The same through the API directly: podbay's own share, without kubectl's ~0.1 s.
      s.apiStart = [];
      s.apiDel = [];
      const auth = { authorization: `Bearer ${server.token}`, 'content-type': 'application/json' };
      for (let i = 0; i < RUNS; i++) {
        const name = `sb-api-${k}c-${i}`;
        const t0 = performance.now();
        const res = await httpsRequest('POST', `${server.url}/api/v1/namespaces/default/pods`, server.caCertPem, {
          headers: auth,
          body: JSON.stringify(podObject(name, k)),
        });
        if (res.status !== 201) {
          throw new Error(`POST ${name}: ${res.status} ${res.body}`);
        }
        s.apiStart.push((await watch.readyAt(name)) - t0);
        const t1 = performance.now();
        const del = await httpsRequest(
          'DELETE',
          `${server.url}/api/v1/namespaces/default/pods/${name}`,
          server.caCertPem,
          {
            headers: auth,
          },
        );
        if (del.status !== 200 && del.status !== 202) {
          throw new Error(`DELETE ${name}: ${del.status} ${del.body}`);
        }
        s.apiDel.push((await watch.deletedAt(name)) - t1);
      }
      r.podbay[k] = s;
      log(`podbay ${k}c: p50 start ${percentile(s.start, 50).toFixed(0)} ms`);
    }
    r.load.podbay = loadAverage();

    // Before the burst, after the warm-up and the single runs: the agent's growth with the burst is per Pod.
    const rssStartMb = rssMb(server.pid);
    const names = Array.from({ length: BURST }, (_, i) => `sb-burst-${i}`);
    const t0 = performance.now();
    const res = await kubectl(['apply', '-f', '-'], { stdin: podsManifest(names, 1), timeoutMs: 120_000 });
    if (res.code !== 0) {
      throw new Error(`kubectl apply burst: ${res.stderr}`);
    }
    const readyAts = await Promise.all(names.map((n) => watch.readyAt(n, 300_000)));
    const allReadyMs = Math.max(...readyAts) - t0;
    log(`podbay burst: ${BURST} Ready in ${allReadyMs.toFixed(0)} ms`);
    r.load.podbayBurst = loadAverage();

    // Idle: the burst's Pods run, nothing is asked of the agent.
    await delay(5_000);
    const c0 = cpuTicks(server.pid);
    const w0 = performance.now();
    await delay(IDLE_S * 1000);
    const cpuIdlePct = ((cpuTicks(server.pid) - c0) / USER_HZ / ((performance.now() - w0) / 1000)) * 100;
    const rssIdleMb = rssMb(server.pid);
    r.agent = { rssStartMb, rssIdleMb, cpuIdlePct, idleSeconds: IDLE_S };
    const pss = machineryPssKb(dataDir, ['catatonit']);
    r.load.podbayIdle = loadAverage();

    const d0 = performance.now();
    const del = await kubectl(['delete', 'pods', '-l', 'bench=startup', '--wait=false'], { timeoutMs: 120_000 });
    if (del.code !== 0) {
      throw new Error(`kubectl delete burst: ${del.stderr}`);
    }
    const goneAts = await Promise.all(names.map((n) => watch.deletedAt(n, 300_000)));
    r.podbayBurst = {
      pods: BURST,
      allReadyMs,
      deleteAllMs: Math.max(...goneAts) - d0,
      pssKbPerPod: pss.kb / BURST,
      conmons: pss.conmons,
      infra: pss.infra,
    };
  } catch (e) {
    log(`podbay phase error: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
    throw e;
  } finally {
    // Pods go before podbay stops (the agent tears their sandboxes down).
    await kubectl(['delete', 'pods', '--all', '--wait=true', '--timeout=120s'], { timeoutMs: 130_000 }).catch(
      (e: unknown) => log(`cleanup delete failed: ${String(e)}`),
    );
    // A Pod gone from the API may still be torn down on the node: wait for runc's list.
    const left = await waitRuncEmpty(dataDir, 30_000);
    if (left.length > 0) {
      r.missing.push(`podbay left ${left.length} runc containers 30 s after its Pods were gone (removed by the bench)`);
    }
    watch.stop();
    await server.stop();
    scrubPodbayDir(dataDir);
  }
}

function runcRoot(dataDir: string): string {
  return join(dataDir, 'run', 'oci', 'runc');
}

function runcList(dataDir: string): string[] {
  try {
    return execFileSync('runc', ['--root', runcRoot(dataDir), 'list', '-q'], { encoding: 'utf8' })
      .split('\n')
      .filter(Boolean);
  } catch {
    return [];
  }
}

async function waitRuncEmpty(dataDir: string, timeoutMs: number): Promise<string[]> {
  const deadline = performance.now() + timeoutMs;
  let left = runcList(dataDir);
  while (left.length > 0 && performance.now() < deadline) {
    await delay(200);
    left = runcList(dataDir);
  }
  return left;
}

/** Removes what a podbay left in its data dir (runc containers, overlay mounts), then the dir. */
function scrubPodbayDir(dataDir: string): void {
  for (const id of runcList(dataDir)) {
    execFileSync('runc', ['--root', runcRoot(dataDir), 'delete', '-f', id], { stdio: 'ignore' });
    log(`removed leftover runc container ${id}`);
  }
  const mounts = readFileSync('/proc/mounts', 'utf8')
    .split('\n')
    .map((l) => l.split(' ')[1] ?? '')
    .filter((m) => m.startsWith(dataDir + '/'))
    .reverse();
  for (const m of mounts) {
    execFileSync('umount', [m], { stdio: 'ignore' });
    log(`unmounted leftover ${m}`);
  }
  rmSync(dataDir, { recursive: true, force: true });
}

async function runPodman(dir: string, r: Results): Promise<void> {
  const peer = new PodmanPeer(join(dir, 'podman'));
  const files = join(dir, 'podman-manifests');
  mkdirSync(files, { recursive: true });
  const file = (name: string, text: string): string => {
    const p = join(files, `${name}.yaml`);
    writeFileSync(p, text);
    return p;
  };
  try {
    await peer.importBusybox(busyboxRootfs(dir));
    for (const k of KINDS) {
      const f = file(`warm-${k}`, podManifest(`warm-${k}`, k));
      await peer.play(f);
      await peer.down(f);
    }
    r.podman = {};
    for (const k of KINDS) {
      const s: StartDelete = { start: [], del: [] };
      for (let i = 0; i < RUNS; i++) {
        const f = file(`pm-${k}c-${i}`, podManifest(`pm-${k}c-${i}`, k));
        s.start.push((await peer.play(f)).ms);
        s.del.push((await peer.down(f)).ms);
      }
      r.podman[k] = s;
      log(`podman ${k}c: p50 start ${percentile(s.start, 50).toFixed(0)} ms`);
    }
    r.load.podman = loadAverage();
    const names = Array.from({ length: BURST }, (_, i) => `pm-burst-${i}`);
    const f = file('burst', podsManifest(names, 1));
    const play = await peer.play(f);
    r.load.podmanBurst = loadAverage();
    await delay(5_000);
    const pss = machineryPssKb(peer.root, ['catatonit', 'pause']);
    const down = await peer.down(f);
    r.podmanBurst = {
      pods: BURST,
      allReadyMs: play.ms,
      deleteAllMs: down.ms,
      pssKbPerPod: pss.kb / BURST,
      conmons: pss.conmons,
      infra: pss.infra,
    };
  } finally {
    await peer.dispose();
  }
}

function podmanAvailable(): boolean {
  try {
    execFileSync('podman', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

function ms(n: number | undefined): string {
  return n === undefined || Number.isNaN(n) ? 'not measured' : `${n.toFixed(0)} ms`;
}

function report(r: Results): string {
  const lines: string[] = [];
  const row = (...cells: string[]): void => void lines.push(`| ${cells.join(' | ')} |`);
  row('measure', 'podbay', 'floor', 'podman', 'podbay / floor', 'podbay / podman');
  row('---', '---', '---', '---', '---', '---');
  const ratio = (a: number | undefined, b: number | undefined): string =>
    a === undefined || b === undefined || !b ? '—' : `${(a / b).toFixed(2)}×`;
  for (const k of KINDS) {
    const pb = r.podbay?.[k];
    const fl = r.floor[k]?.map((s) => s.startMs) ?? [];
    const pm = r.podman?.[k];
    for (const p of [50, 99]) {
      const a = pb ? percentile(pb.start, p) : undefined;
      const b = fl.length ? percentile(fl, p) : undefined;
      const c = pm ? percentile(pm.start, p) : undefined;
      row(`start ${k} container${k > 1 ? 's' : ''} p${p}`, ms(a), ms(b), ms(c), ratio(a, b), ratio(a, c));
    }
    if (pb?.apply) {
      row(`  of which the kubectl apply process, p50`, ms(percentile(pb.apply, 50)), '—', '—', '—', '—');
    }
    if (pb?.apiStart?.length) {
      for (const p of [50, 99]) {
        const a = percentile(pb.apiStart, p);
        const b = fl.length ? percentile(fl, p) : undefined;
        const c = pm ? percentile(pm.start, p) : undefined;
        row(`start ${k} via the API (POST → Ready, no kubectl) p${p}`, ms(a), ms(b), ms(c), ratio(a, b), ratio(a, c));
      }
    }
    for (const p of [50, 99]) {
      const a = pb ? percentile(pb.del, p) : undefined;
      const b = r.floor[k]?.length
        ? percentile(
            r.floor[k].map((s) => s.deleteMs),
            p,
          )
        : undefined;
      const c = pm ? percentile(pm.del, p) : undefined;
      row(`delete ${k} container${k > 1 ? 's' : ''} p${p}`, ms(a), ms(b), ms(c), ratio(a, b), ratio(a, c));
    }
    if (pb?.apiDel?.length) {
      const a = percentile(pb.apiDel, 50);
      row(`delete ${k} via the API (DELETE → gone) p50`, ms(a), '—', '—', '—', '—');
    }
  }
  const fl1 = r.floor[1] ?? [];
  if (fl1.length) {
    row(
      'floor steps p50 (netns / CNI ADD / runc run -d)',
      '—',
      `${percentile(
        fl1.map((s) => s.netnsMs),
        50,
      ).toFixed(0)} / ${percentile(
        fl1.map((s) => s.cniAddMs),
        50,
      ).toFixed(0)} / ${percentile(
        fl1.map((s) => s.runcMs[0]!),
        50,
      ).toFixed(0)} ms`,
      '—',
      '—',
      '—',
    );
  }
  const pb = r.podbayBurst;
  const pm = r.podmanBurst;
  const rate = (b: BurstResult | undefined): number | undefined => (b ? b.pods / (b.allReadyMs / 1000) : undefined);
  const f1 = (n: number | undefined, unit: string): string =>
    n === undefined ? 'not measured' : `${n.toFixed(1)} ${unit}`;
  row(
    `burst of ${BURST}: all started`,
    ms(pb?.allReadyMs),
    '—',
    ms(pm?.allReadyMs),
    '—',
    ratio(pb?.allReadyMs, pm?.allReadyMs),
  );
  row(`burst rate`, f1(rate(pb), 'Pods/s'), '—', f1(rate(pm), 'Pods/s'), '—', ratio(rate(pb), rate(pm)));
  row(
    `burst: all deleted`,
    ms(pb?.deleteAllMs),
    '—',
    ms(pm?.deleteAllMs),
    '—',
    ratio(pb?.deleteAllMs, pm?.deleteAllMs),
  );
  row(
    'PSS per Pod: conmon + infra (workload excluded)',
    pb ? `${(pb.pssKbPerPod / 1024).toFixed(2)} MiB (${pb.conmons} conmon, ${pb.infra} infra)` : 'not measured',
    '—',
    pm ? `${(pm.pssKbPerPod / 1024).toFixed(2)} MiB (${pm.conmons} conmon, ${pm.infra} infra)` : 'not measured',
    '—',
    ratio(pb?.pssKbPerPod, pm?.pssKbPerPod),
  );
  if (r.agent) {
    row(
      `agent RSS: before the burst / idle with ${BURST} Pods running (growth per Pod)`,
      `${r.agent.rssStartMb.toFixed(0)} / ${r.agent.rssIdleMb.toFixed(0)} MB (${(((r.agent.rssIdleMb - r.agent.rssStartMb) / BURST) * 1000).toFixed(0)} kB)`,
      '—',
      'no daemon',
      '—',
      '—',
    );
    row(
      `agent CPU idle (${r.agent.idleSeconds} s, burst running)`,
      `${r.agent.cpuIdlePct.toFixed(2)} % of a core`,
      '—',
      '—',
      '—',
      '—',
    );
  }
  lines.push('');
  lines.push(
    `load average (1/5/15 min) after each phase: ${Object.entries(r.load)
      .map(([k, v]) => `${k} ${v}`)
      .join('; ')}`,
  );
  if (r.missing.length) {
    lines.push(`missing: ${r.missing.join('; ')}`);
  }
  return lines.join('\n');
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'podbay-bench-startup-'));
  const r: Results = { load: { begin: loadAverage() }, floor: {}, missing: [] };
  log(`runs ${RUNS}, burst ${BURST}, podbay ${PODBAY}, dir ${dir}, load ${r.load.begin}`);
  try {
    // A failed phase is reported as missing (with its error); the others still run.
    const phase = async (name: string, fn: () => Promise<void>): Promise<void> => {
      try {
        await fn();
        log(`${name} done`);
      } catch (e) {
        log(`${name} failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
        r.missing.push(`${name} (failed: ${e instanceof Error ? e.message.split('\n')[0] : String(e)})`);
      }
    };
    await phase('floor', () => runFloor(dir, r));
    await phase('podbay', () => runPodbay(dir, r));
    if (values['no-podman']) {
      r.missing.push('podman (--no-podman)');
    } else if (!podmanAvailable()) {
      r.missing.push('podman (not installed: apt-get install -y podman)');
    } else {
      await phase('podman', () => runPodman(dir, r));
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  process.stdout.write(report(r) + '\n');
  process.stdout.write(`\nraw: ${JSON.stringify(r)}\n`);
}

await main();
