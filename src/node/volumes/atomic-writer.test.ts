// Cases after k8s pkg/volume/util/atomic_writer_test.go (TestValidatePath,
// TestPathsToRemove, TestWriteOnce, TestUpdate).
import assert from 'node:assert/strict';
import { mkdtemp, readFile, readdir, readlink, realpath, rm, stat, lstat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { DATA_DIR_NAME, timestampDirPrefix, validatePayloadPath, writeAtomic } from './atomic-writer.js';
import type { FileProjection } from './atomic-writer.js';

const T0 = Date.UTC(2026, 0, 2, 3, 4, 5);

async function tempDir(t: { after(fn: () => Promise<void>): void }): Promise<string> {
  const d = await mkdtemp(join(tmpdir(), 'podbay-atomic-'));
  t.after(() => rm(d, { recursive: true, force: true }));
  return d;
}

function payload(entries: Record<string, string | [string, number]>): Map<string, FileProjection> {
  return new Map(
    Object.entries(entries).map(([k, v]) => [
      k,
      typeof v === 'string' ? { data: Buffer.from(v), mode: 0o644 } : { data: Buffer.from(v[0]), mode: v[1] },
    ]),
  );
}

const pathCases: [string, string, string | undefined][] = [
  ['a plain name is valid', 'i/am/well/behaved.txt', undefined],
  ['a name with dots inside is valid', 'this..is..fine', undefined],
  ['a name starting with one dot is valid', '.dotfile', undefined],
  ['an empty path is invalid', '', 'invalid path: must not be empty: ""'],
  ['an absolute path is invalid', '/absolute', 'invalid path: must be relative path: /absolute'],
  ['a .. element is invalid', 'foo/../bar', "invalid path: must not contain '..': foo/../bar"],
  ['a leading .. element is invalid', '../foo', "invalid path: must not contain '..': ../foo"],
  ['a first element starting with .. is reserved', '..data', "invalid path: must not start with '..': ..data"],
  [
    'a 256-character element is invalid',
    'a'.repeat(256),
    'invalid path: filenames must be less than or equal to 255 characters',
  ],
  [
    'a path over 4096 characters is invalid',
    'a/'.repeat(2049),
    'invalid path: must be less than or equal to 4096 characters',
  ],
];
for (const [name, p, want] of pathCases) {
  test(`validatePayloadPath: ${name}`, () => {
    assert.equal(validatePayloadPath(p), want);
  });
}

test('the timestamped directory prefix is the UTC time in Go layout ..2006_01_02_15_04_05.', () => {
  assert.equal(timestampDirPrefix(T0), '..2026_01_02_03_04_05.');
});

test('a first write makes ..data point to a timestamped directory and one link per top-level path', async (t) => {
  const dir = await tempDir(t);
  const wrote = await writeAtomic(dir, payload({ a: 'A', 'sub/b': ['B', 0o600] }), T0);
  assert.equal(wrote, true);
  const data = await readlink(join(dir, DATA_DIR_NAME));
  assert.match(data, /^\.\.2026_01_02_03_04_05\..+$/);
  assert.equal(await readlink(join(dir, 'a')), '..data/a');
  assert.equal(await readlink(join(dir, 'sub')), '..data/sub');
  assert.equal(await readFile(join(dir, 'a'), 'utf8'), 'A');
  assert.equal(await readFile(join(dir, 'sub/b'), 'utf8'), 'B');
  assert.equal((await stat(join(dir, 'sub/b'))).mode & 0o777, 0o600);
  assert.equal((await stat(join(dir, data))).mode & 0o777, 0o755);
  assert.deepEqual((await readdir(dir)).sort(), ['..data', 'a', data, 'sub'].sort());
});

test('an update switches ..data to a new directory, drops removed keys and deletes the old data', async (t) => {
  const dir = await tempDir(t);
  await writeAtomic(dir, payload({ a: 'A1', gone: 'G' }), T0);
  const before = await readlink(join(dir, DATA_DIR_NAME));
  // A reader that resolved the old data before the switch keeps reading a complete old version.
  const oldFile = await realpath(join(dir, 'a'));
  const wrote = await writeAtomic(dir, payload({ a: 'A2', added: 'N' }), T0 + 61_000);
  assert.equal(wrote, true);
  const after = await readlink(join(dir, DATA_DIR_NAME));
  assert.notEqual(after, before);
  assert.equal(await readFile(join(dir, 'a'), 'utf8'), 'A2');
  assert.equal(await readFile(join(dir, 'added'), 'utf8'), 'N');
  await assert.rejects(lstat(join(dir, 'gone')), { code: 'ENOENT' });
  await assert.rejects(stat(join(dir, before)), { code: 'ENOENT' });
  await assert.rejects(stat(oldFile), { code: 'ENOENT' });
  assert.deepEqual((await readdir(dir)).sort(), ['..data', 'a', 'added', after].sort());
});

test('writing the same content again changes nothing and keeps the data directory', async (t) => {
  const dir = await tempDir(t);
  await writeAtomic(dir, payload({ a: 'A' }), T0);
  const before = await readlink(join(dir, DATA_DIR_NAME));
  assert.equal(await writeAtomic(dir, payload({ a: 'A' }), T0 + 1000), false);
  assert.equal(await readlink(join(dir, DATA_DIR_NAME)), before);
});

test('a missing user-visible link is recreated even when the data is up to date (kubernetes#121472)', async (t) => {
  const dir = await tempDir(t);
  await writeAtomic(dir, payload({ a: 'A' }), T0);
  await rm(join(dir, 'a'));
  assert.equal(await writeAtomic(dir, payload({ a: 'A' }), T0), false);
  assert.equal(await readlink(join(dir, 'a')), '..data/a');
});

test('an invalid payload path is refused before anything is written', async (t) => {
  const dir = await tempDir(t);
  await assert.rejects(writeAtomic(dir, payload({ '../escape': 'x' }), T0), /must not contain '\.\.'/);
  assert.deepEqual(await readdir(dir), []);
});

test('an empty payload still makes an empty data directory', async (t) => {
  const dir = await tempDir(t);
  await writeAtomic(dir, new Map(), T0);
  const data = await readlink(join(dir, DATA_DIR_NAME));
  assert.deepEqual(await readdir(join(dir, data)), []);
});
