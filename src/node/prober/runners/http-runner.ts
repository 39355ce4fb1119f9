// HTTP probes: k8s pkg/probe/http/http.go#DoHTTPProbe and #RedirectChecker
// with followNonLocalRedirects=false (the kubelet's choice).
//   200..299            success, output = body (≤ 10 KiB)
//   300..399 returned   warning (a success that records ProbeWarning):
//                       `Probe terminated redirects, Response body: <body>`
//   ≥ 400 or < 200      failure `HTTP probe failed with statuscode: <code>`
//                       (never the body: kubernetes/kubernetes#99425)
//   transport error     failure with Go's client error text,
//                       `Get "<url>": dial tcp …: connect: connection refused`
// Redirects (301, 302, 303, 307, 308 with a Location) to the same host name
// are followed, at most 9 of them (Go refuses the 10th: `stopped after 10
// redirects`); one to another host is returned as is, hence a warning.
import type { Clock } from '../../../lib/clock.js';
import { isRuntimeError } from '../../../runtime/runtime.js';
import type { HttpProbeRequest, ProbeTarget, ProbeTransport } from '../../../runtime/runtime.js';
import type { ProbeOutcome } from '../probe-outcome.js';
import type { BuiltRequest } from './http-request.js';
import { joinHostPort } from '../resolve-port.js';

const REDIRECT_CODES = new Set([301, 302, 303, 307, 308]);
const MAX_REDIRECTS = 10;

export async function runHttpProbe(
  transport: ProbeTransport,
  target: ProbeTarget,
  built: BuiltRequest,
  timeoutMs: number,
  clock: Clock,
): Promise<ProbeOutcome> {
  const r = await doHttpGet(transport, target, built, timeoutMs, clock);
  if ('error' in r) {
    return { result: 'failure', output: r.error };
  }
  const { statusCode, body } = r.response;
  if (statusCode >= 200 && statusCode < 400) {
    if (statusCode >= 300) {
      return { result: 'warning', output: `Probe terminated redirects, Response body: ${body}` };
    }
    return { result: 'success', output: body };
  }
  return { result: 'failure', output: `HTTP probe failed with statuscode: ${statusCode}` };
}

/**
 * One GET with same-host redirects followed, as Go's http.Client does it for
 * the kubelet. The timeout covers the whole chain (http.Client.Timeout).
 * Answers the last response, or the client error text.
 */
export async function doHttpGet(
  transport: ProbeTransport,
  target: ProbeTarget,
  built: BuiltRequest,
  timeoutMs: number,
  clock: Clock,
): Promise<{ response: { statusCode: number; body: string } } | { error: string }> {
  const deadline = clock.now() + timeoutMs;
  let req = built.request;
  let url = built.url;
  const originalHost = built.request.host;
  for (let redirects = 0; ; redirects++) {
    let res;
    try {
      res = await transport.http(target, req, Math.max(0, deadline - clock.now()));
    } catch (e) {
      if (isRuntimeError(e, 'DeadlineExceeded')) {
        return {
          error: `Get ${JSON.stringify(url)}: context deadline exceeded (Client.Timeout exceeded while awaiting headers)`,
        };
      }
      return { error: `Get ${JSON.stringify(url)}: ${e instanceof Error ? e.message : String(e)}` };
    }
    const location = res.headers['location'];
    if (!REDIRECT_CODES.has(res.statusCode) || !location) {
      return { response: res };
    }
    const next = resolveLocation(location, req);
    if (!next) {
      return { error: `Get ${JSON.stringify(url)}: failed to parse Location header ${JSON.stringify(location)}` };
    }
    if (next.request.host !== originalHost) {
      // http.ErrUseLastResponse: the 3xx itself is the answer.
      return { response: res };
    }
    if (redirects + 1 >= MAX_REDIRECTS) {
      return { error: `Get ${JSON.stringify(next.url)}: stopped after ${MAX_REDIRECTS} redirects` };
    }
    req = { ...next.request, headers: req.headers };
    url = next.url;
  }
}

function resolveLocation(location: string, from: HttpProbeRequest): BuiltRequest | undefined {
  let u: URL;
  try {
    const base = `${from.scheme.toLowerCase()}://${joinHostPort(from.host, from.port)}${from.path}`;
    u = new URL(location, base);
  } catch {
    return undefined;
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') {
    return undefined;
  }
  const scheme = u.protocol === 'https:' ? 'HTTPS' : 'HTTP';
  const host = u.hostname.replace(/^\[(.*)\]$/, '$1');
  const port = u.port ? Number(u.port) : scheme === 'HTTPS' ? 443 : 80;
  const path = `${u.pathname}${u.search}`;
  return {
    request: { scheme, host, port, path, headers: [] },
    url: `${u.protocol}//${u.host}${path}`,
  };
}
