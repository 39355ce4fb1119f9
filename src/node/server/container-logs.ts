// Writes a container's log as kubectl logs shows it (kubelet
// pkg/kubelet/kuberuntime/logs/logs.go#ReadLogs): the content of each CRI log
// entry, a newline after full lines only (a partial 'P' entry continues on the
// next one), with --timestamps the entry's time first in RFC3339Nano with a
// fixed 9-digit fraction, --since/--since-time and --tail selected by the
// runtime, --limit-bytes cutting the output at that many bytes, and -f
// following until the container exits or the client goes away.
import type { ServerResponse } from 'node:http';
import type { PodLogOptions } from '../../api/pod-log-options.js';
import type { LogEntry, LogReadOptions, Runtime } from '../../runtime/runtime.js';

/** logs.go timeFormatOut: RFC3339Nano with a fixed fraction ("2006-01-02T15:04:05.000000000Z07:00"). */
export function formatLogTimestamp(ms: number): string {
  return new Date(ms).toISOString().replace(/\.(\d{3})Z$/, '.$1000000Z');
}

export function formatLogEntry(e: LogEntry, timestamps: boolean): string {
  return (timestamps ? `${formatLogTimestamp(e.time)} ` : '') + e.content + (e.partial ? '' : '\n');
}

/** What the runtime selects for these options at `now` (sinceSeconds counts back from now). */
export function logReadOptions(o: PodLogOptions, now: number): LogReadOptions {
  const r: LogReadOptions = {};
  if (o.tailLines !== undefined) {
    r.tailLines = o.tailLines;
  }
  if (o.sinceTime !== undefined) {
    r.sinceTime = o.sinceTime;
  } else if (o.sinceSeconds !== undefined) {
    r.sinceTime = now - o.sinceSeconds * 1000;
  }
  return r;
}

/** Counts bytes out and says when the limit is reached (logs.go LimitedWriter). */
class LimitedWriter {
  private left: number;
  constructor(
    private readonly res: ServerResponse,
    limit: number | undefined,
  ) {
    this.left = limit ?? Infinity;
  }
  /** Writes what fits; returns false once the limit is reached. */
  write(text: string): boolean {
    if (this.left <= 0) {
      return false;
    }
    let buf = Buffer.from(text, 'utf8');
    if (buf.length > this.left) {
      buf = buf.subarray(0, this.left);
    }
    this.left -= buf.length;
    this.res.write(buf);
    return this.left > 0;
  }
}

/**
 * Answers 200 text/plain with the log of `containerId` and resolves when the
 * answer is complete (or the client went away while following).
 */
export async function serveContainerLogs(
  res: ServerResponse,
  runtime: Pick<Runtime, 'readContainerLog' | 'followContainerLog'>,
  containerId: string,
  o: PodLogOptions,
  now: number,
): Promise<void> {
  const read = logReadOptions(o, now);
  if (!o.follow) {
    const entries = await runtime.readContainerLog(containerId, read);
    res.writeHead(200, { 'Content-Type': 'text/plain' });
    const w = new LimitedWriter(res, o.limitBytes);
    for (const e of entries) {
      if (!w.write(formatLogEntry(e, o.timestamps))) {
        break;
      }
    }
    res.end();
    return;
  }
  const w = new LimitedWriter(res, o.limitBytes);
  let headersSent = false;
  const sendHeaders = (): void => {
    if (!headersSent) {
      headersSent = true;
      res.writeHead(200, { 'Content-Type': 'text/plain', 'Transfer-Encoding': 'chunked' });
      // kubectl needs the headers before the first line arrives (kubectl-contract.md 0.2).
      res.flushHeaders();
    }
  };
  let stopped = false;
  let stopFollower = (): void => {};
  // Existing entries arrive synchronously, inside followContainerLog (which throws NotFound before any).
  const follower = runtime.followContainerLog(containerId, read, (e) => {
    if (stopped) {
      return;
    }
    sendHeaders();
    if (!w.write(formatLogEntry(e, o.timestamps))) {
      stopped = true;
      stopFollower();
    }
  });
  stopFollower = () => follower.stop();
  if (stopped) {
    follower.stop();
  }
  sendHeaders();
  res.once('close', () => follower.stop());
  await follower.done;
  stopped = true;
  if (!res.writableEnded) {
    res.end();
  }
}
