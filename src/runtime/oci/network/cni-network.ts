// PodNetwork over the CNI reference plugins (Debian's containernetworking-
// plugins): what containerd's CRI plugin does through libcni and go-cni, in
// the CNI SPEC's process protocol — each plugin is executed with CNI_COMMAND,
// CNI_CONTAINERID, CNI_NETNS, CNI_IFNAME, CNI_ARGS and CNI_PATH in its
// environment and its JSON configuration on stdin, and answers on stdout.
//
//   createNetns  ip netns add podbay-…   then loopback ADD (lo up)
//   setUp        bridge ADD (→ host-local ADD) → portmap ADD (hostPorts only)
//   tearDown     portmap DEL → bridge DEL (→ host-local DEL), with the cached result
//   removeNetns  ip netns delete
//
// State on disk, under <dataDir>/cni: networks/<network>/<ip> (host-local
// leases) and cache/results/<network>-<sandbox>-eth0 (what DEL needs).
import { constants } from 'node:fs';
import { access } from 'node:fs/promises';
import { basename, delimiter, join } from 'node:path';
import type { PortMapping } from '../../runtime.js';
import type { PodNetwork, PodNetworkRequest } from '../ports.js';
import {
  CNI_VERSION,
  DEFAULT_BRIDGE_NAME,
  DEFAULT_CNI_PLUGIN_DIR,
  DEFAULT_NETWORK_NAME,
  DEFAULT_POD_CIDR,
  buildCniConflist,
} from './cni-conflist.js';
import type { CniConflist, CniPluginConf } from './cni-conflist.js';
import { cniPluginError } from './cni-plugin-error.js';
import { CniResultCache } from './cni-result-cache.js';
import type { CniPortMapping } from './cni-result-cache.js';
import { parseCniResult, primaryIPv4 } from './cni-result.js';
import type { CniResult } from './cni-result.js';
import { addNetns, deleteNetns } from './network-namespaces.js';
import { runCommand } from '../run-command.js';

/** The pod's interface inside its netns (the kubelet's default). */
export const POD_IFNAME = 'eth0';
/** Every netns podbay makes is named podbay-…, so leftovers are recognisable and nothing else is ever deleted. */
export const NETNS_NAME_PREFIX = 'podbay-';
/** Plugins the network cannot work without; portmap is needed for hostPorts. */
export const REQUIRED_PLUGINS = ['bridge', 'host-local', 'loopback', 'portmap'] as const;

export interface CniNetworkOptions {
  /** The podbay data dir; CNI state lives in <dataDir>/cni. */
  dataDir: string;
  /** IPv4 pod CIDR (default 10.85.0.0/16). */
  podCidr?: string;
  /** Node bridge (default podbay0). */
  bridgeName?: string;
  /** CNI network name (default podbay). */
  networkName?: string;
  /** Where the plugin binaries are (default /usr/lib/cni). */
  pluginDir?: string;
  /** Masquerade pod traffic leaving the pod CIDR (default false: nothing is routed off the machine). */
  ipMasq?: boolean;
  mtu?: number;
  /** iproute2's ip (default "ip" on PATH). */
  ipCommand?: string;
}

type CniCommand = 'ADD' | 'DEL' | 'CHECK';

interface Invocation {
  containerId: string;
  netns: string;
  ifName: string;
  /** CNI_ARGS pairs. */
  args: [string, string][];
}

/** portmap sets up iptables rules; iptables lives in sbin, which a daemon's PATH may lack. */
function pluginPath(): string {
  const dirs = (process.env.PATH ?? '').split(delimiter).filter((d) => d !== '');
  for (const d of ['/usr/local/sbin', '/usr/local/bin', '/usr/sbin', '/usr/bin', '/sbin', '/bin']) {
    if (!dirs.includes(d)) {
      dirs.push(d);
    }
  }
  return dirs.join(delimiter);
}

function toCniPortMappings(mappings: readonly PortMapping[]): CniPortMapping[] {
  return mappings
    .filter((m) => m.hostPort > 0)
    .map((m) => ({
      hostPort: m.hostPort,
      containerPort: m.containerPort,
      protocol: m.protocol.toLowerCase() as CniPortMapping['protocol'],
      ...(m.hostIp ? { hostIP: m.hostIp } : {}),
    }));
}

/** K8S_POD_* CNI_ARGS as the kubelet passes them (IgnoreUnknown: plugins that do not know them must not fail). */
function podArgs(req: PodNetworkRequest): [string, string][] {
  return [
    ['IgnoreUnknown', '1'],
    ['K8S_POD_NAMESPACE', req.podNamespace],
    ['K8S_POD_NAME', req.podName],
    ['K8S_POD_INFRA_CONTAINER_ID', req.sandboxId],
    ['K8S_POD_UID', req.podUid],
  ];
}

