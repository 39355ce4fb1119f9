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
import type { ResourceList } from './api/types/index.js';
import type { Clock } from './lib/clock.js';
import { RealClock } from './lib/clock.js';
import type { NodeRegistrationOptions } from './node/registration/node-registration.js';
import type { VolumeHost } from './node/volumes/volume-host.js';
import type { Runtime } from './runtime/runtime.js';

/** How long a clean stop may take before the process exits anyway. */
const STOP_DEADLINE_MS = 10_000;

const warn =
  (what: string) =>
  (err: unknown): void =>
    void process.stderr.write(`warning: ${what}: ${err instanceof Error ? err.message : String(err)}\n`);

/** The runtime `up` and `node join` use without --runtime: real containers on Linux as root (issue 4). */
const DEFAULT_RUNTIME: 'oci' | 'sim' = process.platform === 'linux' && process.getuid?.() === 0 ? 'oci' : 'sim';

/**
 * Where one sim node's addresses come from. Its IP is a loopback address on Linux
 * (127.0.0.0/8 is all loopback there), so its stream server can listen on it and the
 * apiserver reach it by the node's InternalIP as for a real node; elsewhere 127.0.0.1.
 */
interface SimAddresses {
  nodeIp: string;
  podCidr: string;
}

function loopback(block: number, i: number): string {
  return process.platform === 'linux' ? `127.${block}.${Math.floor(i / 250)}.${(i % 250) + 1}` : '127.0.0.1';
}

/** A stable 32-bit hash of a node name (Java's String.hashCode), to give joined nodes their own ranges. */
function nameHash(name: string): number {
  let h = 0;
  for (const c of name) {
    h = (Math.imul(h, 31) + c.charCodeAt(0)) >>> 0;
  }
  return h;
}

/** The i-th in-process sim node: a /24 of pod IPs each, like a node's spec.podCIDR. */
function simAddressesFor(i: number): SimAddresses {
  return { nodeIp: loopback(1, i), podCidr: `10.${100 + Math.floor(i / 256)}.${i % 256}.0/24` };
}

/** A joined sim node: its /24 and IP from a hash of its name (apart from the in-process nodes'). */
function simAddressesForName(name: string): SimAddresses {
  const block = nameHash(name) % 16_384;
  return { nodeIp: loopback(2, block), podCidr: `10.${128 + (block >> 8)}.${block & 255}.0/24` };
}

/** A joined oci node's own bridge (≤ 15 characters, IFNAMSIZ): podbay0 belongs to \`podbay up\`'s node. */
function bridgeNameFor(nodeName: string): string {
  return `podbay-${nameHash(nodeName).toString(16).padStart(8, '0')}`;
}

interface LocalNodeOptions {
  client: ApiClient;
  clock: Clock;
  nodeName: string;
  runtime: 'oci' | 'sim';
  dataDir: string;
  /** The bearer token the node's stream server accepts (the apiserver's proxy presents it). */
  streamToken: string;
  sim: SimAddresses;
  /** oci: the pod CIDR and the bridge of this node's CNI network. */
  podCidr?: string;
  bridgeName?: string;
}

interface NodeParts {
  runtime: Runtime;
  volumeHost: VolumeHost;
  /** The node's IP: pods' hostIP, the stream server's address. */
  nodeIp: string;
  register: Partial<NodeRegistrationOptions>;
  runtimeType: string;
  nodeAllocatable?: ResourceList;
  close(): void;
}

async function simNode(o: LocalNodeOptions): Promise<NodeParts> {
  const [{ SimRuntime }, { PlainDirVolumeHost }] = await Promise.all([
    import('./runtime/sim/sim-runtime.js'),
    import('./node/volumes/plain-dir-volume-host.js'),
  ]);
  return {
    runtime: new SimRuntime({ clock: o.clock, name: o.nodeName, nodeIp: o.sim.nodeIp, podCidr: o.sim.podCidr }),
    // No root on the sim: memory-backed volumes are plain directories (src/node/volumes/README.md).
    volumeHost: new PlainDirVolumeHost(),
    nodeIp: o.sim.nodeIp,
    register: {
      addresses: [
        { type: 'InternalIP', address: o.sim.nodeIp },
        { type: 'Hostname', address: o.nodeName },
      ],
    },
    runtimeType: 'sim',
    close: () => undefined,
  };
}

