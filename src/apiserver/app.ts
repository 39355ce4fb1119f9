// The apiserver as request handlers, without a listener (server.ts listens): the
// filter chain of k8s.io/apiserver in small — authentication, then the non-resource
// endpoints (health, /version, discovery, OpenAPI), then resources — with every
// failure answered as a v1 Status.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { StatusError, newUnauthorized } from '../api/errors.js';
import { RealClock, type Clock } from '../lib/clock.js';
import type { Store } from '../store/store.js';
import { isPublicPath, TokenAuthenticator } from './auth/token-authenticator.js';
import {
  AGGREGATED_CONTENT_TYPE,
  aggregatedCore,
  aggregatedGroups,
  apiGroup,
  apiGroupList,
  apiResourceList,
  apiVersions,
} from './discovery/discovery.js';
import { VERSION_INFO } from './discovery/version-info.js';
import { handleStreamUpgrade } from './handlers/pod-subresources.js';
import type { ServerParts } from './handlers/request-scope.js';
import { newMethodNotAllowed, newRouteNotFound, resolveScope, routeResource } from './handlers/resource-router.js';
import { acceptsAggregatedDiscovery } from './http/negotiate.js';
import { setWarnings, toStatusError, writeJson, writeStatus } from './http/respond.js';
import { NamespaceLifecycle } from './namespace/namespace-lifecycle.js';
import { ResourceOpenApiSource } from './openapi/resource-openapi-source.js';
import { OpenApiHandler } from './openapi/openapi-handler.js';
import type { OpenApiSource } from './openapi/openapi-source.js';
import { RestRegistry } from './registry/rest-registry.js';
import { DEFAULT_MAX_BODY_BYTES } from './request/read-body.js';
import { parseResourceRequest } from './request/request-info.js';
import type { PodStreams, PodStreamSubresource } from './streams/pod-streams.js';
import { DEFAULT_BOOKMARK_INTERVAL_MS } from './watch/watch-stream.js';

export interface ApiServerAppOptions {
  store: Store;
  clock?: Clock;
  /** The admin bearer token; undefined disables authentication (in-process tests only). */
  token: string | undefined;
  podStreams?: PodStreams;
  maxBodyBytes?: number;
  bookmarkIntervalMs?: number;
  openApiSource?: OpenApiSource;
  /** Errors of background work (namespace deletion); default: ignored. */
  onError?: (e: unknown) => void;
}

export interface ApiServerApp {
  /** Bootstraps the system namespaces and resumes namespace deletions. */
  start(): Promise<void>;
  /** Ends every open watch; the store stays open. */
  stop(): Promise<void>;
  handleRequest(req: IncomingMessage, res: ServerResponse): void;
  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void;
  /** Resolves when background namespace deletions are done (tests). */
  idle(): Promise<void>;
}

const STREAM_SUBRESOURCES = new Set(['exec', 'attach', 'portforward']);

