// CniNetwork with Debian's real CNI plugins (root): a netns per sandbox, a
// bridge ADD, traffic from the host to the pod IP and through a hostPort, and
// a DEL that leaves no veth, lease, iptables chain, cache entry or netns.
// Each run uses its own bridges (pbt<hex>, pbu<hex>), pod CIDRs (10.251.<n>.0/24,
// 10.253.<n>.0/24; test/oci uses 10.252) and
// netns names (podbay-test-<hex>-…) so leftovers are recognisable and runs
// never collide; everything is removed in after() even when a test fails.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { randomBytes, randomInt } from 'node:crypto';
import { readFile, readdir, stat } from 'node:fs/promises';
import { connect } from 'node:net';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import type { PodNetworkRequest } from '../../src/runtime/oci/ports.js';
import { CniNetwork } from '../../src/runtime/oci/network/cni-network.js';
import { CniPluginError } from '../../src/runtime/oci/network/cni-plugin-error.js';
import { runCommand } from '../../src/runtime/oci/run-command.js';
import { freePort } from '../helpers/free-port.js';
import { makeTempDir } from '../helpers/temp-dir.js';
import type { TempDir } from '../helpers/temp-dir.js';
import { waitFor } from '../helpers/wait-for.js';

const TAG = randomBytes(3).toString('hex');
const BRIDGE = `pbt${TAG}`;
const CIDR = `10.251.${randomInt(0, 256)}.0/24`;
const CIDR_PREFIX = CIDR.split('.').slice(0, 3).join('.') + '.';

let data: TempDir;
let net: CniNetwork;
const netnses = new Set<string>();
const setUp = new Map<string, PodNetworkRequest>();
const children: ChildProcess[] = [];

function request(
  n: number,
  netnsPath: string,
  portMappings: PodNetworkRequest['portMappings'] = [],
): PodNetworkRequest {
  return {
    sandboxId: `${TAG}${String(n).padStart(2, '0')}`.padEnd(64, 'a'),
    podName: `pod-${n}`,
    podNamespace: 'default',
    podUid: `uid-${n}`,
    netnsPath,
    portMappings,
  };
}

async function newNetns(n: number): Promise<string> {
  const path = await net.createNetns(`podbay-test-${TAG}-${n}`);
  netnses.add(path);
  return path;
}

async function up(req: PodNetworkRequest): Promise<string> {
  setUp.set(req.sandboxId, req);
  return (await net.setUp(req)).ip;
}

async function down(req: PodNetworkRequest): Promise<void> {
  await net.tearDown(req);
  setUp.delete(req.sandboxId);
}

async function exists(p: string): Promise<boolean> {
  return stat(p).then(
    () => true,
    () => false,
  );
}

async function sh(cmd: string, args: string[]): Promise<string> {
  const r = await runCommand(cmd, args);
  assert.equal(r.code, 0, `${cmd} ${args.join(' ')}: ${r.stderr}`);
  return r.stdout;
}

/** SIGKILLs every process left in a test netns (a listener nobody connected to), so the netns can go. */
async function killAllIn(netnsPath: string): Promise<void> {
  const r = await runCommand('ip', ['netns', 'pids', netnsPath.split('/').pop() ?? '']);
  for (const pid of r.stdout.split('\n').filter((l) => l !== '')) {
    try {
      process.kill(Number(pid), 'SIGKILL');
    } catch {
      // already gone
    }
  }
}

/** A one-shot TCP server in the netns that greets whoever connects with `text`. */
function listenIn(netnsPath: string, port: number, text: string): ChildProcess {
  const name = netnsPath.split('/').pop() ?? '';
  const child = spawn('ip', ['netns', 'exec', name, 'busybox', 'sh', '-c', `echo ${text} | busybox nc -l -p ${port}`], {
    stdio: 'ignore',
  });
  children.push(child);
  return child;
}

/** Connects to host:port and resolves with what the server sent before closing. */
function fetchGreeting(host: string, port: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const sock = connect({ host, port, timeout: 2000 });
    let got = '';
    sock.on('data', (b: Buffer) => (got += b.toString()));
    sock.on('end', () => {
      sock.destroy();
      resolve(got.trim());
    });
    sock.on('timeout', () => sock.destroy(new Error('timeout')));
    sock.on('error', reject);
  });
}

async function bridgePorts(): Promise<string[]> {
  return readdir(`/sys/class/net/${BRIDGE}/brif`).catch(() => []);
}

async function natRules(): Promise<string> {
  return sh('iptables-save', ['-t', 'nat']);
}

before(async () => {
  assert.equal(process.getuid?.(), 0, 'the CNI tests need root (run make test-unit without root)');
  data = await makeTempDir('podbay-test-cni-');
  net = new CniNetwork({ dataDir: data.path, bridgeName: BRIDGE, podCidr: CIDR, networkName: `podbay-test-${TAG}` });
});

after(async () => {
  for (const c of children) {
    if (c.exitCode === null && c.signalCode === null) {
      c.kill('SIGKILL');
    }
  }
  for (const req of setUp.values()) {
    await net.tearDown(req).catch(() => undefined);
  }
  for (const p of netnses) {
    await killAllIn(p);
    await net.removeNetns(p).catch(() => undefined);
  }
  await net.removeBridge();
  await data.remove();
});

test('the network is ready when the reference plugins are installed', async () => {
  assert.deepEqual(await net.status(), { ready: true });
});

test('createNetns makes a named netns with loopback up, and removeNetns deletes it idempotently', async () => {
  const path = await newNetns(0);
  assert.equal(path, `/run/netns/podbay-test-${TAG}-0`);
  const lo = await sh('ip', ['-n', `podbay-test-${TAG}-0`, '-br', 'link', 'show', 'lo']);
  assert.match(lo, /UP/);
  await net.removeNetns(path);
  assert.equal(await exists(path), false);
  await net.removeNetns(path);
  netnses.delete(path);
});

