// The course examples (examples/*.yaml) on real containers (`podbay up --runtime oci`,
// runc under conmon) through the real kubectl (issue 4 item 8): each example's idea is
// asserted the way its header tells a reader to look at it. Then the agent-restart case:
// containers outlive a `kill -9` of podbay, and a new `up` on the same data dir adopts
// them. after() deletes every Pod and checks that no netns, conmon, mount or cgroup of
// this run is left behind. podbay runs in a network namespace of its own (see NETNS).
import assert from 'node:assert/strict';
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, afterEach, test } from 'node:test';
import { freePort } from '../helpers/free-port.js';
import { startPodbay, type PodbayProcess } from '../helpers/podbay-process.js';
import { PODBAY_BIN, REPO_ROOT } from '../helpers/repo-paths.js';
import { waitFor } from '../helpers/wait-for.js';
import { expectSuccess, useCluster } from './e2e-cluster.js';

// The data dir is ours (not useCluster's temp dir): busybox is imported into it before
// `up`, and the restart case starts a second `up` on it.
const scratch = mkdtempSync(join(tmpdir(), 'podbay-ex-'));
const dataDir = join(scratch, 'data');

// podbay runs in a network namespace of its own. `up --runtime oci` always puts pods on
// the bridge podbay0, which outlives podbay, and the CNI bridge plugin refuses a podbay0
// that carries another range ("already has an IP address different from …",
// containernetworking/plugins plugins/main/bridge/bridge.go ensureAddr); sharing the
// range instead would hand out the same pod IPs as another podbay on this machine
// (each has its own host-local store). In its own netns podbay gets its own podbay0; a
// socat on the host's 127.0.0.1:PORT carries kubectl into it. Only the network
// namespace changes (nsenter --net), so /run/netns, mounts and processes are the host's.
const NETNS = `podbay-ex-${randomBytes(4).toString('hex')}`;
const NETNS_PATH = `/run/netns/${NETNS}`;
const POD_CIDR = '10.251.0.0/24';
const UP_ARGS = ['--runtime', 'oci', '--pod-cidr', POD_CIDR];
const WRAPPER = ['nsenter', `--net=${NETNS_PATH}`];

interface ContainerStatus {
  name: string;
  restartCount: number;
  containerID?: string;
  state?: { running?: object; waiting?: { reason?: string }; terminated?: { reason?: string; exitCode?: number } };
  lastState?: { terminated?: { reason?: string; exitCode?: number } };
}
interface PodJson {
  metadata: { name: string };
  status: { phase?: string; qosClass?: string; containerStatuses?: ContainerStatus[] };
}

/** Network namespaces named in the oci runtime's sandbox records, seen during the run. */
const seenNetns = new Set<string>();
/** The podbay started by the restart case (it replaces the one useCluster started). */
let restarted: PodbayProcess | undefined;

// Node 20 runs a file's root-level before() hooks concurrently, so what must happen
// before useCluster's `up` happens here, at load time.
let forwarder: ChildProcess | undefined;
const port = await freePort();
try {
  execFileSync(join(REPO_ROOT, 'scripts/import-busybox.sh'), [PODBAY_BIN, '--data-dir', dataDir], { stdio: 'pipe' });
  execFileSync('ip', ['netns', 'add', NETNS], { stdio: 'pipe' });
  execFileSync('ip', ['-n', NETNS, 'link', 'set', 'lo', 'up'], { stdio: 'pipe' });
  forwarder = spawn(
    'socat',
    [
      `TCP-LISTEN:${port},bind=127.0.0.1,reuseaddr,fork`,
      `EXEC:nsenter --net=${NETNS_PATH} socat STDIO TCP\\:127.0.0.1\\:${port}`,
    ],
    { stdio: 'ignore' },
  );
} catch (e) {
  teardownHost();
  throw e;
}

/** Stops the forwarder, deletes our netns (and the bridge and veths in it), removes the scratch dir. */
function teardownHost(): void {
  forwarder?.kill();
  if (existsSync(NETNS_PATH)) {
    execFileSync('ip', ['netns', 'delete', NETNS], { stdio: 'pipe' });
  }
  rmSync(scratch, { recursive: true, force: true });
}

// Registered before useCluster, so it runs before useCluster's after() stops podbay:
// containers outlive podbay by design, so the Pods go first.
after(async () => {
  await collectNetns();
  await collectPodUids();
  const kubectl = cluster().kubectl;
  try {
    expectSuccess(await kubectl(['delete', 'pods', '--all', '--grace-period=1', '--wait=false']), 'delete pods');
    await waitFor(async () => expectSuccess(await kubectl(['get', 'pods', '-o', 'name'])).trim() === '', {
      timeoutMs: 60_000,
      intervalMs: 500,
      what: 'every pod to be gone',
    });
    await waitFor(() => leftovers().length === 0, { timeoutMs: 30_000, intervalMs: 200, what: 'no leftovers' });
  } finally {
    await restarted?.stop();
  }
});

