// Port-forward over a plain v4.channel.k8s.io WebSocket, what
// @kubernetes/client-node's PortForward speaks (kubelet
// pkg/kubelet/cri/streaming/portforward/websocket.go; kubectl-contract.md 9.4):
// for the i-th `port` of the query, channel 2i carries data and 2i+1 errors;
// the first message on each of them starts with the port, 2 bytes little
// endian. One pod connection per port; when every one has ended the socket
// closes.
import type { WebSocket } from 'ws';
import type { ByteSink } from '../../runtime/runtime.js';
import { decodeChannelMessage, encodeChannelMessage } from './channel-protocol.js';
import type { PortForwardTarget } from './port-forward-spdy.js';

function portPrefix(port: number): Buffer {
  const b = Buffer.alloc(2);
  b.writeUInt16LE(port);
  return b;
}

export async function servePortForwardWebSocket(
  ws: WebSocket,
  ports: number[],
  target: PortForwardTarget,
): Promise<void> {
  const closed = new Promise<void>((resolve) => ws.once('close', () => resolve()));
  const send = (channel: number, data: Uint8Array | string): void => {
    if (ws.readyState === ws.OPEN) {
      ws.send(encodeChannelMessage(channel, data));
    }
  };
  ports.forEach((port, i) => {
    send(2 * i, portPrefix(port));
    send(2 * i + 1, portPrefix(port));
  });
  const toPods: (ByteSink | undefined)[] = [];
  const held: Buffer[][] = ports.map(() => []);
  ws.on('message', (raw: Buffer) => {
    const m = decodeChannelMessage(raw);
    if (!m || m.channel % 2 !== 0) {
      return;
    }
    const i = m.channel / 2;
    const sink = toPods[i];
    if (sink) {
      sink.write(m.data);
    } else {
      held[i]?.push(m.data);
    }
  });
  ws.once('close', () => toPods.forEach((s) => s?.end()));
  await Promise.all(
    ports.map(async (port, i) => {
      let resolveDone!: () => void;
      const done = new Promise<void>((r) => (resolveDone = r));
      const toClient: ByteSink = {
        write: (chunk) => send(2 * i, chunk),
        end: () => resolveDone(),
      };
      try {
        const sink = await target.dial(port, toClient);
        toPods[i] = sink;
        for (const c of held[i]!.splice(0)) {
          sink.write(c);
        }
      } catch (e) {
        const why = e instanceof Error ? e.message : String(e);
        send(2 * i + 1, `error forwarding port ${port} to pod ${target.podName}, uid ${target.podUid}: ${why}`);
        resolveDone();
      }
      await Promise.race([done, closed]);
    }),
  );
  if (ws.readyState === ws.OPEN) {
    ws.close(1000);
  }
  await closed;
}
