// The GET request of an httpGet probe or lifecycle hook:
// k8s pkg/probe/http/request.go#NewRequestForHTTPGetAction, #newProbeRequest,
// #formatURL, #userAgent.
//   - scheme lower-cased, "http" by default; host = httpGet.host or the pod IP;
//   - port resolved by name or number (pkg/probe/util.go);
//   - headers in order; `User-Agent: kube-<probe|lifecycle>/<major>.<minor>`
//     unless one is given; `Accept: */*` unless one is given (an empty Accept
//     removes the header); a Host header sets the request's Host.
import type { Container, HTTPGetAction } from '../../../api/types/index.js';
import type { HttpProbeRequest } from '../../../runtime/runtime.js';
import { joinHostPort, resolveContainerPort } from '../resolve-port.js';

/** The Kubernetes minor podbay mirrors (kubeletVersion v1.32.0-podbay). */
export const KUBE_MAJOR_MINOR = '1.32';

export interface BuiltRequest {
  request: HttpProbeRequest;
  /** The URL as Go prints it (for error messages). */
  url: string;
}

export function newHttpGetRequest(
  httpGet: HTTPGetAction,
  container: Pick<Container, 'ports'>,
  podIP: string,
  userAgentFragment: 'probe' | 'lifecycle',
): BuiltRequest | { error: string } {
  const scheme = (httpGet.scheme ?? 'HTTP').toUpperCase() === 'HTTPS' ? 'HTTPS' : 'HTTP';
  const host = httpGet.host || podIP;
  const port = resolveContainerPort(httpGet.port, container);
  if ('error' in port) {
    return { error: port.error };
  }
  const rawPath = httpGet.path ?? '';
  const path = rawPath === '' ? '/' : rawPath.startsWith('/') ? rawPath : `/${rawPath}`;
  const headers: [string, string][] = [];
  for (const h of httpGet.httpHeaders ?? []) {
    headers.push([h.name, h.value]);
  }
  const has = (name: string): boolean => headers.some(([n]) => n.toLowerCase() === name);
  if (!has('user-agent')) {
    headers.push(['User-Agent', `kube-${userAgentFragment}/${KUBE_MAJOR_MINOR}`]);
  }
  if (!has('accept')) {
    headers.push(['Accept', '*/*']);
  } else if (headers.filter(([n]) => n.toLowerCase() === 'accept').every(([, v]) => v === '')) {
    for (let i = headers.length - 1; i >= 0; i--) {
      if (headers[i]![0].toLowerCase() === 'accept') {
        headers.splice(i, 1);
      }
    }
  }
  const url = `${scheme.toLowerCase()}://${joinHostPort(host, port.port)}${rawPath === '' ? '' : path}`;
  return { request: { scheme, host, port: port.port, path, headers }, url };
}