const cluster = useCluster({ dataDir, port, wrapper: WRAPPER, extraArgs: UP_ARGS, readyTimeoutMs: 60_000 });

after(() => {
  const left = leftovers();
  teardownHost();
  assert.deepEqual(left, [], 'left behind after every pod was deleted');
  // Otherwise the netns check above looked at nothing.
  assert.ok(seenNetns.size >= 10, `the sandbox records named their netns (${[...seenNetns].join(' ')})`);
});

afterEach(async () => {
  await collectNetns();
  await collectPodUids();
});

/** Pod UIDs seen during the run: their cgroups must go with them. */
const seenPodUids = new Set<string>();

async function collectPodUids(): Promise<void> {
  const r = await cluster().kubectl(['get', 'pods', '-o', 'jsonpath={.items[*].metadata.uid}']);
  for (const uid of r.code === 0 ? r.stdout.split(' ').filter((u) => u !== '') : []) {
    seenPodUids.add(uid);
  }
}

/** The pod's cgroup directories (cgroupfs driver: /podbay/kubepods[/<qos>]/pod<uid> in every hierarchy). */
function podCgroups(uid: string): string[] {
  const roots = ['/sys/fs/cgroup', ...readdirSync('/sys/fs/cgroup').map((c) => join('/sys/fs/cgroup', c))];
  return roots.flatMap((root) =>
    ['', 'burstable', 'besteffort']
      .map((qos) => join(root, 'podbay', 'kubepods', qos, `pod${uid}`))
      .filter((d) => existsSync(d)),
  );
}

async function collectNetns(): Promise<void> {
  const walk = async (dir: string): Promise<void> => {
    for (const e of await readdir(dir, { withFileTypes: true }).catch(() => [])) {
      const p = join(dir, e.name);
      if (e.isDirectory() && e.name !== 'layers' && e.name !== 'rootfs' && e.name !== 'merged') {
        await walk(p);
      } else if (e.isFile() && e.name.endsWith('.json')) {
        const text = await readFile(p, 'utf8').catch(() => '');
        for (const m of text.matchAll(/\/run\/netns\/(podbay-[0-9a-f]{12})\b/g)) {
          seenNetns.add(m[1]!);
        }
      }
    }
  };
  await walk(dataDir);
}

/** What this run may leave behind: its netns, conmon processes and mounts. */
function leftovers(): string[] {
  const out: string[] = [];
  for (const uid of seenPodUids) {
    out.push(...podCgroups(uid).map((d) => `cgroup ${d}`));
  }
  for (const ns of seenNetns) {
    if (existsSync(`/run/netns/${ns}`)) {
      out.push(`netns ${ns}`);
    }
  }
  for (const pid of readdirSync('/proc').filter((p) => /^\d+$/.test(p))) {
    let cmd = '';
    try {
      cmd = readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' ');
    } catch {
      continue; // exited meanwhile
    }
    if (cmd.includes('conmon') && cmd.includes(dataDir)) {
      out.push(`conmon ${pid}`);
    }
  }
  for (const line of readFileSync('/proc/self/mountinfo', 'utf8').split('\n')) {
    const mountPoint = line.split(' ')[4];
    if (mountPoint?.startsWith(dataDir)) {
      out.push(`mount ${mountPoint}`);
    }
  }
  return out;
}

