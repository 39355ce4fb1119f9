// The busybox image every example uses: the test helper's rootfs and the script `make
// up` runs both give a runnable one-layer image, and the script is idempotent.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { chmod, lstat, mkdtemp, readFile, readlink, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { ImageService } from '../../src/images/image-service.js';
import { createOciImageSource } from '../../src/images/oci-image-source.js';
import { DEFAULT_PATH_ENV } from '../../src/images/rootfs-importer.js';
import { makeBusyboxRootfs } from '../../src/images/testing/busybox-rootfs.js';
import type { OciImageSource } from '../../src/runtime/oci/ports.js';

const run = promisify(execFile);
const REPO = fileURLToPath(new URL('../../../', import.meta.url));
const MAIN = fileURLToPath(new URL('../../src/main.js', import.meta.url));

test('makeBusyboxRootfs imports as an image with sh as its command and the applets as links', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'podbay-images-itest-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  const rootfs = await makeBusyboxRootfs(join(dir, 'rootfs'));
  const images = new ImageService(join(dir, 'data'));
  // The oci runtime's port, type-checked against src/runtime/oci/ports.ts.
  const source: OciImageSource = createOciImageSource(images);
  const info = await images.importRootfs(rootfs, 'localhost/busybox:latest');
  const img = await source.get('localhost/busybox');
  assert.equal(img?.id, info.id);
  assert.deepEqual(img?.config, { Env: [DEFAULT_PATH_ENV], Cmd: ['sh'] });
  const layer = img.layerDirs[0]!;
  assert.equal(await readlink(join(layer, 'bin/sh')), 'busybox');
  assert.equal(await readlink(join(layer, 'usr/bin/wget')), '../../bin/busybox');
  assert.match(await readFile(join(layer, 'etc/passwd'), 'utf8'), /^root:x:0:0:.*\nnobody:x:65534:65534:/);
  assert.equal((await lstat(join(layer, 'tmp'))).mode & 0o7777, 0o1777);
  const { stdout } = await run(join(layer, 'bin/busybox'), ['echo', 'runs']);
  assert.equal(stdout, 'runs\n');
  await source.remove(info.id);
  assert.deepEqual(await source.list(), []);
});

test('scripts/import-busybox.sh imports localhost/busybox:latest, and again gives the same id', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'podbay-images-itest-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  const launcher = join(dir, 'podbay');
  await writeFile(launcher, `#!/bin/sh\nexec "${process.execPath}" "${MAIN}" "$@"\n`);
  await chmod(launcher, 0o755);
  const script = join(REPO, 'scripts/import-busybox.sh');
  const first = await run(script, [launcher, '--data-dir', join(dir, 'data')]);
  assert.match(first.stdout, /^imported localhost\/busybox:latest \(BusyBox v/);
  await run(script, [launcher, '--data-dir', join(dir, 'data')]);
  const list = await new ImageService(join(dir, 'data')).list();
  assert.equal(list.length, 1);
  assert.deepEqual(list[0]?.repoTags, ['localhost/busybox:latest']);
  assert.equal(await readlink(join(list[0].layerDirs[0]!, 'bin/sh')), '/bin/busybox');
});