export class CniNetwork implements PodNetwork {
  readonly conflist: CniConflist;
  readonly pluginDir: string;
  /** host-local's dataDir: <dataDir>/cni/networks. */
  readonly ipamDataDir: string;
  readonly cache: CniResultCache;
  private readonly ipCommand: string;

  constructor(o: CniNetworkOptions) {
    this.pluginDir = o.pluginDir ?? DEFAULT_CNI_PLUGIN_DIR;
    this.ipamDataDir = join(o.dataDir, 'cni', 'networks');
    this.cache = new CniResultCache(join(o.dataDir, 'cni', 'cache'));
    this.ipCommand = o.ipCommand ?? 'ip';
    this.conflist = buildCniConflist({
      networkName: o.networkName ?? DEFAULT_NETWORK_NAME,
      bridgeName: o.bridgeName ?? DEFAULT_BRIDGE_NAME,
      podCidr: o.podCidr ?? DEFAULT_POD_CIDR,
      ipamDataDir: this.ipamDataDir,
      ipMasq: o.ipMasq ?? false,
      ...(o.mtu !== undefined ? { mtu: o.mtu } : {}),
    });
  }

  get bridgeName(): string {
    return String(this.conflist.plugins[0]?.bridge);
  }

  /** Runs one plugin; resolves with its result for ADD, undefined for DEL and CHECK. */
  private async invoke(
    command: CniCommand,
    networkName: string,
    plugin: CniPluginConf,
    inv: Invocation,
    extra: Record<string, unknown>,
  ): Promise<CniResult | undefined> {
    if (!/^[a-z0-9][a-z0-9_-]*$/.test(plugin.type)) {
      throw new Error(`CNI plugin type ${JSON.stringify(plugin.type)} is not a plugin name`);
    }
    const config = { ...plugin, cniVersion: CNI_VERSION, name: networkName, ...extra };
    const r = await runCommand(join(this.pluginDir, plugin.type), [], {
      input: JSON.stringify(config),
      env: {
        PATH: pluginPath(),
        CNI_COMMAND: command,
        CNI_CONTAINERID: inv.containerId,
        CNI_NETNS: inv.netns,
        CNI_IFNAME: inv.ifName,
        CNI_ARGS: inv.args.map(([k, v]) => `${k}=${v}`).join(';'),
        CNI_PATH: this.pluginDir,
      },
      // A plugin waiting forever on the xtables lock must not hang a pod.
      timeoutMs: 60_000,
    });
    if (r.code !== 0) {
      throw cniPluginError(plugin.type, command, r.stdout, r.stderr, `exit ${r.code}`);
    }
    return command === 'ADD' ? parseCniResult(plugin.type, r.stdout) : undefined;
  }

  /** The plugins of `list` a sandbox runs: portmap only when it has hostPort mappings. */
  private static chain(list: CniConflist, mappings: readonly CniPortMapping[]): CniPluginConf[] {
    return list.plugins.filter((p) => p.type !== 'portmap' || mappings.length > 0);
  }

  private static extra(
    plugin: CniPluginConf,
    mappings: readonly CniPortMapping[],
    prevResult: CniResult | undefined,
  ): Record<string, unknown> {
    return {
      ...(prevResult ? { prevResult } : {}),
      ...(plugin.type === 'portmap' ? { runtimeConfig: { portMappings: mappings } } : {}),
    };
  }

  async setUp(req: PodNetworkRequest): Promise<{ ip: string }> {
    const list = this.conflist;
    const mappings = toCniPortMappings(req.portMappings);
    const inv: Invocation = {
      containerId: req.sandboxId,
      netns: req.netnsPath,
      ifName: POD_IFNAME,
      args: podArgs(req),
    };
    let prev: CniResult | undefined;
    try {
      for (const plugin of CniNetwork.chain(list, mappings)) {
        prev = await this.invoke('ADD', list.name, plugin, inv, CniNetwork.extra(plugin, mappings, prev));
      }
      const ip = prev ? primaryIPv4(prev) : undefined;
      if (ip === undefined) {
        throw new Error(`CNI network ${list.name} gave sandbox ${req.sandboxId} no IPv4 address`);
      }
      await this.cache.save({
        kind: 'cniCacheV1',
        containerId: req.sandboxId,
        ifName: POD_IFNAME,
        networkName: list.name,
        netns: req.netnsPath,
        config: list,
        portMappings: mappings,
        result: prev ?? { cniVersion: CNI_VERSION },
      });
      return { ip };
    } catch (err) {
      // Leave nothing behind: undo whatever part of the chain ran (veth, lease, rules).
      await this.del(list, mappings, prev, inv).catch(() => undefined);
      throw err;
    }
  }

