// `podbay up` as a user runs it (issue 2 item 5): the kubeconfig it writes, /readyz,
// a clear error on a taken port, a clean stop on SIGTERM, and data kept across restarts.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readFile, stat, symlink } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import { parse } from 'yaml';
import { newKubectl } from '../helpers/kubectl.js';
import { httpsGet, startPodbay } from '../helpers/podbay-process.js';
import { PODBAY_BIN } from '../helpers/repo-paths.js';
import { makeTempDir } from '../helpers/temp-dir.js';
import { expectSuccess, podYaml } from './e2e-cluster.js';

function runPodbay(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(PODBAY_BIN, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (c: string) => (stdout += c));
    child.stderr.setEncoding('utf8').on('data', (c: string) => (stderr += c));
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, stdout, stderr }));
  });
}

test('up writes a podbay kubeconfig, prints how to use it, answers /readyz and stops on SIGTERM', async () => {
  const podbay = await startPodbay();
  try {
    assert.match(podbay.output(), new RegExp(`export KUBECONFIG=${podbay.kubeconfigPath}\n {2}kubectl get pods\n`));
    const doc = parse(await readFile(podbay.kubeconfigPath, 'utf8')) as Record<string, unknown>;
    assert.equal(doc['current-context'], 'podbay');
    assert.equal((await stat(podbay.kubeconfigPath)).mode & 0o777, 0o600);
    for (const f of ['state.db', 'pki']) {
      await stat(join(podbay.dataDir, f));
    }
    const ready = await httpsGet(`${podbay.url}/readyz`, podbay.caCertPem);
    assert.deepEqual([ready.status, ready.body], [200, 'ok']);
    const anon = await httpsGet(`${podbay.url}/api/v1/pods`, podbay.caCertPem);
    assert.equal(anon.status, 401);
    const authed = await httpsGet(`${podbay.url}/api/v1/pods`, podbay.caCertPem, {
      authorization: `Bearer ${podbay.token}`,
    });
    assert.equal(authed.status, 200);
  } finally {
    assert.equal(await podbay.stop(), 0);
    await podbay.dispose();
  }
  assert.match(podbay.output(), /received SIGTERM, stopping\npodbay stopped\n/);
});

test('a second up on a taken port fails with a clear error and exit 1', async () => {
  const first = await startPodbay();
  const other = await makeTempDir();
  try {
    const r = await runPodbay(['up', '--data-dir', other.path, '--listen', `127.0.0.1:${first.port}`]);
    assert.equal(r.code, 1);
    assert.match(
      r.stderr,
      new RegExp(`^error: cannot start podbay on 127\\.0\\.0\\.1:${first.port}: port ${first.port} is already in use`),
    );
  } finally {
    await first.dispose();
    await other.remove();
  }
});

test('pods survive a restart on the same data dir, with the same token and CA', async () => {
  const dir = await makeTempDir();
  try {
    const first = await startPodbay({ dataDir: join(dir.path, 'data') });
    const kubectl = newKubectl(first.kubeconfigPath, join(dir.path, 'cache'));
    expectSuccess(await kubectl(['create', '-f', '-'], { stdin: podYaml('durable') }));
    const token = first.token;
    assert.equal(await first.stop(), 0);
    const second = await startPodbay({ dataDir: join(dir.path, 'data') });
    try {
      assert.equal(second.token, token);
      assert.equal(expectSuccess(await kubectl(['get', 'pod', 'durable', '-o', 'name'])), 'pod/durable\n');
    } finally {
      await second.stop();
    }
  } finally {
    await dir.remove();
  }
});

test('up rejects an unknown flag with exit 2 and names it', async () => {
  const r = await runPodbay(['up', '--no-such-flag']);
  assert.deepEqual(
    [r.code, r.stderr],
    [2, "error: unknown flag '--no-such-flag'\nRun 'podbay up --help' for usage.\n"],
  );
});

test('podbay version and an unknown command behave from the launcher', async () => {
  const v = await runPodbay(['version']);
  assert.equal(v.code, 0);
  assert.match(v.stdout, /^podbay \d+\.\d+\.\d+\nKubernetes API: v1\.32\.\d+\n/);
  const bad = await runPodbay(['frobnicate']);
  assert.deepEqual(
    [bad.code, bad.stderr],
    [2, 'error: unknown command "frobnicate" for "podbay"\nRun \'podbay help\' for usage.\n'],
  );
});

test('the launcher works through a symlink from another working directory', async () => {
  const dir = await makeTempDir();
  try {
    const link = join(dir.path, 'podbay');
    await symlink(PODBAY_BIN, link);
    const r = await new Promise<{ code: number | null; stdout: string }>((resolve, reject) => {
      const child = spawn(link, ['version'], { cwd: '/', stdio: ['ignore', 'pipe', 'inherit'] });
      let stdout = '';
      child.stdout.setEncoding('utf8').on('data', (c: string) => (stdout += c));
      child.once('error', reject);
      child.once('close', (code) => resolve({ code, stdout }));
    });
    assert.equal(r.code, 0);
    assert.match(r.stdout, /^podbay \d+\.\d+\.\d+\n/);
  } finally {
    await dir.remove();
  }
});
