// Container capabilities as containerd's CRI plugin computes them
// (containerd internal/cri/opts/spec_linux_opts.go#WithCapabilities and
// pkg/oci/spec.go defaultUnixCaps), clamped to what this process itself
// holds: runc cannot grant a capability outside its caller's bounding set
// (this machine lacks CAP_SYS_RESOURCE, MACHINE-NOTES.md).
import type { Capabilities } from '../runtime.js';

/** Linux capability names by bit number (linux/capability.h), 0..40. */
export const CAPABILITY_NAMES = [
  'CAP_CHOWN',
  'CAP_DAC_OVERRIDE',
  'CAP_DAC_READ_SEARCH',
  'CAP_FOWNER',
  'CAP_FSETID',
  'CAP_KILL',
  'CAP_SETGID',
  'CAP_SETUID',
  'CAP_SETPCAP',
  'CAP_LINUX_IMMUTABLE',
  'CAP_NET_BIND_SERVICE',
  'CAP_NET_BROADCAST',
  'CAP_NET_ADMIN',
  'CAP_NET_RAW',
  'CAP_IPC_LOCK',
  'CAP_IPC_OWNER',
  'CAP_SYS_MODULE',
  'CAP_SYS_RAWIO',
  'CAP_SYS_CHROOT',
  'CAP_SYS_PTRACE',
  'CAP_SYS_PACCT',
  'CAP_SYS_ADMIN',
  'CAP_SYS_BOOT',
  'CAP_SYS_NICE',
  'CAP_SYS_RESOURCE',
  'CAP_SYS_TIME',
  'CAP_SYS_TTY_CONFIG',
  'CAP_MKNOD',
  'CAP_LEASE',
  'CAP_AUDIT_WRITE',
  'CAP_AUDIT_CONTROL',
  'CAP_SETFCAP',
  'CAP_MAC_OVERRIDE',
  'CAP_MAC_ADMIN',
  'CAP_SYSLOG',
  'CAP_WAKE_ALARM',
  'CAP_BLOCK_SUSPEND',
  'CAP_AUDIT_READ',
  'CAP_PERFMON',
  'CAP_BPF',
  'CAP_CHECKPOINT_RESTORE',
] as const;

/** containerd pkg/oci/spec.go defaultUnixCaps: the runtime default set. */
export const DEFAULT_CAPABILITIES = [
  'CAP_CHOWN',
  'CAP_DAC_OVERRIDE',
  'CAP_FSETID',
  'CAP_FOWNER',
  'CAP_MKNOD',
  'CAP_NET_RAW',
  'CAP_SETGID',
  'CAP_SETUID',
  'CAP_SETFCAP',
  'CAP_SETPCAP',
  'CAP_NET_BIND_SERVICE',
  'CAP_SYS_CHROOT',
  'CAP_KILL',
  'CAP_AUDIT_WRITE',
];

/** Capability names set in a /proc/<pid>/status Cap* hex mask. */
export function capabilitiesInMask(hex: string): string[] {
  const mask = BigInt(`0x${hex.trim()}`);
  return CAPABILITY_NAMES.filter((_, bit) => (mask >> BigInt(bit)) & 1n);
}

function canonical(name: string): string {
  const upper = name.toUpperCase();
  return upper.startsWith('CAP_') ? upper : `CAP_${upper}`;
}

/**
 * The capability set of a container: the default set (or every capability
 * when privileged), then `add` ("ALL" = every one), then `drop` ("ALL" =
 * none), in containerd's order; finally only those in `bounding` (the
 * caller's own bounding set).
 */
export function computeCapabilities(
  caps: Capabilities | undefined,
  privileged: boolean,
  bounding: readonly string[],
): string[] {
  let set = new Set<string>(privileged ? CAPABILITY_NAMES : DEFAULT_CAPABILITIES);
  if (!privileged && caps) {
    const add = caps.add.map(canonical);
    const drop = caps.drop.map(canonical);
    if (add.includes('CAP_ALL')) {
      set = new Set(CAPABILITY_NAMES);
    }
    if (drop.includes('CAP_ALL')) {
      set.clear();
    }
    for (const c of add) {
      if (c !== 'CAP_ALL') {
        set.add(c);
      }
    }
    for (const c of drop) {
      set.delete(c);
    }
  }
  const allowed = new Set(bounding);
  return [...set].filter((c) => allowed.has(c));
}
