import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { ImagePullError } from './image-pull-error.js';
import { ImageService } from './image-service.js';
import { createOciImageSource } from './oci-image-source.js';

async function service(t: { after(fn: () => Promise<void>): void }): Promise<{ dir: string; images: ImageService }> {
  const dir = await mkdtemp(join(tmpdir(), 'podbay-images-test-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  return { dir, images: new ImageService(join(dir, 'data')) };
}

test('get, list and remove answer with only the fields the runtime reads', async (t) => {
  const { dir, images } = await service(t);
  await mkdir(join(dir, 'r', 'bin'), { recursive: true });
  await writeFile(join(dir, 'r', 'bin', 'sh'), '#!');
  const info = await images.importRootfs(join(dir, 'r'), 'localhost/x:1', {
    user: '1000',
    workingDir: '/w',
    entrypoint: ['/bin/sh'],
  });
  const source = createOciImageSource(images);
  const want = {
    id: info.id,
    repoTags: ['localhost/x:1'],
    repoDigests: [],
    size: info.size,
    config: { User: '1000', Env: info.config.Env, Entrypoint: ['/bin/sh'], Cmd: ['sh'], WorkingDir: '/w' },
    layerDirs: info.layerDirs,
  };
  assert.deepEqual(await source.get('localhost/x:1'), want);
  assert.deepEqual(await source.get(info.id), want);
  assert.deepEqual(await source.list(), [want]);
  assert.equal(await source.get('localhost/y'), undefined);
  await source.remove('localhost/x:1');
  await source.remove('localhost/x:1');
  assert.deepEqual(await source.list(), []);
});

test('pull failures go through mapPullError when given, else stay ImagePullErrors', async (t) => {
  const { images } = await service(t);
  class RuntimeLikeError extends Error {
    constructor(
      readonly code: string,
      message: string,
    ) {
      super(message);
    }
  }
  const mapped = createOciImageSource(images, { mapPullError: (e) => new RuntimeLikeError(e.code, e.message) });
  await assert.rejects(
    mapped.pull('Not/Valid'),
    (e: RuntimeLikeError) => e instanceof RuntimeLikeError && e.code === 'InvalidArgument',
  );
  await assert.rejects(createOciImageSource(images).pull('Not/Valid'), ImagePullError);
});
