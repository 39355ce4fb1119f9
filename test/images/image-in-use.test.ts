// A layer mounted under a container (an overlay lowerdir, as the oci runtime mounts
// rootfs) is never deleted: removing the last image that has it fails until unmount.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { lstat, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { promisify } from 'node:util';
import { ImageService } from '../../src/images/image-service.js';
import { ImageInUseError } from '../../src/images/image-store.js';

const run = promisify(execFile);

test('an image whose own layer is mounted cannot be removed; a shared layer stays for the other image', async (t) => {
  assert.equal(process.getuid?.(), 0, 'mounting overlayfs needs root: run as root');
  const dir = await mkdtemp(join(tmpdir(), 'podbay-images-itest-'));
  const merged = join(dir, 'merged');
  let mounted = false;
  const umount = async (): Promise<void> => {
    if (mounted) {
      await run('umount', [merged]);
      mounted = false;
    }
  };
  t.after(async () => {
    await umount();
    await rm(dir, { recursive: true, force: true });
  });
  const rootfs = join(dir, 'rootfs');
  await mkdir(rootfs);
  await writeFile(join(rootfs, 'hello'), 'hi');
  const images = new ImageService(join(dir, 'data'));
  const a = await images.importRootfs(rootfs, 'localhost/a', { cmd: ['a'] });
  const b = await images.importRootfs(rootfs, 'localhost/b', { cmd: ['b'] });
  const layer = a.layerDirs[0]!;
  assert.equal(b.layerDirs[0], layer);
  for (const d of ['upper', 'work', 'merged']) {
    await mkdir(join(dir, d));
  }
  await run('mount', [
    '-t',
    'overlay',
    'overlay',
    '-o',
    `lowerdir=${layer},upperdir=${join(dir, 'upper')},workdir=${join(dir, 'work')}`,
    merged,
  ]);
  mounted = true;

  await images.remove('localhost/a'); // b keeps the layer: nothing is deleted under the mount
  await assert.rejects(images.remove('localhost/b'), (e: ImageInUseError) => {
    assert.ok(e instanceof ImageInUseError);
    assert.equal(e.message, `image localhost/b:latest is in use by a running container: its layer ${layer} is mounted`);
    return true;
  });
  assert.deepEqual(
    (await images.list()).map((i) => i.id),
    [b.id],
    'the index is unchanged',
  );
  assert.ok((await lstat(join(layer, 'hello'))).isFile());

  await umount();
  await images.remove('localhost/b');
  await assert.rejects(lstat(layer), { code: 'ENOENT' });
});
