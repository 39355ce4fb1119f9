// Runs a command to its end and says how long it took (ms, from just before the spawn).
import { spawn } from 'node:child_process';
import { performance } from 'node:perf_hooks';

export interface TimedResult {
  ms: number;
  code: number | null;
  stdout: string;
  stderr: string;
}

export interface TimedOptions {
  stdin?: string;
  env?: NodeJS.ProcessEnv;
  /** Rejects unless the exit code is 0 (default true). */
  check?: boolean;
  /** No pipes: for `runc run -d`, whose container would keep a stdout pipe open. */
  ignoreOutput?: boolean;
}

export function timedCommand(cmd: string, args: string[], opts: TimedOptions = {}): Promise<TimedResult> {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const child = spawn(cmd, args, {
      stdio: opts.ignoreOutput ? 'ignore' : ['pipe', 'pipe', 'pipe'],
      env: opts.env ?? process.env,
    });
    let stdout = '';
    let stderr = '';
    child.stdout?.setEncoding('utf8').on('data', (c: string) => (stdout += c));
    child.stderr?.setEncoding('utf8').on('data', (c: string) => (stderr += c));
    child.stdin?.on('error', () => undefined);
    child.stdin?.end(opts.stdin ?? '');
    child.once('error', reject);
    child.once(opts.ignoreOutput ? 'exit' : 'close', (code: number | null) => {
      const r = { ms: performance.now() - t0, code, stdout, stderr };
      if ((opts.check ?? true) && code !== 0) {
        reject(new Error(`${cmd} ${args.join(' ')} exited ${String(code)}: ${stderr.trim()}`));
      } else {
        resolve(r);
      }
    });
  });
}
