// The channel.k8s.io WebSocket protocols of exec, attach and port-forward
// (k8s.io/apimachinery pkg/util/httpstream/wsstream/conn.go; client side:
// k8s.io/client-go tools/remotecommand/websocket.go; kubectl-contract.md 8.1):
// every message is binary, its first byte the channel, the rest the data.
// v4 sends the exit Status as JSON on the error channel; v5 adds the CLOSE
// signal (channel 255, one data byte naming the channel the client will no
// longer write, e.g. [255, 0] at stdin EOF). Pure: no I/O here.
import type { Status } from '../../api/types/index.js';

export const CHANNEL_STDIN = 0;
export const CHANNEL_STDOUT = 1;
export const CHANNEL_STDERR = 2;
export const CHANNEL_ERROR = 3;
export const CHANNEL_RESIZE = 4;
export const CHANNEL_CLOSE = 255;

export const PROTOCOL_V5 = 'v5.channel.k8s.io';
export const PROTOCOL_V4 = 'v4.channel.k8s.io';

/** What exec/attach speak, best first (kubelet remotecommand/websocket.go supports v1..v5; podbay the two with JSON status). */
export const REMOTE_COMMAND_PROTOCOLS = [PROTOCOL_V5, PROTOCOL_V4] as const;
/** What port-forward speaks over plain WebSocket (kubelet portforward/websocket.go: v4 binary). */
export const PORT_FORWARD_WEBSOCKET_PROTOCOLS = [PROTOCOL_V4] as const;
/** kubectl's port-forward: SPDY/3.1 frames tunnelled in binary WebSocket messages (kubectl-contract.md 9.1). */
export const PORT_FORWARD_SPDY_TUNNEL_PROTOCOL = 'SPDY/3.1+portforward.k8s.io';

/**
 * The protocol to answer with: the first the client offered that the server
 * supports, as wsstream's handshake picks it (client order wins).
 */
export function negotiateProtocol(offered: readonly string[], supported: readonly string[]): string | undefined {
  return offered.find((p) => supported.includes(p));
}

/** Splits a Sec-WebSocket-Protocol header value ("a, b"). */
export function parseProtocolHeader(value: string | string[] | undefined): string[] {
  const joined = Array.isArray(value) ? value.join(',') : (value ?? '');
  return joined
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
}

export function encodeChannelMessage(channel: number, data: Uint8Array | string): Buffer {
  const body = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
  const msg = Buffer.alloc(1 + body.length);
  msg[0] = channel;
  msg.set(body, 1);
  return msg;
}

export function decodeChannelMessage(msg: Uint8Array): { channel: number; data: Buffer } | undefined {
  if (msg.length === 0) {
    return undefined;
  }
  return { channel: msg[0]!, data: Buffer.from(msg.buffer, msg.byteOffset + 1, msg.length - 1) };
}

/** A resize message ({"Width":80,"Height":24}, remotecommand.TerminalSize); undefined if malformed. */
export function parseResize(data: Uint8Array): { width: number; height: number } | undefined {
  try {
    const v = JSON.parse(Buffer.from(data).toString('utf8')) as { Width?: unknown; Height?: unknown };
    if (typeof v.Width === 'number' && typeof v.Height === 'number') {
      return { width: v.Width, height: v.Height };
    }
  } catch {
    // fall through
  }
  return undefined;
}

/** The Status of a finished exec (kubelet cri/streaming/remotecommand/exec.go#ServeExec). */
export function execExitStatus(cmd: readonly string[], exitCode: number): Status {
  if (exitCode === 0) {
    return { metadata: {}, status: 'Success' };
  }
  return {
    metadata: {},
    status: 'Failure',
    message: `command terminated with non-zero exit code: error executing command [${cmd.join(' ')}], exit code ${exitCode}`,
    reason: 'NonZeroExitCode',
    details: { causes: [{ reason: 'ExitCode', message: String(exitCode) }] },
  };
}

/** apierrors.NewInternalError(err).ErrStatus, what ServeExec/ServeAttach write for other failures. */
export function internalErrorStatus(message: string): Status {
  return {
    metadata: {},
    status: 'Failure',
    message: `Internal error occurred: ${message}`,
    reason: 'InternalError',
    details: { causes: [{ message }] },
    code: 500,
  };
}

export function successStatus(): Status {
  return { metadata: {}, status: 'Success' };
}
