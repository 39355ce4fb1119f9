// Starting one conmon per container (conmon 2.1, api-version 1, as podman
// drives it: libpod/oci_conmon_common.go). conmon runs `runc create`,
// reports the container's pid over the sync pipe, then stays as the
// container's parent: it reaps it, writes its exit code to
// `<exitDir>/<id>` and copies its stdio to a CRI-format log
// (`--log-path k8s-file:PATH`). It daemonizes (double fork, setsid), so the
// container outlives the agent; `runc start` is the caller's next step.
import { spawn } from 'node:child_process';
import type { Readable } from 'node:stream';
import type { Runc } from './runc.js';

export const CONMON_BINARY = '/usr/bin/conmon';

export interface ConmonOptions {
  containerId: string;
  bundleDir: string;
  /** runc's pid file of the container's init. */
  containerPidFile: string;
  /** conmon's own pid file. */
  conmonPidFile: string;
  exitDir: string;
  socketDir: string;
  /** Absolute path of the CRI-format log file (its directory must exist). */
  logPath: string;
  terminal: boolean;
  stdin: boolean;
  stdinOnce: boolean;
  runc: Runc;
  /** How long `runc create` may take before the start counts as failed. */
  timeoutMs?: number;
}

/** Spawns conmon and resolves with the container's pid once `runc create` succeeded. */
export function startConmon(o: ConmonOptions): Promise<number> {
  const args = [
    '--api-version',
    '1',
    '-c',
    o.containerId,
    '-u',
    o.containerId,
    '-n',
    o.containerId,
    '-r',
    o.runc.binary,
    '-b',
    o.bundleDir,
    '-p',
    o.containerPidFile,
    '--conmon-pidfile',
    o.conmonPidFile,
    '--exit-dir',
    o.exitDir,
    '--socket-dir-path',
    o.socketDir,
    '-l',
    `k8s-file:${o.logPath}`,
    '--log-level',
    'error',
    ...o.runc.globalArgs.flatMap((a) => ['--runtime-arg', a]),
    ...(o.terminal ? ['--terminal'] : []),
    ...(o.stdin ? ['--stdin'] : []),
    // conmon closes the container's stdin when the first attach client leaves unless told to keep it.
    ...(o.stdin && !o.stdinOnce ? ['--leave-stdin-open'] : []),
  ];
  return new Promise((resolve, reject) => {
    const child = spawn(CONMON_BINARY, args, {
      // fd 3 is the sync pipe: conmon writes {"data": <pid>} (or a negative value and a message) after runc create.
      stdio: ['ignore', 'ignore', 'ignore', 'pipe'],
      env: { ...process.env, _OCI_SYNCPIPE: '3' },
      // conmon writes an `oom` marker into its working directory when the container is
      // OOM-killed (as CRI-O starts it, in the bundle): keep it with the container's files.
      cwd: o.bundleDir,
      detached: true,
    });
    child.unref();
    const sync = child.stdio[3] as Readable;
    let buf = '';
    let settled = false;
    const finish = (err: Error | undefined, pid?: number): void => {
      if (settled) {
        return;
      }
      settled = true;
      clearTimeout(timer);
      sync.destroy();
      if (err) {
        reject(err);
      } else {
        resolve(pid!);
      }
    };
    const timer = setTimeout(
      () => finish(new Error(`conmon: runc create did not finish within ${o.timeoutMs ?? 30_000}ms`)),
      o.timeoutMs ?? 30_000,
    );
    sync.on('data', (b: Buffer) => {
      buf += b.toString('utf8');
      const end = buf.indexOf('}');
      if (end < 0) {
        return;
      }
      try {
        const msg = JSON.parse(buf.slice(0, end + 1)) as { data: number; message?: string };
        if (msg.data > 0) {
          finish(undefined, msg.data);
        } else {
          finish(new Error(`runc create failed: ${(msg.message ?? '').trim() || `code ${msg.data}`}`));
        }
      } catch (e) {
        finish(e instanceof Error ? e : new Error(String(e)));
      }
    });
    sync.on('error', (e) => finish(e));
    sync.on('end', () => finish(new Error('conmon exited before it reported the container pid')));
    child.on('error', (e) => finish(e));
  });
}
