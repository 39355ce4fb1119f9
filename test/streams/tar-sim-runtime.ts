// The sim runtime plus a working `tar` for `kubectl cp`: the sim's shell knows no
// tar, so this test runtime runs the host's GNU tar inside a per-test directory
// that stands for the container's filesystem (absolute paths are taken relative
// to it). It lets the real kubectl cp send and receive tar streams through the
// apiserver proxy and the agent's exec over WebSocket, byte for byte.
import { spawn } from 'node:child_process';
import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { ExecSession, StreamOptions } from '../../src/runtime/runtime.js';
import { SimRuntime } from '../../src/runtime/sim/sim-runtime.js';
import type { SimRuntimeOptions } from '../../src/runtime/sim/sim-runtime.js';

export class TarSimRuntime extends SimRuntime {
  /** The tar command lines seen, for assertions. */
  readonly tarCommands: string[][] = [];

  constructor(
    options: SimRuntimeOptions,
    private readonly rootDir: string,
  ) {
    super(options);
  }

  override async exec(containerId: string, cmd: string[], options: StreamOptions): Promise<ExecSession> {
    if (cmd[0] === 'test' && cmd[1] === '-d' && cmd[2]) {
      // kubectl cp asks whether the destination is a directory first.
      const isDir = await stat(join(this.rootDir, cmd[2])).then(
        (st) => st.isDirectory(),
        () => false,
      );
      return finished(options, isDir ? 0 : 1);
    }
    if (cmd[0] !== 'tar') {
      return super.exec(containerId, cmd, options);
    }
    this.tarCommands.push(cmd);
    // Paths inside the "container" are taken relative to rootDir: "/tmp" → "tmp".
    const args = cmd.slice(1).map((a) => (a.startsWith('/') ? a.replace(/^\/+/, '') || '.' : a));
    const child = spawn('tar', args, { cwd: this.rootDir, stdio: ['pipe', 'pipe', 'pipe'] });
    // tar may exit before kubectl stops sending (an error): later writes fail, as with a real process.
    child.stdin.on('error', () => {});
    const exit = new Promise<number>((resolve) => {
      let open = 2;
      const done = (): void => {
        open -= 1;
        if (open === 0) {
          options.stdout?.end();
          options.stderr?.end();
        }
      };
      child.stdout.on('data', (d: Buffer) => options.stdout?.write(d));
      child.stderr.on('data', (d: Buffer) => options.stderr?.write(d));
      child.stdout.on('end', done);
      child.stderr.on('end', done);
      child.on('close', (code) => resolve(code ?? 137));
    });
    const session: ExecSession = {
      resize: () => {},
      exit,
      close: () => child.kill('SIGKILL'),
    };
    if (options.stdin) {
      session.stdin = { write: (c) => child.stdin.write(c), end: () => child.stdin.end() };
    }
    return session;
  }
}

/** A session that already ended with `code` and printed nothing. */
function finished(options: StreamOptions, code: number): ExecSession {
  options.stdout?.end();
  options.stderr?.end();
  const session: ExecSession = { resize: () => {}, exit: Promise.resolve(code), close: () => {} };
  if (options.stdin) {
    session.stdin = { write: () => {}, end: () => {} };
  }
  return session;
}
