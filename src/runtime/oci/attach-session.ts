// Attaching to a container's main process (CRI Attach; kubectl attach and
// `kubectl run -i`). Output comes from the container's CRI log, which conmon
// writes every byte of stdout/stderr (and of the tty) to, so no stream is
// lost to a slow client; from the moment of the attach on. Input goes to
// conmon's attach socket (<bundle>/attach, conmon src/conn_sock.c), a
// SOCK_SEQPACKET socket Node cannot open, through socat; conmon relays it to
// the container's stdin and closes that after the client leaves when the
// container is stdinOnce. A tty resize is a message on conmon's control FIFO
// (<bundle>/ctl: "1 <rows> <cols>", conmon src/ctrl.c).
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { RuntimeError } from '../runtime.js';
import type { ExecSession, LogEntry, LogFollower, StreamOptions, TerminalSize } from '../runtime.js';

export const SOCAT_BINARY = 'socat';

export interface AttachTarget {
  bundleDir: string;
  tty: boolean;
  /** Follows the container's log from its current end; done when the container exits. */
  follow(onEntry: (e: LogEntry) => void): LogFollower;
  /** The exit code once the container has exited. */
  exitCode(): number;
}

export function startAttach(t: AttachTarget, o: StreamOptions): ExecSession {
  const encoder = new TextEncoder();
  let detached = false;
  const follower = t.follow((e) => {
    const sink = e.stream === 'stderr' && !o.tty ? o.stderr : o.stdout;
    sink?.write(encoder.encode(e.partial ? e.content : `${e.content}\n`));
  });
  let input: ExecSession['stdin'];
  if (o.stdin) {
    // A relative socket path: the absolute one can exceed sun_path's 108 bytes.
    const socat = spawn(SOCAT_BINARY, ['STDIO', 'UNIX-CONNECT:attach,type=5'], {
      cwd: t.bundleDir,
      stdio: ['pipe', 'pipe', 'ignore'],
    });
    // conmon also sends output here; it is read (so conmon never blocks on us) and dropped: the log has it.
    socat.stdout.resume();
    socat.stdin.on('error', () => undefined);
    socat.on('error', () => undefined);
    follower.done.then(
      () => socat.kill(),
      () => socat.kill(),
    );
    input = {
      write: (chunk) => {
        if (!socat.stdin.destroyed) {
          socat.stdin.write(Uint8Array.from(chunk));
        }
      },
      end: () => socat.stdin.end(),
    };
  }
  const exit = follower.done.then(() => {
    o.stdout?.end();
    o.stderr?.end();
    return detached ? -1 : t.exitCode();
  });
  return {
    ...(input ? { stdin: input } : {}),
    resize: (size: TerminalSize) => {
      if (!t.tty) {
        return;
      }
      try {
        writeFileSync(join(t.bundleDir, 'ctl'), `1 ${size.height} ${size.width}\n`);
      } catch (e) {
        throw new RuntimeError('Unknown', `resize: ${e instanceof Error ? e.message : String(e)}`);
      }
    },
    exit,
    close: () => {
      detached = true;
      follower.stop();
    },
  };
}
