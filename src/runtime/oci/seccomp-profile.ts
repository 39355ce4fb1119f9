// The OCI seccomp filter of a container from its CRI SeccompProfile:
//   Unconfined (or none)  → no filter (Kubernetes' default without SeccompDefault)
//   RuntimeDefault        → podbay's default: everything allowed except the
//                           syscalls that container runtimes' default profiles
//                           block for isolation (kernel keyring, modules,
//                           mounts and namespaces, clock, tracing, reboot, …),
//                           each allowed again when the container holds the
//                           capability that makes it legitimate, as Docker's
//                           and containerd's profiles do
//   Localhost             → the OCI seccomp JSON at localhostRef on the node
// Privileged containers run unconfined (containerd: privileged implies
// unconfined seccomp). A deny-list keeps unknown-but-harmless syscalls
// working; runc skips names the kernel does not know.
import { readFileSync } from 'node:fs';
import type { SeccompProfile } from '../runtime.js';

export interface OciSeccomp {
  defaultAction: string;
  syscalls: { names: string[]; action: string; errnoRet?: number }[];
  architectures?: string[];
}

/** Blocked syscalls and the capability that allows each group again (undefined: always blocked). */
const BLOCKED: { cap: string | undefined; names: string[] }[] = [
  {
    cap: undefined,
    names: ['add_key', 'keyctl', 'request_key', 'lookup_dcookie', 'uselib', 'ustat', 'sysfs', '_sysctl'],
  },
  {
    cap: undefined,
    names: ['userfaultfd', 'nfsservctl', 'vm86', 'vm86old', 'create_module', 'get_kernel_syms', 'query_module'],
  },
  {
    cap: 'CAP_SYS_ADMIN',
    names: ['mount', 'umount', 'umount2', 'pivot_root', 'unshare', 'setns', 'quotactl', 'swapon', 'swapoff'],
  },
  {
    cap: 'CAP_SYS_ADMIN',
    names: ['fsopen', 'fsconfig', 'fsmount', 'fspick', 'move_mount', 'open_tree', 'name_to_handle_at'],
  },
  { cap: 'CAP_SYS_ADMIN', names: ['bpf', 'perf_event_open', 'fanotify_init', 'lookup_dcookie'] },
  { cap: 'CAP_SYS_MODULE', names: ['init_module', 'finit_module', 'delete_module'] },
  { cap: 'CAP_SYS_BOOT', names: ['reboot', 'kexec_load', 'kexec_file_load'] },
  {
    cap: 'CAP_SYS_TIME',
    names: [
      'settimeofday',
      'stime',
      'clock_settime',
      'clock_settime64',
      'clock_adjtime',
      'clock_adjtime64',
      'adjtimex',
    ],
  },
  { cap: 'CAP_SYS_PTRACE', names: ['ptrace', 'process_vm_readv', 'process_vm_writev', 'kcmp'] },
  { cap: 'CAP_SYS_PACCT', names: ['acct'] },
  { cap: 'CAP_SYS_RAWIO', names: ['iopl', 'ioperm'] },
  { cap: 'CAP_SYS_NICE', names: ['mbind', 'set_mempolicy', 'get_mempolicy', 'move_pages'] },
  { cap: 'CAP_DAC_READ_SEARCH', names: ['open_by_handle_at'] },
  { cap: 'CAP_SYSLOG', names: ['syslog'] },
];

const EPERM = 1;

/** podbay's RuntimeDefault filter for a container holding `caps`. */
export function runtimeDefaultSeccomp(caps: readonly string[]): OciSeccomp {
  const held = new Set(caps);
  const names = [...new Set(BLOCKED.filter((g) => g.cap === undefined || !held.has(g.cap)).flatMap((g) => g.names))];
  return { defaultAction: 'SCMP_ACT_ALLOW', syscalls: [{ names, action: 'SCMP_ACT_ERRNO', errnoRet: EPERM }] };
}

/** The filter for a container, or undefined for none. Throws for an unreadable Localhost profile. */
export function seccompFor(
  profile: SeccompProfile | undefined,
  privileged: boolean,
  caps: readonly string[],
): OciSeccomp | undefined {
  if (privileged || !profile || profile.type === 'Unconfined') {
    return undefined;
  }
  if (profile.type === 'RuntimeDefault') {
    return runtimeDefaultSeccomp(caps);
  }
  const path = (profile.localhostRef ?? '').replace(/^localhost\//, '');
  if (!path.startsWith('/')) {
    throw new Error(`seccomp profile ${JSON.stringify(profile.localhostRef)} is not an absolute path on the node`);
  }
  return JSON.parse(readFileSync(path, 'utf8')) as OciSeccomp;
}
