// The agent's stream server: the kubelet's /containerLogs, /exec, /attach and
// /portForward endpoints (pkg/kubelet/server/server.go), which podbay's
// apiserver proxies pods/log, exec, attach and portforward to. Plain HTTP on the
// node address, guarded by a bearer token that only the apiserver holds.
//
//   GET  /containerLogs/{ns}/{pod}/{container}?follow=&tailLines=…   (PodLogOptions)
//   GET  /exec/{ns}/{pod}[/{uid}]/{container}?command=…&input=1&output=1&error=1&tty=1
//   GET  /attach/{ns}/{pod}[/{uid}]/{container}?input=1&output=1&error=1&tty=1
//   GET  /portForward/{ns}/{pod}[/{uid}][?port=N…]
//
// exec/attach: WebSocket v5/v4.channel.k8s.io. port-forward: SPDY/3.1 either
// inside a WebSocket (SPDY/3.1+portforward.k8s.io, what kubectl 1.32 uses) or
// on the upgraded connection itself (Upgrade: SPDY/3.1), or the v4 channel
// protocol with ?port= (client-node). A request that cannot be served gets a
// plain HTTP error before any upgrade, which the apiserver relays.
import { timingSafeEqual } from 'node:crypto';
import { createServer } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { Server as HttpsServer } from 'node:https';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { WebSocketServer } from 'ws';
import type { WebSocket } from 'ws';
import { parsePodLogOptions, validatePodLogOptions } from '../../api/pod-log-options.js';
import { fieldErrorString, isStatusError } from '../../api/errors.js';
import type { Pod, Status } from '../../api/types/index.js';
import type { Clock } from '../../lib/clock.js';
import { isRuntimeError } from '../../runtime/runtime.js';
import type { ExecSession, Runtime, StreamOptions } from '../../runtime/runtime.js';
import {
  PORT_FORWARD_SPDY_TUNNEL_PROTOCOL,
  PORT_FORWARD_WEBSOCKET_PROTOCOLS,
  REMOTE_COMMAND_PROTOCOLS,
  execExitStatus,
  negotiateProtocol,
  parseProtocolHeader,
  successStatus,
} from './channel-protocol.js';
import { StreamRequestError, logContainerId, readySandbox, runningContainerId } from './container-lookup.js';
import type { PodRef } from './container-lookup.js';
import { serveContainerLogs } from './container-logs.js';
import { portForwardStreamHandler } from './port-forward-spdy.js';
import type { PortForwardTarget } from './port-forward-spdy.js';
import { servePortForwardWebSocket } from './port-forward-websocket.js';
import { SPDY_REMOTE_COMMAND_PROTOCOL, remoteCommandStreamHandler } from './remote-command-spdy.js';
import { serveRemoteCommandWebSocket } from './remote-command-websocket.js';
import type { RemoteCommandStreams } from './remote-command-websocket.js';
import { SpdySession } from './spdy/spdy-session.js';
import type { SpdyStream } from './spdy/spdy-session.js';

/** The pod (with its status) the agent knows by namespace and name; undefined if none. */
export type PodLookup = (namespace: string, name: string) => Promise<Pod | undefined>;

export interface AgentStreamServerOptions {
  runtime: Runtime;
  clock: Clock;
  /** The node address to listen on (127.0.0.1 for one machine). */
  host: string;
  /** 0 picks a free port (reported in Node status.daemonEndpoints.kubeletEndpoint.Port). */
  port: number;
  /** The bearer token every request must carry (the apiserver's proxy presents it). */
  token: string;
  /** Pod status for logs (which container instance, --previous, "waiting to start"). */
  pods: PodLookup;
  /**
   * Serve HTTPS with this certificate (its names must cover `host`, which the
   * apiserver dials), as the kubelet serves its API; default plain HTTP.
   */
  tls?: { certPem: string; keyPem: string };
  /** Failures inside streams that cannot be reported to the client. */
  onError?(e: unknown): void;
}

export interface AgentStreamServer {
  host: string;
  port: number;
  /** Stops listening and ends every open stream. */
  close(): Promise<void>;
}

type Route =
  | { kind: 'containerLogs'; pod: PodRef; container: string }
  | { kind: 'exec' | 'attach'; pod: PodRef; container: string }
  | { kind: 'portForward'; pod: PodRef };

