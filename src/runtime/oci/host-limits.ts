// What this process may hand to its containers: its own hard rlimits and
// whether it may lower oom_score_adj. runc fails a container whose config
// asks for more than its caller has ("error setting rlimit type 7"), and a
// process without CAP_SYS_RESOURCE cannot lower oom_score_adj below its own
// value (MACHINE-NOTES.md "Kernel and privileges").
import { readFileSync } from 'node:fs';
import { capabilitiesInMask } from './capabilities.js';

export interface HostLimits {
  /** Hard RLIMIT_NOFILE of this process. */
  nofileHard: number;
  /** The lowest oom_score_adj a child may get (-1000 with CAP_SYS_RESOURCE, else our own value). */
  minOomScoreAdj: number;
  /** This process's capability bounding set (names). */
  bounding: string[];
}

/** Hard limit of the "Max open files" row of a /proc/<pid>/limits text. */
export function parseNofileHard(limits: string): number {
  const row = limits.split('\n').find((l) => l.startsWith('Max open files'));
  const hard = row?.trim().split(/\s+/)[4];
  return hard === undefined || hard === 'unlimited' ? 1048576 : Number(hard);
}

export function readHostLimits(): HostLimits {
  const status = readFileSync('/proc/self/status', 'utf8');
  const capLine = (key: string): string =>
    /^\w+:\s*([0-9a-f]+)/.exec(status.split('\n').find((l) => l.startsWith(key)) ?? '')?.[1] ?? '0';
  const effective = capabilitiesInMask(capLine('CapEff'));
  const own = Number(readFileSync('/proc/self/oom_score_adj', 'utf8').trim());
  return {
    nofileHard: parseNofileHard(readFileSync('/proc/self/limits', 'utf8')),
    minOomScoreAdj: effective.includes('CAP_SYS_RESOURCE') ? -1000 : own,
    bounding: capabilitiesInMask(capLine('CapBnd')),
  };
}
