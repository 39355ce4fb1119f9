// What a real node reports about its machine (kubelet's cadvisor MachineInfo and
// nodestatus.MachineInfo / NodeAddress setters): cores, memory, the data dir's disk,
// kernel and OS, machine and boot ids, and the node's addresses. Read once at start.
import { readFile, statfs } from 'node:fs/promises';
import { arch, cpus, hostname, networkInterfaces, release, totalmem } from 'node:os';
import type { NodeAddress, NodeSystemInfo } from '../../api/types/index.js';
import type { NodeCapacity } from './node-status.js';

export interface HostFacts {
  capacity: NodeCapacity;
  systemInfo: Partial<NodeSystemInfo>;
  /** InternalIP first (the first non-internal IPv4 address, else 127.0.0.1), then Hostname. */
  addresses: NodeAddress[];
  /** The node's primary IP (status.hostIP of its pods). */
  hostIP: string;
}

async function readTrimmed(path: string): Promise<string> {
  return (await readFile(path, 'utf8').catch(() => '')).trim();
}

/** PRETTY_NAME of os-release(5), as the kubelet reports osImage. */
function prettyName(osRelease: string): string {
  const m = /^PRETTY_NAME=(.*)$/m.exec(osRelease);
  return m ? m[1]!.replace(/^"(.*)"$/, '$1') : 'Linux';
}

/** Go's GOARCH names, which nodeInfo.architecture and the kubernetes.io/arch label use. */
function goArch(a: string): string {
  return (
    (
      { x64: 'amd64', ia32: '386', arm64: 'arm64', arm: 'arm', ppc64: 'ppc64le', s390x: 's390x' } as Record<
        string,
        string
      >
    )[a] ?? a
  );
}

export function primaryIPv4(): string {
  for (const addrs of Object.values(networkInterfaces())) {
    for (const a of addrs ?? []) {
      if (a.family === 'IPv4' && !a.internal) {
        return a.address;
      }
    }
  }
  return '127.0.0.1';
}

export async function readHostFacts(dataDir: string, nodeName: string): Promise<HostFacts> {
  const fs = await statfs(dataDir);
  const hostIP = primaryIPv4();
  return {
    capacity: {
      cpuCores: cpus().length,
      memoryBytes: totalmem(),
      ephemeralStorageBytes: fs.blocks * fs.bsize,
    },
    systemInfo: {
      machineID: await readTrimmed('/etc/machine-id'),
      systemUUID: await readTrimmed('/sys/class/dmi/id/product_uuid'),
      bootID: await readTrimmed('/proc/sys/kernel/random/boot_id'),
      kernelVersion: release(),
      osImage: prettyName(await readTrimmed('/etc/os-release')),
      operatingSystem: 'linux',
      architecture: goArch(arch()),
    },
    addresses: [
      { type: 'InternalIP', address: hostIP },
      { type: 'Hostname', address: nodeName || hostname() },
    ],
    hostIP,
  };
}
