// The overlay form of whiteouts on a real filesystem (root: mknod needs CAP_MKNOD,
// trusted.* xattrs CAP_SYS_ADMIN), and that overlayfs reads it as deletions when the
// unpacked layers are stacked, the way the oci runtime mounts them.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { lstat, mkdir, mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { promisify } from 'node:util';
import { unpackLayer } from '../../src/images/layer-unpacker.js';
import { OVERLAY_OPAQUE_XATTR, getXattr } from '../../src/images/overlay-marks.js';
import { buildTar } from '../../src/images/tar-writer.js';

const run = promisify(execFile);

test('a whiteout is a 0/0 character device and an opaque dir has trusted.overlay.opaque=y', async (t) => {
  assert.equal(process.getuid?.(), 0, 'this test needs root (CAP_MKNOD, trusted.* xattrs): run as root');
  const dir = await mkdtemp(join(tmpdir(), 'podbay-images-itest-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  await unpackLayer(
    [
      buildTar([
        { name: 'etc/.wh.motd', type: 'file' },
        { name: 'opt/.wh..wh..opq', type: 'file' },
      ]),
    ],
    dir,
  );
  const st = await lstat(join(dir, 'etc/motd'));
  assert.ok(st.isCharacterDevice());
  assert.equal(st.rdev, 0);
  assert.equal(await getXattr(join(dir, 'opt'), OVERLAY_OPAQUE_XATTR), 'y');
});

test('stacked with overlayfs, unpacked layers show the whiteouts and opaque dirs as deletions', async (t) => {
  assert.equal(process.getuid?.(), 0, 'mounting overlayfs needs root: run as root');
  const dir = await mkdtemp(join(tmpdir(), 'podbay-images-itest-'));
  const merged = join(dir, 'merged');
  let mounted = false;
  t.after(async () => {
    if (mounted) {
      await run('umount', [merged]);
    }
    await rm(dir, { recursive: true, force: true });
  });
  const lower = join(dir, 'l1');
  const upper = join(dir, 'l2');
  await mkdir(lower);
  await mkdir(upper);
  await unpackLayer(
    [
      buildTar([
        { name: 'etc/motd', type: 'file', data: 'old' },
        { name: 'etc/keep', type: 'file', data: 'k' },
        { name: 'opt/a', type: 'file', data: 'a' },
        { name: 'opt/b', type: 'file', data: 'b' },
      ]),
    ],
    lower,
  );
  await unpackLayer(
    [
      buildTar([
        { name: 'etc/.wh.motd', type: 'file' },
        { name: 'opt/.wh..wh..opq', type: 'file' },
        { name: 'opt/c', type: 'file', data: 'c' },
      ]),
    ],
    upper,
  );
  await mkdir(merged);
  // Both layers read-only as lowerdirs, top first: how the runtime stacks image layers.
  await run('mount', ['-t', 'overlay', 'overlay', '-o', `lowerdir=${upper}:${lower}`, merged]);
  mounted = true;
  assert.deepEqual((await readdir(join(merged, 'etc'))).sort(), ['keep']);
  assert.deepEqual((await readdir(join(merged, 'opt'))).sort(), ['c']);
});

test('a file capability from the layer tar is set on the unpacked file', async (t) => {
  assert.equal(process.getuid?.(), 0, 'setting security.capability needs root: run as root');
  const dir = await mkdtemp(join(tmpdir(), 'podbay-images-itest-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  // vfs_cap_data revision 2, effective, permitted = CAP_NET_RAW (13): what `setcap cap_net_raw+ep` writes.
  const cap = Buffer.alloc(20);
  cap.writeUInt32LE(0x02000001, 0);
  cap.writeUInt32LE(1 << 13, 4);
  await unpackLayer(
    [buildTar([{ name: 'bin/ping', type: 'file', data: 'p', mode: 0o755, xattrs: { 'security.capability': cap } }])],
    dir,
  );
  const { stdout } = await run('getfattr', ['-e', 'hex', '-n', 'security.capability', join(dir, 'bin/ping')]);
  assert.match(stdout, new RegExp(`security.capability=0x${cap.toString('hex')}`));
});
