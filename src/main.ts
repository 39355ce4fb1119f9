// The composition root (STYLE.md §8): the only place that picks implementations —
// SQLite for the store (memory is for tests), and, from issue 3 on, oci or sim for the
// runtime — and wires them into the functions the CLI calls. Nothing imports this file.
import { readFileSync } from 'node:fs';
import { homedir, hostname } from 'node:os';
import { join } from 'node:path';
import { VERSION_INFO } from './apiserver/discovery/version-info.js';
import { runCli } from './cli/cli.js';
import type { CliIo } from './cli/command.js';
import type { CliImage, ImageWiring } from './cli/image-wiring.js';
import type {
  CliWiring,
  ControlPlaneOptions,
  NodeJoinOptions,
  RunningControlPlane,
  RunningNode,
} from './cli/control-plane.js';
import { ApiClient } from './client/api-client.js';
import { SharedInformers } from './client/shared-informers.js';
import type { Clock } from './lib/clock.js';
import { RealClock } from './lib/clock.js';

/** How long a clean stop may take before the process exits anyway. */
const STOP_DEADLINE_MS = 10_000;

const warn =
  (what: string) =>
  (err: unknown): void =>
    void process.stderr.write(`warning: ${what}: ${err instanceof Error ? err.message : String(err)}\n`);

/** The defaults `up` and `node join` use without --runtime (issue 4: oci on Linux as root). */
const DEFAULT_RUNTIME: 'oci' | 'sim' = 'sim';

/** Where one node's simulated addresses come from (sim IPs are never routed anywhere). */
interface SimAddresses {
  nodeIp: string;
  podCidr: string;
}

/** The i-th in-process sim node: a /24 of pod IPs each, like a node's spec.podCIDR. */
function simAddressesFor(i: number): SimAddresses {
  return {
    nodeIp: `172.30.${Math.floor(i / 250)}.${(i % 250) + 1}`,
    podCidr: `10.${100 + Math.floor(i / 256)}.${i % 256}.0/24`,
  };
}

/** A joined sim node: its /24 from a hash of its name (in 10.128.0.0/10, apart from in-process nodes). */
function simAddressesForName(name: string): SimAddresses {
  let h = 0;
  for (const c of name) {
    h = (Math.imul(h, 31) + c.charCodeAt(0)) >>> 0;
  }
  const block = h % 16_384;
  return {
    nodeIp: `172.31.${block >> 8}.${(block & 255) + 1 === 256 ? 255 : (block & 255) + 1}`,
    podCidr: `10.${128 + (block >> 8)}.${block & 255}.0/24`,
  };
}

interface LocalNodeOptions {
  client: ApiClient;
  clock: Clock;
  nodeName: string;
  runtime: 'oci' | 'sim';
  dataDir: string;
  sim: SimAddresses;
}

/** One node agent and its runtime, in this process. */
async function startLocalNode(o: LocalNodeOptions): Promise<{ close(): Promise<void> }> {
  if (o.runtime === 'oci') {
    throw new Error('the oci runtime is not part of this build yet; use --runtime sim');
  }
  const [{ startNodeAgent }, { SimRuntime }] = await Promise.all([
    import('./node/agent.js'),
    import('./runtime/sim/sim-runtime.js'),
  ]);
  const runtime = new SimRuntime({ clock: o.clock, name: o.nodeName, nodeIp: o.sim.nodeIp, podCidr: o.sim.podCidr });
  const agent = startNodeAgent({
    client: o.client,
    runtime,
    clock: o.clock,
    nodeName: o.nodeName,
    hostIPs: [o.sim.nodeIp],
    logRoot: join(o.dataDir, 'pods'),
    register: {
      addresses: [
        { type: 'InternalIP', address: o.sim.nodeIp },
        { type: 'Hostname', address: o.nodeName },
      ],
    },
    onError: warn(`node ${o.nodeName}`),
  });
  return { close: () => agent.stop() };
}