function writeRawStatus(socket: Duplex, e: unknown): void {
  const err = toStatusError(e);
  const body = JSON.stringify(err.status);
  const reason =
    err.code === 401 ? 'Unauthorized' : err.code === 404 ? 'Not Found' : err.code === 400 ? 'Bad Request' : 'Error';
  socket.end(
    `HTTP/1.1 ${err.code} ${reason}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
  );
}

export function createApiServerApp(opts: ApiServerAppOptions): ApiServerApp {
  const clock = opts.clock ?? new RealClock();
  const auth = opts.token === undefined ? undefined : new TokenAuthenticator(opts.token);
  const onError = opts.onError ?? (() => {});
  const namespaces = new NamespaceLifecycle(opts.store, clock, onError);
  const registry = new RestRegistry(opts.store, clock, {
    admitCreate: (info, obj) => namespaces.admitCreate(info, obj),
    onRemoved: (info, obj) => namespaces.onRemoved(info, obj),
  });
  namespaces.attach(registry);
  const openapi = new OpenApiHandler(opts.openApiSource ?? new ResourceOpenApiSource());
  const streams = new Set<() => void>();
  const parts: ServerParts = {
    store: opts.store,
    clock,
    registry,
    namespaces,
    podStreams: opts.podStreams,
    maxBodyBytes: opts.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES,
    bookmarkIntervalMs: opts.bookmarkIntervalMs ?? DEFAULT_BOOKMARK_INTERVAL_MS,
    track: (stop) => {
      streams.add(stop);
      return () => streams.delete(stop);
    },
  };

  function authenticated(req: IncomingMessage, path: string): boolean {
    return auth === undefined || isPublicPath(path) || auth.authenticate(req.headers.authorization);
  }

  /** Non-resource endpoints; false when the path is not one of them. */
  function serveNonResource(req: IncomingMessage, res: ServerResponse, path: string): boolean {
    const accept = req.headers.accept;
    const get = (body: () => object | undefined, contentType?: string): true => {
      if (req.method !== 'GET' && req.method !== 'HEAD') {
        throw newMethodNotAllowed();
      }
      const b = body();
      if (b === undefined) {
        throw newRouteNotFound();
      }
      writeJson(res, 200, b, contentType);
      return true;
    };
    if (/^\/(healthz|livez|readyz)(\/.*)?$/.test(path)) {
      res.writeHead(200, { 'Content-Type': 'text/plain; charset=utf-8', 'X-Content-Type-Options': 'nosniff' });
      res.end('ok');
      return true;
    }
    if (path === '/version') {
      return get(() => VERSION_INFO);
    }
    if (path === '/api') {
      const v = acceptsAggregatedDiscovery(accept);
      if (v) {
        return get(() => aggregatedCore(v), AGGREGATED_CONTENT_TYPE(v));
      }
      const host = req.headers.host ?? '127.0.0.1';
      return get(() => apiVersions(host));
    }
    if (path === '/apis') {
      const v = acceptsAggregatedDiscovery(accept);
      if (v) {
        return get(() => aggregatedGroups(v), AGGREGATED_CONTENT_TYPE(v));
      }
      return get(() => apiGroupList());
    }
    const coreVersion = /^\/api\/([^/]+)$/.exec(path)?.[1];
    if (coreVersion !== undefined) {
      return get(() => apiResourceList('', coreVersion));
    }
    const group = /^\/apis\/([^/]+)$/.exec(path)?.[1];
    if (group !== undefined) {
      return get(() => apiGroup(group));
    }
    const gv = /^\/apis\/([^/]+)\/([^/]+)$/.exec(path);
    if (gv) {
      const [, g = '', v = ''] = gv;
      return get(() => apiResourceList(g, v));
    }
    return openapi.serve(req, res, path);
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const path = url.pathname.length > 1 ? url.pathname.replace(/\/+$/, '') : url.pathname;
    if (!authenticated(req, path)) {
      req.resume();
      throw newUnauthorized();
    }
    if (serveNonResource(req, res, path)) {
      return;
    }
    const ri = parseResourceRequest(req.method ?? 'GET', path, url.searchParams);
    if (!ri) {
      throw newRouteNotFound();
    }
    const scope = resolveScope(ri, req, res, url.searchParams, parts);
    const origWriteHead = res.writeHead.bind(res);
    // Warnings are gathered while the request runs and sent with the first header write.
    res.writeHead = ((...args: Parameters<ServerResponse['writeHead']>) => {
      setWarnings(res, scope.warnings);
      return origWriteHead(...args);
    }) as ServerResponse['writeHead'];
    await routeResource(ri, scope);
  }

  async function upgrade(req: IncomingMessage, socket: Duplex, head: Buffer): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const path = url.pathname.replace(/\/+$/, '');
    if (!authenticated(req, path)) {
      throw newUnauthorized();
    }
    const ri = parseResourceRequest(req.method ?? 'GET', path, url.searchParams);
    if (!ri || !STREAM_SUBRESOURCES.has(ri.subresource)) {
      throw newRouteNotFound();
    }
    const scope = resolveScope(ri, req, undefined as unknown as ServerResponse, url.searchParams, parts);
    await handleStreamUpgrade(parts, scope, ri.subresource as PodStreamSubresource, req, socket, head);
  }

  return {
    async start() {
      await namespaces.bootstrap();
    },
    async stop() {
      for (const stop of [...streams]) {
        stop();
      }
      streams.clear();
    },
    handleRequest(req, res) {
      handle(req, res).catch((e: unknown) => {
        if (!res.headersSent && !(e instanceof StatusError)) {
          onError(e);
        }
        writeStatus(res, e);
      });
    },
    handleUpgrade(req, socket, head) {
      upgrade(req, socket, head).catch((e: unknown) => {
        if (socket.writable) {
          writeRawStatus(socket, e);
        } else {
          socket.destroy();
        }
      });
    },
    idle: () => namespaces.idle(),
  };
}
