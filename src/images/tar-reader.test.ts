import assert from 'node:assert/strict';
import { test } from 'node:test';
import { readTar, type TarHeader } from './tar-reader.js';
import { buildTar } from './tar-writer.js';

async function entries(tar: Buffer, chunk = 7): Promise<{ header: TarHeader; data: string }[]> {
  // Small chunks exercise headers and bodies split across reads.
  async function* source(): AsyncGenerator<Buffer> {
    for (let i = 0; i < tar.length; i += chunk) {
      yield tar.subarray(i, i + chunk);
    }
  }
  const out: { header: TarHeader; data: string }[] = [];
  for await (const e of readTar(source())) {
    let data = '';
    for await (const c of e.body) {
      data += c.toString();
    }
    out.push({ header: e.header, data });
  }
  return out;
}

test('reads back files, directories, links and devices the writer wrote', async () => {
  const tar = buildTar([
    { name: 'etc/', type: 'dir', mode: 0o755 },
    {
      name: 'etc/passwd',
      type: 'file',
      data: 'root:x:0:0::/root:/bin/sh\n',
      uid: 0,
      gid: 0,
      mode: 0o644,
      mtime: 1700000000,
    },
    { name: 'bin/sh', type: 'symlink', linkname: 'busybox' },
    { name: 'bin/ash', type: 'hardlink', linkname: 'bin/busybox' },
    { name: 'dev/null', type: 'char', devmajor: 1, devminor: 3 },
    { name: 'run/fifo', type: 'fifo' },
  ]);
  const got = await entries(tar);
  assert.deepEqual(
    got.map((e) => [e.header.name, e.header.type, e.header.linkname, e.data]),
    [
      ['etc/', 'dir', '', ''],
      ['etc/passwd', 'file', '', 'root:x:0:0::/root:/bin/sh\n'],
      ['bin/sh', 'symlink', 'busybox', ''],
      ['bin/ash', 'hardlink', 'bin/busybox', ''],
      ['dev/null', 'char', '', ''],
      ['run/fifo', 'fifo', '', ''],
    ],
  );
  assert.equal(got[1]!.header.mtime, 1700000000);
  assert.equal(got[1]!.header.mode, 0o644);
  assert.deepEqual([got[4]!.header.devmajor, got[4]!.header.devminor], [1, 3]);
});

test('long names, long link targets and xattrs travel in pax headers', async () => {
  const long = 'a/'.repeat(80) + 'file.txt';
  const tar = buildTar([
    { name: long, type: 'file', data: 'x', xattrs: { 'security.capability': Buffer.from([1, 0, 0, 2]) } },
    { name: 'l', type: 'symlink', linkname: 'b/'.repeat(70) + 'target' },
    { name: 'big-uid', type: 'file', data: '', uid: 10_000_000, gid: 10_000_001 },
  ]);
  const got = await entries(tar, 100);
  assert.equal(got[0]!.header.name, long);
  assert.equal(got[0]!.data, 'x');
  assert.deepEqual([...got[0]!.header.xattrs['security.capability']!], [1, 0, 0, 2]);
  assert.equal(got[1]!.header.linkname, 'b/'.repeat(70) + 'target');
  assert.deepEqual([got[2]!.header.uid, got[2]!.header.gid], [10_000_000, 10_000_001]);
});

test('a body left unread is skipped and the next entry still parses', async () => {
  const tar = buildTar([
    { name: 'a', type: 'file', data: 'A'.repeat(1500) },
    { name: 'b', type: 'file', data: 'B' },
  ]);
  const names: string[] = [];
  for await (const e of readTar([tar])) {
    names.push(e.header.name);
  }
  assert.deepEqual(names, ['a', 'b']);
});

test('GNU long-name records name the entry that follows', async () => {
  const name = 'x'.repeat(150);
  const longHeader = buildTar([{ name: '././@LongLink', type: 'file', data: name + '\0' }]);
  longHeader[156] = 'L'.charCodeAt(0);
  // Fix the checksum after changing the typeflag.
  longHeader.fill(0x20, 148, 156);
  let sum = 0;
  for (let i = 0; i < 512; i++) {
    sum += longHeader[i]!;
  }
  longHeader.write(sum.toString(8).padStart(6, '0') + '\0 ', 148, 'ascii');
  const rest = buildTar([{ name: 'short', type: 'file', data: 'z' }]);
  const tar = Buffer.concat([longHeader.subarray(0, 1024), rest]);
  const got = await entries(tar);
  assert.deepEqual(
    got.map((e) => [e.header.name, e.data]),
    [[name, 'z']],
  );
});

test('garbage is refused as not a tar archive', async () => {
  await assert.rejects(entries(Buffer.alloc(1024, 0x41)), /not a tar archive/);
});

test('a truncated archive is an error, not a short read', async () => {
  const tar = buildTar([{ name: 'a', type: 'file', data: 'A'.repeat(2000) }]);
  await assert.rejects(entries(tar.subarray(0, 1000)), /unexpected end of tar archive/);
});
