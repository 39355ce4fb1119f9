import { isIP } from 'node:net';
import { UsageError } from './usage-error.js';

/** kube-apiserver's secure port, which kubeconfigs and habits expect. */
export const DEFAULT_PORT = 6443;
/** Loopback by default (ARCHITECTURE.md networking rule: nothing off the machine unless asked). */
export const DEFAULT_HOST = '127.0.0.1';

export interface ListenAddress {
  host: string;
  port: number;
}

/**
 * Parses `--listen HOST:PORT`, `HOST` alone, `:PORT`, or `[IPv6]:PORT`. The host must be
 * an IP address: the serving certificate is made for it and kubectl dials it.
 */
export function parseListenAddress(text: string): ListenAddress {
  const bad = (why: string): UsageError =>
    new UsageError(`invalid --listen "${text}": ${why} (want HOST:PORT, e.g. 127.0.0.1:6443)`, 'up');
  let host: string;
  let portText: string | undefined;
  const bracketed = /^\[([^\]]+)\](?::(.*))?$/.exec(text);
  if (bracketed) {
    host = bracketed[1] ?? '';
    portText = bracketed[2];
  } else if (isIP(text) === 6) {
    host = text;
  } else {
    const colon = text.lastIndexOf(':');
    host = colon < 0 ? text : text.slice(0, colon);
    portText = colon < 0 ? undefined : text.slice(colon + 1);
  }
  if (host === '') {
    host = DEFAULT_HOST;
  }
  if (host === 'localhost') {
    host = DEFAULT_HOST;
  }
  if (isIP(host) === 0) {
    throw bad(`"${host}" is not an IP address`);
  }
  if (portText === undefined) {
    return { host, port: DEFAULT_PORT };
  }
  if (!/^\d{1,5}$/.test(portText)) {
    throw bad(`"${portText}" is not a port number`);
  }
  const port = Number(portText);
  if (port > 65535) {
    throw bad(`port ${port} is out of range 0-65535`);
  }
  return { host, port };
}
