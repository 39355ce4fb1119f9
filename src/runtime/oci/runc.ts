// The runc commands the oci runtime issues itself (create and start of the
// process go through conmon, see conmon.ts). All take runc's `--root`, a
// state directory of podbay's own, so `runc list` there shows exactly
// podbay's containers.
import { runCommand } from './run-command.js';

export const RUNC_BINARY = '/usr/sbin/runc';

export type RuncStatus = 'creating' | 'created' | 'running' | 'paused' | 'stopped';

export interface RuncState {
  id: string;
  pid: number;
  status: RuncStatus;
}

export class Runc {
  constructor(
    /** runc --root: its state directory. */
    readonly root: string,
    readonly binary: string = RUNC_BINARY,
  ) {}

  /** Global args every invocation starts with (also handed to conmon as --runtime-arg). */
  get globalArgs(): string[] {
    return ['--root', this.root];
  }

  /** `runc state`; undefined when runc does not know the container. */
  async state(id: string): Promise<RuncState | undefined> {
    const r = await runCommand(this.binary, [...this.globalArgs, 'state', id]);
    if (r.code !== 0) {
      if (/does not exist|not exist/i.test(r.stderr)) {
        return undefined;
      }
      throw new Error(`runc state ${id}: ${r.stderr.trim()}`);
    }
    const s = JSON.parse(r.stdout) as { id: string; pid: number; status: RuncStatus };
    return { id: s.id, pid: s.pid, status: s.status };
  }

  /** Ids runc knows under this root. */
  async list(): Promise<RuncState[]> {
    const r = await runCommand(this.binary, [...this.globalArgs, 'list', '--format', 'json']);
    if (r.code !== 0) {
      throw new Error(`runc list: ${r.stderr.trim()}`);
    }
    const parsed = JSON.parse(r.stdout || 'null') as RuncState[] | null;
    return (parsed ?? []).map((s) => ({ id: s.id, pid: s.pid, status: s.status }));
  }

  /** `runc start`: runs the process of a created container. */
  async start(id: string): Promise<void> {
    const r = await runCommand(this.binary, [...this.globalArgs, 'start', id]);
    if (r.code !== 0) {
      throw new Error(`runc start: ${r.stderr.trim()}`);
    }
  }

  /**
   * Sends `signal` to the container's init (all = every process of its
   * cgroup, needed when the container shares a PID namespace and its init
   * is not PID 1). Resolves false when the container is not running.
   */
  async kill(id: string, signal: 'TERM' | 'KILL', all: boolean): Promise<boolean> {
    const r = await runCommand(this.binary, [...this.globalArgs, 'kill', ...(all ? ['--all'] : []), id, signal]);
    return r.code === 0;
  }

  /** `runc delete --force`; a container runc does not know is already deleted. */
  async delete(id: string): Promise<void> {
    const r = await runCommand(this.binary, [...this.globalArgs, 'delete', '--force', id]);
    if (r.code !== 0 && !/does not exist|not exist/i.test(r.stderr)) {
      throw new Error(`runc delete ${id}: ${r.stderr.trim()}`);
    }
  }

  /** Arguments for `runc exec` of `args` in container `id` (spawned by the caller, which owns the streams). */
  execArgs(id: string, args: string[], options: { tty: boolean; env?: string[] } = { tty: false }): string[] {
    return [
      ...this.globalArgs,
      'exec',
      ...(options.tty ? ['--tty'] : []),
      ...(options.env ?? []).flatMap((e) => ['--env', e]),
      id,
      ...args,
    ];
  }
}
