// The wire under every typed client: keep-alive agents, bearer token, CA pinning,
// JSON in and out, and metav1.Status bodies turned into StatusError
// (k8s.io/client-go/rest: request.go transformResponse / newUnstructuredResponseError).
import http from 'node:http';
import https from 'node:https';
import { createSecureContext } from 'node:tls';
import type { IncomingMessage } from 'node:http';
import { StatusError } from '../api/errors.js';
import type { Status } from '../api/types/index.js';

export interface ClientConfig {
  /** `https://127.0.0.1:6443` or, for tests, `http://127.0.0.1:PORT`. */
  server: string;
  /** Sent as `Authorization: Bearer <token>` on every request. */
  token?: string;
  /** PEM of the CA that signed the server's certificate (https only). */
  caCertPem?: string;
  /** Default `podbay`; components pass their name (`podbay-scheduler`). */
  userAgent?: string;
  /** Per-request timeout for non-watch calls; default 30 s. */
  requestTimeoutMs?: number;
}

export type Query = Record<string, string | number | boolean | undefined>;

export interface RequestOptions {
  query?: Query;
  body?: unknown;
  /** Content-Type of the body; default `application/json`. */
  contentType?: string;
  signal?: AbortSignal;
}

/** A streamed answer (watch): its lines, and a way to stop reading it. */
export interface LineStream {
  lines: AsyncIterable<string>;
  close(): void;
}

function encodeQuery(q: Query | undefined): string {
  if (!q) {
    return '';
  }
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(q)) {
    if (v !== undefined && v !== '') {
      p.set(k, String(v));
    }
  }
  const s = p.toString();
  return s ? `?${s}` : '';
}

/** Builds a StatusError from an error answer, keeping the server's Status when it sent one. */
export function statusErrorFromResponse(code: number, text: string): StatusError {
  try {
    const parsed = JSON.parse(text) as Partial<Status>;
    if (parsed && parsed.kind === 'Status') {
      return new StatusError({ metadata: {}, ...parsed, code: parsed.code ?? code });
    }
  } catch {
    // Not JSON: fall through to a generic Status, as client-go does for non-Status bodies.
  }
  return new StatusError({
    kind: 'Status',
    apiVersion: 'v1',
    metadata: {},
    status: 'Failure',
    code,
    reason: reasonForCode(code),
    message: text.trim() || `the server responded with status ${code}`,
  });
}

// apimachinery errors.NewGenericServerResponse: the reason a bare status code implies.
function reasonForCode(code: number): string {
  switch (code) {
    case 400:
      return 'BadRequest';
    case 401:
      return 'Unauthorized';
    case 403:
      return 'Forbidden';
    case 404:
      return 'NotFound';
    case 405:
      return 'MethodNotAllowed';
    case 409:
      return 'Conflict';
    case 410:
      return 'Expired';
    case 415:
      return 'UnsupportedMediaType';
    case 422:
      return 'Invalid';
    case 429:
      return 'TooManyRequests';
    case 504:
      return 'Timeout';
    default:
      return code >= 500 ? 'InternalError' : 'Unknown';
  }
}

// With 'data'/'end' rather than `for await`: an async iterator per response costs a
// few promises and listeners per chunk, measurable at thousands of calls a second.
function readAll(res: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    res.on('data', (c: Buffer) => chunks.push(c));
    res.once('end', () =>
      resolve(chunks.length === 1 ? chunks[0]!.toString('utf8') : Buffer.concat(chunks).toString('utf8')),
    );
    res.once('error', reject);
    // A response cut off mid-body ends in 'aborted'/'close' without 'end' (Node 20).
    res.once('close', () => {
      if (!res.complete) {
        reject(new Error('the connection closed before the response was complete'));
      }
    });
  });
}

/** Splits a byte stream into lines (watch framing: one JSON object per line). */
async function* splitLines(res: IncomingMessage): AsyncGenerator<string> {
  let buf = '';
  res.setEncoding('utf8');
  for await (const chunk of res) {
    buf += chunk as string;
    let i: number;
    while ((i = buf.indexOf('\n')) >= 0) {
      const line = buf.slice(0, i).trim();
      buf = buf.slice(i + 1);
      if (line) {
        yield line;
      }
    }
  }
  const rest = buf.trim();
  if (rest) {
    yield rest;
  }
}

/**
 * Most sockets a process opens to one server for plain requests; more requests wait in
 * the agent's queue for a free one. A `podbay up` process runs the scheduler,
 * controllers and up to hundreds of node agents on one pool: unbounded, a burst of
 * status writes opened thousands of TLS connections at once (a handshake and ~100 KB of
 * buffers each, on both ends in the same process) and closed them again. client-go
 * multiplexes a process's requests over one HTTP/2 connection; over HTTP/1.1 a bounded
 * keep-alive pool is the nearest equivalent. Watches do not count: see streamAgent.
 */
const MAX_REQUEST_SOCKETS = 128;

interface SharedAgents {
  /** Plain requests: bounded, keep-alive. */
  requests: http.Agent;
  /** Watches hold their socket for minutes, so they get their own, unbounded pool. */
  streams: http.Agent;
  users: number;
}

