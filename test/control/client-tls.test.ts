import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { ensurePki } from '../../src/apiserver/auth/pki.js';
import { ApiClient } from '../../src/client/api-client.js';

test('talks HTTPS to a server whose certificate the given CA signed, and refuses one it did not', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'podbay-client-tls-'));
  const other = await mkdtemp(join(tmpdir(), 'podbay-client-tls-other-'));
  const pki = await ensurePki(dir, '127.0.0.1', Date.now());
  const wrong = await ensurePki(other, '127.0.0.1', Date.now());
  const auth: string[] = [];
  const server = https.createServer({ cert: pki.certPem, key: pki.keyPem }, (req, res) => {
    auth.push(req.headers.authorization ?? '');
    res.writeHead(200, { 'Content-Type': 'application/json' });
    res.end(JSON.stringify({ metadata: { name: 'n1' } }));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const url = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const good = new ApiClient({ server: url, token: 't0k', caCertPem: pki.caCertPem });
  const bad = new ApiClient({ server: url, token: 't0k', caCertPem: wrong.caCertPem });
  try {
    const n = await good.nodes.get(undefined, 'n1');
    assert.equal(n.metadata.name, 'n1');
    assert.deepEqual(auth, ['Bearer t0k']);
    await assert.rejects(bad.nodes.get(undefined, 'n1'), /self.signed|unable to verify|certificate/i);
  } finally {
    good.close();
    bad.close();
    server.closeAllConnections();
    await new Promise<void>((r) => server.close(() => r()));
    await rm(dir, { recursive: true, force: true });
    await rm(other, { recursive: true, force: true });
  }
});