test('a set-up pod is reachable from the host at its IP, and teardown removes veth, lease and cache', async () => {
  const netns = await newNetns(1);
  const req = request(1, netns);
  const ip = await up(req);
  assert.ok(ip.startsWith(CIDR_PREFIX), `${ip} is in ${CIDR}`);
  assert.equal(ip === `${CIDR_PREFIX}1`, false, 'the first address is the gateway on the bridge');
  assert.equal((await bridgePorts()).length, 1, 'one veth on the bridge');
  const leaseFile = join(net.ipamDataDir, net.conflist.name, ip);
  assert.match(await readFile(leaseFile, 'utf8'), new RegExp(req.sandboxId));
  const route = await sh('ip', ['route', 'get', ip]);
  assert.match(route, new RegExp(`dev ${BRIDGE}`));

  await net.check(req);

  listenIn(netns, 8080, 'hello-from-pod');
  assert.equal(await waitFor(() => fetchGreeting(ip, 8080), { what: 'the pod listener' }), 'hello-from-pod');

  await down(req);
  assert.deepEqual(await bridgePorts(), [], 'no veth left on the bridge');
  assert.equal(await exists(leaseFile), false, 'the IP lease is released');
  assert.deepEqual(await readdir(net.cache.dir), [], 'no cached result left');
  await net.tearDown(req); // idempotent
  await net.removeNetns(netns);
  netnses.delete(netns);
  assert.equal(await exists(netns), false);
});

test('pods set up at once on a bridge that does not exist yet all get their own IP on it', async () => {
  const fresh = new CniNetwork({
    dataDir: data.path,
    bridgeName: `pbu${TAG}`,
    podCidr: `10.253.${randomInt(0, 256)}.0/24`,
    networkName: `podbay-test-${TAG}-fresh`,
  });
  const reqs = await Promise.all([2, 3, 7, 8].map(async (n) => request(n, await newNetns(n))));
  try {
    const ips = await Promise.all(reqs.map(async (r) => (await fresh.setUp(r)).ip));
    assert.equal(new Set(ips).size, 4, `distinct IPs: ${ips.join(' ')}`);
    assert.equal((await readdir(`/sys/class/net/pbu${TAG}/brif`)).length, 4);
  } finally {
    await Promise.all(reqs.map((r) => fresh.tearDown(r)));
    await fresh.removeBridge();
  }
  assert.equal(await exists(`/sys/class/net/pbu${TAG}`), false);
});

test("a hostPort forwards to the pod from the node's addresses and loopback, and teardown removes its rules", async () => {
  const hostPort = await freePort();
  const netns = await newNetns(4);
  const req = request(4, netns, [{ protocol: 'TCP', containerPort: 8081, hostPort }]);
  await up(req);
  const rules = await natRules();
  assert.match(rules, new RegExp(`--dport ${hostPort} .*-j DNAT`));
  const gateway = `${CIDR_PREFIX}1`;
  listenIn(netns, 8081, 'hello-through-hostport');
  assert.equal(
    await waitFor(() => fetchGreeting(gateway, hostPort), { what: 'the hostPort listener' }),
    'hello-through-hostport',
  );
  // portmap's OUTPUT rule and route_localnet make the node's loopback a way in too.
  listenIn(netns, 8081, 'hello-through-localhost');
  assert.equal(
    await waitFor(() => fetchGreeting('127.0.0.1', hostPort), { what: 'the hostPort listener on 127.0.0.1' }),
    'hello-through-localhost',
  );
  await down(req);
  const after = await natRules();
  assert.doesNotMatch(after, new RegExp(`--dport ${hostPort} `), 'no DNAT rule for the hostPort');
  assert.doesNotMatch(after, new RegExp(req.sandboxId), 'no chain or comment naming the sandbox');
});

test('a failing ADD reports the plugin error and leaves no veth or lease behind', async () => {
  const netns = await newNetns(5);
  const req = request(5, netns, [{ protocol: 'TCP', containerPort: 0, hostPort: 18080 }]);
  await assert.rejects(up(req), (err: unknown) => {
    assert.ok(err instanceof CniPluginError, String(err));
    assert.equal(err.plugin, 'portmap');
    assert.match(err.message, /^plugin type="portmap" failed \(add\): /);
    return true;
  });
  setUp.delete(req.sandboxId);
  assert.deepEqual(await bridgePorts(), []);
  const leases = (await readdir(join(net.ipamDataDir, net.conflist.name))).filter((f) => f.startsWith(CIDR_PREFIX));
  assert.deepEqual(leases, []);
});

test('teardown of a sandbox whose netns is already gone still releases its lease', async () => {
  const netns = await newNetns(6);
  const req = request(6, netns);
  const ip = await up(req);
  await net.removeNetns(netns);
  netnses.delete(netns);
  await down(req);
  assert.equal(await exists(join(net.ipamDataDir, net.conflist.name, ip)), false);
  // The kernel frees a deleted netns (and the host end of its veth) in a work queue, a moment later.
  await waitFor(async () => (await bridgePorts()).length === 0, { what: 'the veth to go with its netns' });
});

test('the network is not ready, with the reason, when the plugins are missing', async () => {
  const bare = new CniNetwork({ dataDir: data.path, pluginDir: join(data.path, 'no-plugins') });
  const s = await bare.status();
  assert.equal(s.ready, false);
  assert.match(s.message ?? '', /bridge, host-local, loopback, portmap not found .*containernetworking-plugins/);
});
