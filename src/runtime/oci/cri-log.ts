// Reading the CRI-format log files conmon writes (`--log-path k8s-file:`):
// one entry per line, `<RFC3339Nano> <stdout|stderr> <F|P> <content>`
// (k8s pkg/kubelet/kuberuntime/logs/logs.go#parseCRILog).
import { closeSync, openSync, readSync, statSync, watch } from 'node:fs';
import type { FSWatcher } from 'node:fs';
import type { LogEntry, LogFollower, LogReadOptions } from '../runtime.js';

/** One CRI log line; undefined for a malformed one (skipped, as the kubelet does with a warning). */
export function parseCriLogLine(line: string): LogEntry | undefined {
  const m = /^(\S+) (stdout|stderr) ([FP]) (.*)$/s.exec(line) ?? /^(\S+) (stdout|stderr) ([FP])$/.exec(line);
  if (!m) {
    return undefined;
  }
  // Date.parse understands milliseconds only: cut the nanoseconds.
  const time = Date.parse(m[1]!.replace(/(\.\d{3})\d+/, '$1'));
  if (Number.isNaN(time)) {
    return undefined;
  }
  return { time, stream: m[2] as 'stdout' | 'stderr', partial: m[3] === 'P', content: m[4] ?? '' };
}

export function parseCriLog(text: string): LogEntry[] {
  const out: LogEntry[] = [];
  for (const line of text.split('\n')) {
    const e = line === '' ? undefined : parseCriLogLine(line);
    if (e) {
      out.push(e);
    }
  }
  return out;
}

/** since first, then the last tailLines (kubectl logs --since --tail). */
export function selectLogEntries(entries: LogEntry[], o: LogReadOptions = {}): LogEntry[] {
  let sel = o.sinceTime === undefined ? entries : entries.filter((e) => e.time >= o.sinceTime!);
  if (o.tailLines !== undefined) {
    sel = o.tailLines <= 0 ? [] : sel.slice(-o.tailLines);
  }
  return sel;
}

/** Reads bytes [from, end) of a file; empty when it does not exist. */
const decoder = new TextDecoder();

function readFrom(path: string, from: number): Uint8Array {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch {
    return new Uint8Array(0);
  }
  try {
    const size = statSync(path).size;
    if (size <= from) {
      return new Uint8Array(0);
    }
    const buf = new Uint8Array(size - from);
    const n = readSync(fd, buf, 0, buf.length, from);
    return buf.subarray(0, n);
  } finally {
    closeSync(fd);
  }
}

function inodeOf(path: string): number | undefined {
  try {
    return statSync(path).ino;
  } catch {
    return undefined;
  }
}

export function readCriLogFile(path: string, o: LogReadOptions = {}): LogEntry[] {
  return selectLogEntries(parseCriLog(decoder.decode(readFrom(path, 0))), o);
}

/**
 * Follows a CRI log file: the selected existing entries synchronously, then
 * each new complete line, until `exited()` is true and the file has no more
 * complete lines, or stop(). Wakes on fs.watch and every pollMs (watches can
 * miss events on some filesystems).
 */
export function followCriLogFile(
  path: string,
  o: LogReadOptions,
  exited: () => boolean,
  onEntry: (e: LogEntry) => void,
  pollMs = 200,
): LogFollower {
  const initial = readFrom(path, 0);
  const lastNl = initial.lastIndexOf(10);
  let offset = lastNl + 1;
  for (const e of selectLogEntries(parseCriLog(decoder.decode(initial.subarray(0, offset))), o)) {
    onEntry(e);
  }
  let inode = inodeOf(path);
  let stopped = false;
  let resolveDone!: () => void;
  const done = new Promise<void>((r) => (resolveDone = r));
  let watcher: FSWatcher | undefined;
  const finish = (): void => {
    if (stopped) {
      return;
    }
    stopped = true;
    clearInterval(timer);
    watcher?.close();
    resolveDone();
  };
  const pump = (): void => {
    if (stopped) {
      return;
    }
    const wasExited = exited();
    try {
      const st = statSync(path);
      if (st.ino !== inode || st.size < offset) {
        // Rotated (another file at the path) or truncated: read it from its start.
        offset = inode === undefined ? offset : 0;
        inode = st.ino;
      }
    } catch {
      // not there (yet)
    }
    const chunk = readFrom(path, offset);
    const nl = chunk.lastIndexOf(10);
    if (nl >= 0) {
      offset += nl + 1;
      for (const e of parseCriLog(decoder.decode(chunk.subarray(0, nl + 1)))) {
        if (o.sinceTime === undefined || e.time >= o.sinceTime) {
          onEntry(e);
        }
      }
    }
    // Checked before reading: everything written before the exit was seen has now been delivered.
    if (wasExited) {
      finish();
    }
  };
  // Not unref'd: a follower keeps the process alive until the container exits or stop().
  const timer = setInterval(pump, pollMs);
  try {
    watcher = watch(path, () => pump());
    watcher.on('error', () => undefined);
    // Node 20 has FSWatcher#unref; @types/node 20.9 lacks it.
    (watcher as unknown as { unref?: () => void }).unref?.();
  } catch {
    // no file yet: polling covers it
  }
  return { stop: finish, done };
}
