// A Distribution v2 registry client for pulls (distribution docs/spec/api.md,
// "Pulling An Image"): manifests and blobs over HTTPS, plain HTTP for registries on
// localhost/127.0.0.1/[::1] (containerd's docker resolver treats those as insecure by
// default, as `docker` does for 127.0.0.0/8), and the two auth schemes registries
// answer 401 with (distribution docs/spec/auth/token.md):
//
//   GET /v2/<name>/manifests/<ref>     → 401 WWW-Authenticate: Bearer realm=…,service=…,scope=…
//   GET <realm>?service=…&scope=…      (Basic credentials if given) → {"token": …}
//   GET /v2/<name>/manifests/<ref>     Authorization: Bearer <token> → 200
//
// or `WWW-Authenticate: Basic realm=…`, answered with the credentials directly.
import { Readable } from 'node:stream';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import type { ImageRef } from '../api/image-ref.js';
import { RegistryError } from './image-pull-error.js';

/** Registry credentials; structurally runtime.ts AuthConfig (CRI AuthConfig). */
export interface RegistryAuth {
  username?: string;
  password?: string;
  /** base64 "user:password" as in a docker config.json. */
  auth?: string;
  serverAddress?: string;
  identityToken?: string;
  registryToken?: string;
}

export type FetchFn = typeof fetch;

/** Where docker.io's registry API lives (distribution reference normalize.go / docker's registry config). */
const DOCKER_HUB_API = 'registry-1.docker.io';

/** The base URL of the registry API for a reference's domain. */
export function registryBaseUrl(domain: string): string {
  const host = domain === 'docker.io' ? DOCKER_HUB_API : domain;
  const hostname = host.replace(/:\d+$/, '').replace(/^\[|\]$/g, '');
  const local = hostname === 'localhost' || /^127\./.test(hostname) || hostname === '::1';
  return `${local ? 'http' : 'https'}://${host}`;
}

interface Challenge {
  scheme: string;
  params: Record<string, string>;
}

/** WWW-Authenticate: `Bearer realm="…",service="…",scope="…"` (RFC 7235 auth-params). */
export function parseWwwAuthenticate(header: string): Challenge | undefined {
  const m = /^\s*(\w+)\s*(.*)$/.exec(header);
  if (!m) {
    return undefined;
  }
  const params: Record<string, string> = {};
  const re = /([\w-]+)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^\s,]*))/g;
  for (const p of m[2]!.matchAll(re)) {
    params[p[1]!.toLowerCase()] = p[2] !== undefined ? p[2].replace(/\\(.)/g, '$1') : p[3]!;
  }
  return { scheme: m[1]!.toLowerCase(), params };
}

function basicCredentials(auth: RegistryAuth | undefined): string | undefined {
  if (auth?.username !== undefined && auth.username !== '') {
    return Buffer.from(`${auth.username}:${auth.password ?? ''}`).toString('base64');
  }
  if (auth?.auth !== undefined && auth.auth !== '') {
    return auth.auth;
  }
  return undefined;
}

/** The registry's own reason from an error body: {"errors":[{"code":"MANIFEST_UNKNOWN","message":"manifest unknown"}]}. */
async function registryReason(res: Response): Promise<string | undefined> {
  try {
    const body = (await res.json()) as { errors?: { code?: string; message?: string }[] };
    const e = body.errors?.[0];
    if (e?.message) {
      return e.code === 'UNAUTHORIZED' || e.code === 'DENIED' ? `${e.code.toLowerCase()}: ${e.message}` : e.message;
    }
  } catch {
    // not JSON: no reason
  }
  return undefined;
}

function networkMessage(method: string, url: string, e: unknown): string {
  const cause = (e as { cause?: { code?: string; message?: string } }).cause;
  const u = new URL(url);
  const what =
    cause?.code === 'ECONNREFUSED'
      ? `dial tcp ${u.host}: connect: connection refused`
      : cause?.code === 'ENOTFOUND' || cause?.code === 'EAI_AGAIN'
        ? `dial tcp: lookup ${u.hostname}: no such host`
        : (cause?.message ?? (e instanceof Error ? e.message : String(e)));
  return `failed to do request: ${method} "${url}": ${what}`;
}

export interface RegistryClientOptions {
  auth?: RegistryAuth;
  fetch?: FetchFn;
  userAgent?: string;
}

/** Talks to one registry for one repository; keeps the token it was given. */
export class RegistryClient {
  private readonly base: string;
  private readonly fetchFn: FetchFn;
  private authorization: string | undefined;

  constructor(
    private readonly ref: Pick<ImageRef, 'domain' | 'path'>,
    private readonly opts: RegistryClientOptions = {},
  ) {
    this.base = registryBaseUrl(ref.domain);
    this.fetchFn = opts.fetch ?? fetch;
    if (opts.auth?.registryToken) {
      this.authorization = `Bearer ${opts.auth.registryToken}`;
    }
  }