async function startControlPlane(opts: ControlPlaneOptions): Promise<RunningControlPlane> {
  // Loaded on demand so `podbay help` and `version` start fast and do not load SQLite.
  const [{ startApiServer }, { startCompactor }, { SqliteStore }, { startScheduler }, nodeLifecycle, podGcController] =
    await Promise.all([
      import('./apiserver/server.js'),
      import('./store/compactor.js'),
      import('./store/sqlite/sqlite-store.js'),
      import('./scheduler/scheduler.js'),
      import('./controllers/node-lifecycle/node-lifecycle-controller.js'),
      import('./controllers/pod-gc/pod-gc-controller.js'),
    ]);
  const clock = new RealClock();
  // Everything started so far, stopped in reverse order on failure or close().
  const stops: (() => Promise<void> | void)[] = [];
  const close = async (): Promise<void> => {
    for (const stop of stops.splice(0).reverse()) {
      await stop();
    }
  };
  try {
    // One process per data dir: the store takes an exclusive lock on state.db.
    const store = SqliteStore.open(join(opts.dataDir, 'state.db'));
    stops.push(() => store.close());
    const compactor = startCompactor(store, clock, { onError: warn('compaction failed') });
    stops.push(() => compactor.stop());
    const pkiDir = join(opts.dataDir, 'pki');
    const server = await startApiServer({ store, clock, host: opts.host, port: opts.port, pkiDir });
    // Stop serving first on close (ends watches), then the components, then the store.
    stops.push(() => server.close());
    const client = new ApiClient({
      server: server.url,
      token: server.token,
      caCertPem: server.caCertPem,
      userAgent: 'podbay-controller-manager',
    });
    stops.push(() => client.close());
    const informers = new SharedInformers(client, clock, warn('informer'));
    stops.push(() => informers.stop());
    const scheduler = await startScheduler({ client, clock, informers, onError: warn('scheduler') });
    stops.push(() => scheduler.stop());
    const lifecycle = await nodeLifecycle.startNodeLifecycleController({
      client,
      clock,
      informers,
      gracePeriodMs: opts.nodeMonitorGracePeriodMs,
      onError: warn('node lifecycle controller'),
    });
    stops.push(() => lifecycle.stop());
    const podGc = await podGcController.startPodGC({ client, clock, informers, onError: warn('pod GC') });
    stops.push(() => podGc.stop());

    const nodeNames: string[] = [];
    if (opts.runtime !== 'none') {
      const count = opts.runtime === 'sim' ? opts.simNodes : 1;
      for (let i = 0; i < count; i++) {
        const nodeName = opts.runtime === 'sim' ? `sim-${i + 1}` : hostname().toLowerCase();
        const node = await startLocalNode({
          client,
          clock,
          nodeName,
          runtime: opts.runtime,
          dataDir: opts.dataDir,
          sim: simAddressesFor(i),
        });
        stops.push(() => node.close());
        nodeNames.push(nodeName);
      }
    }
    return {
      url: server.url,
      caCertPem: server.caCertPem,
      caCertPath: join(pkiDir, 'ca.crt'),
      token: server.token,
      nodeNames,
      close,
    };
  } catch (e) {
    await close();
    throw e;
  }
}

async function joinNode(opts: NodeJoinOptions): Promise<RunningNode> {
  const clock = new RealClock();
  const client = new ApiClient({
    server: opts.server,
    token: opts.token,
    caCertPem: opts.caCertPem,
    userAgent: `podbay-node/${opts.nodeName}`,
  });
  try {
    // Fail fast with the server's answer (wrong token, wrong CA, nothing listening)
    // instead of an agent that retries forever.
    await client.namespaces.get(undefined, 'default');
    const node = await startLocalNode({
      client,
      clock,
      nodeName: opts.nodeName,
      runtime: opts.runtime,
      dataDir: opts.dataDir,
      sim: simAddressesForName(opts.nodeName),
    });
    return {
      nodeName: opts.nodeName,
      async close() {
        await node.close();
        client.close();
      },
    };
  } catch (e) {
    client.close();
    throw e;
  }
}

function readPodbayVersion(): string {
  // dist/src/main.js → the repository's package.json.
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version?: string };
  return pkg.version ?? 'unknown';
}

/**
 * The first SIGINT or SIGTERM asks the foreground command to stop; a second one, or a
 * stop that outlasts STOP_DEADLINE_MS, ends the process at once.
 */
function waitForStop(): Promise<string> {
  return new Promise((resolve) => {
    let stopping = false;
    const onSignal = (signal: NodeJS.Signals): void => {
      if (stopping) {
        process.stderr.write(`received ${signal} again, exiting now\n`);
        process.exit(130);
      }
      stopping = true;
      setTimeout(() => {
        process.stderr.write(`error: podbay did not stop within ${STOP_DEADLINE_MS / 1000}s, exiting\n`);
        process.exit(1);
      }, STOP_DEADLINE_MS).unref();
      resolve(signal);
    };
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
  });
}

const io: CliIo = {
  out: (text) => void process.stdout.write(text),
  err: (text) => void process.stderr.write(text),
  waitForStop,
  uid: process.getuid?.() ?? -1,
  home: homedir(),
};

/** `podbay image …` over src/images, loaded on first use so other commands do not pay for it. */
const images: ImageWiring = {
  stderrIsTerminal: process.stderr.isTTY === true,
  open(dataDir) {
    const service = import('./images/image-service.js').then(({ ImageService }) => new ImageService(dataDir));
    const cli = (i: CliImage): CliImage => ({
      id: i.id,
      repoTags: i.repoTags,
      repoDigests: i.repoDigests,
      size: i.size,
      platform: i.platform,
    });
    return {
      list: async () => (await (await service).list()).map(cli),
      load: async (path) => (await (await service).load(path)).map(cli),
      importRootfs: async (dirOrTar, ref) => cli(await (await service).importRootfs(dirOrTar, ref)),
      tag: async (src, dst) => cli(await (await service).tag(src, dst)),
      remove: async (refOrId) => (await service).untag(refOrId),
      pull: async (ref, opts) => cli(await (await service).pull(ref, opts)),
    };
  },
};

const wiring: CliWiring = {
  startControlPlane,
  joinNode,
  defaultRuntime: DEFAULT_RUNTIME,
  version: { podbay: readPodbayVersion(), kubernetes: VERSION_INFO.gitVersion, node: process.version },
  images,
};

// Exit explicitly: a component that forgot to unref a handle must not keep a stopped
// podbay alive (stdout and stderr are synchronous for files and pipes on Linux).
process.exit(await runCli(process.argv.slice(2), { io, wiring }));
