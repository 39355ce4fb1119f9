import assert from 'node:assert/strict';
import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import { parse } from 'yaml';
import { runCli } from '../cli.js';
import { newFakeCliContext } from '../testing/fake-cli-context.js';
import { withTempDir } from '../testing/with-temp-dir.js';

test('up starts the control plane, writes a private kubeconfig, prints how to use it and stops on a signal', () =>
  withTempDir(async (dir) => {
    const ctx = newFakeCliContext();
    const exit = runCli(['up', '--data-dir', dir, '--listen', '127.0.0.1:7443'], ctx);
    const kubeconfig = join(dir, 'kubeconfig');
    try {
      // The command writes the kubeconfig, prints, and then waits for the signal.
      await Promise.race([
        ctx.waiting,
        exit.then((code) => {
          throw new Error(`up returned ${code} before waiting for a signal:\n${ctx.stderr()}`);
        }),
      ]);
      assert.deepEqual(ctx.started, [
        { dataDir: dir, host: '127.0.0.1', port: 7443, runtime: 'sim', simNodes: 1, nodeMonitorGracePeriodMs: 40_000 },
      ]);
      assert.match(ctx.stdout(), /^node \(sim runtime\): sim-1$/m);
      assert.match(ctx.stdout(), new RegExp(`export KUBECONFIG=${kubeconfig}\n {2}kubectl get pods\n`));
      const doc = parse(await readFile(kubeconfig, 'utf8')) as { clusters: { cluster: { server: string } }[] };
      assert.equal(doc.clusters[0]?.cluster.server, 'https://127.0.0.1:7443');
      assert.equal((await stat(kubeconfig)).mode & 0o777, 0o600);
      assert.equal(ctx.closed(), 0);
    } finally {
      // Stop the command even when an assertion failed, so it writes nothing after the
      // temp dir is gone.
      ctx.stop('SIGINT');
      await exit.catch(() => undefined);
    }
    assert.equal(await exit, 0);
    assert.equal(ctx.closed(), 1);
    assert.match(ctx.stderr(), /received SIGINT, stopping\npodbay stopped\n/);
  }));

test('up defaults to ~/.podbay and 127.0.0.1:6443 for a non-root user', async () => {
  const ctx = newFakeCliContext({ uid: 1000, startError: new Error('boom') });
  await withTempDir(async (home) => {
    ctx.io.home = home;
    assert.equal(await runCli(['up'], ctx), 1);
    assert.deepEqual(ctx.started, [
      {
        dataDir: join(home, '.podbay'),
        host: '127.0.0.1',
        port: 6443,
        runtime: 'sim',
        simNodes: 1,
        nodeMonitorGracePeriodMs: 40_000,
      },
    ]);
  });
});

test('up explains a taken port and exits 1', () =>
  withTempDir(async (dir) => {
    const ctx = newFakeCliContext({ startError: new Error('port 6443 is already in use') });
    assert.equal(await runCli(['up', '--data-dir', dir], ctx), 1);
    assert.equal(
      ctx.stderr(),
      'error: cannot start podbay on 127.0.0.1:6443: port 6443 is already in use ' +
        '(is another podbay running? pick another port with --listen)\n',
    );
  }));

test('up passes --runtime, --sim-nodes and --node-monitor-grace-period through', () =>
  withTempDir(async (dir) => {
    const ctx = newFakeCliContext();
    const exit = runCli(
      ['up', '--data-dir', dir, '--runtime', 'sim', '--sim-nodes', '7', '--node-monitor-grace-period', '1m30s'],
      ctx,
    );
    await ctx.waiting;
    ctx.stop('SIGTERM');
    assert.equal(await exit, 0);
    assert.equal(ctx.started[0]?.simNodes, 7);
    assert.equal(ctx.started[0]?.nodeMonitorGracePeriodMs, 90_000);
    assert.match(ctx.stdout(), /^7 nodes \(sim runtime\): sim-1, sim-2 … sim-7$/m);
  }));

test('up --runtime none runs no node and says how to join one', () =>
  withTempDir(async (dir) => {
    const ctx = newFakeCliContext();
    const exit = runCli(['up', '--data-dir', dir, '--runtime', 'none'], ctx);
    await ctx.waiting;
    ctx.stop('SIGTERM');
    assert.equal(await exit, 0);
    assert.match(ctx.stdout(), /no node runs in this process \(--runtime none\)/);
    assert.match(ctx.stdout(), new RegExp(`podbay node join --kubeconfig ${dir}/kubeconfig --name NAME`));
  }));

for (const [args, message] of [
  [['--runtime', 'docker'], 'invalid argument "docker" for "--runtime" flag: must be one of oci, sim, none'],
  [
    ['--sim-nodes', '0', '--runtime', 'sim'],
    'invalid argument "0" for "--sim-nodes" flag: must be a whole number from 1 to 1000',
  ],
  [
    ['--sim-nodes', 'ten', '--runtime', 'sim'],
    'invalid argument "ten" for "--sim-nodes" flag: must be a whole number from 1 to 1000',
  ],
  [['--sim-nodes', '3', '--runtime', 'oci'], '--sim-nodes needs --runtime sim'],
  [['--pod-cidr', '10.9.0.0/16', '--runtime', 'sim'], '--pod-cidr needs --runtime oci'],
  [
    ['--pod-cidr', '10.9.0.0/30', '--runtime', 'oci'],
    'invalid argument "10.9.0.0/30" for "--pod-cidr" flag: must be an IPv4 CIDR such as 10.85.0.0/16 (prefix /8 to /28)',
  ],
  [
    ['--node-monitor-grace-period', '0s'],
    'invalid argument "0s" for "--node-monitor-grace-period" flag: must be a positive duration such as 40s or 1m',
  ],
] as const) {
  test(`up rejects ${args.join(' ')} with a usage error naming the flag`, () =>
    withTempDir(async (dir) => {
      const ctx = newFakeCliContext();
      assert.equal(await runCli(['up', '--data-dir', dir, ...args], ctx), 2);
      assert.equal(ctx.stderr(), `error: ${message}\nRun 'podbay up --help' for usage.\n`);
      assert.deepEqual(ctx.started, []);
    }));
}
