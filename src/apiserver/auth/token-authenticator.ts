// Bearer-token authentication (k8s.io/apiserver/pkg/authentication/request/bearertoken):
// `Authorization: Bearer <token>`, compared in constant time. The health endpoints are
// reachable without a token, as kube-apiserver's are with its default
// system:public-info-viewer binding (/healthz, /livez, /readyz, /version is not among
// them here: the dispatcher of kubectl sends the token with /version too).
import { timingSafeEqual } from 'node:crypto';

const PUBLIC_PATHS = new Set(['/healthz', '/livez', '/readyz']);

export function isPublicPath(path: string): boolean {
  if (PUBLIC_PATHS.has(path)) {
    return true;
  }
  // /healthz/ping, /livez/etcd, /readyz/... are individual checks.
  return /^\/(healthz|livez|readyz)\//.test(path);
}

export class TokenAuthenticator {
  private readonly expected: Uint8Array;
  constructor(token: string) {
    this.expected = new Uint8Array(Buffer.from(token, 'utf8'));
  }

  /** True when the Authorization header carries the admin token. */
  authenticate(authorization: string | undefined): boolean {
    if (!authorization) {
      return false;
    }
    const m = /^Bearer\s+(\S+)\s*$/i.exec(authorization);
    if (!m) {
      return false;
    }
    const given = new Uint8Array(Buffer.from(m[1]!, 'utf8'));
    return given.length === this.expected.length && timingSafeEqual(given, this.expected);
  }
}
