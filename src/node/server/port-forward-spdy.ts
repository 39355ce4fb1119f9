// portforward.k8s.io over SPDY (kubelet pkg/kubelet/cri/streaming/portforward/
// httpstream.go; kubectl-contract.md 9.1): per forwarded connection the client
// opens an "error" and a "data" stream with the same requestid and port
// headers; once both exist the pod's port is dialled and bytes copied both
// ways. A failure is written as text on the error stream (kubectl prints it and
// exits "lost connection to pod"); when the pod side ends, both streams end.
import type { ByteSink } from '../../runtime/runtime.js';
import type { SpdyStream } from './spdy/spdy-session.js';

/** Dials `port` in the pod; bytes from the pod go to toClient. */
export type PortDialer = (port: number, toClient: ByteSink) => Promise<ByteSink>;

export interface PortForwardTarget {
  dial: PortDialer;
  /** For messages, as the kubelet writes them: `... to pod <name>, uid <uid>: ...`. */
  podName: string;
  podUid: string;
}

/** Bytes the client sent on a data stream before its port was dialled. */
class Held {
  chunks: Buffer[] = [];
  ended = false;
}

interface Pair {
  data?: SpdyStream;
  held?: Held;
  error?: SpdyStream;
  port: string;
}

/** Returns the SpdySession onStream handler for one port-forward connection. */
export function portForwardStreamHandler(target: PortForwardTarget): (stream: SpdyStream) => void {
  const pairs = new Map<string, Pair>();
  return (stream) => {
    const type = stream.headers['streamtype'];
    const requestId = stream.headers['requestid'] ?? '';
    if (type !== 'data' && type !== 'error') {
      stream.reset();
      return;
    }
    const pair = pairs.get(requestId) ?? { port: stream.headers['port'] ?? '' };
    pairs.set(requestId, pair);
    if (type === 'data') {
      const held = new Held();
      stream.onData = (c) => held.chunks.push(c);
      stream.onEnd = () => (held.ended = true);
      pair.data = stream;
      pair.held = held;
    } else {
      pair.error = stream;
    }
    if (pair.data && pair.error && pair.held) {
      pairs.delete(requestId);
      void forward(pair.data, pair.held, pair.error, pair.port, target);
    }
  };
}

async function forward(
  data: SpdyStream,
  held: Held,
  error: SpdyStream,
  portText: string,
  target: PortForwardTarget,
): Promise<void> {
  const fail = (message: string): void => {
    error.write(Buffer.from(message, 'utf8'));
    error.end();
    data.end();
  };
  // httpstream.go#requestID / portforward.go: the port header must be a uint16.
  const port = /^\d+$/.test(portText) ? Number(portText) : NaN;
  if (!(port > 0 && port < 65536)) {
    fail(`invalid port header: ${JSON.stringify(portText)}`);
    return;
  }
  const toClient: ByteSink = {
    write: (chunk) => data.write(chunk),
    end: () => {
      data.end();
      error.end();
    },
  };
  let toPod: ByteSink;
  try {
    toPod = await target.dial(port, toClient);
  } catch (e) {
    const why = e instanceof Error ? e.message : String(e);
    fail(`error forwarding port ${port} to pod ${target.podName}, uid ${target.podUid}: ${why}`);
    return;
  }
  for (const c of held.chunks.splice(0)) {
    toPod.write(c);
  }
  if (held.ended) {
    toPod.end();
  } else {
    data.onData = (c) => toPod.write(c);
    data.onEnd = () => toPod.end();
  }
  data.onReset = () => toPod.end();
}
