// Real mounts, as root (STYLE.md tier 3: run by `make test`, never skipped):
// tmpfs volumes with their size, subPath bind mounts of a safely opened file
// descriptor, and a teardown that unmounts everything and deletes only the
// pod's own files. Every test unmounts what is left under its temp dir and
// removes it, even when an assertion fails; the dirs are named podbay-voltest-*
// so leftovers of a killed run are recognisable.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, stat, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import process from 'node:process';
import { test } from 'node:test';
import type { Pod, Volume, VolumeMount } from '../../src/api/types/index.js';
import { FakeClock } from '../../src/lib/testing/fake-clock.js';
import { FakeRecorder } from '../../src/node/testing/fake-recorder.js';
import { podWith } from '../../src/node/testing/builders.js';
import { LinuxVolumeHost } from '../../src/node/volumes/linux-volume-host.js';
import { mountPointsUnder, readMountPoints } from '../../src/node/volumes/mount-table.js';
import { VolumeManager } from '../../src/node/volumes/volume-manager.js';
import { readFileSync } from 'node:fs';

const MiB = 1024 * 1024;

function requireRoot(): void {
  if (process.getuid?.() !== 0) {
    assert.fail(
      'test/volumes/linux-volume-host.test.ts mounts tmpfs and bind mounts: run as root (or run make test-unit)',
    );
  }
}

interface Fx {
  dir: string;
  podsDir: string;
  host: LinuxVolumeHost;
  recorder: FakeRecorder;
  vm: VolumeManager;
}

async function fixture(t: { after(fn: () => Promise<void>): void }): Promise<Fx> {
  requireRoot();
  const dir = await mkdtemp(join(tmpdir(), 'podbay-voltest-'));
  t.after(async () => {
    // Whatever the test did or failed to do: nothing stays mounted, nothing stays on disk.
    for (const m of await mountPointsUnder(dir)) {
      try {
        execFileSync('umount', [m]);
      } catch {
        execFileSync('umount', ['-l', m]);
      }
    }
    assert.deepEqual(await mountPointsUnder(dir), []);
    await rm(dir, { recursive: true, force: true });
  });
  const host = new LinuxVolumeHost();
  const recorder = new FakeRecorder();
  const podsDir = join(dir, 'pods');
  const vm = newManager(host, podsDir, recorder);
  return { dir, podsDir, host, recorder, vm };
}

function newManager(host: LinuxVolumeHost, podsDir: string, recorder: FakeRecorder): VolumeManager {
  return new VolumeManager({
    host,
    podsDir,
    clock: new FakeClock(),
    recorder,
    nodeAllocatable: { memory: '1Gi' },
    lookups: {
      configMap: async () => undefined,
      secret: async (_ns, name) => ({ metadata: { name }, data: { key: Buffer.from('v').toString('base64') } }),
    },
  });
}

function pod(volumes: Volume[], volumeMounts: VolumeMount[] = []): Pod {
  const p = podWith({ containers: [{ name: 'app', image: 'busybox:1.36', volumeMounts }] });
  p.spec.volumes = volumes;
  return p;
}

/** The mountinfo line of a mount point: fs type and super options. */
function mountInfo(path: string): { fstype: string; superOptions: string } | undefined {
  for (const line of readFileSync('/proc/self/mountinfo', 'utf8').split('\n')) {
    const f = line.split(' ');
    if (f[4] === path) {
      const sep = f.indexOf('-');
      return { fstype: f[sep + 1]!, superOptions: f[sep + 3]! };
    }
  }
  return undefined;
}

test('emptyDir medium Memory is a real tmpfs of the computed size, unmounted and removed at teardown', async (t) => {
  const fx = await fixture(t);
  const p = pod([{ name: 'mem', emptyDir: { medium: 'Memory', sizeLimit: '8Mi' } }]);
  assert.deepEqual(await fx.vm.setUpPod(p), { ready: true });
  const dir = join(fx.podsDir, p.metadata.uid!, 'volumes', 'kubernetes.io~empty-dir', 'mem');
  const info = mountInfo(dir);
  assert.equal(info?.fstype, 'tmpfs');
  assert.match(info.superOptions, /size=8192k/);
  assert.match(info.superOptions, /mode=777/);
  // The tmpfs enforces its size.
  await assert.rejects(writeFile(join(dir, 'big'), Buffer.alloc(9 * MiB)), { code: 'ENOSPC' });
  // Set up again (another sync, or a restarted agent): no second mount on top.
  await newManager(fx.host, fx.podsDir, fx.recorder).setUpPod(p);
  assert.equal((await readMountPoints()).filter((m) => m === dir).length, 1);
  await fx.vm.tearDownPod(p.metadata.uid!);
  assert.equal(mountInfo(dir), undefined);
  await assert.rejects(stat(join(fx.podsDir, p.metadata.uid!)), { code: 'ENOENT' });
});

test('a secret volume is written onto its own tmpfs', async (t) => {
  const fx = await fixture(t);
  const p = pod([{ name: 'sec', secret: { secretName: 'creds' } }]);
  await fx.vm.setUpPod(p);
  const dir = join(fx.podsDir, p.metadata.uid!, 'volumes', 'kubernetes.io~secret', 'sec');
  assert.equal(mountInfo(dir)?.fstype, 'tmpfs');
  assert.equal(await readFile(join(dir, 'key'), 'utf8'), 'v');
  await fx.vm.tearDownPod(p.metadata.uid!);
  assert.deepEqual(await mountPointsUnder(fx.dir), []);
});

