// Issue 3 item 6: `podbay up --runtime sim` works as a normal user. The test (root, as
// make test runs) starts podbay as `nobody` with setpriv and drives it with kubectl.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { chmod, chown, mkdir, readFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { after, before, test } from 'node:test';
import { newKubectl } from '../helpers/kubectl.js';
import { startPodbay, type PodbayProcess } from '../helpers/podbay-process.js';
import { PODBAY_BIN, REPO_ROOT } from '../helpers/repo-paths.js';
import { makeTempDir, type TempDir } from '../helpers/temp-dir.js';
import { waitFor } from '../helpers/wait-for.js';
import { expectSuccess } from './e2e-cluster.js';

const NOBODY = 65534;
let temp: TempDir | undefined;
let podbay: PodbayProcess | undefined;
let repoMount: string | undefined;

before(async () => {
  temp = await makeTempDir('podbay-nonroot-');
  // mkdtemp makes the dir 0700; nobody must reach its data dir inside.
  await chmod(temp.path, 0o755);
  const dataDir = join(temp.path, 'data');
  await mkdir(dataDir);
  await chown(dataDir, NOBODY, NOBODY);
  // The checkout may sit below a directory nobody cannot enter (a CI's private temp dir):
  // nobody runs the same build through a bind mount of it in the open temp dir.
  repoMount = join(temp.path, 'repo');
  await mkdir(repoMount, { mode: 0o755 });
  execFileSync('mount', ['--bind', REPO_ROOT, repoMount]);
  const launcher = join(repoMount, relative(REPO_ROOT, PODBAY_BIN));
  podbay = await startPodbay({
    dataDir,
    extraArgs: ['--runtime', 'sim'],
    // startPodbay appends PODBAY_BIN and the up flags; the shell drops the former ($1).
    wrapper: [
      'setpriv',
      `--reuid=${NOBODY}`,
      `--regid=${NOBODY}`,
      '--clear-groups',
      'bash',
      '-c',
      'exec "$0" "${@:2}"',
      launcher,
    ],
  });
});

after(async () => {
  await podbay?.stop();
  if (repoMount) {
    execFileSync('umount', [repoMount]);
  }
  await temp?.remove();
});

test('podbay up --runtime sim runs as nobody and runs a pod to Running', async () => {
  const status = await readFile(`/proc/${podbay!.pid}/status`, 'utf8');
  assert.match(status, new RegExp(`^Uid:\\s+${NOBODY}\\s`, 'm'), 'podbay runs as nobody');
  const kubectl = newKubectl(podbay!.kubeconfigPath, join(temp!.path, 'kubectl-cache'));
  expectSuccess(await kubectl(['run', 'as-nobody', '--image=busybox', '--', 'sleep', 'infinity']));
  await waitFor(
    async () => (await kubectl(['get', 'pod', 'as-nobody', '-o', 'jsonpath={.status.phase}'])).stdout === 'Running',
    { timeoutMs: 20_000, what: 'as-nobody Running' },
  );
});