/** Parses a kubelet stream path; undefined when it is none. */
export function parseStreamPath(pathname: string): Route | undefined {
  const parts = pathname.split('/').slice(1).map(decodeURIComponent);
  const [kind, ns, name, ...rest] = parts;
  if (!ns || !name) {
    return undefined;
  }
  switch (kind) {
    case 'containerLogs':
      return rest.length === 1 && rest[0] ? { kind, pod: { namespace: ns, name }, container: rest[0] } : undefined;
    case 'exec':
    case 'attach':
      if (rest.length === 1 && rest[0]) {
        return { kind, pod: { namespace: ns, name }, container: rest[0] };
      }
      if (rest.length === 2 && rest[0] && rest[1]) {
        return { kind, pod: { namespace: ns, name, uid: rest[0] }, container: rest[1] };
      }
      return undefined;
    case 'portForward':
      if (rest.length === 0) {
        return { kind, pod: { namespace: ns, name } };
      }
      return rest.length === 1 && rest[0] ? { kind, pod: { namespace: ns, name, uid: rest[0] } } : undefined;
    default:
      return undefined;
  }
}

/** remotecommand server NewOptions: the kubelet's query names (input/output/error/tty = "1"). */
export function parseRemoteCommandStreams(q: URLSearchParams): RemoteCommandStreams {
  const on = (name: string): boolean => q.get(name) === '1' || q.get(name) === 'true';
  const s = { stdin: on('input'), stdout: on('output'), stderr: on('error'), tty: on('tty') };
  if (!s.stdin && !s.stdout && !s.stderr) {
    throw new StreamRequestError(400, 'you must specify at least 1 of stdin, stdout, stderr');
  }
  return s;
}

/** The bearer token, compared in constant time (as the apiserver's token authenticator does). */
function authorized(req: IncomingMessage, token: string): boolean {
  const given = Buffer.from(req.headers.authorization ?? '', 'utf8');
  const expected = Buffer.from(`Bearer ${token}`, 'utf8');
  return given.length === expected.length && timingSafeEqual(given, expected);
}

function errorText(e: unknown): { code: number; message: string } {
  if (e instanceof StreamRequestError) {
    return { code: e.code, message: e.message };
  }
  if (isStatusError(e)) {
    return { code: e.status.code ?? 400, message: e.status.message ?? e.message };
  }
  if (isRuntimeError(e, 'NotFound')) {
    return { code: 404, message: e.message };
  }
  return { code: 500, message: e instanceof Error ? e.message : String(e) };
}

const REASONS: Record<number, { reason: string; text: string }> = {
  400: { reason: 'BadRequest', text: 'Bad Request' },
  401: { reason: 'Unauthorized', text: 'Unauthorized' },
  404: { reason: 'NotFound', text: 'Not Found' },
  500: { reason: 'InternalError', text: 'Internal Server Error' },
};

/**
 * The error answer as a v1 Status. The kubelet writes plain text, which kubectl's
 * SPDY fallback tries to decode as YAML: a message with a colon then decodes as
 * an empty Status and prints "Error from server: " with no text. A Status is read
 * the same through the apiserver's proxy and by kubectl directly.
 */
export function errorStatusBody(code: number, message: string): string {
  const status: Status = {
    kind: 'Status',
    apiVersion: 'v1',
    metadata: {},
    status: 'Failure',
    message,
    reason: REASONS[code]?.reason ?? 'InternalError',
    code,
  };
  return JSON.stringify(status);
}

/** An HTTP error answer on a socket that was not upgraded. */
function refuseUpgrade(socket: Duplex, code: number, message: string): void {
  const body = Buffer.from(errorStatusBody(code, message), 'utf8');
  socket.write(
    `HTTP/1.1 ${code} ${REASONS[code]?.text ?? 'Error'}\r\nContent-Type: application/json\r\n` +
      `Content-Length: ${body.length}\r\nConnection: close\r\n\r\n`,
  );
  socket.end(body);
}