  /** DEL through the chain in reverse; every plugin is tried, the first error is thrown at the end. */
  private async del(
    list: CniConflist,
    mappings: readonly CniPortMapping[],
    prevResult: CniResult | undefined,
    inv: Invocation,
  ): Promise<void> {
    let first: Error | undefined;
    for (const plugin of CniNetwork.chain(list, mappings).reverse()) {
      try {
        await this.invoke('DEL', list.name, plugin, inv, CniNetwork.extra(plugin, mappings, prevResult));
      } catch (err) {
        first ??= err instanceof Error ? err : new Error(String(err));
      }
    }
    if (first !== undefined) {
      throw first;
    }
  }

  async tearDown(req: PodNetworkRequest): Promise<void> {
    const name = this.conflist.name;
    const cached = await this.cache.load(name, req.sandboxId, POD_IFNAME);
    const inv: Invocation = {
      containerId: req.sandboxId,
      netns: cached?.netns ?? req.netnsPath,
      ifName: POD_IFNAME,
      args: podArgs(req),
    };
    await this.del(
      cached?.config ?? this.conflist,
      cached?.portMappings ?? toCniPortMappings(req.portMappings),
      cached?.result,
      inv,
    );
    await this.cache.remove(name, req.sandboxId, POD_IFNAME);
  }

  /**
   * The sandboxes set up on this network and not torn down, with their netns
   * paths: after a restart the runtime tears down those it no longer knows
   * (a crash between ADD and recording the sandbox leaves one behind).
   */
  async listSetUp(): Promise<{ sandboxId: string; netnsPath: string }[]> {
    const entries = await this.cache.list(this.conflist.name);
    return entries.map((e) => ({ sandboxId: e.containerId, netnsPath: e.netns }));
  }

  /** CNI CHECK of a set-up sandbox: each plugin verifies what it made (veth, address, lease, rules). */
  async check(req: PodNetworkRequest): Promise<void> {
    const cached = await this.cache.load(this.conflist.name, req.sandboxId, POD_IFNAME);
    if (!cached) {
      throw new Error(`sandbox ${req.sandboxId} has no CNI result to check (never set up, or torn down)`);
    }
    const inv: Invocation = { containerId: req.sandboxId, netns: cached.netns, ifName: POD_IFNAME, args: podArgs(req) };
    for (const plugin of CniNetwork.chain(cached.config, cached.portMappings)) {
      await this.invoke(
        'CHECK',
        cached.config.name,
        plugin,
        inv,
        CniNetwork.extra(plugin, cached.portMappings, cached.result),
      );
    }
  }

  async createNetns(name: string): Promise<string> {
    if (!name.startsWith(NETNS_NAME_PREFIX)) {
      throw new Error(`network namespace name ${JSON.stringify(name)} must start with ${NETNS_NAME_PREFIX}`);
    }
    const path = await addNetns(name, this.ipCommand);
    try {
      await this.invoke(
        'ADD',
        `${this.conflist.name}-loopback`,
        { type: 'loopback' },
        { containerId: name, netns: path, ifName: 'lo', args: [] },
        {},
      );
    } catch (err) {
      await deleteNetns(path, this.ipCommand).catch(() => undefined);
      throw err;
    }
    return path;
  }

  async removeNetns(path: string): Promise<void> {
    if (!basename(path).startsWith(NETNS_NAME_PREFIX)) {
      throw new Error(`${path} is not a podbay network namespace (${NETNS_NAME_PREFIX}…)`);
    }
    await deleteNetns(path, this.ipCommand);
  }

  async status(): Promise<{ ready: boolean; message?: string }> {
    const missing: string[] = [];
    for (const p of REQUIRED_PLUGINS) {
      try {
        await access(join(this.pluginDir, p), constants.X_OK);
      } catch {
        missing.push(p);
      }
    }
    if (missing.length > 0) {
      return {
        ready: false,
        message: `cni plugin not initialized: ${missing.join(', ')} not found in ${this.pluginDir} (install containernetworking-plugins)`,
      };
    }
    return { ready: true };
  }

  /**
   * Deletes the node bridge (the one piece of host state shared by all pods;
   * the bridge plugin recreates it on the next ADD). For tests and `podbay
   * down`: only call when no pod is set up on it.
   */
  async removeBridge(): Promise<void> {
    try {
      await access(`/sys/class/net/${this.bridgeName}`);
    } catch {
      return;
    }
    const r = await runCommand(this.ipCommand, ['link', 'delete', this.bridgeName, 'type', 'bridge']);
    if (r.code !== 0) {
      throw new Error(`ip link delete ${this.bridgeName}: ${r.stderr.trim()}`);
    }
  }
}
