// Issue 3 item 6: `podbay up --runtime sim` works as a normal user. The test (root, as
// make test runs) starts podbay as `nobody` with setpriv and drives it with kubectl.
import assert from 'node:assert/strict';
import { chmod, chown, mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { newKubectl } from '../helpers/kubectl.js';
import { startPodbay, type PodbayProcess } from '../helpers/podbay-process.js';
import { makeTempDir, type TempDir } from '../helpers/temp-dir.js';
import { waitFor } from '../helpers/wait-for.js';
import { expectSuccess } from './e2e-cluster.js';

const NOBODY = 65534;
let temp: TempDir | undefined;
let podbay: PodbayProcess | undefined;

before(async () => {
  temp = await makeTempDir('podbay-nonroot-');
  // mkdtemp makes the dir 0700; nobody must reach its data dir inside.
  await chmod(temp.path, 0o755);
  const dataDir = join(temp.path, 'data');
  await mkdir(dataDir);
  await chown(dataDir, NOBODY, NOBODY);
  podbay = await startPodbay({
    dataDir,
    extraArgs: ['--runtime', 'sim'],
    wrapper: ['setpriv', `--reuid=${NOBODY}`, `--regid=${NOBODY}`, '--clear-groups'],
  });
});

after(async () => {
  await podbay?.stop();
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
