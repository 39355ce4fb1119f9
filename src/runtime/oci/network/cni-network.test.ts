// CniNetwork's side of the CNI protocol, against fake plugins (shell scripts
// that log their environment and stdin and answer like the real ones): which
// plugins run in which order, with what env, config, prevResult and
// runtimeConfig, and how failures are reported and undone. No root needed;
// the real plugins are exercised in test/oci-net/cni-network.test.ts.
import assert from 'node:assert/strict';
import { chmod, mkdir, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import type { PodNetworkRequest } from '../ports.js';
import { CniNetwork } from './cni-network.js';
import { CniPluginError } from './cni-plugin-error.js';

const RESULT = JSON.stringify({
  cniVersion: '1.0.0',
  interfaces: [{ name: 'podbay0' }, { name: 'veth1' }, { name: 'eth0', sandbox: '/run/netns/x' }],
  ips: [{ address: '10.85.0.7/16', gateway: '10.85.0.1', interface: 2 }],
});

const FAKE_PLUGIN = `#!/bin/sh
dir=$(dirname "$0"); type=$(basename "$0")
stdin=$(cat)
printf '%s|%s|%s|%s|%s|%s|%s\\n' "$CNI_COMMAND" "$type" "$CNI_CONTAINERID" "$CNI_NETNS" "$CNI_IFNAME" "$CNI_ARGS" "$CNI_PATH" >> "$dir/calls.log"
printf '%s\\n' "$stdin" >> "$dir/stdin.log"
if [ -e "$dir/fail-$type-$CNI_COMMAND" ]; then
  printf '{"cniVersion":"1.0.0","code":7,"msg":"invalid config","details":"%s says no"}' "$type"
  exit 1
fi
if [ -e "$dir/crash-$type" ]; then
  echo "panic: runtime error" >&2
  exit 2
fi
if [ "$CNI_COMMAND" = ADD ]; then printf '%s' '${RESULT}'; fi
`;

interface Call {
  command: string;
  type: string;
  containerId: string;
  netns: string;
  ifName: string;
  args: string;
  path: string;
  config: Record<string, unknown>;
}

async function fixture(t: { after: (fn: () => Promise<void>) => void }): Promise<{
  dir: string;
  plugins: string;
  net: CniNetwork;
  calls: () => Promise<Call[]>;
  reset: () => Promise<void>;
}> {
  const dir = await mkdtemp(join(tmpdir(), 'podbay-cni-unit-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  const plugins = join(dir, 'plugins');
  await mkdir(plugins);
  for (const p of ['bridge', 'host-local', 'loopback', 'portmap']) {
    await writeFile(join(plugins, p), FAKE_PLUGIN);
    await chmod(join(plugins, p), 0o755);
  }
  const net = new CniNetwork({ dataDir: join(dir, 'data'), pluginDir: plugins });
  const calls = async (): Promise<Call[]> => {
    const lines = (await readFile(join(plugins, 'calls.log'), 'utf8').catch(() => '')).split('\n').filter(Boolean);
    const stdins = (await readFile(join(plugins, 'stdin.log'), 'utf8').catch(() => '')).split('\n').filter(Boolean);
    return lines.map((l, i) => {
      const [command = '', type = '', containerId = '', netns = '', ifName = '', args = '', path = ''] = l.split('|');
      return {
        command,
        type,
        containerId,
        netns,
        ifName,
        args,
        path,
        config: JSON.parse(stdins[i] ?? '{}') as Record<string, unknown>,
      };
    });
  };
  const reset = async (): Promise<void> => {
    await rm(join(plugins, 'calls.log'), { force: true });
    await rm(join(plugins, 'stdin.log'), { force: true });
  };
  return { dir, plugins, net, calls, reset };
}

const SANDBOX = 'a'.repeat(64);

function req(portMappings: PodNetworkRequest['portMappings'] = []): PodNetworkRequest {
  return {
    sandboxId: SANDBOX,
    podName: 'web',
    podNamespace: 'default',
    podUid: 'uid-1',
    netnsPath: '/run/netns/podbay-x',
    portMappings,
  };
}

test('setUp without hostPorts runs bridge ADD alone with the kubelet CNI_ARGS and returns the pod IPv4', async (t) => {
  const f = await fixture(t);
  assert.deepEqual(await f.net.setUp(req()), { ip: '10.85.0.7' });
  const calls = await f.calls();
  assert.deepEqual(
    calls.map((c) => [c.command, c.type]),
    [['ADD', 'bridge']],
  );
  const [c] = calls;
  assert.ok(c);
  assert.equal(c.containerId, SANDBOX);
  assert.equal(c.netns, '/run/netns/podbay-x');
  assert.equal(c.ifName, 'eth0');
  assert.equal(c.path, f.plugins);
  assert.equal(
    c.args,
    `IgnoreUnknown=1;K8S_POD_NAMESPACE=default;K8S_POD_NAME=web;K8S_POD_INFRA_CONTAINER_ID=${SANDBOX};K8S_POD_UID=uid-1`,
  );
  assert.equal(c.config.cniVersion, '1.0.0');
  assert.equal(c.config.name, 'podbay');
  assert.equal(c.config.bridge, 'podbay0');
  assert.equal(c.config.ipMasq, false);
  assert.deepEqual(c.config.ipam, {
    type: 'host-local',
    ranges: [[{ subnet: '10.85.0.0/16' }]],
    routes: [{ dst: '0.0.0.0/0' }],
    dataDir: join(f.dir, 'data', 'cni', 'networks'),
  });
  assert.deepEqual(await readdir(f.net.cache.dir), [`podbay-${SANDBOX}-eth0`]);
});

test('hostPorts chain portmap after bridge with its prevResult and the mappings as runtimeConfig', async (t) => {
  const f = await fixture(t);
  await f.net.setUp(
    req([
      { protocol: 'TCP', containerPort: 80, hostPort: 8080 },
      { protocol: 'UDP', containerPort: 53, hostPort: 5353, hostIp: '127.0.0.1' },
      { protocol: 'TCP', containerPort: 9000, hostPort: 0 },
    ]),
  );
  const calls = await f.calls();
  assert.deepEqual(
    calls.map((c) => [c.command, c.type]),
    [
      ['ADD', 'bridge'],
      ['ADD', 'portmap'],
    ],
  );
  assert.deepEqual(calls[1]?.config.prevResult, JSON.parse(RESULT));
  assert.deepEqual(calls[1]?.config.runtimeConfig, {
    portMappings: [
      { hostPort: 8080, containerPort: 80, protocol: 'tcp' },
      { hostPort: 5353, containerPort: 53, protocol: 'udp', hostIP: '127.0.0.1' },
    ],
  });
});

test('tearDown runs DEL in reverse with the cached result and mappings, then forgets the sandbox', async (t) => {
  const f = await fixture(t);
  await f.net.setUp(req([{ protocol: 'TCP', containerPort: 80, hostPort: 8080 }]));
  await f.reset();
  await f.net.tearDown(req());
  const calls = await f.calls();
  assert.deepEqual(
    calls.map((c) => [c.command, c.type]),
    [
      ['DEL', 'portmap'],
      ['DEL', 'bridge'],
    ],
  );
  assert.deepEqual(calls[0]?.config.runtimeConfig, {
    portMappings: [{ hostPort: 8080, containerPort: 80, protocol: 'tcp' }],
  });
  assert.deepEqual(calls[1]?.config.prevResult, JSON.parse(RESULT));
  assert.deepEqual(await readdir(f.net.cache.dir), []);
});

test('tearDown of an unknown sandbox still runs DEL (releasing a lease a crashed ADD took) and resolves', async (t) => {
  const f = await fixture(t);
  await f.net.tearDown(req());
  const calls = await f.calls();
  assert.deepEqual(
    calls.map((c) => [c.command, c.type, 'prevResult' in c.config]),
    [['DEL', 'bridge', false]],
  );
});

test('tearDown uses the configuration ADD ran with, even after the node options changed', async (t) => {
  const f = await fixture(t);
  await f.net.setUp(req());
  await f.reset();
  const changed = new CniNetwork({ dataDir: join(f.dir, 'data'), pluginDir: f.plugins, podCidr: '10.99.0.0/16' });
  await changed.tearDown(req());
  const [del] = await f.calls();
  assert.deepEqual((del?.config.ipam as { ranges: unknown }).ranges, [[{ subnet: '10.85.0.0/16' }]]);
});

test('a failing plugin is reported with its CNI error and whatever ran is undone', async (t) => {
  const f = await fixture(t);
  await writeFile(join(f.plugins, 'fail-portmap-ADD'), '');
  await assert.rejects(f.net.setUp(req([{ protocol: 'TCP', containerPort: 80, hostPort: 8080 }])), (err: unknown) => {
    assert.ok(err instanceof CniPluginError);
    assert.equal(err.message, 'plugin type="portmap" failed (add): invalid config: portmap says no');
    assert.equal(err.code, 7);
    return true;
  });
  assert.deepEqual(
    (await f.calls()).map((c) => [c.command, c.type]),
    [
      ['ADD', 'bridge'],
      ['ADD', 'portmap'],
      ['DEL', 'portmap'],
      ['DEL', 'bridge'],
    ],
  );
  assert.deepEqual(await readdir(f.net.cache.dir).catch(() => []), []);
});

test('a plugin that crashes without a CNI error is reported with its stderr', async (t) => {
  const f = await fixture(t);
  await writeFile(join(f.plugins, 'crash-bridge'), '');
  await assert.rejects(
    f.net.setUp(req()),
    /^CniPluginError: plugin type="bridge" failed \(add\): panic: runtime error$/,
  );
});

test('a DEL error is reported after every plugin was tried, and the cache is kept for a retry', async (t) => {
  const f = await fixture(t);
  await f.net.setUp(req([{ protocol: 'TCP', containerPort: 80, hostPort: 8080 }]));
  await f.reset();
  await writeFile(join(f.plugins, 'fail-portmap-DEL'), '');
  await assert.rejects(f.net.tearDown(req()), /plugin type="portmap" failed \(del\)/);
  assert.deepEqual(
    (await f.calls()).map((c) => [c.command, c.type]),
    [
      ['DEL', 'portmap'],
      ['DEL', 'bridge'],
    ],
  );
  assert.equal((await readdir(f.net.cache.dir)).length, 1);
});

test('check runs CHECK through the chain with the cached result, and refuses an unknown sandbox', async (t) => {
  const f = await fixture(t);
  await assert.rejects(f.net.check(req()), /has no CNI result to check/);
  await f.net.setUp(req());
  await f.reset();
  await f.net.check(req());
  const calls = await f.calls();
  assert.deepEqual(
    calls.map((c) => [c.command, c.type]),
    [['CHECK', 'bridge']],
  );
  assert.deepEqual(calls[0]?.config.prevResult, JSON.parse(RESULT));
});

test('status is ready with every plugin present and names the missing ones otherwise', async (t) => {
  const f = await fixture(t);
  assert.deepEqual(await f.net.status(), { ready: true });
  await rm(join(f.plugins, 'portmap'));
  assert.deepEqual(await f.net.status(), {
    ready: false,
    message: `cni plugin not initialized: portmap not found in ${f.plugins} (install containernetworking-plugins)`,
  });
});

test('only podbay-… network namespaces are made or deleted', async (t) => {
  const f = await fixture(t);
  await assert.rejects(f.net.createNetns('other-ns'), /must start with podbay-/);
  await assert.rejects(f.net.removeNetns('/run/netns/other-ns'), /not a podbay network namespace/);
  assert.deepEqual(await f.calls(), []);
});

test('listSetUp names the sandboxes set up and not yet torn down', async (t) => {
  const f = await fixture(t);
  assert.deepEqual(await f.net.listSetUp(), []);
  await f.net.setUp(req());
  await f.net.setUp({ ...req(), sandboxId: 'b'.repeat(64), netnsPath: '/run/netns/podbay-y' });
  const other = new CniNetwork({ dataDir: join(f.dir, 'data'), pluginDir: f.plugins, networkName: 'other' });
  await other.setUp({ ...req(), sandboxId: 'c'.repeat(64) });
  assert.deepEqual(
    (await f.net.listSetUp()).sort((a, b) => a.sandboxId.localeCompare(b.sandboxId)),
    [
      { sandboxId: SANDBOX, netnsPath: '/run/netns/podbay-x' },
      { sandboxId: 'b'.repeat(64), netnsPath: '/run/netns/podbay-y' },
    ],
  );
  await f.net.tearDown(req());
  assert.deepEqual(await f.net.listSetUp(), [{ sandboxId: 'b'.repeat(64), netnsPath: '/run/netns/podbay-y' }]);
});
