// The agent's stream server on HTTPS with a certificate of the cluster CA, and the
// apiserver's proxy checking it (kube-apiserver --kubelet-certificate-authority):
// logs and exec still work through it, and the agent refuses plain HTTP.
import assert from 'node:assert/strict';
import { request } from 'node:https';
import { Writable } from 'node:stream';
import { after, before, test } from 'node:test';
import { Exec } from '@kubernetes/client-node';
import type { V1Status } from '@kubernetes/client-node';
import { ensurePki } from '../../src/apiserver/auth/pki.js';
import type { Pki } from '../../src/apiserver/auth/pki.js';
import { makeTempDir } from '../helpers/temp-dir.js';
import type { TempDir } from '../helpers/temp-dir.js';
import { startStreamsCluster } from './streams-harness.js';
import type { StreamsCluster } from './streams-harness.js';

let c: StreamsCluster;
let dir: TempDir;
let pki: Pki;
before(async () => {
  dir = await makeTempDir('podbay-streams-tls-');
  pki = await ensurePki(dir.path, '127.0.0.1', Date.now());
  c = await startStreamsCluster({ agentTls: pki });
  await c.runPod({
    metadata: { name: 'secure', namespace: 'default' },
    spec: { containers: [{ name: 'app', image: 'busybox:1.36', command: ['sh', '-c', 'echo over tls; sleep 3600'] }] },
  });
});
after(async () => {
  await c.close();
  await dir.remove();
});

test('logs and exec go through the proxy to an HTTPS agent', async () => {
  const log = await c.server.request('GET', '/api/v1/namespaces/default/pods/secure/log');
  assert.equal(log.status, 200, log.text);
  assert.equal(log.text, 'over tls\n');
  let out = '';
  const stdout = new Writable({
    write(chunk: Buffer, _e, cb) {
      out += chunk.toString();
      cb();
    },
  });
  const status = await new Promise<V1Status>((resolve, reject) => {
    new Exec(c.kubeConfig())
      .exec('default', 'secure', 'app', ['hostname'], stdout, null, null, false, resolve)
      .catch(reject);
  });
  assert.equal(status.status, 'Success');
  assert.equal(out, 'secure\n');
});

test('the agent certificate is checked: a client without the CA is refused', async () => {
  const err = await new Promise<Error>((resolve) => {
    const req = request(
      { host: '127.0.0.1', port: c.streamServer.port, path: '/containerLogs/default/secure/app' },
      () => resolve(new Error('answered')),
    );
    req.on('error', resolve);
    req.end();
  });
  assert.match(err.message, /self.signed|unable to verify|certificate/i);
});
