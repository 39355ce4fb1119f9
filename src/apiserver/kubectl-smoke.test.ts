// A smoke check with the real kubectl on PATH (the v1.32 dispatcher, kubectl-contract.md
// §0.1) against an in-process HTTPS apiserver: discovery, OpenAPI, apply, get, label,
// delete. The full kubectl suite is the e2e tier's (test/e2e).
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { after, before, describe, test } from 'node:test';
import { MemoryStore } from '../store/memory/memory-store.js';
import { startApiServer, type RunningApiServer } from './server.js';

const run = promisify(execFile);

interface KubectlResult {
  code: number;
  stdout: string;
  stderr: string;
}

describe('real kubectl against the apiserver', () => {
  let dir: string;
  let srv: RunningApiServer;

  async function kubectl(...args: string[]): Promise<KubectlResult> {
    try {
      const r = await run(
        'kubectl',
        ['--kubeconfig', join(dir, 'kubeconfig'), '--cache-dir', join(dir, 'cache'), ...args],
        {
          timeout: 60_000,
        },
      );
      return { code: 0, stdout: r.stdout, stderr: r.stderr };
    } catch (e) {
      const err = e as { code?: number; stdout?: string; stderr?: string };
      return { code: typeof err.code === 'number' ? err.code : -1, stdout: err.stdout ?? '', stderr: err.stderr ?? '' };
    }
  }

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'podbay-kubectl-'));
    srv = await startApiServer({ store: new MemoryStore(), host: '127.0.0.1', port: 0, pkiDir: join(dir, 'pki') });
    await writeFile(
      join(dir, 'kubeconfig'),
      [
        'apiVersion: v1',
        'kind: Config',
        'clusters:',
        '- name: podbay',
        '  cluster:',
        `    server: ${srv.url}`,
        `    certificate-authority-data: ${Buffer.from(srv.caCertPem).toString('base64')}`,
        'users:',
        '- name: admin',
        '  user:',
        `    token: ${srv.token}`,
        'contexts:',
        '- name: podbay',
        '  context: {cluster: podbay, user: admin, namespace: default}',
        'current-context: podbay',
        '',
      ].join('\n'),
    );
    await writeFile(
      join(dir, 'pod.yaml'),
      'apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\n  labels:\n    app: web\nspec:\n  containers:\n  - name: c\n    image: nginx\n',
    );
  });
  after(async () => {
    await srv.close();
    await rm(dir, { recursive: true, force: true });
  });

  test('kubectl version reports the server as v1.32', async () => {
    const r = await kubectl('version');
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /Server Version: v1\.32\.\d+/);
  });

  test('get, apply, label, get -o jsonpath, delete and a NotFound', async () => {
    const empty = await kubectl('get', 'pods');
    assert.equal(empty.code, 0, empty.stderr);
    assert.match(empty.stderr, /No resources found in default namespace\./);

    const applied = await kubectl('apply', '-f', join(dir, 'pod.yaml'));
    assert.equal(applied.code, 0, applied.stderr);
    assert.equal(applied.stdout.trim(), 'pod/web created');

    const again = await kubectl('apply', '-f', join(dir, 'pod.yaml'));
    assert.equal(again.stdout.trim(), 'pod/web unchanged');

    await writeFile(
      join(dir, 'pod2.yaml'),
      (await readFile(join(dir, 'pod.yaml'), 'utf8')).replace('image: nginx', 'image: nginx:1.27'),
    );
    const changed = await kubectl('apply', '-f', join(dir, 'pod2.yaml'));
    assert.equal(changed.stdout.trim(), 'pod/web configured');
    assert.equal(changed.stderr, '', 'no warning about the OpenAPI documents');
    const image = await kubectl('get', 'pod', 'web', '-o', 'jsonpath={.spec.containers[0].image}');
    assert.equal(image.stdout, 'nginx:1.27');

    const names = await kubectl('get', 'po', '-o', 'name');
    assert.equal(names.stdout.trim(), 'pod/web');

    const label = await kubectl('label', 'pod', 'web', 'tier=front');
    assert.equal(label.stdout.trim(), 'pod/web labeled');
    const labels = await kubectl('get', 'pod', 'web', '-o', 'jsonpath={.metadata.labels.tier} {.status.phase}');
    assert.equal(labels.stdout, 'front Pending');

    // kubectl moves client-side apply's ownership to its server-side manager; another
    // manager that sets another image conflicts with it until forced.
    const ssa = await kubectl('apply', '--server-side', '-f', join(dir, 'pod2.yaml'));
    assert.equal(ssa.code, 0, ssa.stderr);
    assert.equal(ssa.stdout.trim(), 'pod/web serverside-applied');
    const conflict = await kubectl('apply', '--server-side', '--field-manager=other', '-f', join(dir, 'pod.yaml'));
    assert.equal(conflict.code, 1);
    assert.match(
      conflict.stderr,
      /Apply failed with 1 conflict: conflict with "kubectl": \.spec\.containers\[name="c"\]\.image/,
    );
    const forced = await kubectl(
      'apply',
      '--server-side',
      '--field-manager=other',
      '--force-conflicts',
      '-f',
      join(dir, 'pod.yaml'),
    );
    assert.equal(forced.code, 0, forced.stderr);

    const del = await kubectl('delete', 'pod', 'web');
    assert.equal(del.code, 0, del.stderr);
    assert.equal(del.stdout.trim(), 'pod "web" deleted');

    const missing = await kubectl('get', 'pod', 'web');
    assert.equal(missing.code, 1);
    assert.equal(missing.stderr.trim(), 'Error from server (NotFound): pods "web" not found');
  });

  test('create namespace/configmap/secret (protobuf bodies) and deleting the namespace', async () => {
    assert.equal((await kubectl('create', 'namespace', 'team')).stdout.trim(), 'namespace/team created');
    const cm = await kubectl('create', 'configmap', 'cm', '-n', 'team', '--from-literal=a=b');
    assert.equal(cm.stdout.trim(), 'configmap/cm created', cm.stderr);
    const secret = await kubectl('create', 'secret', 'generic', 's', '-n', 'team', '--from-literal=p=secret');
    assert.equal(secret.stdout.trim(), 'secret/s created', secret.stderr);
    const data = await kubectl('get', 'secret', 's', '-n', 'team', '-o', 'jsonpath={.data.p}');
    assert.equal(data.stdout, 'c2VjcmV0');
    const del = await kubectl('delete', 'namespace', 'team');
    assert.equal(del.stdout.trim(), 'namespace "team" deleted', del.stderr);
    const gone = await kubectl('get', 'configmap', 'cm', '-n', 'team');
    assert.equal(gone.code, 1);
  });

  test('an invalid pod prints the apiserver message the way a cluster does', async () => {
    await writeFile(
      join(dir, 'bad.yaml'),
      'apiVersion: v1\nkind: Pod\nmetadata:\n  name: bad\nspec:\n  containers:\n  - name: c\n',
    );
    const r = await kubectl('create', '-f', join(dir, 'bad.yaml'));
    assert.equal(r.code, 1);
    assert.match(r.stderr, /The Pod "bad" is invalid: spec\.containers\[0\]\.image: Required value/);
  });

  test('api-resources lists the served resources with short names', async () => {
    const r = await kubectl('api-resources', '--no-headers');
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^pods\s+po\s+v1\s+true\s+Pod$/m);
    assert.match(r.stdout, /^leases\s+coordination\.k8s\.io\/v1\s+true\s+Lease$/m);
  });
});
