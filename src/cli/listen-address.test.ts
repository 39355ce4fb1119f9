import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseListenAddress } from './listen-address.js';

const good: Record<string, [string, { host: string; port: number }]> = {
  'reads host and port': ['127.0.0.1:7443', { host: '127.0.0.1', port: 7443 }],
  'defaults the port to 6443 for a bare host': ['127.0.0.2', { host: '127.0.0.2', port: 6443 }],
  'defaults the host to loopback for :PORT': [':9000', { host: '127.0.0.1', port: 9000 }],
  'maps localhost to 127.0.0.1 (the certificate is made for an IP)': ['localhost:1', { host: '127.0.0.1', port: 1 }],
  'reads a bracketed IPv6 address with a port': ['[::1]:6444', { host: '::1', port: 6444 }],
  'reads a bare IPv6 address': ['::1', { host: '::1', port: 6443 }],
  'accepts port 0 (pick a free port)': ['127.0.0.1:0', { host: '127.0.0.1', port: 0 }],
};
for (const [name, [text, want]] of Object.entries(good)) {
  test(`parseListenAddress ${name}`, () => assert.deepEqual(parseListenAddress(text), want));
}

const bad: Record<string, [string, RegExp]> = {
  'rejects a host name that is not an IP': ['example.com:80', /"example\.com" is not an IP address/],
  'rejects a port that is not a number': ['127.0.0.1:https', /"https" is not a port number/],
  'rejects a port above 65535': ['127.0.0.1:70000', /port 70000 is out of range/],
  'rejects a negative port': ['127.0.0.1:-1', /"-1" is not a port number/],
};
for (const [name, [text, want]] of Object.entries(bad)) {
  test(`parseListenAddress ${name}`, () => assert.throws(() => parseListenAddress(text), want));
}