test('a subPath is a bind mount of the opened file at volume-subpaths, reused on the next start', async (t) => {
  const fx = await fixture(t);
  const p = pod([{ name: 'data', emptyDir: {} }], [{ name: 'data', mountPath: '/d', subPath: 'conf/app.conf' }]);
  await fx.vm.setUpPod(p);
  const vol = join(fx.podsDir, p.metadata.uid!, 'volumes', 'kubernetes.io~empty-dir', 'data');
  await mkdir(join(vol, 'conf'));
  await writeFile(join(vol, 'conf', 'app.conf'), 'hello');
  const first = await fx.vm.containerMounts(p, p.spec.containers[0]!, []);
  assert.ok('mounts' in first);
  const target = join(fx.podsDir, p.metadata.uid!, 'volume-subpaths', 'data', 'app', '0');
  assert.equal(first.mounts[0]!.hostPath, target);
  assert.ok(mountInfo(target), 'bind-mounted');
  assert.equal(await readFile(target, 'utf8'), 'hello');
  const second = await fx.vm.containerMounts(p, p.spec.containers[0]!, []);
  assert.ok('mounts' in second);
  assert.equal((await readMountPoints()).filter((m) => m === target).length, 1);
  await fx.vm.tearDownPod(p.metadata.uid!);
  assert.deepEqual(await mountPointsUnder(fx.dir), []);
});

test('a subPath through a symlink to /etc mounts nothing', async (t) => {
  const fx = await fixture(t);
  const p = pod([{ name: 'data', emptyDir: {} }], [{ name: 'data', mountPath: '/d', subPath: 'etc' }]);
  await fx.vm.setUpPod(p);
  const vol = join(fx.podsDir, p.metadata.uid!, 'volumes', 'kubernetes.io~empty-dir', 'data');
  await symlink('/etc', join(vol, 'etc'));
  const r = await fx.vm.containerMounts(p, p.spec.containers[0]!, []);
  assert.deepEqual(r, {
    error: {
      reason: 'CreateContainerConfigError',
      message: 'failed to prepare subPath for volumeMount "data" of container "app"',
    },
  });
  assert.deepEqual(await mountPointsUnder(fx.dir), []);
  await fx.vm.tearDownPod(p.metadata.uid!);
  assert.ok((await stat('/etc/hostname').catch(() => stat('/etc/passwd'))).isFile(), '/etc untouched');
});

test('teardown unmounts a hostPath subPath bind before deleting, so the host files survive', async (t) => {
  const fx = await fixture(t);
  const hostDir = join(fx.dir, 'host');
  await mkdir(join(hostDir, 'sub'), { recursive: true });
  await writeFile(join(hostDir, 'sub', 'precious'), 'keep');
  const p = pod(
    [{ name: 'h', hostPath: { path: hostDir, type: 'Directory' } }],
    [{ name: 'h', mountPath: '/h', subPath: 'sub' }],
  );
  await fx.vm.setUpPod(p);
  const r = await fx.vm.containerMounts(p, p.spec.containers[0]!, []);
  assert.ok('mounts' in r);
  const target = r.mounts[0]!.hostPath;
  assert.equal(await readFile(join(target, 'precious'), 'utf8'), 'keep');
  await fx.vm.tearDownPod(p.metadata.uid!);
  assert.equal(await readFile(join(hostDir, 'sub', 'precious'), 'utf8'), 'keep');
  assert.deepEqual(await mountPointsUnder(fx.dir), []);
});

test('a removal that meets a mount it did not unmount stops instead of deleting through it', async (t) => {
  const fx = await fixture(t);
  const hostDir = join(fx.dir, 'host');
  await mkdir(hostDir);
  await writeFile(join(hostDir, 'precious'), 'keep');
  const p = pod([{ name: 'data', emptyDir: {} }]);
  await fx.vm.setUpPod(p);
  const vol = join(fx.podsDir, p.metadata.uid!, 'volumes', 'kubernetes.io~empty-dir', 'data');
  await mkdir(join(vol, 'm'));
  // A mount the manager does not know how to unmount (its host refuses).
  execFileSync('mount', ['--bind', hostDir, join(vol, 'm')]);
  const stubborn = new LinuxVolumeHost({ umountBin: '/bin/false' });
  const vm = newManager(stubborn, fx.podsDir, fx.recorder);
  await assert.rejects(vm.tearDownPod(p.metadata.uid!), /failed/);
  assert.equal(await readFile(join(hostDir, 'precious'), 'utf8'), 'keep');
});

test('a removal after an unmount that silently did nothing stops at the re-check of the mount table', async (t) => {
  const fx = await fixture(t);
  const hostDir = join(fx.dir, 'host');
  await mkdir(hostDir);
  await writeFile(join(hostDir, 'precious'), 'keep');
  const p = pod([{ name: 'data', emptyDir: {} }]);
  await fx.vm.setUpPod(p);
  const vol = join(fx.podsDir, p.metadata.uid!, 'volumes', 'kubernetes.io~empty-dir', 'data');
  await mkdir(join(vol, 'm'));
  execFileSync('mount', ['--bind', hostDir, join(vol, 'm')]);
  const lying = new LinuxVolumeHost({ umountBin: '/bin/true' });
  const vm = newManager(lying, fx.podsDir, fx.recorder);
  await assert.rejects(vm.tearDownPod(p.metadata.uid!), /still mounted after unmount/);
  assert.equal(await readFile(join(hostDir, 'precious'), 'utf8'), 'keep');
});
