import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { parse } from 'yaml';
import { runCli } from '../cli.js';
import { newFakeCliContext } from '../testing/fake-cli-context.js';

async function withTempDir(fn: (dir: string) => Promise<void>): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'podbay-up-'));
  try {
    await fn(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

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
      assert.deepEqual(ctx.started, [{ dataDir: dir, host: '127.0.0.1', port: 7443 }]);
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
    assert.deepEqual(ctx.started, [{ dataDir: join(home, '.podbay'), host: '127.0.0.1', port: 6443 }]);
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