export async function startAgentStreamServer(o: AgentStreamServerOptions): Promise<AgentStreamServer> {
  const onError = (e: unknown): void => o.onError?.(e);
  const sockets = new Set<Duplex>();
  const onRequest = (req: IncomingMessage, res: ServerResponse): void => {
    void handleRequest(req, res).catch((e: unknown) => {
      const { code, message } = errorText(e);
      if (!res.headersSent) {
        res.writeHead(code, { 'Content-Type': 'application/json' });
        res.end(errorStatusBody(code, message));
      } else {
        res.destroy();
      }
      if (code >= 500) {
        onError(e);
      }
    });
  };
  const server: Server | HttpsServer = o.tls
    ? createHttpsServer({ cert: o.tls.certPem, key: o.tls.keyPem }, onRequest)
    : createServer(onRequest);
  // Raw TCP sockets: with TLS the upgraded streams run over these too.
  server.on('connection', (s: Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    socket.on('error', () => socket.destroy());
    void handleUpgrade(req, socket, head).catch((e: unknown) => {
      const { code, message } = errorText(e);
      if (socket.writable) {
        refuseUpgrade(socket, code, message);
      }
      if (code >= 500) {
        onError(e);
      }
    });
  });

  async function handleRequest(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (!authorized(req, o.token)) {
      throw new StreamRequestError(401, 'Unauthorized');
    }
    const url = new URL(req.url ?? '/', 'http://agent');
    const route = parseStreamPath(url.pathname);
    if (!route) {
      throw new StreamRequestError(404, 'Not Found');
    }
    if (route.kind !== 'containerLogs') {
      throw new StreamRequestError(400, 'Upgrade request required');
    }
    const opts = parsePodLogOptions(url.searchParams);
    const errs = validatePodLogOptions(opts);
    if (errs.length > 0) {
      throw new StreamRequestError(400, errs.map(fieldErrorString).join(', '));
    }
    const pod = await o.pods(route.pod.namespace, route.pod.name);
    if (!pod) {
      throw new StreamRequestError(404, `pod "${route.pod.name}" does not exist`);
    }
    const id = logContainerId(route.pod.name, pod.status ?? {}, route.container, opts.previous);
    await serveContainerLogs(res, o.runtime, id, opts, o.clock.now());
  }

  async function handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): Promise<void> {
    if (!authorized(req, o.token)) {
      throw new StreamRequestError(401, 'Unauthorized');
    }
    const url = new URL(req.url ?? '/', 'http://agent');
    const route = parseStreamPath(url.pathname);
    if (!route || route.kind === 'containerLogs') {
      throw new StreamRequestError(404, 'Not Found');
    }
    const upgrade = (req.headers.upgrade ?? '').toLowerCase();
    const offered = parseProtocolHeader(req.headers['sec-websocket-protocol']);
    if (route.kind === 'portForward') {
      const sandbox = await readySandbox(o.runtime, route.pod);
      const target: PortForwardTarget = {
        dial: (port, toClient) => o.runtime.portForward(sandbox.id, port, toClient),
        podName: route.pod.name,
        podUid: sandbox.uid,
      };
      if (upgrade === 'websocket') {
        if (offered.includes(PORT_FORWARD_SPDY_TUNNEL_PROTOCOL)) {
          // ws refuses "/" in a subprotocol token (kubectl-contract.md 0.6): hand it a
          // harmless alias and answer with the real name.
          req.headers['sec-websocket-protocol'] = 'portforward.k8s.io';
          const ws = await accept(req, socket, head, PORT_FORWARD_SPDY_TUNNEL_PROTOCOL);
          serveSpdyTunnel(ws, target);
          return;
        }
        const protocol = negotiateProtocol(offered, PORT_FORWARD_WEBSOCKET_PROTOCOLS);
        const ports = url.searchParams.getAll('port').map(Number);
        if (ports.length === 0 || ports.some((p) => !(Number.isInteger(p) && p > 0 && p < 65536))) {
          throw new StreamRequestError(400, 'query parameter "port" is required');
        }
        const ws = await accept(req, socket, head, protocol);
        await servePortForwardWebSocket(ws, ports, target);
        return;
      }
      if (upgrade === 'spdy/3.1') {
        const versions = parseProtocolHeader(req.headers['x-stream-protocol-version']);
        if (!versions.includes('portforward.k8s.io')) {
          throw new StreamRequestError(
            400,
            'unable to upgrade: unable to negotiate protocol: client supports [' +
              versions.join(' ') +
              '], server supports [portforward.k8s.io]',
          );
        }
        serveRawSpdy(socket, head, 'portforward.k8s.io', portForwardStreamHandler(target));
        return;
      }
      throw new StreamRequestError(400, 'Upgrade request required');
    }
    // exec / attach
    const streams = parseRemoteCommandStreams(url.searchParams);
    const command = url.searchParams.getAll('command');
    if (route.kind === 'exec' && command.length === 0) {
      throw new StreamRequestError(400, 'you must specify at least one command for the container');
    }
    const containerId = await runningContainerId(o.runtime, route.pod, route.container);
    const exec = route.kind === 'exec';
    const start = (options: StreamOptions): Promise<ExecSession> =>
      exec ? o.runtime.exec(containerId, command, options) : o.runtime.attach(containerId, options);
    const exitStatus = (code: number): Status => (exec ? execExitStatus(command, code) : successStatus());
    const failurePrefix = exec ? 'error executing command in container' : 'error attaching to container';
    if (upgrade === 'spdy/3.1') {
      const versions = parseProtocolHeader(req.headers['x-stream-protocol-version']);
      if (!versions.includes(SPDY_REMOTE_COMMAND_PROTOCOL)) {
        throw new StreamRequestError(
          400,
          `unable to upgrade: unable to negotiate protocol: client supports [${versions.join(' ')}], server supports [${SPDY_REMOTE_COMMAND_PROTOCOL}]`,
        );
      }
      let session: SpdySession | undefined = undefined;
      session = serveRawSpdy(
        socket,
        head,
        SPDY_REMOTE_COMMAND_PROTOCOL,
        remoteCommandStreamHandler({
          streams,
          clock: o.clock,
          start,
          exitStatus,
          failurePrefix,
          close: () => session?.close(),
        }),
      );
      return;
    }
    if (upgrade !== 'websocket') {
      throw new StreamRequestError(400, 'Upgrade request required');
    }
    const protocol = negotiateProtocol(offered, REMOTE_COMMAND_PROTOCOLS);
    if (!protocol) {
      throw new StreamRequestError(
        400,
        `unable to upgrade: unable to negotiate protocol: client supports [${offered.join(' ')}], server supports [${REMOTE_COMMAND_PROTOCOLS.join(' ')}]`,
      );
    }
    const ws = await accept(req, socket, head, protocol);
    await serveRemoteCommandWebSocket({ ws, protocol, streams, start, exitStatus, failurePrefix });
  }

  function accept(
    req: IncomingMessage,
    socket: Duplex,
    head: Buffer,
    protocol: string | undefined,
  ): Promise<WebSocket> {
    return new Promise((resolve, reject) => {
      const handler = new WebSocketServer({
        noServer: true,
        perMessageDeflate: false,
        handleProtocols: () => protocol ?? false,
      });
      // A malformed handshake is answered (400) and the socket closed by ws, with no callback.
      const onClose = (): void => {
        handler.close();
        reject(new StreamRequestError(400, 'WebSocket handshake failed'));
      };
      socket.once('close', onClose);
      handler.handleUpgrade(req, socket, head, (ws) => {
        socket.off('close', onClose);
        handler.close();
        resolve(ws);
      });
    });
  }

  function serveSpdyTunnel(ws: WebSocket, target: PortForwardTarget): void {
    const session = new SpdySession({
      transport: {
        write: (bytes) => {
          if (ws.readyState === ws.OPEN) {
            ws.send(bytes, { binary: true });
          }
        },
        end: () => {
          if (ws.readyState === ws.OPEN) {
            ws.close(1000);
          }
        },
      },
      onStream: portForwardStreamHandler(target),
      onError,
    });
    ws.on('message', (data: Buffer) => session.receive(data));
    ws.once('close', () => session.transportClosed());
  }

  function serveRawSpdy(
    socket: Duplex,
    head: Buffer,
    protocol: string,
    onStream: (s: SpdyStream) => void,
  ): SpdySession {
    socket.write(
      'HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\nUpgrade: SPDY/3.1\r\n' +
        `X-Stream-Protocol-Version: ${protocol}\r\n\r\n`,
    );
    const session = new SpdySession({
      transport: { write: (bytes) => socket.write(bytes), end: () => socket.end() },
      onStream,
      onError,
    });
    socket.on('data', (d: Buffer) => session.receive(d));
    socket.once('close', () => session.transportClosed());
    if (head.length > 0) {
      session.receive(head);
    }
    return session;
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(o.port, o.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  let closing: Promise<void> | undefined;
  return {
    host: o.host,
    port,
    close() {
      closing ??= new Promise<void>((resolve) => {
        server.close(() => resolve());
        // Upgraded connections (WebSocket, SPDY) are among these sockets too.
        for (const s of sockets) {
          s.destroy();
        }
      });
      return closing;
    },
  };
}