/**
 * One pair of keep-alive agents per (scheme, CA) in the process, shared by every client
 * made with the same settings, as client-go shares one http.Transport per rest.Config
 * (k8s.io/client-go/transport/cache.go tlsTransportCache). The CA is parsed into one
 * SecureContext up front: tls.connect builds a new one for every connection otherwise
 * (the CA PEM parsed again per TLS handshake).
 */
const sharedAgents = new Map<string, SharedAgents>();

function acquireAgents(tls: boolean, caCertPem: string | undefined): { key: string; agents: SharedAgents } {
  const key = `${tls ? 'https' : 'http'}\u0000${caCertPem ?? ''}`;
  let shared = sharedAgents.get(key);
  if (shared === undefined) {
    const secureContext = tls && caCertPem ? createSecureContext({ ca: caCertPem }) : undefined;
    const make = (maxSockets: number): http.Agent => {
      // keepAlive: scheduler, controllers and agents make many small calls; reusing
      // sockets is what client-go's http.Transport does.
      const o = { keepAlive: true, maxSockets, maxFreeSockets: Math.min(maxSockets, MAX_REQUEST_SOCKETS) };
      return tls ? new https.Agent({ ...o, ...(secureContext ? { secureContext } : {}) }) : new http.Agent(o);
    };
    shared = { requests: make(MAX_REQUEST_SOCKETS), streams: make(Infinity), users: 0 };
    sharedAgents.set(key, shared);
  }
  shared.users++;
  return { key, agents: shared };
}

function releaseAgents(key: string): void {
  const shared = sharedAgents.get(key);
  if (shared !== undefined && --shared.users === 0) {
    sharedAgents.delete(key);
    shared.requests.destroy();
    shared.streams.destroy();
  }
}

export class HttpTransport {
  private readonly base: URL;
  private readonly agents: SharedAgents;
  private readonly agentKey: string;
  private released = false;
  private readonly lib: typeof http | typeof https;
  private readonly headers: Record<string, string>;
  private readonly timeoutMs: number;

  constructor(cfg: ClientConfig) {
    this.base = new URL(cfg.server);
    const tls = this.base.protocol === 'https:';
    this.lib = tls ? https : http;
    const { key, agents } = acquireAgents(tls, tls ? cfg.caCertPem : undefined);
    this.agents = agents;
    this.agentKey = key;
    this.headers = {
      Accept: 'application/json',
      'User-Agent': cfg.userAgent ?? 'podbay',
      ...(cfg.token ? { Authorization: `Bearer ${cfg.token}` } : {}),
    };
    this.timeoutMs = cfg.requestTimeoutMs ?? 30_000;
  }

  /** One JSON call. Non-2xx answers reject with a StatusError. */
  async request<R>(method: string, path: string, opts: RequestOptions = {}): Promise<R> {
    const res = await this.send(method, path, opts, false);
    const text = await readAll(res);
    const code = res.statusCode ?? 0;
    if (code < 200 || code > 299) {
      throw statusErrorFromResponse(code, text);
    }
    return (text ? JSON.parse(text) : {}) as R;
  }

  /** A long-lived GET whose body is read line by line (watch). */
  async stream(path: string, opts: RequestOptions = {}): Promise<LineStream> {
    const res = await this.send('GET', path, opts, true);
    const code = res.statusCode ?? 0;
    if (code < 200 || code > 299) {
      throw statusErrorFromResponse(code, await readAll(res));
    }
    return {
      lines: splitLines(res),
      close: () => res.destroy(),
    };
  }

  /**
   * Gives up this client's share of the process's keep-alive pool; the last client
   * of a pool closes its sockets. Idempotent.
   */
  close(): void {
    if (!this.released) {
      this.released = true;
      releaseAgents(this.agentKey);
    }
  }

  private send(method: string, path: string, opts: RequestOptions, streaming: boolean): Promise<IncomingMessage> {
    const url = new URL(path + encodeQuery(opts.query), this.base);
    const headers: Record<string, string> = { ...this.headers };
    let payload: Buffer | undefined;
    if (opts.body !== undefined) {
      payload = Buffer.from(typeof opts.body === 'string' ? opts.body : JSON.stringify(opts.body));
      headers['Content-Type'] = opts.contentType ?? 'application/json';
      headers['Content-Length'] = String(payload.length);
    }
    const attempt = (retry: boolean): Promise<IncomingMessage> =>
      new Promise<IncomingMessage>((resolve, reject) => {
        const agent = streaming ? this.agents.streams : this.agents.requests;
        const req = this.lib.request(url, { method, headers, agent, signal: opts.signal }, resolve);
        req.on('error', (e: NodeJS.ErrnoException) => {
          // A keep-alive socket the server closed just as we reused it: the request never
          // reached the server, so sending it again is safe (Node's http docs recommend it).
          if (retry && req.reusedSocket && e.code === 'ECONNRESET') {
            attempt(false).then(resolve, reject);
          } else {
            reject(e);
          }
        });
        if (!streaming) {
          req.setTimeout(this.timeoutMs, () => req.destroy(new Error(`request timed out after ${this.timeoutMs}ms`)));
        }
        req.end(payload);
      });
    return attempt(true);
  }
}
