// One child process, run to completion with its stdin given and its output
// collected: how CNI plugins (CNI SPEC "Protocol parameters": env + stdin
// config → stdout result) and iproute2 are driven.
import { spawn } from 'node:child_process';

export interface CommandResult {
  /** Exit status; null when a signal ended it. */
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export interface RunCommandOptions {
  env?: NodeJS.ProcessEnv;
  input?: string;
  /** Kill (SIGKILL) after this long; a plugin waiting forever on the xtables lock must not hang a pod. */
  timeoutMs?: number;
}

/** Resolves when the process exits, whatever its status; rejects only if it could not be started. */
export function runCommand(
  file: string,
  args: readonly string[],
  opts: RunCommandOptions = {},
): Promise<CommandResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(file, args, { env: opts.env ?? process.env, stdio: ['pipe', 'pipe', 'pipe'] });
    // Our own timer rather than spawn's `timeout`, which is never cleared for a
    // program that fails to start and would hold the event loop for its length.
    const timer = setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs ?? 60_000);
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (b: Buffer) => out.push(b));
    child.stderr.on('data', (b: Buffer) => err.push(b));
    child.once('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
    child.once('close', (code, signal) => {
      clearTimeout(timer);
      resolve({
        code,
        signal,
        stdout: Buffer.concat(out).toString('utf8'),
        stderr: Buffer.concat(err).toString('utf8'),
      });
    });
    // A plugin that exits before reading stdin closes the pipe; that is its answer, not ours to fail on.
    child.stdin.on('error', () => undefined);
    child.stdin.end(opts.input ?? '');
  });
}
