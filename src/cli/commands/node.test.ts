import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import { runCli } from '../cli.js';
import { renderKubeconfig } from '../kubeconfig.js';
import { newFakeCliContext } from '../testing/fake-cli-context.js';
import { withTempDir } from '../testing/with-temp-dir.js';

const CA = '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n';

test('node join --kubeconfig takes server, CA and token from the kubeconfig and runs until a signal', () =>
  withTempDir(async (dir) => {
    const kc = join(dir, 'kubeconfig');
    await writeFile(kc, renderKubeconfig({ server: 'https://127.0.0.1:7443', caCertPem: CA, token: 'tok' }));
    const ctx = newFakeCliContext();
    const exit = runCli(['node', 'join', '--kubeconfig', kc, '--name', 'worker-1', '--data-dir', join(dir, 'w1')], ctx);
    await ctx.waiting;
    assert.deepEqual(ctx.joined, [
      {
        server: 'https://127.0.0.1:7443',
        token: 'tok',
        caCertPem: CA,
        nodeName: 'worker-1',
        runtime: 'sim',
        dataDir: join(dir, 'w1'),
      },
    ]);
    assert.match(ctx.stdout(), /^node worker-1 joined https:\/\/127\.0\.0\.1:7443 \(sim runtime, data dir .*w1\)$/m);
    ctx.stop('SIGINT');
    assert.equal(await exit, 0);
    assert.equal(ctx.closed(), 1);
  }));

test('node join with --server, --token and --ca-file; the data dir defaults under the podbay data dir', () =>
  withTempDir(async (dir) => {
    const ca = join(dir, 'ca.crt');
    await writeFile(ca, CA);
    const ctx = newFakeCliContext({ home: dir });
    ctx.io.home = dir;
    const exit = runCli(
      ['node', 'join', '--server', 'https://127.0.0.1:7443', '--token', 't', '--ca-file', ca, '--name', 'n2'],
      ctx,
    );
    await ctx.waiting;
    ctx.stop();
    assert.equal(await exit, 0);
    assert.equal(ctx.joined[0]?.dataDir, join(dir, '.podbay', 'nodes', 'n2'));
    assert.equal(ctx.joined[0]?.caCertPem, CA);
  }));

for (const [args, message] of [
  [['--name', 'w'], 'either --kubeconfig or --server, --token, --ca-file must be given'],
  [['--server', 'https://h:1', '--name', 'w'], 'either --kubeconfig or --token, --ca-file must be given'],
  [['--kubeconfig', 'k', '--token', 't'], '--kubeconfig cannot be combined with --token'],
  [
    ['--server', 'http://h:1', '--token', 't', '--ca-file', 'c', '--name', 'w'],
    'invalid argument "http://h:1" for "--server" flag: must be https://HOST:PORT',
  ],
  [
    ['--kubeconfig', 'k', '--name', 'Bad_Name'],
    `invalid argument "Bad_Name" for "--name" flag: a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character`,
  ],
  [
    ['--kubeconfig', 'k', '--name', 'w', '--runtime', 'none'],
    'invalid argument "none" for "--runtime" flag: must be one of oci, sim',
  ],
] as const) {
  test(`node join rejects ${args.join(' ')} with a usage error`, async () => {
    const ctx = newFakeCliContext();
    assert.equal(await runCli(['node', 'join', ...args], ctx), 2);
    assert.equal(ctx.stderr(), `error: ${message}\nRun 'podbay node join --help' for usage.\n`);
    assert.deepEqual(ctx.joined, []);
  });
}

test('node join names a kubeconfig without a token', () =>
  withTempDir(async (dir) => {
    const kc = join(dir, 'kc');
    await writeFile(
      kc,
      'apiVersion: v1\nkind: Config\ncurrent-context: x\ncontexts: [{name: x, context: {cluster: c, user: u}}]\nclusters: [{name: c, cluster: {server: "https://h:1"}}]\nusers: [{name: u, user: {}}]\n',
    );
    const ctx = newFakeCliContext();
    assert.equal(await runCli(['node', 'join', '--kubeconfig', kc, '--name', 'w'], ctx), 1);
    assert.equal(ctx.stderr(), `error: invalid kubeconfig ${kc}: user "u" has no token\n`);
  }));

test('node join reports a failed join and exits 1', () =>
  withTempDir(async (dir) => {
    const kc = join(dir, 'kubeconfig');
    await writeFile(kc, renderKubeconfig({ server: 'https://127.0.0.1:1', caCertPem: CA, token: 'tok' }));
    const ctx = newFakeCliContext({ startError: new Error('connect ECONNREFUSED 127.0.0.1:1') });
    assert.equal(
      await runCli(['node', 'join', '--kubeconfig', kc, '--name', 'w', '--data-dir', join(dir, 'w')], ctx),
      1,
    );
    assert.equal(ctx.stderr(), 'error: node w cannot join https://127.0.0.1:1: connect ECONNREFUSED 127.0.0.1:1\n');
  }));

test('podbay node with an unknown subcommand is a usage error', async () => {
  const ctx = newFakeCliContext();
  assert.equal(await runCli(['node', 'leave'], ctx), 2);
  assert.match(ctx.stderr(), /unknown command "leave" for "podbay node"/);
  // Names of Object.prototype are not subcommands either.
  const ctx2 = newFakeCliContext();
  assert.equal(await runCli(['node', 'constructor'], ctx2), 2);
  assert.match(ctx2.stderr(), /unknown command "constructor" for "podbay node"/);
});
