// An in-process Distribution v2 registry for pull tests: serves manifests and blobs
// from memory on 127.0.0.1, with optional Basic or Bearer (token server) auth, request
// logging and a switch to corrupt a blob. Real-registry tests use docker-registry.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { sha256Digest } from '../digest.js';

export interface FakeRegistryOptions {
  /** 'basic' or 'bearer' (a token realm on the same server) with these credentials. */
  auth?: { scheme: 'basic' | 'bearer'; username: string; password: string };
}

export interface FakeRegistry {
  /** host:port, e.g. "127.0.0.1:41234" (plain HTTP: a 127.0.0.1 registry). */
  host: string;
  /** Every request, as "METHOD /path". */
  requests: string[];
  putManifest(repo: string, reference: string, bytes: Buffer, mediaType: string): void;
  putBlob(repo: string, bytes: Buffer): void;
  /** Serves `bytes` for `digest` (a digest mismatch). */
  corruptBlob(repo: string, digest: string, bytes: Buffer): void;
  close(): Promise<void>;
}

const TOKEN = 'test-token-7f3a';

function error(
  res: ServerResponse,
  status: number,
  code: string,
  message: string,
  headers: Record<string, string> = {},
): void {
  res.writeHead(status, { 'Content-Type': 'application/json', ...headers });
  res.end(JSON.stringify({ errors: [{ code, message, detail: null }] }));
}

export async function startFakeRegistry(opts: FakeRegistryOptions = {}): Promise<FakeRegistry> {
  const manifests = new Map<string, { bytes: Buffer; mediaType: string }>();
  const blobs = new Map<string, Buffer>();
  const requests: string[] = [];
  let host = '';
  const basic = opts.auth ? Buffer.from(`${opts.auth.username}:${opts.auth.password}`).toString('base64') : '';

  const authorized = (req: IncomingMessage, res: ServerResponse): boolean => {
    if (!opts.auth) {
      return true;
    }
    const got = req.headers.authorization ?? '';
    if (opts.auth.scheme === 'basic' ? got === `Basic ${basic}` : got === `Bearer ${TOKEN}`) {
      return true;
    }
    const challenge =
      opts.auth.scheme === 'basic'
        ? 'Basic realm="fake"'
        : `Bearer realm="http://${host}/token",service="fake-registry",scope="repository:x:pull"`;
    error(res, 401, 'UNAUTHORIZED', 'authentication required', { 'WWW-Authenticate': challenge });
    return false;
  };

  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', `http://${host}`);
    requests.push(`${req.method} ${url.pathname}`);
    if (url.pathname === '/token') {
      if (req.headers.authorization !== `Basic ${basic}`) {
        error(res, 401, 'UNAUTHORIZED', 'invalid credentials');
        return;
      }
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify({ token: TOKEN, expires_in: 300 }));
      return;
    }
    if (!authorized(req, res)) {
      return;
    }
    const m = /^\/v2\/(.+)\/(manifests|blobs)\/([^/]+)$/.exec(url.pathname);
    if (!m) {
      error(res, 404, 'NOT_FOUND', 'not found');
      return;
    }
    const [, repo, kind, reference] = m as unknown as [string, string, string, string];
    if (kind === 'manifests') {
      const man = manifests.get(`${repo}:${reference}`);
      if (!man) {
        error(res, 404, 'MANIFEST_UNKNOWN', 'manifest unknown');
        return;
      }
      res.writeHead(200, { 'Content-Type': man.mediaType, 'Docker-Content-Digest': sha256Digest(man.bytes) });
      res.end(man.bytes);
      return;
    }
    const blob = blobs.get(`${repo}@${reference}`);
    if (!blob) {
      error(res, 404, 'BLOB_UNKNOWN', 'blob unknown to registry');
      return;
    }
    res.writeHead(200, { 'Content-Type': 'application/octet-stream', 'Content-Length': blob.length });
    res.end(blob);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  host = `127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    host,
    requests,
    putManifest(repo, reference, bytes, mediaType) {
      manifests.set(`${repo}:${reference}`, { bytes, mediaType });
      manifests.set(`${repo}:${sha256Digest(bytes)}`, { bytes, mediaType });
    },
    putBlob(repo, bytes) {
      blobs.set(`${repo}@${sha256Digest(bytes)}`, bytes);
    },
    corruptBlob(repo, digest, bytes) {
      blobs.set(`${repo}@${digest}`, bytes);
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
