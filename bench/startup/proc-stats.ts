// Numbers bench/startup reads from the clock and /proc: percentiles, the load average,
// a process's RSS and CPU time, and the PSS of process trees.
import { readdirSync, readFileSync } from 'node:fs';
import { loadavg } from 'node:os';

/** Nearest-rank percentile (p in 0..100) of the samples, in their unit. */
export function percentile(samples: number[], p: number): number {
  if (samples.length === 0) {
    return NaN;
  }
  const sorted = [...samples].sort((a, b) => a - b);
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[rank - 1]!;
}

export function loadAverage(): string {
  return loadavg()
    .map((l) => l.toFixed(2))
    .join(' ');
}

/** VmRSS of a process in MB (1e6 bytes), or NaN if it is gone. */
export function rssMb(pid: number): number {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? (Number(m[1]) * 1024) / 1e6 : NaN;
  } catch {
    return NaN;
  }
}

/** utime+stime of a process (all its threads) in clock ticks (USER_HZ = 100 on Linux). */
export function cpuTicks(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // Fields after the parenthesised comm: state is field 3, utime 14, stime 15.
  const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return Number(rest[11]) + Number(rest[12]);
}

export const USER_HZ = 100;

export interface ProcInfo {
  pid: number;
  ppid: number;
  comm: string;
  cmdline: string;
}

export function listProcesses(): ProcInfo[] {
  const out: ProcInfo[] = [];
  for (const d of readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) {
      continue;
    }
    try {
      const stat = readFileSync(`/proc/${d}/stat`, 'utf8');
      const comm = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      const cmdline = readFileSync(`/proc/${d}/cmdline`, 'utf8').replace(/\0/g, ' ');
      out.push({ pid: Number(d), ppid, comm, cmdline });
    } catch {
      // The process went away while being read.
    }
  }
  return out;
}

/** PSS of one process in kB (smaps_rollup), 0 if it is gone. */
export function pssKb(pid: number): number {
  try {
    const m = /^Pss:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8'));
    return m ? Number(m[1]) : 0;
  } catch {
    return 0;
  }
}

/**
 * PSS (kB) of the per-container machinery one system adds: every conmon whose command
 * line contains `marker`, plus the infra processes (comm in `infraComms`) below those
 * conmons. The workload processes (sh, sleep) are left out.
 */
export function machineryPssKb(marker: string, infraComms: string[]): { kb: number; conmons: number; infra: number } {
  const procs = listProcesses();
  const byParent = new Map<number, ProcInfo[]>();
  for (const p of procs) {
    byParent.set(p.ppid, [...(byParent.get(p.ppid) ?? []), p]);
  }
  const conmons = procs.filter((p) => p.comm === 'conmon' && p.cmdline.includes(marker));
  let kb = 0;
  let infra = 0;
  const walk = (pid: number): void => {
    for (const c of byParent.get(pid) ?? []) {
      if (infraComms.includes(c.comm)) {
        kb += pssKb(c.pid);
        infra++;
      }
      walk(c.pid);
    }
  };
  for (const c of conmons) {
    kb += pssKb(c.pid);
    walk(c.pid);
  }
  return { kb, conmons: conmons.length, infra };
}
