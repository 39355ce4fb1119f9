// k8s pkg/probe/util.go#ResolveContainerPort: a number is taken as is; a name
// is looked up in the container's ports, and failing that parsed as a number
// (with Go's strconv.Atoi error text, which users see in
// `Readiness probe errored and resulted in unknown state: strconv.Atoi: parsing "http": invalid syntax`).
import type { Container } from '../../api/types/index.js';

export type PortResolution = { port: number } | { error: string };

export function resolveContainerPort(param: number | string, container: Pick<Container, 'ports'>): PortResolution {
  let port: number;
  if (typeof param === 'number') {
    port = param;
  } else {
    const named = (container.ports ?? []).find((p) => p.name === param);
    if (named) {
      port = named.containerPort;
    } else if (/^[+-]?\d+$/.test(param)) {
      port = Number(param);
    } else {
      return { error: `strconv.Atoi: parsing ${JSON.stringify(param)}: invalid syntax` };
    }
  }
  if (Number.isInteger(port) && port > 0 && port < 65536) {
    return { port };
  }
  return { error: `invalid port number: ${port}` };
}

/** net.JoinHostPort: IPv6 literals get brackets. */
export function joinHostPort(host: string, port: number): string {
  return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
}