/** The pid of the conmon watching a container ("podbay-oci://<id>"), if one runs. */
function conmonOf(containerID: string): string | undefined {
  const id = containerID.replace(/^[a-z-]+:\/\//, '');
  return readdirSync('/proc')
    .filter((p) => /^\d+$/.test(p))
    .find((pid) => {
      try {
        const argv = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
        return argv[0]?.endsWith('conmon') && argv.includes(id) && argv.some((a) => a.startsWith(dataDir));
      } catch {
        return false;
      }
    });
}

async function applyExample(file: string): Promise<void> {
  expectSuccess(await cluster().kubectl(['apply', '-f', join(REPO_ROOT, 'examples', file)]), `apply ${file}`);
}

async function podUid(name: string): Promise<string> {
  return expectSuccess(await cluster().kubectl(['get', 'pod', name, '-o', 'jsonpath={.metadata.uid}']));
}

async function getPod(name: string): Promise<PodJson> {
  return JSON.parse(expectSuccess(await cluster().kubectl(['get', 'pod', name, '-o', 'json']))) as PodJson;
}

async function waitForPhase(name: string, phase: string, timeoutMs = 30_000): Promise<PodJson> {
  return waitFor(
    async () => {
      const pod = await getPod(name);
      return pod.status.phase === phase && pod;
    },
    { timeoutMs, intervalMs: 250, what: `pod ${name} in phase ${phase}` },
  );
}

/** Waits until `kubectl <args>` succeeds with stdout matching re; returns that stdout. */
async function waitForOutput(args: string[], re: RegExp, timeoutMs = 30_000): Promise<string> {
  let last = '';
  return waitFor(
    async () => {
      const r = await cluster().kubectl(args);
      last = `${r.stdout}${r.stderr}`;
      return r.code === 0 && re.test(r.stdout) && r.stdout;
    },
    { timeoutMs, intervalMs: 250, what: `kubectl ${args.join(' ')} to print ${String(re)}` },
  ).catch((e: unknown) => {
    throw new Error(`${e instanceof Error ? e.message : String(e)}\nlast output: ${last}`, { cause: e });
  });
}

const EXAMPLES = [
  '01-localhost-pair.yaml',
  '02-log-collector-sidecar.yaml',
  '03-native-sidecar.yaml',
  '04-init-containers.yaml',
  '05-share-process-namespace.yaml',
  '06-oom-killed.yaml',
  '07-crash-loop.yaml',
  '08-liveness-restart.yaml',
  '09-graceful-termination.yaml',
  '10-qos-classes.yaml',
];
let applied: Promise<void> | undefined;
/** Applies every example once (the first test to need them does), so their waits overlap. */
function examplesApplied(): Promise<void> {
  applied ??= (async () => {
    for (const f of EXAMPLES) {
      await applyExample(f);
    }
  })();
  return applied;
}

test('01: the client container reads the server container’s page over localhost', async () => {
  await examplesApplied();
  await waitForOutput(['logs', 'localhost-pair', '-c', 'client'], /^hello from the server container$/m);
});

test('02: the log collector sidecar prints the app’s lines from the shared emptyDir', async () => {
  await examplesApplied();
  await waitForOutput(['logs', 'log-collector', '-c', 'collector'], /request \d+ served/);
});

test('03: a pod with a native sidecar completes once its main container has', async () => {
  await examplesApplied();
  await waitForPhase('native-sidecar', 'Succeeded', 45_000);
  const shipped = expectSuccess(await cluster().kubectl(['logs', 'native-sidecar', '-c', 'shipper']));
  assert.match(shipped, /step 5 done/);
});

test('04: the app serves the page its init container prepared', async () => {
  await examplesApplied();
  await waitForPhase('init-demo', 'Running');
  const page = await waitForOutput(
    ['exec', 'init-demo', '--', 'wget', '-qO-', 'http://localhost:8080/'],
    /prepared by an init container/,
  );
  assert.equal(page, '<h1>prepared by an init container</h1>\n');
});

test('05: ps sees the other container’s httpd only with shareProcessNamespace', async () => {
  await examplesApplied();
  await Promise.all([waitForPhase('shared-pid', 'Running'), waitForPhase('private-pid', 'Running')]);
  const shared = await waitForOutput(['exec', 'shared-pid', '-c', 'shell', '--', 'ps'], /httpd/);
  assert.match(shared, /^\s*1\s+root\s+\S*catatonit/m, 'PID 1 is the pause process');
  const own = expectSuccess(await cluster().kubectl(['exec', 'private-pid', '-c', 'shell', '--', 'ps']));
  assert.match(own, /sleep infinity/);
  assert.doesNotMatch(own, /httpd/);
});

test('06: a container over its memory limit is OOMKilled with exit code 137', async () => {
  await examplesApplied();
  const hog = await waitFor(
    async () => {
      const cs = (await getPod('oom-demo')).status.containerStatuses?.[0];
      const t = cs?.lastState?.terminated ?? cs?.state?.terminated;
      return t?.reason === 'OOMKilled' && t;
    },
    { timeoutMs: 30_000, intervalMs: 250, what: 'oom-demo OOMKilled' },
  );
  assert.equal(hog.exitCode, 137);
});

test('07: a failing container is restarted in place with CrashLoopBackOff and its previous log kept', async () => {
  await examplesApplied();
  await waitFor(
    async () => {
      const pod = await getPod('crash-loop');
      const cs = pod.status.containerStatuses?.[0];
      return pod.status.phase === 'Running' && cs?.state?.waiting?.reason === 'CrashLoopBackOff' && cs;
    },
    { timeoutMs: 30_000, intervalMs: 250, what: 'crash-loop in CrashLoopBackOff' },
  );
  await waitForOutput(['logs', 'crash-loop', '--previous'], /^starting, then failing$/m);
});

test('08: a failing liveness probe restarts the container', async () => {
  await examplesApplied();
  const app = await waitFor(
    async () => {
      const cs = (await getPod('liveness-demo')).status.containerStatuses?.[0];
      return cs && cs.restartCount >= 1 && cs;
    },
    { timeoutMs: 60_000, intervalMs: 500, what: 'liveness-demo restarted' },
  );
  // The probe kills with SIGTERM; sh as PID 1 ignores it, so SIGKILL ends it after the grace period.
  assert.equal(app.lastState?.terminated?.exitCode, 137);
  const events = expectSuccess(
    await cluster().kubectl(['get', 'events', '--field-selector', 'involvedObject.name=liveness-demo', '-o', 'json']),
  );
  assert.match(events, /Liveness probe failed/);
});

test('09: on delete, the preStop hook runs first, then SIGTERM reaches the container’s trap', async () => {
  await examplesApplied();
  const c = cluster();
  await waitForOutput(['logs', 'graceful'], /^serving$/m);
  const follow = c.kubectl.spawn(['logs', '-f', 'graceful']);
  try {
    await waitFor(() => follow.stdout().includes('serving'), { what: 'the followed log' });
    expectSuccess(await c.kubectl(['delete', 'pod', 'graceful', '--wait=false']));
    await waitFor(() => /preStop: draining\n(.*\n)*SIGTERM: bye/.test(follow.stdout()), {
      timeoutMs: 20_000,
      what: `preStop, then SIGTERM in the log (so far: ${JSON.stringify(follow.stdout())})`,
    });
  } finally {
    follow.child.kill();
  }
});

test('10: each pod gets the QoS class its requests and limits give', async () => {
  await examplesApplied();
  const list = JSON.parse(
    expectSuccess(await cluster().kubectl(['get', 'pods', '-l', 'example=qos', '-o', 'json'])),
  ) as { items: PodJson[] };
  const classes = Object.fromEntries(list.items.map((p) => [p.metadata.name, p.status.qosClass]));
  assert.deepEqual(classes, {
    'qos-besteffort': 'BestEffort',
    'qos-burstable': 'Burstable',
    'qos-guaranteed': 'Guaranteed',
  });
  await Promise.all(['qos-besteffort', 'qos-burstable', 'qos-guaranteed'].map((n) => waitForPhase(n, 'Running')));
});

test('containers survive kill -9 of podbay and a new up on the same data dir adopts them', async () => {
  const c = cluster();
  expectSuccess(
    await c.kubectl([
      'run',
      'survivor',
      '--image=localhost/busybox:latest',
      '--image-pull-policy=IfNotPresent',
      '--',
      'sleep',
      'infinity',
    ]),
  );
  const before = (await waitForPhase('survivor', 'Running')).status.containerStatuses![0]!;
  assert.ok(before.containerID, 'a running container has an id');
  assert.notDeepEqual(podCgroups(await podUid('survivor')), [], 'the pod has its cgroup');
  const conmonBefore = conmonOf(before.containerID);
  assert.ok(conmonBefore, `a conmon watches ${before.containerID}`);
  process.kill(c.podbay.pid, 'SIGKILL');
  assert.equal(await c.podbay.stop(), null, 'podbay died of SIGKILL');
  assert.ok(
    leftovers().some((l) => l.startsWith('conmon')),
    'conmon outlives podbay',
  );

  restarted = await startPodbay({ dataDir, port, wrapper: WRAPPER, extraArgs: UP_ARGS, readyTimeoutMs: 60_000 });
  // A pod created now runs only once the new agent works through its pods, the adopted
  // ones first (it lists them at start); a restart would change the id and the count.
  expectSuccess(
    await c.kubectl([
      'run',
      'newcomer',
      '--image=localhost/busybox:latest',
      '--image-pull-policy=IfNotPresent',
      '--',
      'sleep',
      'infinity',
    ]),
  );
  await waitForPhase('newcomer', 'Running');
  await waitForOutput(['exec', 'survivor', '--', 'echo', 'still here'], /still here/);
  const after = (await waitForPhase('survivor', 'Running')).status.containerStatuses![0]!;
  assert.equal(after.containerID, before.containerID);
  assert.equal(after.restartCount, before.restartCount);
  assert.ok(after.state?.running, 'still running');
  assert.equal(conmonOf(after.containerID), conmonBefore, 'the same conmon, so the same container process');
});