async function ociNode(o: LocalNodeOptions): Promise<NodeParts> {
  const [oci, cni, cgroups, imageService, imageSource, volumes, facts, qos, rt] = await Promise.all([
    import('./runtime/oci/oci-runtime.js'),
    import('./runtime/oci/network/cni-network.js'),
    import('./runtime/oci/cgroups/new-cgroup-driver.js'),
    import('./images/image-service.js'),
    import('./images/oci-image-source.js'),
    import('./node/volumes/linux-volume-host.js'),
    import('./node/registration/host-facts.js'),
    import('./node/cm/qos-cgroups.js'),
    import('./runtime/runtime.js'),
  ]);
  const host = await facts.readHostFacts(o.dataDir, o.nodeName);
  const driver = await cgroups.newCgroupDriver();
  // The QoS cgroups exist before any pod cgroup is made under them (qos_container_manager_linux.go#Start).
  await qos.syncQosCgroups(driver, [], {
    cpuMilli: host.capacity.cpuCores * 1000,
    memoryBytes: host.capacity.memoryBytes,
  });
  const images = imageSource.createOciImageSource(new imageService.ImageService(o.dataDir), {
    // The store's pull error codes are a subset of the runtime's (ports.ts contract).
    mapPullError: (e) => new rt.RuntimeError(e.code, e.message, e.pullReason),
  });
  const runtime = await oci.OciRuntime.open({
    dataDir: o.dataDir,
    network: new cni.CniNetwork({
      dataDir: o.dataDir,
      ...(o.podCidr ? { podCidr: o.podCidr } : {}),
      ...(o.bridgeName ? { bridgeName: o.bridgeName } : {}),
    }),
    cgroups: driver,
    images,
    clock: o.clock,
    nodeIp: host.hostIP,
  });
  return {
    runtime,
    volumeHost: new volumes.LinuxVolumeHost(),
    nodeIp: host.hostIP,
    register: { capacity: host.capacity, systemInfo: host.systemInfo, addresses: host.addresses },
    runtimeType: 'oci',
    nodeAllocatable: { cpu: String(host.capacity.cpuCores), memory: String(host.capacity.memoryBytes) },
    close: () => runtime.close(),
  };
}

/** One node agent, its runtime and its stream server, in this process. */
async function startLocalNode(o: LocalNodeOptions): Promise<{ close(): Promise<void> }> {
  const [{ startNodeAgent }, { startAgentStreamServer }] = await Promise.all([
    import('./node/agent.js'),
    import('./node/server/agent-stream-server.js'),
  ]);
  const parts = o.runtime === 'oci' ? await ociNode(o) : await simNode(o);
  let streams;
  try {
    streams = await startAgentStreamServer({
      runtime: parts.runtime,
      clock: o.clock,
      host: parts.nodeIp,
      port: 0,
      token: o.streamToken,
      pods: (ns, name) => o.client.pods.get(ns, name).catch(() => undefined),
      onError: warn(`node ${o.nodeName} streams`),
    });
  } catch (e) {
    parts.close();
    throw e;
  }
  const agent = startNodeAgent({
    client: o.client,
    runtime: parts.runtime,
    clock: o.clock,
    nodeName: o.nodeName,
    hostIPs: [parts.nodeIp],
    runtimeType: parts.runtimeType,
    logRoot: join(o.dataDir, 'pods'),
    volumeHost: parts.volumeHost,
    ...(parts.nodeAllocatable ? { nodeAllocatable: parts.nodeAllocatable } : {}),
    register: { ...parts.register, streamPort: streams.port },
    onError: warn(`node ${o.nodeName}`),
  });
  return {
    async close() {
      await agent.stop();
      await streams.close();
      // oci: containers keep running under conmon; the next start adopts them.
      parts.close();
    },
  };
}

async function startControlPlane(opts: ControlPlaneOptions): Promise<RunningControlPlane> {
  // Loaded on demand so `podbay help` and `version` start fast and do not load SQLite.
  const [
    { startApiServer },
    { ensureToken },
    { createNodeProxyPodStreams, storeNodeGetter },
    { startCompactor },
    { SqliteStore },
    { startScheduler },
    nodeLifecycle,
    podGcController,
  ] = await Promise.all([
    import('./apiserver/server.js'),
    import('./apiserver/auth/pki.js'),
    import('./apiserver/streams/node-proxy-pod-streams.js'),
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
    // The admin token doubles as the token node agents' stream servers accept (one trust domain).
    const token = await ensureToken(pkiDir);
    const podStreams = createNodeProxyPodStreams({ getNode: storeNodeGetter(store), token });
    const server = await startApiServer({ store, clock, host: opts.host, port: opts.port, pkiDir, token, podStreams });
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
          streamToken: server.token,
          sim: simAddressesFor(i),
          ...(opts.podCidr ? { podCidr: opts.podCidr } : {}),
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
      streamToken: opts.token,
      sim: simAddressesForName(opts.nodeName),
      ...(opts.podCidr ? { podCidr: opts.podCidr, bridgeName: bridgeNameFor(opts.nodeName) } : {}),
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
