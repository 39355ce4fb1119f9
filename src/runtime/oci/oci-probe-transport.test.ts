import { after, before, test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as http from 'node:http';
import * as http2 from 'node:http2';
import type { AddressInfo } from 'node:net';
import { isRuntimeError } from '../runtime.js';
import type { ProbeTarget } from '../runtime.js';
import { OciProbeTransport } from './oci-probe-transport.js';

const target: ProbeTarget = { podSandboxId: 's', containerId: 'c', containerName: 'app', probeType: 'liveness' };
const transport = new OciProbeTransport((_id, cmd) =>
  Promise.resolve({ stdout: cmd.join(' '), stderr: '', exitCode: 3 }),
);

let httpServer: http.Server;
let grpcServer: http2.Http2Server;
let httpPort = 0;
let grpcPort = 0;
/** A port nothing listens on: one the HTTP server had, after it closed. */
let closedPort = 0;

before(async () => {
  httpServer = http.createServer((req, res) => {
    if (req.url === '/redirect') {
      res.writeHead(302, { Location: '/elsewhere' }).end();
    } else if (req.url === '/big') {
      res.writeHead(200).end('x'.repeat(20_000));
    } else if (req.url === '/slow') {
      setTimeout(() => res.writeHead(200).end('late'), 2000);
    } else {
      res.writeHead(200, { 'X-Probe': String(req.headers['user-agent']) }).end('ok');
    }
  });
  await new Promise<void>((r) => httpServer.listen(0, '127.0.0.1', r));
  httpPort = (httpServer.address() as AddressInfo).port;
  const spare = http.createServer();
  await new Promise<void>((r) => spare.listen(0, '127.0.0.1', r));
  closedPort = (spare.address() as AddressInfo).port;
  await new Promise<void>((r) => spare.close(() => r()));
  // grpc.health.v1.Health/Check: "ready" is SERVING (1), anything else NOT_SERVING (2), "gone" an rpc error.
  grpcServer = http2.createServer();
  grpcServer.on('stream', (stream) => {
    const chunks: number[] = [];
    stream.on('data', (b: Uint8Array) => chunks.push(...b));
    stream.on('end', () => {
      const service = new TextDecoder().decode(Uint8Array.from(chunks.slice(7)));
      stream.respond({ ':status': 200, 'content-type': 'application/grpc' }, { waitForTrailers: true });
      stream.on('wantTrailers', () => stream.sendTrailers({ 'grpc-status': service === 'gone' ? '5' : '0' }));
      stream.end(service === 'gone' ? undefined : Uint8Array.from([0, 0, 0, 0, 2, 0x08, service === 'ready' ? 1 : 2]));
    });
  });
  await new Promise<void>((r) => grpcServer.listen(0, '127.0.0.1', r));
  grpcPort = (grpcServer.address() as AddressInfo).port;
});

after(() => {
  httpServer.close();
  grpcServer.close();
});

test('http: status, lower-cased headers and body, with the caller’s headers sent', async () => {
  const r = await transport.http(
    target,
    { scheme: 'HTTP', host: '127.0.0.1', port: httpPort, path: '/', headers: [['User-Agent', 'kube-probe/1.32']] },
    2000,
  );
  assert.equal(r.statusCode, 200);
  assert.equal(r.headers['x-probe'], 'kube-probe/1.32');
  assert.equal(r.body, 'ok');
});

test('http: a redirect is returned, not followed; a body is cut at 10 KiB', async () => {
  const req = { scheme: 'HTTP' as const, host: '127.0.0.1', port: httpPort, headers: [] };
  const r = await transport.http(target, { ...req, path: '/redirect' }, 2000);
  assert.equal(r.statusCode, 302);
  assert.equal(r.headers.location, '/elsewhere');
  assert.equal((await transport.http(target, { ...req, path: '/big' }, 2000)).body.length, 10 * 1024);
});

test('http: a refused connection is Unavailable and a slow answer DeadlineExceeded', async () => {
  const req = { scheme: 'HTTP' as const, host: '127.0.0.1', headers: [], path: '/slow' };
  await assert.rejects(transport.http(target, { ...req, port: closedPort }, 2000), (e) =>
    isRuntimeError(e, 'Unavailable'),
  );
  await assert.rejects(transport.http(target, { ...req, port: httpPort }, 200), (e) =>
    isRuntimeError(e, 'DeadlineExceeded'),
  );
});

test('tcp: resolves on connect, Unavailable when refused', async () => {
  await transport.tcp(target, '127.0.0.1', httpPort, 2000);
  await assert.rejects(transport.tcp(target, '127.0.0.1', closedPort, 2000), (e) => isRuntimeError(e, 'Unavailable'));
});

test('grpc: the health service’s answer, and an rpc error as a rejection', async () => {
  assert.equal(await transport.grpc(target, '127.0.0.1', grpcPort, 'ready', 2000), 'SERVING');
  assert.equal(await transport.grpc(target, '127.0.0.1', grpcPort, 'other', 2000), 'NOT_SERVING');
  await assert.rejects(transport.grpc(target, '127.0.0.1', grpcPort, 'gone', 2000), /grpc-status 5/);
  await assert.rejects(transport.grpc(target, '127.0.0.1', closedPort, '', 2000), (e) =>
    isRuntimeError(e, 'Unavailable'),
  );
});

test('exec goes through the runtime’s execSync', async () => {
  assert.deepEqual(await transport.exec(target, ['cat', '/ready'], 1000), {
    stdout: 'cat /ready',
    stderr: '',
    exitCode: 3,
  });
});
