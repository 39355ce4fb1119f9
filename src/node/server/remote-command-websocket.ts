// exec and attach over a channel.k8s.io WebSocket (kubelet
// pkg/kubelet/cri/streaming/remotecommand/websocket.go + exec.go/attach.go):
// stdout/stderr go out on channels 1/2, stdin comes in on 0 (ended by the v5
// CLOSE signal [255, 0]), resize on 4; when the process ends, exactly one
// Status goes out on channel 3 and the socket closes with 1000
// (kubectl-contract.md 8.1: a second Status or an open socket breaks kubectl).
// If the client goes away first, an exec is killed and an attach detached.
import type { WebSocket } from 'ws';
import type { Status } from '../../api/types/index.js';
import type { ByteSink, ExecSession, StreamOptions } from '../../runtime/runtime.js';
import {
  CHANNEL_CLOSE,
  CHANNEL_ERROR,
  CHANNEL_RESIZE,
  CHANNEL_STDERR,
  CHANNEL_STDIN,
  CHANNEL_STDOUT,
  PROTOCOL_V5,
  decodeChannelMessage,
  encodeChannelMessage,
  internalErrorStatus,
  parseResize,
} from './channel-protocol.js';

export interface RemoteCommandStreams {
  stdin: boolean;
  stdout: boolean;
  stderr: boolean;
  tty: boolean;
}

export interface RemoteCommandWebSocketOptions {
  ws: WebSocket;
  /** The negotiated subprotocol (v5 or v4). */
  protocol: string;
  streams: RemoteCommandStreams;
  /** Starts the exec or attach with these sinks. */
  start(options: StreamOptions): Promise<ExecSession>;
  /** The Status to send for the session's exit code. */
  exitStatus(exitCode: number): Status;
  /** "error executing command in container" / "error attaching to container". */
  failurePrefix: string;
}

/** Serves one exec/attach on an open WebSocket; resolves when the socket is closed. */
export async function serveRemoteCommandWebSocket(o: RemoteCommandWebSocketOptions): Promise<void> {
  const { ws } = o;
  const closed = new Promise<void>((resolve) => ws.once('close', () => resolve()));
  let clientGone = false;
  ws.once('close', () => (clientGone = true));
  const send = (channel: number, data: Uint8Array | string): void => {
    if (!clientGone && ws.readyState === ws.OPEN) {
      ws.send(encodeChannelMessage(channel, data));
    }
  };
  const sink = (channel: number): ByteSink => ({ write: (chunk) => send(channel, chunk), end: () => {} });
  const finish = (status: Status): void => {
    send(CHANNEL_ERROR, JSON.stringify(status));
    if (!clientGone && ws.readyState === ws.OPEN) {
      ws.close(1000);
    }
  };

  // Messages may arrive before the session exists (stdin typed at once): buffer them.
  let session: ExecSession | undefined;
  const early: Buffer[] = [];
  const onMessage = (msg: Buffer): void => {
    const m = decodeChannelMessage(msg);
    if (!m || !session) {
      return;
    }
    switch (m.channel) {
      case CHANNEL_STDIN:
        if (m.data.length > 0) {
          session.stdin?.write(m.data);
        }
        break;
      case CHANNEL_RESIZE: {
        const size = parseResize(m.data);
        if (size && o.streams.tty) {
          session.resize(size);
        }
        break;
      }
      case CHANNEL_CLOSE:
        if (o.protocol === PROTOCOL_V5 && m.data[0] === CHANNEL_STDIN) {
          session.stdin?.end();
        }
        break;
    }
  };
  ws.on('message', (data: Buffer, isBinary: boolean) => {
    const buf = isBinary ? data : Buffer.from(data);
    if (session) {
      onMessage(buf);
    } else {
      early.push(buf);
    }
  });

  const options: StreamOptions = { stdin: o.streams.stdin, tty: o.streams.tty };
  if (o.streams.stdout) {
    options.stdout = sink(CHANNEL_STDOUT);
  }
  if (o.streams.stderr && !o.streams.tty) {
    options.stderr = sink(CHANNEL_STDERR);
  }
  try {
    session = await o.start(options);
  } catch (e) {
    finish(internalErrorStatus(`${o.failurePrefix}: ${e instanceof Error ? e.message : String(e)}`));
    await closed;
    return;
  }
  const s = session;
  if (clientGone) {
    s.close();
  }
  ws.once('close', () => s.close());
  for (const b of early.splice(0)) {
    onMessage(b);
  }
  try {
    const code = await s.exit;
    finish(o.exitStatus(code));
  } catch (e) {
    finish(internalErrorStatus(`${o.failurePrefix}: ${e instanceof Error ? e.message : String(e)}`));
  }
  await closed;
}
