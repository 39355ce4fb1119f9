// One place that spawns the helper binaries the oci runtime drives (runc,
// mount, umount, nsenter, iproute2, the CNI plugins) and collects their output,
// so every caller gets the same error shape: the binary's stderr in the message.
import { spawn } from 'node:child_process';

export interface CommandResult {
  /** Exit status; 128 + N when signal N ended it (as a shell reports it). */
  code: number;
  /** The signal that ended it, or null. */
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export interface RunCommandOptions {
  /** Bytes for the command's stdin (then closed). */
  input?: string;
  /** Kill the command (SIGKILL) after this many ms. */
  timeoutMs?: number;
  env?: NodeJS.ProcessEnv;
}

/** Runs `file args` to completion; resolves whatever the exit code is. */
export function runCommand(
  file: string,
  args: readonly string[],
  options: RunCommandOptions = {},
): Promise<CommandResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(file, args, {
      stdio: [options.input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
      env: options.env ?? process.env,
    });
    let out = '';
    let err = '';
    child.stdout!.setEncoding('utf8').on('data', (s: string) => (out += s));
    child.stderr!.setEncoding('utf8').on('data', (s: string) => (err += s));
    let timer: NodeJS.Timeout | undefined;
    if (options.timeoutMs !== undefined) {
      timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs);
    }
    child.on('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({
        code: code ?? 128 + signalNumber(signal),
        signal,
        stdout: out,
        stderr: err,
      });
    });
    if (options.input !== undefined && child.stdin) {
      // A child that exits before reading stdin (a CNI plugin that fails early) closes the
      // pipe; that is its answer, not ours to fail on.
      child.stdin.on('error', () => undefined);
      child.stdin.end(options.input);
    }
  });
}

/** Runs the command and rejects with its stderr unless it exits 0. */
export async function runChecked(
  file: string,
  args: readonly string[],
  options: RunCommandOptions = {},
): Promise<string> {
  const r = await runCommand(file, args, options);
  if (r.code !== 0) {
    throw new Error(`${file} ${args.join(' ')}: exit ${r.code}: ${(r.stderr || r.stdout).trim()}`);
  }
  return r.stdout;
}

const SIGNALS: Record<string, number> = { SIGHUP: 1, SIGINT: 2, SIGQUIT: 3, SIGKILL: 9, SIGTERM: 15 };

function signalNumber(signal: NodeJS.Signals | null): number {
  return signal === null ? 0 : (SIGNALS[signal] ?? 1);
}
