// podbay's CNI network configuration list (CNI SPEC "Network configuration
// lists"), as a kubelet/containerd node would have it in /etc/cni/net.d:
//
//   bridge      a node bridge (podbay0) with the gateway address, one veth per
//               pod, hairpin on so a pod reaches itself through a hostPort;
//     host-local  IPAM from the pod CIDR, leases as files under the data dir
//   portmap     hostPort → pod DNAT rules (iptables), only for pods that ask
//
// ipMasq is off by default: pod traffic is never NATed out of the machine
// (ARCHITECTURE.md networking rule). The gateway address on the bridge gives
// the host a connected route to the whole pod CIDR, so every pod IP is
// reachable from the host without further setup.
import { join } from 'node:path';

/** CNI spec version spoken to the plugins (containernetworking-plugins 1.1.1 supports 0.1.0–1.0.0). */
export const CNI_VERSION = '1.0.0';
export const DEFAULT_NETWORK_NAME = 'podbay';
export const DEFAULT_BRIDGE_NAME = 'podbay0';
export const DEFAULT_POD_CIDR = '10.85.0.0/16';
/** Debian's containernetworking-plugins install path. */
export const DEFAULT_CNI_PLUGIN_DIR = '/usr/lib/cni';

export interface CniConflistOptions {
  /** CNI network name (host-local keeps its leases in <ipamDataDir>/<name>). */
  networkName: string;
  bridgeName: string;
  /** IPv4 CIDR the pod IPs come from; the first address is the bridge's (gateway). */
  podCidr: string;
  /** host-local's dataDir. */
  ipamDataDir: string;
  ipMasq: boolean;
  mtu?: number;
}

export interface CniPluginConf {
  type: string;
  [key: string]: unknown;
}

export interface CniConflist {
  cniVersion: string;
  name: string;
  plugins: CniPluginConf[];
}

const IFNAME_MAX = 15; // IFNAMSIZ − 1

/** Checks an IPv4 CIDR ("10.85.0.0/16") with a prefix that leaves room for pods. */
export function checkPodCidr(cidr: string): void {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/.exec(cidr);
  const octets = m ? m.slice(1, 5).map(Number) : [];
  const prefix = m ? Number(m[5]) : -1;
  if (!m || octets.some((o) => o > 255) || prefix < 8 || prefix > 30) {
    throw new Error(`pod CIDR ${JSON.stringify(cidr)} must be an IPv4 network with a prefix from /8 to /30`);
  }
}

export function checkBridgeName(name: string): void {
  if (!/^[A-Za-z0-9_.-]+$/.test(name) || name.length > IFNAME_MAX) {
    throw new Error(`bridge name ${JSON.stringify(name)} must be 1–${IFNAME_MAX} letters, digits, "_", "." or "-"`);
  }
}

export function buildCniConflist(o: CniConflistOptions): CniConflist {
  checkPodCidr(o.podCidr);
  checkBridgeName(o.bridgeName);
  return {
    cniVersion: CNI_VERSION,
    name: o.networkName,
    plugins: [
      {
        type: 'bridge',
        bridge: o.bridgeName,
        isGateway: true,
        ipMasq: o.ipMasq,
        hairpinMode: true,
        ...(o.mtu !== undefined ? { mtu: o.mtu } : {}),
        ipam: {
          type: 'host-local',
          ranges: [[{ subnet: o.podCidr }]],
          routes: [{ dst: '0.0.0.0/0' }],
          dataDir: o.ipamDataDir,
        },
      },
      { type: 'portmap', capabilities: { portMappings: true }, snat: true },
    ],
  };
}

/** host-local's lease directory for a network: one file per leased IP. */
export function leaseDir(ipamDataDir: string, networkName: string): string {
  return join(ipamDataDir, networkName);
}
