import assert from 'node:assert/strict';
import { lstat, mkdtemp, readFile, readlink, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { gzipSync } from 'node:zlib';
import { sha256Digest } from './digest.js';
import { LayerBreakoutError, computeLayerAction, unpackLayer } from './layer-unpacker.js';
import type { FsMarks } from './overlay-marks.js';
import { buildTar } from './tar-writer.js';

async function tempDir(t: { after(fn: () => Promise<void>): void }): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'podbay-images-test-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

/** Records marks instead of writing device nodes and trusted xattrs. */
function recordingMarks(): FsMarks & { calls: string[] } {
  const calls: string[] = [];
  return {
    calls,
    whiteout: async (p) => void calls.push(`whiteout ${p}`),
    opaque: async (d) => void calls.push(`opaque ${d}`),
    mknod: async (p, kind, ma, mi) => void calls.push(`mknod ${p} ${kind} ${ma}:${mi}`),
    setXattr: async (p, n) => void calls.push(`xattr ${p} ${n}`),
  };
}

const actionCases: [string, string, ReturnType<typeof computeLayerAction>][] = [
  ['a plain file is an entry', 'etc/passwd', { kind: 'entry', path: 'etc/passwd' }],
  ['a leading ./ is dropped', './etc/hosts', { kind: 'entry', path: 'etc/hosts' }],
  ['a .wh. file whites out its sibling', 'etc/.wh.motd', { kind: 'whiteout', path: 'etc/motd' }],
  ['a top-level whiteout', '.wh.tmp', { kind: 'whiteout', path: 'tmp' }],
  ['.wh..wh..opq makes its directory opaque', 'var/cache/.wh..wh..opq', { kind: 'opaque', dir: 'var/cache' }],
  ['other AUFS metadata is skipped', '.wh..wh.plnk/123', { kind: 'entry', path: '.wh..wh.plnk/123' }],
  ['the AUFS hardlink dir itself is skipped', '.wh..wh.plnk', { kind: 'skip' }],
  ['the root entry is skipped', './', { kind: 'skip' }],
  ['.. inside that stays in the layer is fine', 'a/../b', { kind: 'entry', path: 'b' }],
];
for (const [name, entry, want] of actionCases) {
  test(`whiteout conversion: ${name}`, () => {
    assert.deepEqual(computeLayerAction(entry), want);
  });
}

test('an entry climbing out of the layer is refused', () => {
  assert.throws(() => computeLayerAction('../etc/passwd'), LayerBreakoutError);
  assert.throws(() => computeLayerAction('a/../../x'), LayerBreakoutError);
});

test('unpacks files with modes, symlinks and hardlinks, and reports the DiffID of the plain tar', async (t) => {
  const dir = await tempDir(t);
  const tar = buildTar([
    { name: 'bin/', type: 'dir', mode: 0o755 },
    { name: 'bin/busybox', type: 'file', data: 'ELF', mode: 0o4755 },
    { name: 'bin/sh', type: 'symlink', linkname: 'busybox' },
    { name: 'bin/ash', type: 'hardlink', linkname: 'bin/busybox' },
    { name: 'tmp/', type: 'dir', mode: 0o1777 },
  ]);
  const marks = recordingMarks();
  const r = await unpackLayer([gzipSync(tar)], dir, { marks });
  assert.equal(r.diffId, sha256Digest(tar));
  assert.equal(r.size, tar.length);
  assert.equal(await readFile(join(dir, 'bin/busybox'), 'utf8'), 'ELF');
  assert.equal((await stat(join(dir, 'bin/busybox'))).mode & 0o7777, 0o4755);
  assert.equal(await readlink(join(dir, 'bin/sh')), 'busybox');
  assert.equal((await stat(join(dir, 'bin/ash'))).ino, (await stat(join(dir, 'bin/busybox'))).ino);
  assert.equal((await stat(join(dir, 'tmp'))).mode & 0o7777, 0o1777);
  assert.deepEqual(marks.calls, []);
});

test('whiteouts and opaque dirs become overlay marks and never real files', async (t) => {
  const dir = await tempDir(t);
  const marks = recordingMarks();
  const tar = buildTar([
    { name: 'etc/.wh.motd', type: 'file' },
    { name: 'var/cache/.wh..wh..opq', type: 'file' },
    { name: 'var/cache/new', type: 'file', data: 'n' },
  ]);
  await unpackLayer([tar], dir, { marks });
  assert.deepEqual(marks.calls, [`whiteout ${join(dir, 'etc/motd')}`, `opaque ${join(dir, 'var/cache')}`]);
  await assert.rejects(lstat(join(dir, 'etc/.wh.motd')), { code: 'ENOENT' });
  await assert.rejects(lstat(join(dir, 'var/cache/.wh..wh..opq')), { code: 'ENOENT' });
  assert.equal(await readFile(join(dir, 'var/cache/new'), 'utf8'), 'n');
});

test('a file written through a symlink that points out of the layer is refused', async (t) => {
  const dir = await tempDir(t);
  const tar = buildTar([
    { name: 'evil', type: 'symlink', linkname: '/tmp' },
    { name: 'evil/owned', type: 'file', data: 'x' },
  ]);
  await assert.rejects(unpackLayer([tar], dir, { marks: recordingMarks() }), LayerBreakoutError);
});

test('a hardlink to a path outside the layer is refused', async (t) => {
  const dir = await tempDir(t);
  const tar = buildTar([{ name: 'passwd', type: 'hardlink', linkname: '../../etc/passwd' }]);
  await assert.rejects(unpackLayer([tar], dir, { marks: recordingMarks() }), LayerBreakoutError);
});

test('a later entry replaces an earlier one of the same name', async (t) => {
  const dir = await tempDir(t);
  const tar = buildTar([
    { name: 'a', type: 'file', data: 'old' },
    { name: 'a', type: 'symlink', linkname: 'b' },
  ]);
  await unpackLayer([tar], dir, { marks: recordingMarks() });
  assert.equal(await readlink(join(dir, 'a')), 'b');
});

test('file capabilities and user xattrs are applied; trusted.* and other security.* are dropped', async (t) => {
  const dir = await tempDir(t);
  const marks = recordingMarks();
  const xattrs = {
    'security.capability': Buffer.from([1]),
    'user.note': Buffer.from('n'),
    'trusted.overlay.redirect': Buffer.from('/etc'),
    'security.selinux': Buffer.from('x'),
  };
  await unpackLayer([buildTar([{ name: 'bin/ping', type: 'file', data: 'p', xattrs }])], dir, { marks });
  const p = join(dir, 'bin/ping');
  assert.deepEqual(marks.calls, [`xattr ${p} security.capability`, `xattr ${p} user.note`]);
});
