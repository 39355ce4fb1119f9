/* eslint-disable @typescript-eslint/no-unsafe-member-access -- tests read JSON answers (TestResponse.json) in assertions */
import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { createServer } from 'node:net';
import { request } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { MemoryStore } from '../store/memory/memory-store.js';
import { CA_CERT_FILE, SERVING_CERT_FILE, TOKEN_FILE } from './auth/pki.js';
import { startApiServer, type RunningApiServer } from './server.js';

function get(srv: RunningApiServer, path: string, token?: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(`${srv.url}${path}`, {
      ca: srv.caCertPem,
      headers: token ? { authorization: `Bearer ${token}` } : {},
      agent: false,
    });
    req.on('error', reject);
    req.on('response', (res) => {
      let body = '';
      res.on('data', (c: Buffer) => (body += c.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.end();
  });
}

describe('startApiServer', () => {
  let dir: string;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'podbay-apiserver-'));
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  test('serves HTTPS with a CA-signed certificate for 127.0.0.1 and localhost, and needs the token', async () => {
    const srv = await startApiServer({
      store: new MemoryStore(),
      host: '127.0.0.1',
      port: 0,
      pkiDir: join(dir, 'pki'),
    });
    try {
      assert.match(srv.url, /^https:\/\/127\.0\.0\.1:\d+$/);
      const ok = await get(srv, '/api/v1/namespaces', srv.token);
      assert.equal(ok.status, 200);
      const denied = await get(srv, '/api/v1/namespaces');
      assert.equal(denied.status, 401);
      assert.equal(JSON.parse(denied.body).message, 'Unauthorized');
      const health = await get(srv, '/readyz');
      assert.equal(health.status, 200);
      const cert = new X509Certificate(await readFile(join(dir, 'pki', SERVING_CERT_FILE), 'utf8'));
      assert.ok(cert.checkIP('127.0.0.1'));
      assert.ok(cert.checkHost('localhost'));
      assert.ok(cert.checkIP('::1'));
      assert.ok(cert.verify(new X509Certificate(srv.caCertPem).publicKey));
      const mode = (await stat(join(dir, 'pki', TOKEN_FILE))).mode & 0o777;
      assert.equal(mode, 0o600);
    } finally {
      await srv.close();
    }
  });

  test('a second start reuses the CA and the token', async () => {
    const pkiDir = join(dir, 'pki');
    const before = await readFile(join(pkiDir, CA_CERT_FILE), 'utf8');
    const token = (await readFile(join(pkiDir, TOKEN_FILE), 'utf8')).trim();
    const srv = await startApiServer({ store: new MemoryStore(), host: '127.0.0.1', port: 0, pkiDir });
    try {
      assert.equal(srv.caCertPem, before);
      assert.equal(srv.token, token);
    } finally {
      await srv.close();
    }
  });

  test('a taken port is a clear error', async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const port = (blocker.address() as { port: number }).port;
    try {
      await assert.rejects(
        startApiServer({ store: new MemoryStore(), host: '127.0.0.1', port, pkiDir: join(dir, 'pki') }),
        { message: `port ${port} is already in use` },
      );
    } finally {
      await new Promise<void>((resolve) => blocker.close(() => resolve()));
    }
  });

  test('close ends open watches', async () => {
    const srv = await startApiServer({
      store: new MemoryStore(),
      host: '127.0.0.1',
      port: 0,
      pkiDir: join(dir, 'pki'),
      token: 't',
    });
    let started!: () => void;
    const open = new Promise<void>((r) => (started = r));
    const ended = new Promise<number>((resolve, reject) => {
      const req = request(`${srv.url}/api/v1/namespaces?watch=true`, {
        ca: srv.caCertPem,
        headers: { authorization: 'Bearer t' },
        agent: false,
      });
      req.on('error', reject);
      req.on('response', (res) => {
        res.once('data', () => started());
        res.resume();
        res.on('close', () => resolve(res.statusCode ?? 0));
      });
      req.end();
    });
    await open; // the synthetic ADDED events arrived: the watch is running
    await srv.close();
    assert.equal(await ended, 200);
  });
});
