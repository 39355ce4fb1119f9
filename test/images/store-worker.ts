// A second process on the same image store, for concurrent-store.test.ts:
//   node store-worker.js DATA_DIR NAME COUNT
// imports COUNT images (their layers shared with the other worker's: same content for
// the same i % 3), then removes the odd ones, and exits 0, or 1 with the error.
import { mkdir, mkdtemp, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ImageService } from '../../src/images/image-service.js';

const [dataDir, name, countArg] = process.argv.slice(2);
if (dataDir === undefined || name === undefined || countArg === undefined) {
  console.error('usage: store-worker DATA_DIR NAME COUNT');
  process.exit(2);
}
const images = new ImageService(dataDir);
const work = await mkdtemp(join(tmpdir(), `podbay-images-worker-${name}-`));
try {
  const count = Number(countArg);
  for (let i = 0; i < count; i++) {
    const dir = join(work, String(i));
    await mkdir(dir);
    await writeFile(join(dir, 'shared'), `shared-${i % 3}`);
    await utimes(join(dir, 'shared'), 0, 0);
    await utimes(dir, 0, 0);
    await images.importRootfs(dir, `localhost/${name}:${i}`, { cmd: [name, String(i)] });
  }
  for (let i = 1; i < count; i += 2) {
    await images.remove(`localhost/${name}:${i}`);
  }
} catch (e) {
  console.error(e);
  process.exitCode = 1;
} finally {
  await rm(work, { recursive: true, force: true });
}
