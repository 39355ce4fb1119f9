import assert from 'node:assert/strict';
import { lstat, mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { gzipSync } from 'node:zlib';
import { sha256Digest } from './digest.js';
import { ImageNotFoundError, ImageStore } from './image-store.js';
import { DEFAULT_PATH_ENV, importRootfs } from './rootfs-importer.js';
import { buildTar } from './tar-writer.js';

async function tempDir(t: { after(fn: () => Promise<void>): void }): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'podbay-images-test-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

async function rootfs(dir: string, files: Record<string, string>): Promise<string> {
  for (const [path, data] of Object.entries(files)) {
    await mkdir(join(dir, path, '..'), { recursive: true });
    await writeFile(join(dir, path), data);
  }
  return dir;
}

test('importing a rootfs directory makes a one-layer image with the default PATH and sh', async (t) => {
  const tmp = await tempDir(t);
  const store = new ImageStore(join(tmp, 'data'));
  const dir = await rootfs(join(tmp, 'rootfs'), { 'bin/sh': '#!', 'etc/hostname': 'x' });
  const img = await importRootfs(store, dir, 'localhost/mini:v1');
  assert.match(img.id, /^sha256:[a-f0-9]{64}$/);
  assert.deepEqual(img.repoTags, ['localhost/mini:v1']);
  assert.deepEqual(img.repoDigests, []);
  assert.deepEqual(img.config, { Env: [DEFAULT_PATH_ENV], Cmd: ['sh'] });
  assert.equal(img.layerDirs.length, 1);
  assert.ok((await lstat(join(img.layerDirs[0]!, 'etc/hostname'))).isFile());
  assert.ok(img.size > 0);
  assert.deepEqual(await store.get(img.id), img);
});

test('a rootfs without /bin/sh gets no Cmd', async (t) => {
  const tmp = await tempDir(t);
  const store = new ImageStore(join(tmp, 'data'));
  const img = await importRootfs(store, await rootfs(join(tmp, 'r'), { app: 'x' }), 'app');
  assert.deepEqual(img.config, { Env: [DEFAULT_PATH_ENV] });
  assert.deepEqual(img.repoTags, ['docker.io/library/app:latest']);
});

test('importing the same tree twice gives the same id and reuses the layer', async (t) => {
  const tmp = await tempDir(t);
  const store = new ImageStore(join(tmp, 'data'));
  const dir = await rootfs(join(tmp, 'r'), { 'a/b': 'c' });
  const one = await importRootfs(store, dir, 'localhost/a:1');
  const two = await importRootfs(store, dir, 'localhost/a:2');
  assert.equal(one.id, two.id);
  assert.deepEqual(two.repoTags, ['localhost/a:1', 'localhost/a:2']);
  assert.equal((await store.list()).length, 1);
  assert.equal((await readdir(join(store.root, 'layers'))).length, 1);
});

test('a gzip tarball imports with the DiffID of its uncompressed tar', async (t) => {
  const tmp = await tempDir(t);
  const store = new ImageStore(join(tmp, 'data'));
  const tar = buildTar([{ name: 'hello', type: 'file', data: 'hi' }]);
  await writeFile(join(tmp, 'r.tar.gz'), gzipSync(tar));
  const img = await importRootfs(store, join(tmp, 'r.tar.gz'), 'localhost/gz');
  assert.equal(img.layerDirs[0], join(store.root, 'layers', sha256Digest(tar).slice(7)));
});

test('get finds an image by familiar name, full name, id and short id', async (t) => {
  const tmp = await tempDir(t);
  const store = new ImageStore(join(tmp, 'data'));
  const img = await importRootfs(store, await rootfs(join(tmp, 'r'), { f: '1' }), 'busybox');
  const hex = img.id.slice(7);
  for (const q of ['busybox', 'busybox:latest', 'docker.io/library/busybox:latest', img.id, hex, hex.slice(0, 12)]) {
    assert.equal((await store.get(q))?.id, img.id, q);
  }
  for (const q of ['busybox:1.36', 'other', 'sha256:' + '0'.repeat(64)]) {
    assert.equal(await store.get(q), undefined, q);
  }
});

test('tag moves a reference from the image that had it', async (t) => {
  const tmp = await tempDir(t);
  const store = new ImageStore(join(tmp, 'data'));
  const a = await importRootfs(store, await rootfs(join(tmp, 'a'), { f: 'a' }), 'localhost/x:v1');
  const b = await importRootfs(store, await rootfs(join(tmp, 'b'), { f: 'b' }), 'localhost/y:v1');
  await store.tag('localhost/y:v1', 'localhost/x:v1');
  assert.deepEqual((await store.get(a.id))?.repoTags, []);
  assert.deepEqual((await store.get(b.id))?.repoTags, ['localhost/y:v1', 'localhost/x:v1']);
  await assert.rejects(store.tag('nope', 'localhost/z'), ImageNotFoundError);
});

test('remove deletes the image, its tags, and the blobs and layers no other image uses', async (t) => {
  const tmp = await tempDir(t);
  const store = new ImageStore(join(tmp, 'data'));
  const shared = await rootfs(join(tmp, 's'), { f: 's' });
  const a = await importRootfs(store, shared, 'localhost/a', { cmd: ['a'] });
  const b = await importRootfs(store, shared, 'localhost/b', { cmd: ['b'] });
  const c = await importRootfs(store, await rootfs(join(tmp, 'c'), { f: 'c' }), 'localhost/c');
  assert.notEqual(a.id, b.id);
  assert.equal(a.layerDirs[0], b.layerDirs[0]);

  const r = await store.remove('localhost/a');
  assert.deepEqual(r, { untagged: ['localhost/a:latest'], deleted: [a.id] });
  assert.ok((await lstat(a.layerDirs[0]!)).isDirectory(), 'the layer b shares stays');
  await assert.rejects(lstat(store.blobPath(a.id)), { code: 'ENOENT' });

  await store.remove(c.id);
  await assert.rejects(lstat(c.layerDirs[0]!), { code: 'ENOENT' });
  assert.deepEqual(
    (await store.list()).map((i) => i.id),
    [b.id],
  );
  assert.deepEqual(await store.remove('localhost/c'), { untagged: [], deleted: [] }, 'idempotent');
  assert.deepEqual(await readdir(join(store.root, 'tmp')), [], 'nothing left in tmp');
});

test('untag removes only one of several references, and the image with the last one', async (t) => {
  const tmp = await tempDir(t);
  const store = new ImageStore(join(tmp, 'data'));
  const img = await importRootfs(store, await rootfs(join(tmp, 'r'), { f: '1' }), 'localhost/one');
  await store.tag(img.id, 'localhost/two');
  assert.deepEqual(await store.untag('localhost/one'), { untagged: ['localhost/one:latest'], deleted: [] });
  assert.deepEqual(await store.untag('localhost/two'), { untagged: ['localhost/two:latest'], deleted: [img.id] });
  assert.deepEqual(await store.list(), []);
});

test('an invalid reference is refused before anything is written', async (t) => {
  const tmp = await tempDir(t);
  const store = new ImageStore(join(tmp, 'data'));
  await assert.rejects(
    importRootfs(store, await rootfs(join(tmp, 'r'), { f: '1' }), 'library/Busybox'),
    /must be lowercase/,
  );
  await assert.rejects(lstat(store.root), { code: 'ENOENT' });
});

test('temp files of dead writers are removed on the first write, a live writer’s are kept', async (t) => {
  const tmp = await tempDir(t);
  const store = new ImageStore(join(tmp, 'data'));
  const tmpDir = join(store.root, 'tmp');
  await mkdir(join(tmpDir, 'layer-99999999-abc', 'etc'), { recursive: true });
  await writeFile(join(tmpDir, 'blob-99999999-def'), 'partial');
  await writeFile(join(tmpDir, `blob-${process.ppid}-live`), 'in progress');
  await importRootfs(store, await rootfs(join(tmp, 'r'), { f: '1' }), 'localhost/t');
  assert.deepEqual(await readdir(tmpDir), [`blob-${process.ppid}-live`]);
});
