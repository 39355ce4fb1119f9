// Two processes share one image store (`podbay image …` beside `podbay up`): both add
// images whose layers are the same, both remove some, while this process keeps reading
// the index. Nothing half-written is ever read, and the end state is exactly the union.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { lstat, mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { test } from 'node:test';
import { ImageService } from '../../src/images/image-service.js';

const WORKER = fileURLToPath(new URL('./store-worker.js', import.meta.url));
const COUNT = 8;

function runWorker(dataDir: string, name: string): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [WORKER, dataDir, name, String(COUNT)], {
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.once('error', reject);
    child.once('exit', (code) => resolve({ code, stderr }));
  });
}

test('two processes adding and removing images with shared layers leave a consistent store', async (t) => {
  const dataDir = await mkdtemp(join(tmpdir(), 'podbay-images-itest-'));
  t.after(() => rm(dataDir, { recursive: true, force: true }));
  const images = new ImageService(dataDir);

  let done = false;
  let reads = 0;
  const reader = (async () => {
    while (!done) {
      // Parses every time: index.json is only ever replaced whole.
      const text = await readFile(join(images.store.root, 'index.json'), 'utf8').catch(() => undefined);
      if (text !== undefined) {
        JSON.parse(text);
        reads++;
      }
      await images.list();
    }
  })();
  const results = await Promise.all([runWorker(dataDir, 'a'), runWorker(dataDir, 'b')]);
  done = true;
  await reader;
  for (const r of results) {
    assert.equal(r.code, 0, r.stderr);
  }
  assert.ok(reads > 0, 'the reader saw the index while the workers ran');

  const list = await images.list();
  const tags = list.flatMap((i) => i.repoTags).sort();
  const want = ['a', 'b'].flatMap((n) => Array.from({ length: COUNT / 2 }, (_, k) => `localhost/${n}:${2 * k}`)).sort();
  assert.deepEqual(tags, want);
  const used = new Set<string>();
  for (const img of list) {
    for (const dir of img.layerDirs) {
      assert.ok((await lstat(dir)).isDirectory(), `${dir} exists for ${img.repoTags.join(',')}`);
      used.add(dir);
    }
    assert.ok((await lstat(images.store.blobPath(img.id))).isFile());
    assert.ok((await lstat(images.store.blobPath(img.manifestDigest))).isFile());
  }
  assert.equal(used.size, 3, 'the three distinct layers, each unpacked once');
  assert.deepEqual((await readdir(join(images.store.root, 'layers'))).length, 3);
  assert.deepEqual(await readdir(join(images.store.root, 'tmp')), [], 'no temp files left');
  await assert.rejects(lstat(join(images.store.root, 'lock')), { code: 'ENOENT' });
});
