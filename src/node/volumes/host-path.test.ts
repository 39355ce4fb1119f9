// hostPath type checks, after k8s pkg/volume/hostpath/host_path_test.go
// (TestOSFileTypeChecker, TestHostPathTypeCheckingSmallTest) against real files.
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, stat, symlink, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { execFileSync } from 'node:child_process';
import type { HostPathVolumeSource } from '../../api/types/index.js';
import { setUpHostPath } from './host-path.js';

type Kind = 'dir' | 'file' | 'socket' | 'fifo' | 'chardev' | 'missing';

async function fixture(t: { after(fn: () => Promise<void>): void }): Promise<Record<Kind, string>> {
  const d = await mkdtemp(join(tmpdir(), 'podbay-hostpath-'));
  const server = createServer();
  t.after(async () => {
    await new Promise<void>((r) => server.close(() => r()));
    await rm(d, { recursive: true, force: true });
  });
  await mkdir(join(d, 'dir'));
  await writeFile(join(d, 'file'), 'x');
  await new Promise<void>((r) => server.listen(join(d, 'socket'), r));
  execFileSync('mkfifo', [join(d, 'fifo')]);
  return {
    dir: join(d, 'dir'),
    file: join(d, 'file'),
    socket: join(d, 'socket'),
    fifo: join(d, 'fifo'),
    chardev: '/dev/null',
    missing: join(d, 'missing'),
  };
}

const cases: { name: string; type: HostPathVolumeSource['type']; at: Kind; error?: (p: string) => string }[] = [
  { name: 'no type accepts anything, even a missing path', type: '', at: 'missing' },
  { name: 'Directory accepts a directory', type: 'Directory', at: 'dir' },
  {
    name: 'Directory refuses a file',
    type: 'Directory',
    at: 'file',
    error: (p) => `hostPath type check failed: ${p} is not a directory, it's a File`,
  },
  {
    name: 'Directory refuses a missing path',
    type: 'Directory',
    at: 'missing',
    error: (p) => `hostPath ${p} doesn't exist`,
  },
  {
    name: 'DirectoryOrCreate refuses an existing file',
    type: 'DirectoryOrCreate',
    at: 'file',
    error: (p) => `hostPath type check failed: ${p} is not a directory, it's a File`,
  },
  { name: 'File accepts a file', type: 'File', at: 'file' },
  {
    name: 'File refuses a directory',
    type: 'File',
    at: 'dir',
    error: (p) => `hostPath type check failed: ${p} is not a file, it's a Directory`,
  },
  {
    name: 'FileOrCreate refuses an existing directory',
    type: 'FileOrCreate',
    at: 'dir',
    error: (p) => `hostPath type check failed: ${p} is not a file, it's a Directory`,
  },
  { name: 'Socket accepts a unix socket', type: 'Socket', at: 'socket' },
  {
    name: 'Socket refuses a file',
    type: 'Socket',
    at: 'file',
    error: (p) => `hostPath type check failed: ${p} is not a socket file, it's a File`,
  },
  { name: 'CharDevice accepts /dev/null', type: 'CharDevice', at: 'chardev' },
  {
    name: 'CharDevice refuses a directory',
    type: 'CharDevice',
    at: 'dir',
    error: (p) => `hostPath type check failed: ${p} is not a character device, it's a Directory`,
  },
  {
    name: 'BlockDevice refuses a character device',
    type: 'BlockDevice',
    at: 'chardev',
    error: (p) => `hostPath type check failed: ${p} is not a block device, it's a CharDevice`,
  },
  {
    name: 'File cannot name the type of a FIFO',
    type: 'File',
    at: 'fifo',
    error: (p) =>
      `hostPath type check failed, ${p} is not a file, unable to determine its type: only recognise file, directory, socket, block device and character device`,
  },
];

for (const c of cases) {
  test(`hostPath type ${c.type || '""'}: ${c.name}`, async (t) => {
    const f = await fixture(t);
    const p = f[c.at];
    const run = setUpHostPath({ path: p, type: c.type });
    if (c.error) {
      await assert.rejects(run, (e: Error) => {
        assert.equal(e.message, c.error!(p));
        return true;
      });
    } else {
      await run;
    }
  });
}

test('DirectoryOrCreate makes a missing directory (and its parents) with mode 0755', async (t) => {
  const f = await fixture(t);
  const p = join(f.missing, 'a', 'b');
  await setUpHostPath({ path: p, type: 'DirectoryOrCreate' });
  const st = await stat(p);
  assert.ok(st.isDirectory());
  assert.equal(st.mode & 0o777, 0o755 & ~process.umask());
});

test('FileOrCreate makes a missing empty file and leaves an existing one alone', async (t) => {
  const f = await fixture(t);
  await setUpHostPath({ path: f.missing, type: 'FileOrCreate' });
  assert.equal((await stat(f.missing)).size, 0);
  await setUpHostPath({ path: f.file, type: 'FileOrCreate' });
  assert.equal((await stat(f.file)).size, 1);
});

test('FileOrCreate under a missing parent fails with the open error (upstream makes no parents)', async (t) => {
  const f = await fixture(t);
  const p = join(f.missing, 'x');
  await assert.rejects(setUpHostPath({ path: p, type: 'FileOrCreate' }), {
    message: `open ${p}: no such file or directory`,
  });
});

test('a symlink to a directory passes Directory (the type check follows links)', async (t) => {
  const f = await fixture(t);
  const link = f.missing;
  await symlink(f.dir, link);
  await setUpHostPath({ path: link, type: 'Directory' });
});

test('a path with a .. element is refused before the type check', async () => {
  await assert.rejects(setUpHostPath({ path: '/tmp/../etc', type: '' }), {
    message: "invalid HostPath `/tmp/../etc`: must not contain '..'",
  });
});

test('an unknown type is an invalid volume type', async () => {
  await assert.rejects(setUpHostPath({ path: '/tmp', type: 'Weird' as HostPathVolumeSource['type'] }), {
    message: 'Weird is an invalid volume type',
  });
});
