// Running a process in a running container with `runc exec` (CRI ExecSync
// and Exec). runc exec stays the process's parent until it exits and
// returns its exit code. `--pid-file` gives the exec'd process's host pid,
// so a timeout or close() kills the process itself, not only runc.
//
// With a tty, runc (not detached, no console socket) makes the pty itself
// and copies between it and its own stdio, which must then be a terminal:
// util-linux `script` provides one. A resize sets that terminal's size and
// sends runc SIGWINCH, which runc forwards to the container's pty.
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { RuntimeError } from '../runtime.js';
import type { ExecSession, ExecSyncResult, StreamOptions, TerminalSize } from '../runtime.js';
import type { Runc } from './runc.js';
import { runCommand } from './run-command.js';

function pidFilePath(bundleDir: string): string {
  return join(bundleDir, `exec-${randomBytes(6).toString('hex')}.pid`);
}

function killExecProcess(pidFile: string): void {
  try {
    process.kill(Number(readFileSync(pidFile, 'utf8').trim()), 'SIGKILL');
  } catch {
    // not started yet or already gone
  }
}

export function execSyncIn(
  runc: Runc,
  id: string,
  bundleDir: string,
  cmd: string[],
  timeoutMs: number,
): Promise<ExecSyncResult> {
  const pidFile = pidFilePath(bundleDir);
  return new Promise((resolve, reject) => {
    const child = spawn(runc.binary, execArgs(runc, id, pidFile, cmd, false), { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    let timedOut = false;
    const timer =
      timeoutMs > 0
        ? setTimeout(() => {
            timedOut = true;
            killExecProcess(pidFile);
            child.kill('SIGKILL');
          }, timeoutMs)
        : undefined;
    child.on('error', (e) => {
      clearTimeout(timer);
      rmSync(pidFile, { force: true });
      reject(new RuntimeError('Unknown', `runc exec: ${e.message}`));
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      rmSync(pidFile, { force: true });
      if (timedOut) {
        reject(new RuntimeError('DeadlineExceeded', `command ${JSON.stringify(cmd)} timed out after ${timeoutMs}ms`));
      } else {
        resolve({ stdout, stderr, exitCode: code ?? 137 });
      }
    });
  });
}

function execArgs(runc: Runc, id: string, pidFile: string, cmd: string[], tty: boolean): string[] {
  return [...runc.globalArgs, 'exec', '--pid-file', pidFile, ...(tty ? ['--tty'] : []), id, ...cmd];
}

/** POSIX shell quoting for the command line `script -c` runs. */
function shellQuote(args: string[]): string {
  return args.map((a) => `'${a.replace(/'/g, `'\\''`)}'`).join(' ');
}

/** The first child pid of `pid` (script's child: runc). */
function childPid(pid: number): number | undefined {
  try {
    for (const task of readdirSync(`/proc/${pid}/task`)) {
      const first = readFileSync(`/proc/${pid}/task/${task}/children`, 'utf8').trim().split(/\s+/)[0];
      if (first) {
        return Number(first);
      }
    }
  } catch {
    // gone
  }
  return undefined;
}

export function startExec(runc: Runc, id: string, bundleDir: string, cmd: string[], o: StreamOptions): ExecSession {
  const pidFile = pidFilePath(bundleDir);
  const args = execArgs(runc, id, pidFile, cmd, o.tty);
  let child: ChildProcess;
  if (o.tty) {
    // The outer terminal must pass bytes through untouched: raw, no echo (runc sets raw too, but only once it runs).
    const line = `stty raw -echo; exec ${shellQuote([runc.binary, ...args])}`;
    child = spawn('script', ['-qfec', line, '/dev/null'], { stdio: ['pipe', 'pipe', 'pipe'] });
  } else {
    child = spawn(runc.binary, args, { stdio: [o.stdin ? 'pipe' : 'ignore', 'pipe', 'pipe'] });
  }
  child.stdout!.on('data', (b: Uint8Array) => o.stdout?.write(b));
  child.stderr!.on('data', (b: Uint8Array) => (o.tty ? o.stdout : o.stderr)?.write(b));
  let killed = false;
  let running = !o.tty;
  const pending: (Uint8Array | 'end')[] = [];
  let lastSize: TerminalSize | undefined;
  const stdin = child.stdin;
  const send = (chunk: Uint8Array | 'end'): void => {
    if (!stdin || stdin.destroyed) {
      return;
    }
    if (chunk === 'end') {
      stdin.end();
    } else {
      stdin.write(chunk);
    }
  };
  const applySize = async (size: TerminalSize): Promise<void> => {
    const runcPid = child.pid === undefined ? undefined : childPid(child.pid);
    if (runcPid === undefined) {
      return;
    }
    await runCommand('stty', [
      '-F',
      `/proc/${runcPid}/fd/0`,
      'rows',
      String(size.height),
      'cols',
      String(size.width),
    ]).then(() => {
      try {
        process.kill(runcPid, 'SIGWINCH');
      } catch {
        // exited meanwhile
      }
    });
  };
  // With a tty, input and the first size wait until the process runs (its pid file exists):
  // earlier bytes would meet a terminal runc has not set up yet.
  let waited = 0;
  const poll = o.tty
    ? setInterval(() => {
        waited += 20;
        if (!existsSync(pidFile) && waited < 10_000 && child.exitCode === null) {
          return;
        }
        clearInterval(poll);
        // The size first, so the process sees it before it reads its first input.
        void (lastSize ? applySize(lastSize) : Promise.resolve()).finally(() => {
          running = true;
          pending.splice(0).forEach(send);
        });
      }, 20)
    : undefined;
  const exit = new Promise<number>((resolve, reject) => {
    child.on('error', (e) => reject(new RuntimeError('Unknown', `runc exec: ${e.message}`)));
    child.on('close', (code) => {
      clearInterval(poll);
      rmSync(pidFile, { force: true });
      o.stdout?.end();
      o.stderr?.end();
      resolve(killed ? 137 : (code ?? 137));
    });
  });
  if (o.tty && !o.stdin) {
    // script copies its stdin to the terminal: without an input stream, no input.
    pending.push('end');
  }
  const write = (chunk: Uint8Array | 'end'): void => {
    if (running) {
      send(chunk);
    } else {
      pending.push(chunk);
    }
  };
  return {
    ...(o.stdin && stdin
      ? {
          stdin: {
            write: (chunk: Uint8Array) => write(Uint8Array.from(chunk)),
            end: () => write('end'),
          },
        }
      : {}),
    resize: (size: TerminalSize) => {
      if (!o.tty) {
        return;
      }
      lastSize = size;
      if (running) {
        void applySize(size);
      }
    },
    exit,
    close: () => {
      killed = true;
      killExecProcess(pidFile);
      child.kill('SIGKILL');
    },
  };
}
