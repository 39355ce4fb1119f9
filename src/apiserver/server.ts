// The composition root's entry to the apiserver: HTTPS on 127.0.0.1 (by default) with
// the PKI and admin token of pkiDir, serving the handler of app.ts. kube-apiserver's
// SecureServingInfo in small: one listener, TLS, HTTP/1.1 (kubectl needs no HTTP/2).
import { createServer as createHttpsServer } from 'node:https';
import type { Server } from 'node:https';
import type { Socket } from 'node:net';
import type { Store } from '../store/store.js';
import { RealClock, type Clock } from '../lib/clock.js';
import { createApiServerApp } from './app.js';
import { ensurePki, ensureToken } from './auth/pki.js';
import type { OpenApiSource } from './openapi/openapi-source.js';
import type { PodStreams } from './streams/pod-streams.js';

export type { PodStreams, PodStreamRequest, PodStreamSubresource } from './streams/pod-streams.js';
export type { OpenApiSource } from './openapi/openapi-source.js';

export interface ApiServerOptions {
  store: Store;
  clock?: Clock;
  /** Listen address; 127.0.0.1 unless the user asks for another. */
  host: string;
  /** Port; 0 picks a free one (tests). */
  port: number;
  /** Where ca.crt, apiserver.crt/key and admin-token live (made on first start). */
  pkiDir: string;
  /** The admin bearer token; default: read from (or made in) pkiDir/admin-token. */
  token?: string;
  /** Reaches node agents for log/exec/attach/portforward; without it those answer 503. */
  podStreams?: PodStreams;
  /** Largest request body accepted; default 3 MiB as kube-apiserver (MaxRequestBodyBytes). */
  maxBodyBytes?: number;
  /** Where /openapi/v3 documents come from; default: the generated v1.32 schemas of the served kinds. */
  openApiSource?: OpenApiSource;
  /** Errors of background work (namespace deletion) and handler bugs (500s). */
  onError?: (e: unknown) => void;
}

export interface RunningApiServer {
  /** https://host:port (IPv6 hosts in brackets). */
  url: string;
  host: string;
  port: number;
  /** The CA that signed the serving certificate (certificate-authority-data of a kubeconfig). */
  caCertPem: string;
  token: string;
  /** Stops accepting, ends open watches and connections, then resolves. The store stays open. */
  close(): Promise<void>;
}

function listen(server: Server, host: string, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const onError = (e: NodeJS.ErrnoException): void => {
      server.off('listening', onListening);
      if (e.code === 'EADDRINUSE') {
        reject(new Error(`port ${port} is already in use`, { cause: e }));
      } else if (e.code === 'EADDRNOTAVAIL') {
        reject(new Error(`cannot listen on ${host}: address not available on this machine`, { cause: e }));
      } else if (e.code === 'EACCES') {
        reject(new Error(`permission denied listening on ${host}:${port}`, { cause: e }));
      } else {
        reject(e);
      }
    };
    const onListening = (): void => {
      server.off('error', onError);
      const addr = server.address();
      resolve(typeof addr === 'object' && addr ? addr.port : port);
    };
    server.once('error', onError);
    server.once('listening', onListening);
    server.listen(port, host);
  });
}

/**
 * Starts the apiserver: ensures the PKI and token, bootstraps the system namespaces,
 * and listens. Rejects with a clear error when the port is taken (`port 6443 is
 * already in use`) or the PKI cannot be written.
 */
export async function startApiServer(opts: ApiServerOptions): Promise<RunningApiServer> {
  const clock = opts.clock ?? new RealClock();
  const pki = await ensurePki(opts.pkiDir, opts.host, clock.now());
  const token = opts.token ?? (await ensureToken(opts.pkiDir));
  const app = createApiServerApp({
    store: opts.store,
    clock,
    token,
    podStreams: opts.podStreams,
    maxBodyBytes: opts.maxBodyBytes,
    openApiSource: opts.openApiSource,
    onError: opts.onError,
  });
  await app.start();
  const server = createHttpsServer({ cert: pki.certPem, key: pki.keyPem });
  const sockets = new Set<Socket>();
  server.on('connection', (s: Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  server.on('secureConnection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  server.on('request', (req, res) => app.handleRequest(req, res));
  server.on('upgrade', (req, socket, head) => app.handleUpgrade(req, socket, head));
  let port: number;
  try {
    port = await listen(server, opts.host, opts.port);
  } catch (e) {
    await app.stop();
    throw e;
  }
  const urlHost = opts.host.includes(':') ? `[${opts.host}]` : opts.host;
  let closed: Promise<void> | undefined;
  return {
    url: `https://${urlHost}:${port}`,
    host: opts.host,
    port,
    caCertPem: pki.caCertPem,
    token,
    close(): Promise<void> {
      closed ??= (async () => {
        await app.stop();
        await new Promise<void>((resolve) => {
          server.close(() => resolve());
          for (const s of sockets) {
            s.destroy();
          }
        });
      })();
      return closed;
    },
  };
}
