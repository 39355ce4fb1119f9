// exec and attach over SPDY/3.1, kubectl's fallback when the WebSocket upgrade is
// refused or KUBECTL_REMOTE_COMMAND_WEBSOCKETS=false (kubelet
// pkg/kubelet/cri/streaming/remotecommand/httpstream.go, protocol
// v4.channel.k8s.io; kubectl-contract.md 8.2): the client opens one stream per
// channel, named by its `streamtype` header (error, stdin, stdout, stderr,
// resize); once all the request asked for exist the process starts; stdin ends
// with the stream's FIN; the exit Status goes out on the error stream, every
// stream is ended and the connection closed.
import type { Status } from '../../api/types/index.js';
import type { Clock } from '../../lib/clock.js';
import type { ByteSink, ExecSession, StreamOptions } from '../../runtime/runtime.js';
import { internalErrorStatus, parseResize } from './channel-protocol.js';
import type { RemoteCommandStreams } from './remote-command-websocket.js';
import type { SpdyStream } from './spdy/spdy-session.js';

export const SPDY_REMOTE_COMMAND_PROTOCOL = 'v4.channel.k8s.io';

/** remotecommandconsts.DefaultStreamCreationTimeout: how long the client has to open its streams. */
export const STREAM_CREATION_TIMEOUT_MS = 30_000;

export interface RemoteCommandSpdyOptions {
  streams: RemoteCommandStreams;
  /** Times the stream creation (the connection closes if the streams are not all there in time). */
  clock: Clock;
  start(options: StreamOptions): Promise<ExecSession>;
  exitStatus(exitCode: number): Status;
  failurePrefix: string;
  /** Ends the connection (after the status is queued). */
  close(): void;
}

type StreamType = 'error' | 'stdin' | 'stdout' | 'stderr' | 'resize';

/** The streams the client opens for these options (httpstream.go#createStreams expectations). */
export function expectedStreamTypes(s: RemoteCommandStreams): StreamType[] {
  const types: StreamType[] = ['error'];
  if (s.stdin) {
    types.push('stdin');
  }
  if (s.stdout) {
    types.push('stdout');
  }
  // With a tty stderr is merged into stdout and no stderr stream is opened.
  if (s.stderr && !s.tty) {
    types.push('stderr');
  }
  if (s.tty) {
    types.push('resize');
  }
  return types;
}

/** Splits concatenated JSON objects (Go's json.Decoder reads resize messages this way). */
export function splitJsonObjects(text: string): { objects: string[]; rest: string } {
  const objects: string[] = [];
  let depth = 0;
  let start = -1;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (inString) {
      if (ch === '\\') {
        i++;
      } else if (ch === '"') {
        inString = false;
      }
      continue;
    }
    if (ch === '"') {
      inString = true;
    } else if (ch === '{') {
      if (depth === 0) {
        start = i;
      }
      depth++;
    } else if (ch === '}' && depth > 0) {
      depth--;
      if (depth === 0) {
        objects.push(text.slice(start, i + 1));
        start = -1;
      }
    }
  }
  return { objects, rest: depth > 0 && start >= 0 ? text.slice(start) : '' };
}

/** Returns the SpdySession onStream handler for one exec/attach connection. */
export function remoteCommandStreamHandler(o: RemoteCommandSpdyOptions): (stream: SpdyStream) => void {
  const expected = expectedStreamTypes(o.streams);
  const got = new Map<StreamType, SpdyStream>();
  let started = false;
  // httpstream.go#waitForStreams: "timed out waiting for client to create streams".
  const creation = o.clock.setTimer(STREAM_CREATION_TIMEOUT_MS, () => {
    if (!started) {
      for (const s of got.values()) {
        s.reset();
      }
      o.close();
    }
  });
  // Bytes on stdin / resize before the process exists are held.
  const heldStdin: Buffer[] = [];
  let stdinEnded = false;
  let session: ExecSession | undefined;
  let resizeText = '';

  const onResize = (chunk: Buffer): void => {
    const { objects, rest } = splitJsonObjects(resizeText + chunk.toString('utf8'));
    resizeText = rest;
    for (const obj of objects) {
      const size = parseResize(Buffer.from(obj));
      if (size) {
        session?.resize(size);
      }
    }
  };

  const run = async (): Promise<void> => {
    const error = got.get('error')!;
    const sink = (s: SpdyStream | undefined): ByteSink | undefined =>
      s ? { write: (chunk) => s.write(chunk), end: () => s.end() } : undefined;
    const options: StreamOptions = { stdin: o.streams.stdin, tty: o.streams.tty };
    const stdout = sink(got.get('stdout'));
    const stderr = sink(got.get('stderr'));
    if (stdout) {
      options.stdout = stdout;
    }
    if (stderr) {
      options.stderr = stderr;
    }
    const finish = (status: Status): void => {
      error.write(Buffer.from(JSON.stringify(status), 'utf8'));
      for (const s of got.values()) {
        s.end();
      }
      o.close();
    };
    try {
      session = await o.start(options);
    } catch (e) {
      finish(internalErrorStatus(`${o.failurePrefix}: ${e instanceof Error ? e.message : String(e)}`));
      return;
    }
    const s = session;
    for (const c of heldStdin.splice(0)) {
      s.stdin?.write(c);
    }
    if (stdinEnded) {
      s.stdin?.end();
    }
    try {
      finish(o.exitStatus(await s.exit));
    } catch (e) {
      finish(internalErrorStatus(`${o.failurePrefix}: ${e instanceof Error ? e.message : String(e)}`));
    }
  };

  return (stream) => {
    const type = stream.headers['streamtype'] as StreamType | undefined;
    if (!type || !expected.includes(type) || got.has(type)) {
      stream.reset();
      return;
    }
    got.set(type, stream);
    if (type === 'stdin') {
      stream.onData = (c) => (session ? session.stdin?.write(c) : heldStdin.push(c));
      stream.onEnd = () => {
        stdinEnded = true;
        session?.stdin?.end();
      };
    } else if (type === 'resize') {
      stream.onData = onResize;
    }
    stream.onReset = () => session?.close();
    if (!started && expected.every((t) => got.has(t))) {
      started = true;
      creation.cancel();
      void run();
    }
  };
}