  /** GET with the auth dance; resolves with a 2xx response, rejects with a RegistryError. */
  private async get(path: string, accept?: string): Promise<Response> {
    const url = `${this.base}/v2/${this.ref.path}/${path}`;
    for (let attempt = 0; ; attempt++) {
      const headers: Record<string, string> = { 'User-Agent': this.opts.userAgent ?? 'podbay' };
      if (accept) {
        headers.Accept = accept;
      }
      if (this.authorization) {
        headers.Authorization = this.authorization;
      }
      let res: Response;
      try {
        res = await this.fetchFn(url, { headers, redirect: 'follow' });
      } catch (e) {
        throw new RegistryError('Unavailable', networkMessage('GET', url, e), undefined, 'RegistryUnavailable');
      }
      if (res.status === 401 && attempt === 0) {
        const challenge = parseWwwAuthenticate(res.headers.get('www-authenticate') ?? '');
        await res.body?.cancel();
        if (challenge) {
          this.authorization = await this.authorize(challenge);
          continue;
        }
      }
      if (res.ok) {
        return res;
      }
      const reason = await registryReason(res);
      if (res.status === 401 || res.status === 403) {
        throw new RegistryError(
          'Unknown',
          `pull access denied, repository does not exist or may require authorization: ${reason ?? `${res.status} ${res.statusText}`}`,
          res.status,
        );
      }
      if (res.status === 404) {
        throw new RegistryError('NotFound', reason ?? 'not found', 404);
      }
      throw new RegistryError(
        res.status >= 500 ? 'Unavailable' : 'Unknown',
        `unexpected status from GET request to ${url}: ${res.status} ${res.statusText}${reason ? `: ${reason}` : ''}`,
        res.status,
      );
    }
  }

  /** The Authorization value a 401 challenge asks for. */
  private async authorize(c: Challenge): Promise<string> {
    const basic = basicCredentials(this.opts.auth);
    if (c.scheme === 'basic') {
      if (basic === undefined) {
        throw new RegistryError(
          'Unknown',
          'pull access denied, repository does not exist or may require authorization: unauthorized: authentication required',
          401,
        );
      }
      return `Basic ${basic}`;
    }
    if (c.scheme !== 'bearer' || !c.params.realm) {
      throw new RegistryError('Unknown', `unsupported registry auth challenge ${c.scheme}`, 401);
    }
    const realm = new URL(c.params.realm);
    const scope = c.params.scope ?? `repository:${this.ref.path}:pull`;
    if (c.params.service) {
      realm.searchParams.set('service', c.params.service);
    }
    realm.searchParams.set('scope', scope);
    let res: Response;
    try {
      if (this.opts.auth?.identityToken) {
        // OAuth2 refresh-token grant (token.md "Requesting a Token" with refresh_token).
        const form = new URLSearchParams({
          grant_type: 'refresh_token',
          refresh_token: this.opts.auth.identityToken,
          service: c.params.service ?? '',
          scope,
          client_id: 'podbay',
        });
        res = await this.fetchFn(c.params.realm, { method: 'POST', body: form });
      } else {
        res = await this.fetchFn(realm, { headers: basic ? { Authorization: `Basic ${basic}` } : {} });
      }
    } catch (e) {
      throw new RegistryError(
        'Unavailable',
        networkMessage('GET', realm.toString(), e),
        undefined,
        'RegistryUnavailable',
      );
    }
    if (!res.ok) {
      const reason = await registryReason(res);
      throw new RegistryError(
        'Unknown',
        `failed to authorize: failed to fetch ${basic ? '' : 'anonymous '}token: unexpected status from GET request to ${realm.origin}${realm.pathname}: ${res.status} ${res.statusText}${reason ? `: ${reason}` : ''}`,
        res.status,
      );
    }
    const body = (await res.json()) as { token?: string; access_token?: string };
    const token = body.token ?? body.access_token;
    if (!token) {
      throw new RegistryError('Unknown', 'failed to authorize: the token server answered without a token', res.status);
    }
    return `Bearer ${token}`;
  }

  /** The manifest (or index) `reference` (a tag or digest) names. */
  async getManifest(
    reference: string,
    accept: readonly string[],
  ): Promise<{ bytes: Buffer; mediaType: string; digestHeader?: string }> {
    const res = await this.get(`manifests/${reference}`, accept.join(', '));
    const bytes = Buffer.from(await res.arrayBuffer());
    const out: { bytes: Buffer; mediaType: string; digestHeader?: string } = {
      bytes,
      mediaType: (res.headers.get('content-type') ?? '').split(';')[0]!.trim(),
    };
    const dh = res.headers.get('docker-content-digest');
    if (dh) {
      out.digestHeader = dh;
    }
    return out;
  }

  /** A blob's bytes as they arrive (the caller verifies the digest while storing them). */
  async getBlob(digest: string): Promise<AsyncIterable<Uint8Array>> {
    const res = await this.get(`blobs/${digest}`);
    if (!res.body) {
      return Readable.from([]);
    }
    return Readable.fromWeb(res.body as WebReadableStream<Uint8Array>);
  }
}
