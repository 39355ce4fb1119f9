// subPath resolution: the checks of k8s pkg/kubelet/kubelet_pods.go#makeMounts
// and the escape cases of pkg/volume/util/subpath/subpath_linux_test.go
// (TestSafeMakeDir, TestBindSubPath, TestSafeOpen), run on real files with the
// non-mounting host (the resolved path is returned instead of a bind target).
import assert from 'node:assert/strict';
import { chmod, mkdir, mkdtemp, readdir, rm, stat, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { PlainDirVolumeHost } from './plain-dir-volume-host.js';
import { SubPathError, expandSubPathExpr, pathWithinBase, prepareSubPath, safeMakeDir, safeOpen } from './sub-path.js';
import type { SubPathRequest } from './sub-path.js';

interface Fx {
  root: string;
  vol: string;
  outside: string;
}

async function fixture(t: { after(fn: () => Promise<void>): void }): Promise<Fx> {
  const root = await mkdtemp(join(tmpdir(), 'podbay-subpath-'));
  t.after(() => rm(root, { recursive: true, force: true }));
  const vol = join(root, 'pod', 'volumes', 'kubernetes.io~empty-dir', 'data');
  const outside = join(root, 'outside');
  await mkdir(vol, { recursive: true });
  await chmod(vol, 0o777);
  await mkdir(outside);
  await writeFile(join(outside, 'secret'), 'host secret');
  await mkdir(join(vol, 'inner'));
  await writeFile(join(vol, 'inner', 'file'), 'ok');
  return { root, vol, outside };
}

function req(fx: Fx, subPath: string): SubPathRequest {
  return {
    volumePath: fx.vol,
    subPath,
    podDir: join(fx.root, 'pod'),
    volumeName: 'data',
    containerName: 'app',
    mountIndex: 0,
    mountName: 'data',
  };
}

const host = new PlainDirVolumeHost();
const PREPARE_FAILED = 'failed to prepare subPath for volumeMount "data" of container "app"';

test('a subPath to an existing directory resolves to that directory inside the volume', async (t) => {
  const fx = await fixture(t);
  assert.equal(await prepareSubPath(host, req(fx, 'inner')), join(fx.vol, 'inner'));
});

test('a subPath to an existing file resolves to the file', async (t) => {
  const fx = await fixture(t);
  assert.equal(await prepareSubPath(host, req(fx, 'inner/file')), join(fx.vol, 'inner', 'file'));
});

test('a missing subPath is created as directories with the volume root mode', async (t) => {
  const fx = await fixture(t);
  const got = await prepareSubPath(host, req(fx, 'new/deeper'));
  assert.equal(got, join(fx.vol, 'new', 'deeper'));
  assert.equal((await stat(got)).mode & 0o777, 0o777);
  assert.equal((await stat(join(fx.vol, 'new'))).isDirectory(), true);
});

test('a symlink inside the volume that stays inside it is followed', async (t) => {
  const fx = await fixture(t);
  await symlink('inner', join(fx.vol, 'alias'));
  assert.equal(await prepareSubPath(host, req(fx, 'alias')), join(fx.vol, 'inner'));
});

const refused: { name: string; setup: (fx: Fx) => Promise<void>; subPath: string; message: string; detail?: RegExp }[] =
  [
    {
      name: 'an absolute subPath',
      setup: async () => {},
      subPath: '/etc',
      message: 'error SubPath `/etc` must not be an absolute path',
    },
    {
      name: 'a subPath with ..',
      setup: async () => {},
      subPath: 'inner/../../..',
      message: "unable to provision SubPath `inner/../../..`: must not contain '..'",
    },
    {
      name: 'a symlink to /etc',
      setup: (fx) => symlink('/etc', join(fx.vol, 'etc')),
      subPath: 'etc',
      message: PREPARE_FAILED,
      detail: /^subpath "\/etc" not within volume path/,
    },
    {
      name: 'a symlink to a file outside the volume',
      setup: (fx) => symlink(join(fx.outside, 'secret'), join(fx.vol, 'leak')),
      subPath: 'leak',
      message: PREPARE_FAILED,
      detail: /not within volume path/,
    },
    {
      name: 'a chain of symlinks that ends outside',
      setup: async (fx) => {
        await symlink('b', join(fx.vol, 'a'));
        await symlink('inner/c', join(fx.vol, 'b'));
        await symlink('../../../../../outside', join(fx.vol, 'inner', 'c'));
      },
      subPath: 'a',
      message: PREPARE_FAILED,
      detail: /not within volume path/,
    },
    {
      name: 'a relative symlink climbing out with ..',
      setup: (fx) => symlink('../../../../outside', join(fx.vol, 'up')),
      subPath: 'up/secret',
      message: PREPARE_FAILED,
      detail: /not within volume path/,
    },
    {
      name: 'a directory path through a symlink to the outside',
      setup: (fx) => symlink(fx.outside, join(fx.vol, 'out')),
      subPath: 'out/newdir',
      message: 'failed to create subPath directory for volumeMount "data" of container "app"',
    },
    {
      name: 'a dangling symlink to a path outside that does not exist yet',
      setup: (fx) => symlink(join(fx.outside, 'not-yet'), join(fx.vol, 'dangling')),
      subPath: 'dangling',
      message: 'failed to create subPath directory for volumeMount "data" of container "app"',
    },
  ];

for (const c of refused) {
  test(`a subPath through ${c.name} is refused`, async (t) => {
    const fx = await fixture(t);
    await c.setup(fx);
    await assert.rejects(prepareSubPath(host, req(fx, c.subPath)), (e: unknown) => {
      assert.ok(e instanceof SubPathError);
      assert.equal(e.message, c.message);
      if (c.detail) {
        assert.match(e.detail ?? '', c.detail);
      }
      return true;
    });
    // Nothing was created outside the volume.
    assert.deepEqual((await readdir(fx.outside)).sort(), ['secret']);
  });
}

test('safeOpen refuses a symlink met on the way even when the caller passes an unresolved path', async (t) => {
  const fx = await fixture(t);
  await symlink('inner', join(fx.vol, 'alias'));
  await assert.rejects(safeOpen(join(fx.vol, 'alias', 'file'), fx.vol), /unexpected symlink found|cannot open/);
});

test('safeOpen opens a plain path inside the base', async (t) => {
  const fx = await fixture(t);
  const fh = await safeOpen(join(fx.vol, 'inner', 'file'), fx.vol);
  try {
    assert.equal((await fh.stat()).isFile(), true);
  } finally {
    await fh.close();
  }
});

test('safeMakeDir refuses to create through a link that leaves the base', async (t) => {
  const fx = await fixture(t);
  await symlink(fx.outside, join(fx.vol, 'out'));
  await assert.rejects(safeMakeDir('out/x', fx.vol, 0o755), /outside of allowed base/);
  assert.deepEqual((await readdir(fx.outside)).sort(), ['secret']);
});

const within: [string, string, boolean][] = [
  ['/a/b', '/a', true],
  ['/a', '/a', true],
  ['/a/../b', '/a', false],
  ['/ab', '/a', false],
  ['/a/..b', '/a', true],
];
for (const [full, base, want] of within) {
  test(`pathWithinBase(${full}, ${base}) is ${want}`, () => {
    assert.equal(pathWithinBase(full, base), want);
  });
}

test('subPathExpr expands $(VAR) from the environment', () => {
  assert.equal(expandSubPathExpr('logs/$(POD_NAME)', new Map([['POD_NAME', 'web-1']])), 'logs/web-1');
});

test('subPathExpr with unknown or empty variables fails listing them sorted', () => {
  assert.throws(() => expandSubPathExpr('$(B)/$(A)/$(C)', new Map([['C', '']])), {
    message: 'missing value for A, B, C',
  });
});
