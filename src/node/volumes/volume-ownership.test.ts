// fsGroup ownership, after k8s pkg/volume/volume_linux_test.go
// (TestSetVolumeOwnershipMode, TestSkipPermissionChange). The group used is
// the test process' own, so no root is needed.
import assert from 'node:assert/strict';
import { chmod, lstat, mkdir, mkdtemp, rm, stat, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import process from 'node:process';
import { test } from 'node:test';
import { requiresPermissionChange, setVolumeOwnership } from './volume-ownership.js';

const gid = process.getgid?.() ?? 0;

async function tree(t: { after(fn: () => Promise<void>): void }): Promise<string> {
  const d = await mkdtemp(join(tmpdir(), 'podbay-owner-'));
  t.after(() => rm(d, { recursive: true, force: true }));
  await mkdir(join(d, 'sub'));
  await writeFile(join(d, 'sub', 'f'), 'x');
  await chmod(join(d, 'sub', 'f'), 0o600);
  await chmod(join(d, 'sub'), 0o700);
  await chmod(d, 0o700);
  await writeFile(join(d, 'target'), 't');
  await chmod(join(d, 'target'), 0o400);
  await symlink('target', join(d, 'link'));
  return d;
}

test('a read-write volume gets g+rw on files and g+rwx plus setgid on directories', async (t) => {
  const d = await tree(t);
  await setVolumeOwnership(d, gid, false, undefined);
  assert.equal((await stat(d)).mode & 0o7777, 0o2770);
  assert.equal((await stat(join(d, 'sub'))).mode & 0o7777, 0o2770);
  assert.equal((await stat(join(d, 'sub', 'f'))).mode & 0o7777, 0o660);
  assert.equal((await stat(join(d, 'sub', 'f'))).gid, gid);
});

test('a read-only volume gets only g+r on files', async (t) => {
  const d = await tree(t);
  await setVolumeOwnership(d, gid, true, undefined);
  assert.equal((await stat(join(d, 'sub', 'f'))).mode & 0o7777, 0o640);
  assert.equal((await stat(join(d, 'sub'))).mode & 0o7777, 0o2750);
});

test('a symlink is not chmod-ed, so its target keeps its own mode', async (t) => {
  const d = await tree(t);
  await chmod(join(d, 'target'), 0o400);
  // Walk order visits "link" too: the target's bits change only as the target itself.
  await setVolumeOwnership(d, gid, true, undefined);
  assert.equal((await stat(join(d, 'target'))).mode & 0o7777, 0o440);
  assert.ok((await lstat(join(d, 'link'))).isSymbolicLink());
});

test('without fsGroup nothing changes', async (t) => {
  const d = await tree(t);
  await setVolumeOwnership(d, undefined, false, undefined);
  assert.equal((await stat(join(d, 'sub', 'f'))).mode & 0o7777, 0o600);
});

test('OnRootMismatch skips the walk when the root already has the group, bits and setgid', async (t) => {
  const d = await tree(t);
  await chmod(d, 0o2770);
  assert.equal(await requiresPermissionChange(d, gid, false), false);
  await setVolumeOwnership(d, gid, false, 'OnRootMismatch');
  assert.equal((await stat(join(d, 'sub', 'f'))).mode & 0o7777, 0o600, 'not walked');
  await setVolumeOwnership(d, gid, false, 'Always');
  assert.equal((await stat(join(d, 'sub', 'f'))).mode & 0o7777, 0o660);
});

const rootCases: [string, number, boolean, boolean][] = [
  ['0770 without setgid needs a change', 0o770, false, true],
  ['02750 is not enough for a read-write volume', 0o2750, false, true],
  ['02750 is enough for a read-only volume', 0o2750, true, false],
  ['02775 is a superset of 0770', 0o2775, false, false],
];
for (const [name, mode, ro, want] of rootCases) {
  test(`requiresPermissionChange: ${name}`, async (t) => {
    const d = await tree(t);
    await chmod(d, mode);
    assert.equal(await requiresPermissionChange(d, gid, ro), want);
  });
}
