// An in-process apiserver for tests: the app of app.ts over a MemoryStore, served by
// plain HTTP on 127.0.0.1 and a free port (hono's in-process `app.request`, with a real
// socket because watches and upgrades need one).
import { createServer, request as httpRequest, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Clock } from '../../lib/clock.js';
import { MemoryStore } from '../../store/memory/memory-store.js';
import type { Store } from '../../store/store.js';
import { createApiServerApp, type ApiServerApp, type ApiServerAppOptions } from '../app.js';

export const TEST_TOKEN = 'test-token';

/**
 * A parsed JSON answer. Tests read deep into Status, list, Table and object answers in
 * their assertions; typing each shape would only repeat the wire types.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Json = any;

export interface TestResponse {
  status: number;
  headers: IncomingHttpHeaders;
  text: string;
  /** The body parsed as JSON (undefined when it is not JSON). */
  json: Json;
}

export interface RequestOptions {
  body?: unknown;
  /** Sent as is (no JSON encoding) when a string or Buffer. */
  rawBody?: string | Buffer;
  contentType?: string;
  accept?: string;
  headers?: Record<string, string>;
  /** false: send no Authorization header. */
  auth?: boolean;
}

export interface WatchHandle {
  status: number;
  headers: IncomingHttpHeaders;
  /** Events received so far. */
  events: { type: string; object: Json }[];
  /** Resolves with the n-th event (0-based) once it arrived. */
  event(n: number, timeoutMs?: number): Promise<{ type: string; object: Json }>;
  /** Resolves when the server ended the stream. */
  ended: Promise<void>;
  close(): void;
  /** The error body when the watch was refused. */
  json?: Json;
}

export interface TestServer {
  url: string;
  store: Store;
  app: ApiServerApp;
  request(method: string, path: string, opts?: RequestOptions): Promise<TestResponse>;
  watch(path: string, opts?: RequestOptions): Promise<WatchHandle>;
  close(): Promise<void>;
}

export interface TestServerOptions extends Partial<Omit<ApiServerAppOptions, 'store' | 'token'>> {
  store?: Store;
  clock?: Clock;
  /** Default TEST_TOKEN; null disables authentication. */
  token?: string | null;
}

export async function startTestServer(opts: TestServerOptions = {}): Promise<TestServer> {
  const store = opts.store ?? new MemoryStore();
  const token = opts.token === null ? undefined : (opts.token ?? TEST_TOKEN);
  const app = createApiServerApp({ ...opts, store, token });
  await app.start();
  const server: Server = createServer((req, res) => app.handleRequest(req, res));
  server.on('upgrade', (req, socket, head) => app.handleUpgrade(req, socket, head));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  const url = `http://127.0.0.1:${port}`;

  function send(method: string, path: string, o: RequestOptions) {
    const headers: Record<string, string> = { ...o.headers };
    if (o.auth !== false && token !== undefined) {
      headers.authorization = `Bearer ${token}`;
    }
    if (o.accept) {
      headers.accept = o.accept;
    }
    let payload: string | Buffer | undefined = o.rawBody;
    if (payload === undefined && o.body !== undefined) {
      payload = JSON.stringify(o.body);
    }
    if (payload !== undefined) {
      headers['content-type'] = o.contentType ?? 'application/json';
      // Node sends DELETE bodies without framing unless the length is given.
      headers['content-length'] = String(typeof payload === 'string' ? Buffer.byteLength(payload) : payload.length);
    }
    const req = httpRequest(`${url}${path}`, { method, headers, agent: false });
    req.end(payload);
    return req;
  }

  return {
    url,
    store,
    app,
    request(method, path, o = {}) {
      return new Promise((resolve, reject) => {
        const req = send(method, path, o);
        req.on('error', reject);
        req.on('response', (res) => {
          const chunks: Uint8Array[] = [];
          res.on('data', (c: Uint8Array) => chunks.push(c));
          res.on('end', () => {
            const text = Buffer.concat(chunks).toString('utf8');
            let json: unknown;
            try {
              json = JSON.parse(text);
            } catch {
              json = undefined;
            }
            resolve({ status: res.statusCode ?? 0, headers: res.headers, text, json });
          });
        });
      });
    },
    watch(path, o = {}) {
      return new Promise((resolve, reject) => {
        const req = send('GET', path, o);
        req.on('error', (e) => {
          if ((e as NodeJS.ErrnoException).code !== 'ECONNRESET') {
            reject(e);
          }
        });
        req.on('response', (res) => {
          const events: WatchHandle['events'] = [];
          const waiters: (() => void)[] = [];
          let buf = '';
          let endResolve!: () => void;
          const ended = new Promise<void>((r) => (endResolve = r));
          const handle: WatchHandle = {
            status: res.statusCode ?? 0,
            headers: res.headers,
            events,
            ended,
            event(n, timeoutMs = 2000) {
              return new Promise((res2, rej2) => {
                const check = (): boolean => {
                  if (events.length > n) {
                    res2(events[n]!);
                    return true;
                  }
                  return false;
                };
                if (check()) {
                  return;
                }
                const t = setTimeout(
                  () => rej2(new Error(`watch event ${n} did not arrive (got ${events.length})`)),
                  timeoutMs,
                );
                const w = (): void => {
                  if (check()) {
                    clearTimeout(t);
                  } else {
                    waiters.push(w);
                  }
                };
                waiters.push(w);
              });
            },
            close() {
              req.destroy();
            },
          };
          res.on('data', (c: Buffer) => {
            buf += c.toString('utf8');
            let i: number;
            while ((i = buf.indexOf('\n')) >= 0) {
              const line = buf.slice(0, i);
              buf = buf.slice(i + 1);
              if (line.trim()) {
                events.push(JSON.parse(line) as WatchHandle['events'][number]);
              }
            }
            for (const w of waiters.splice(0)) {
              w();
            }
          });
          res.on('end', () => {
            if (handle.status !== 200) {
              let parsed: unknown;
              try {
                parsed = JSON.parse(buf);
              } catch {
                parsed = undefined;
              }
              handle.json = parsed;
            }
            endResolve();
          });
          res.on('error', () => endResolve());
          res.on('close', () => endResolve());
          if (handle.status !== 200) {
            void ended.then(() => resolve(handle));
          } else {
            resolve(handle);
          }
        });
      });
    },
    async close() {
      await app.stop();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
