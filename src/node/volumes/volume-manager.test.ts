// The volume manager per plugin and rule, on real temp directories with a
// recording host (FakeVolumeHost: mounts recorded, not made) or the
// non-mounting PlainDirVolumeHost. Upstream behaviour cited per case:
// pkg/volume/{emptydir,configmap,secret,downwardapi,projected,hostpath}
// and pkg/kubelet/kubelet_pods.go#makeMounts.
import assert from 'node:assert/strict';
import { Buffer } from 'node:buffer';
import { lstat, mkdir, mkdtemp, readFile, readdir, readlink, rm, stat, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import process from 'node:process';
import { test } from 'node:test';
import { newNotFound } from '../../api/errors.js';
import type { ConfigMap, Container, Pod, Secret, Volume } from '../../api/types/index.js';
import { FakeClock } from '../../lib/testing/fake-clock.js';
import { FakeRecorder } from '../testing/fake-recorder.js';
import { podWith } from '../testing/builders.js';
import { PlainDirVolumeHost } from './plain-dir-volume-host.js';
import { FakeVolumeHost } from './testing/fake-volume-host.js';
import type { VolumeHost } from './volume-host.js';
import { MOUNT_RETRY_INITIAL_MS, REMOUNT_PERIOD_MS, VolumeManager } from './volume-manager.js';

const GiB = 1024 ** 3;
const MiB = 1024 ** 2;

interface Env {
  dir: string;
  podsDir: string;
  clock: FakeClock;
  recorder: FakeRecorder;
  host: VolumeHost;
  configMaps: Map<string, ConfigMap>;
  secrets: Map<string, Secret>;
  lookupsCalled: string[];
  evictions: { uid: string; message: string }[];
  vm: VolumeManager;
}

async function env(t: { after(fn: () => Promise<void>): void }, host: VolumeHost = new FakeVolumeHost()): Promise<Env> {
  const dir = await mkdtemp(join(tmpdir(), 'podbay-volmgr-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  const clock = new FakeClock();
  const recorder = new FakeRecorder();
  const configMaps = new Map<string, ConfigMap>();
  const secrets = new Map<string, Secret>();
  const lookupsCalled: string[] = [];
  const evictions: { uid: string; message: string }[] = [];
  const podsDir = join(dir, 'pods');
  const vm = new VolumeManager({
    host,
    podsDir,
    clock,
    recorder,
    nodeAllocatable: { memory: '8Gi', cpu: '4' },
    lookups: {
      configMap: async (ns, name) => {
        lookupsCalled.push(`cm ${ns}/${name}`);
        const cm = configMaps.get(name);
        if (!cm) {
          throw newNotFound('configmaps', name);
        }
        return structuredClone(cm);
      },
      secret: async (ns, name) => {
        lookupsCalled.push(`secret ${ns}/${name}`);
        return structuredClone(secrets.get(name));
      },
    },
    onEvict: (uid, message) => evictions.push({ uid, message }),
  });
  t.after(async () => vm.stop());
  return { dir, podsDir, clock, recorder, host, configMaps, secrets, lookupsCalled, evictions, vm };
}

function podWithVolumes(
  volumes: Volume[],
  mounts: Container['volumeMounts'] = [],
  extra: Partial<Container> = {},
): Pod {
  const pod = podWith({ containers: [{ name: 'app', image: 'busybox:1.36', volumeMounts: mounts, ...extra }] });
  pod.spec.volumes = volumes;
  pod.metadata.labels = { app: 'web', tier: 'front' };
  return pod;
}

function volDir(e: Env, pod: Pod, plugin: string, name: string): string {
  return join(e.podsDir, pod.metadata.uid!, 'volumes', plugin, name);
}

async function mountsOf(e: Env, pod: Pod, env: Record<string, string> = {}) {
  const r = await e.vm.containerMounts(
    pod,
    pod.spec.containers[0]!,
    Object.entries(env).map(([key, value]) => ({ key, value })),
  );
  if ('error' in r) {
    throw new Error(r.error.message);
  }
  return r.mounts;
}

// ---- emptyDir ------------------------------------------------------------------

test('an emptyDir is a 0777 directory at volumes/kubernetes.io~empty-dir/<name>, mounted read-write', async (t) => {
  const e = await env(t);
  const pod = podWithVolumes([{ name: 'data', emptyDir: {} }], [{ name: 'data', mountPath: '/data' }]);
  assert.deepEqual(await e.vm.setUpPod(pod), { ready: true });
  const d = volDir(e, pod, 'kubernetes.io~empty-dir', 'data');
  assert.equal((await stat(d)).mode & 0o777, 0o777);
  assert.deepEqual(await mountsOf(e, pod), [
    { containerPath: '/data', hostPath: d, readonly: false, propagation: 'PRIVATE' },
  ]);
  assert.deepEqual((e.host as FakeVolumeHost).tmpfsMounts(), []);
});

test('a volume with no source is an emptyDir', async (t) => {
  const e = await env(t);
  const pod = podWithVolumes([{ name: 'bare' }], [{ name: 'bare', mountPath: '/b' }]);
  assert.deepEqual(await e.vm.setUpPod(pod), { ready: true });
  assert.ok((await stat(volDir(e, pod, 'kubernetes.io~empty-dir', 'bare'))).isDirectory());
});

test('emptyDir content survives another set-up (container restarts keep it)', async (t) => {
  const e = await env(t);
  const pod = podWithVolumes([{ name: 'data', emptyDir: {} }]);
  await e.vm.setUpPod(pod);
  const f = join(volDir(e, pod, 'kubernetes.io~empty-dir', 'data'), 'kept');
  await writeFile(f, 'x');
  await e.vm.setUpPod(pod);
  assert.equal(await readFile(f, 'utf8'), 'x');
});

const tmpfsSizes: { name: string; volume: Volume; limits?: string[]; want: number }[] = [
  {
    name: 'node allocatable memory without any limit',
    volume: { name: 'm', emptyDir: { medium: 'Memory' } },
    want: 8 * GiB,
  },
  {
    name: 'the sizeLimit when below allocatable',
    volume: { name: 'm', emptyDir: { medium: 'Memory', sizeLimit: '64Mi' } },
    want: 64 * MiB,
  },
  {
    name: 'the pod memory limit when every container has one',
    volume: { name: 'm', emptyDir: { medium: 'Memory' } },
    limits: ['128Mi'],
    want: 128 * MiB,
  },
  {
    name: 'the smaller of sizeLimit and the pod limit',
    volume: { name: 'm', emptyDir: { medium: 'Memory', sizeLimit: '256Mi' } },
    limits: ['128Mi'],
    want: 128 * MiB,
  },
  {
    name: 'allocatable when the sizeLimit is larger than it',
    volume: { name: 'm', emptyDir: { medium: 'Memory', sizeLimit: '64Gi' } },
    want: 8 * GiB,
  },
];
for (const c of tmpfsSizes) {
  test(`emptyDir medium Memory is a tmpfs sized to ${c.name} (empty_dir.go#calculateEmptyDirMemorySize)`, async (t) => {
    const e = await env(t);
    const pod = podWithVolumes([c.volume]);
    if (c.limits) {
      pod.spec.containers[0]!.resources = { limits: { memory: c.limits[0]! } };
    }
    await e.vm.setUpPod(pod);
    await e.vm.setUpPod(pod); // idempotent: mounted once
    assert.deepEqual((e.host as FakeVolumeHost).tmpfsMounts(), [
      { path: volDir(e, pod, 'kubernetes.io~empty-dir', 'm'), sizeBytes: c.want },
    ]);
  });
}

test('emptyDir medium Memory on the non-mounting host is a plain directory', async (t) => {
  const e = await env(t, new PlainDirVolumeHost());
  const pod = podWithVolumes([{ name: 'm', emptyDir: { medium: 'Memory' } }]);
  assert.deepEqual(await e.vm.setUpPod(pod), { ready: true });
  assert.ok((await stat(volDir(e, pod, 'kubernetes.io~empty-dir', 'm'))).isDirectory());
});

// ---- configMap -------------------------------------------------------------------

test('a configMap projects every key with defaultMode through ..data links, mounted read-only', async (t) => {
  const e = await env(t);
  e.configMaps.set('app', {
    metadata: { name: 'app', namespace: 'default' },
    data: { 'a.conf': 'A', b: 'B' },
    binaryData: { bin: Buffer.from([1, 2]).toString('base64') },
  });
  const pod = podWithVolumes(
    [{ name: 'cfg', configMap: { name: 'app', defaultMode: 0o640 } }],
    [{ name: 'cfg', mountPath: '/etc/app' }],
  );
  assert.deepEqual(await e.vm.setUpPod(pod), { ready: true });
  const d = volDir(e, pod, 'kubernetes.io~configmap', 'cfg');
  assert.equal(await readlink(join(d, 'a.conf')), '..data/a.conf');
  assert.equal(await readFile(join(d, 'a.conf'), 'utf8'), 'A');
  assert.deepEqual([...(await readFile(join(d, 'bin')))], [1, 2]);
  assert.equal((await stat(join(d, 'b'))).mode & 0o777, 0o640);
  const [m] = await mountsOf(e, pod);
  assert.equal(m!.readonly, true);
  assert.equal(m!.hostPath, d);
  // configMap wraps a disk emptyDir, not a tmpfs.
  assert.deepEqual((e.host as FakeVolumeHost).tmpfsMounts(), []);
});

test('configMap items map key → path with their own mode', async (t) => {
  const e = await env(t);
  e.configMaps.set('app', { metadata: { name: 'app' }, data: { k: 'K', other: 'O' } });
  const pod = podWithVolumes([
    { name: 'cfg', configMap: { name: 'app', items: [{ key: 'k', path: 'dir/renamed', mode: 0o600 }] } },
  ]);
  await e.vm.setUpPod(pod);
  const d = volDir(e, pod, 'kubernetes.io~configmap', 'cfg');
  assert.equal(await readFile(join(d, 'dir/renamed'), 'utf8'), 'K');
  assert.equal((await stat(join(d, 'dir/renamed'))).mode & 0o777, 0o600);
  assert.deepEqual(
    (await readdir(d)).filter((n) => !n.startsWith('..')),
    ['dir'],
  );
});

const configMapFailures: { name: string; volume: Volume; present: boolean; want: string }[] = [
  {
    name: 'a missing ConfigMap',
    volume: { name: 'cfg', configMap: { name: 'app' } },
    present: false,
    want: 'MountVolume.SetUp failed for volume "cfg" : configmap "app" not found',
  },
  {
    name: 'an item naming a missing key',
    volume: { name: 'cfg', configMap: { name: 'app', items: [{ key: 'nope', path: 'x' }] } },
    present: true,
    want: 'MountVolume.SetUp failed for volume "cfg" : configmap references non-existent config key: nope',
  },
];
for (const c of configMapFailures) {
  test(`${c.name} fails the mount with FailedMount and keeps the pod waiting`, async (t) => {
    const e = await env(t);
    if (c.present) {
      e.configMaps.set('app', { metadata: { name: 'app' }, data: { k: 'v' } });
    }
    const pod = podWithVolumes([c.volume], [{ name: 'cfg', mountPath: '/c' }]);
    const r = await e.vm.setUpPod(pod);
    assert.equal(r.ready, false);
    assert.deepEqual(e.recorder.lines(), [`FailedMount: ${c.want}`]);
    assert.equal(e.recorder.events[0]!.type, 'Warning');
    const m = await e.vm.containerMounts(pod, pod.spec.containers[0]!, []);
    assert.deepEqual(m, {
      error: {
        reason: 'CreateContainerConfigError',
        message: 'cannot find volume "cfg" to mount into container "app"',
      },
    });
  });
}

test('an optional missing ConfigMap mounts an empty volume', async (t) => {
  const e = await env(t);
  const pod = podWithVolumes([
    { name: 'cfg', configMap: { name: 'app', optional: true, items: [{ key: 'k', path: 'k' }] } },
  ]);
  assert.deepEqual(await e.vm.setUpPod(pod), { ready: true });
  const d = volDir(e, pod, 'kubernetes.io~configmap', 'cfg');
  assert.deepEqual(
    (await readdir(d)).filter((n) => !n.startsWith('..')),
    [],
  );
});

test('a failed mount is retried only after its back-off, which doubles', async (t) => {
  const e = await env(t);
  const pod = podWithVolumes([{ name: 'cfg', configMap: { name: 'app' } }]);
  const r1 = await e.vm.setUpPod(pod);
  assert.deepEqual(r1.ready === false && r1.retryInMs, MOUNT_RETRY_INITIAL_MS);
  await e.vm.setUpPod(pod);
  assert.equal(e.lookupsCalled.length, 1, 'no new attempt inside the back-off');
  e.clock.step(MOUNT_RETRY_INITIAL_MS);
  const r2 = await e.vm.setUpPod(pod);
  assert.equal(e.lookupsCalled.length, 2);
  assert.deepEqual(r2.ready === false && r2.retryInMs, 2 * MOUNT_RETRY_INITIAL_MS);
  e.configMaps.set('app', { metadata: { name: 'app' }, data: { k: 'v' } });
  e.clock.step(2 * MOUNT_RETRY_INITIAL_MS);
  assert.deepEqual(await e.vm.setUpPod(pod), { ready: true });
  assert.equal(e.recorder.lines().length, 2);
});

test('a ConfigMap change reaches the volume atomically at the next remount', async (t) => {
  const e = await env(t);
  e.configMaps.set('app', { metadata: { name: 'app' }, data: { k: 'v1', old: 'o' } });
  const pod = podWithVolumes([{ name: 'cfg', configMap: { name: 'app' } }]);
  await e.vm.setUpPod(pod);
  const d = volDir(e, pod, 'kubernetes.io~configmap', 'cfg');
  const before = await readlink(join(d, '..data'));
  e.configMaps.set('app', { metadata: { name: 'app' }, data: { k: 'v2', added: 'a' } });
  await e.vm.housekeeping();
  assert.equal(await readFile(join(d, 'k'), 'utf8'), 'v1', 'not before the remount period');
  e.clock.step(REMOUNT_PERIOD_MS);
  await e.vm.housekeeping();
  assert.equal(await readFile(join(d, 'k'), 'utf8'), 'v2');
  assert.equal(await readFile(join(d, 'added'), 'utf8'), 'a');
  await assert.rejects(lstat(join(d, 'old')), { code: 'ENOENT' });
  assert.notEqual(await readlink(join(d, '..data')), before);
  await assert.rejects(stat(join(d, before)), { code: 'ENOENT' });
});

test('a ConfigMap deleted after the pod started keeps the last content and only warns', async (t) => {
  const e = await env(t);
  e.configMaps.set('app', { metadata: { name: 'app' }, data: { k: 'v1' } });
  const pod = podWithVolumes([{ name: 'cfg', configMap: { name: 'app' } }]);
  await e.vm.setUpPod(pod);
  e.configMaps.delete('app');
  e.clock.step(REMOUNT_PERIOD_MS);
  assert.deepEqual(await e.vm.setUpPod(pod), { ready: true });
  assert.equal(await readFile(join(volDir(e, pod, 'kubernetes.io~configmap', 'cfg'), 'k'), 'utf8'), 'v1');
  assert.deepEqual(e.recorder.lines(), [
    'FailedMount: MountVolume.SetUp failed for volume "cfg" : configmap "app" not found',
  ]);
});

// ---- secret ----------------------------------------------------------------------

test('a secret is decoded onto a tmpfs and mounted read-only', async (t) => {
  const e = await env(t);
  e.secrets.set('creds', { metadata: { name: 'creds' }, data: { password: Buffer.from('s3cret').toString('base64') } });
  const pod = podWithVolumes(
    [{ name: 'sec', secret: { secretName: 'creds', defaultMode: 0o400 } }],
    [{ name: 'sec', mountPath: '/s' }],
  );
  assert.deepEqual(await e.vm.setUpPod(pod), { ready: true });
  const d = volDir(e, pod, 'kubernetes.io~secret', 'sec');
  assert.equal(await readFile(join(d, 'password'), 'utf8'), 's3cret');
  assert.equal((await stat(join(d, 'password'))).mode & 0o777, 0o400);
  assert.deepEqual((e.host as FakeVolumeHost).tmpfsMounts(), [{ path: d, sizeBytes: 8 * GiB }]);
  assert.equal((await mountsOf(e, pod))[0]!.readonly, true);
});

const secretFailures: { name: string; volume: Volume; present: boolean; want: string }[] = [
  {
    name: 'a missing Secret',
    volume: { name: 'sec', secret: { secretName: 'creds' } },
    present: false,
    want: 'MountVolume.SetUp failed for volume "sec" : secret "creds" not found',
  },
  {
    name: 'an item naming a missing key',
    volume: { name: 'sec', secret: { secretName: 'creds', items: [{ key: 'nope', path: 'x' }] } },
    present: true,
    want: 'MountVolume.SetUp failed for volume "sec" : references non-existent secret key: nope',
  },
];
for (const c of secretFailures) {
  test(`${c.name} fails the secret mount with FailedMount`, async (t) => {
    const e = await env(t);
    if (c.present) {
      e.secrets.set('creds', { metadata: { name: 'creds' }, data: { k: 'dg==' } });
    }
    const r = await e.vm.setUpPod(podWithVolumes([c.volume]));
    assert.equal(r.ready, false);
    assert.deepEqual(e.recorder.lines(), [`FailedMount: ${c.want}`]);
  });
}

test('an optional missing Secret mounts an empty volume', async (t) => {
  const e = await env(t);
  const r = await e.vm.setUpPod(podWithVolumes([{ name: 'sec', secret: { secretName: 'x', optional: true } }]));
  assert.deepEqual(r, { ready: true });
});

// ---- downwardAPI and projected ---------------------------------------------------------

test('downwardAPI writes pod fields and container resources (downwardapi.go#CollectData)', async (t) => {
  const e = await env(t);
  const pod = podWithVolumes(
    [
      {
        name: 'info',
        downwardAPI: {
          items: [
            { path: 'name', fieldRef: { fieldPath: 'metadata.name' } },
            { path: 'ns', fieldRef: { fieldPath: 'metadata.namespace' } },
            { path: 'uid', fieldRef: { fieldPath: 'metadata.uid' } },
            { path: 'labels', fieldRef: { fieldPath: 'metadata.labels' } },
            { path: 'tier', fieldRef: { fieldPath: "metadata.labels['tier']" } },
            { path: 'mem', resourceFieldRef: { containerName: 'app', resource: 'limits.memory', divisor: '1Mi' } },
            { path: 'cpu', resourceFieldRef: { containerName: 'app', resource: 'limits.cpu' } },
          ],
        },
      },
    ],
    [],
    { resources: { limits: { memory: '256Mi' } } },
  );
  assert.deepEqual(await e.vm.setUpPod(pod), { ready: true });
  const d = volDir(e, pod, 'kubernetes.io~downward-api', 'info');
  const read = (f: string): Promise<string> => readFile(join(d, f), 'utf8');
  assert.equal(await read('name'), 'p');
  assert.equal(await read('ns'), 'default');
  assert.equal(await read('uid'), pod.metadata.uid);
  assert.equal(await read('labels'), 'app="web"\ntier="front"');
  assert.equal(await read('tier'), 'front');
  assert.equal(await read('mem'), '256');
  assert.equal(await read('cpu'), '4', 'no cpu limit: node allocatable');
  assert.equal((e.host as FakeVolumeHost).tmpfsMounts().length, 1);
});

test('downwardAPI labels follow a label change at the next set-up', async (t) => {
  const e = await env(t);
  const pod = podWithVolumes([
    { name: 'info', downwardAPI: { items: [{ path: 'l', fieldRef: { fieldPath: 'metadata.labels' } }] } },
  ]);
  await e.vm.setUpPod(pod);
  pod.metadata.labels = { app: 'api' };
  await e.vm.setUpPod(pod);
  assert.equal(await readFile(join(volDir(e, pod, 'kubernetes.io~downward-api', 'info'), 'l'), 'utf8'), 'app="api"');
});

test('a projected volume merges configMap, secret and downwardAPI sources', async (t) => {
  const e = await env(t);
  e.configMaps.set('app', { metadata: { name: 'app' }, data: { conf: 'C' } });
  e.secrets.set('creds', { metadata: { name: 'creds' }, data: { pw: Buffer.from('P').toString('base64') } });
  const pod = podWithVolumes([
    {
      name: 'all',
      projected: {
        defaultMode: 0o440,
        sources: [
          { configMap: { name: 'app' } },
          { secret: { name: 'creds', items: [{ key: 'pw', path: 'sec/pw' }] } },
          { downwardAPI: { items: [{ path: 'name', fieldRef: { fieldPath: 'metadata.name' } }] } },
          { configMap: { name: 'missing-but-optional', optional: true } },
        ],
      },
    },
  ]);
  assert.deepEqual(await e.vm.setUpPod(pod), { ready: true });
  const d = volDir(e, pod, 'kubernetes.io~projected', 'all');
  assert.equal(await readFile(join(d, 'conf'), 'utf8'), 'C');
  assert.equal(await readFile(join(d, 'sec/pw'), 'utf8'), 'P');
  assert.equal(await readFile(join(d, 'name'), 'utf8'), 'p');
  assert.equal((await stat(join(d, 'conf'))).mode & 0o777, 0o440);
});

test('a projected volume aggregates the errors of its sources', async (t) => {
  const e = await env(t);
  const pod = podWithVolumes([
    { name: 'all', projected: { sources: [{ configMap: { name: 'a' } }, { secret: { name: 'b' } }] } },
  ]);
  assert.equal((await e.vm.setUpPod(pod)).ready, false);
  assert.deepEqual(e.recorder.lines(), [
    'FailedMount: MountVolume.SetUp failed for volume "all" : [configmap "a" not found, secret "b" not found]',
  ]);
});

test('a projected serviceAccountToken fails the mount with a clear FailedMount (no TokenRequest API)', async (t) => {
  const e = await env(t);
  const pod = podWithVolumes([
    { name: 'tok', projected: { sources: [{ serviceAccountToken: { path: 'token', expirationSeconds: 3600 } }] } },
  ]);
  assert.equal((await e.vm.setUpPod(pod)).ready, false);
  assert.match(
    e.recorder.lines()[0]!,
    /^FailedMount: MountVolume\.SetUp failed for volume "tok" : failed to fetch token: .*TokenRequest/,
  );
});

// ---- hostPath and unsupported ---------------------------------------------------------

test('a hostPath is mounted from the host path itself after its type check', async (t) => {
  const e = await env(t);
  const host = join(e.dir, 'host-data');
  const pod = podWithVolumes(
    [{ name: 'h', hostPath: { path: host, type: 'DirectoryOrCreate' } }],
    [{ name: 'h', mountPath: '/h', readOnly: true, mountPropagation: 'HostToContainer' }],
  );
  assert.deepEqual(await e.vm.setUpPod(pod), { ready: true });
  assert.deepEqual(await mountsOf(e, pod), [
    { containerPath: '/h', hostPath: host, readonly: true, propagation: 'HOST_TO_CONTAINER' },
  ]);
});

test('a hostPath of the wrong type fails with the type-check message', async (t) => {
  const e = await env(t);
  const file = join(e.dir, 'f');
  await writeFile(file, '');
  const r = await e.vm.setUpPod(podWithVolumes([{ name: 'h', hostPath: { path: file, type: 'Directory' } }]));
  assert.equal(r.ready, false);
  assert.deepEqual(e.recorder.lines(), [
    `FailedMount: MountVolume.SetUp failed for volume "h" : hostPath type check failed: ${file} is not a directory, it's a File`,
  ]);
});

test('a volume type podbay has no plugin for fails with FailedMount', async (t) => {
  const e = await env(t);
  const r = await e.vm.setUpPod(podWithVolumes([{ name: 'pvc', persistentVolumeClaim: { claimName: 'c' } }]));
  assert.equal(r.ready, false);
  assert.deepEqual(e.recorder.lines(), [
    'FailedMount: MountVolume.SetUp failed for volume "pvc" : no volume plugin matched',
  ]);
});

// ---- mounts: subPath, readOnly, propagation ------------------------------------------------

test('subPath and subPathExpr mount a path inside the volume (bind target on a mounting host)', async (t) => {
  const e = await env(t);
  const pod = podWithVolumes(
    [{ name: 'data', emptyDir: {} }],
    [
      { name: 'data', mountPath: '/a', subPath: 'logs' },
      { name: 'data', mountPath: '/b', subPathExpr: 'pods/$(POD)' },
    ],
  );
  await e.vm.setUpPod(pod);
  const mounts = await mountsOf(e, pod, { POD: 'p' });
  const podDir = join(e.podsDir, pod.metadata.uid!);
  assert.deepEqual(
    mounts.map((m) => m.hostPath),
    [join(podDir, 'volume-subpaths/data/app/0'), join(podDir, 'volume-subpaths/data/app/1')],
  );
  const vol = volDir(e, pod, 'kubernetes.io~empty-dir', 'data');
  assert.ok((await stat(join(vol, 'logs'))).isDirectory());
  assert.ok((await stat(join(vol, 'pods/p'))).isDirectory());
  const binds = (e.host as FakeVolumeHost).calls.filter((c) => c.op === 'bind');
  assert.equal(binds.length, 2);
  assert.match(binds[0]!.op === 'bind' ? binds[0]!.source : '', /^\/proc\/\d+\/fd\/\d+$/);
  // A container restart reuses the existing bind... only when it is the same file: the fake cannot tell, so it rebinds.
});

test('on the non-mounting host a subPath is the resolved path inside the volume', async (t) => {
  const e = await env(t, new PlainDirVolumeHost());
  const pod = podWithVolumes([{ name: 'data', emptyDir: {} }], [{ name: 'data', mountPath: '/a', subPath: 'x/y' }]);
  await e.vm.setUpPod(pod);
  assert.deepEqual(
    (await mountsOf(e, pod)).map((m) => m.hostPath),
    [join(volDir(e, pod, 'kubernetes.io~empty-dir', 'data'), 'x/y')],
  );
});

const mountErrors: {
  name: string;
  mount: NonNullable<Container['volumeMounts']>[number];
  setup?: (vol: string) => Promise<void>;
  want: string;
}[] = [
  {
    name: 'a subPathExpr with an unset variable',
    mount: { name: 'data', mountPath: '/a', subPathExpr: '$(NOPE)' },
    want: 'missing value for NOPE',
  },
  {
    name: 'a subPath through a symlink to /etc',
    mount: { name: 'data', mountPath: '/a', subPath: 'etc' },
    setup: (vol) => symlink('/etc', join(vol, 'etc')),
    want: 'failed to prepare subPath for volumeMount "data" of container "app"',
  },
  {
    name: 'a subPath with ..',
    mount: { name: 'data', mountPath: '/a', subPath: '../x' },
    want: "unable to provision SubPath `../x`: must not contain '..'",
  },
];
for (const c of mountErrors) {
  test(`${c.name} is a CreateContainerConfigError`, async (t) => {
    const e = await env(t);
    const pod = podWithVolumes([{ name: 'data', emptyDir: {} }], [c.mount]);
    await e.vm.setUpPod(pod);
    await c.setup?.(volDir(e, pod, 'kubernetes.io~empty-dir', 'data'));
    assert.deepEqual(await e.vm.containerMounts(pod, pod.spec.containers[0]!, []), {
      error: { reason: 'CreateContainerConfigError', message: c.want },
    });
  });
}

test('mountPropagation maps to CRI propagation', async (t) => {
  const e = await env(t);
  const pod = podWithVolumes(
    [{ name: 'data', emptyDir: {} }],
    [
      { name: 'data', mountPath: '/none', mountPropagation: 'None' },
      { name: 'data', mountPath: '/h2c', mountPropagation: 'HostToContainer' },
      { name: 'data', mountPath: '/bi', mountPropagation: 'Bidirectional' },
    ],
  );
  await e.vm.setUpPod(pod);
  assert.deepEqual(
    (await mountsOf(e, pod)).map((m) => m.propagation),
    ['PRIVATE', 'HOST_TO_CONTAINER', 'BIDIRECTIONAL'],
  );
});

// ---- teardown ----------------------------------------------------------------------------------

test('teardown unmounts tmpfs volumes and subPath binds, then removes the volume directories', async (t) => {
  const e = await env(t);
  e.secrets.set('creds', { metadata: { name: 'creds' }, data: { k: 'dg==' } });
  const pod = podWithVolumes(
    [
      { name: 'sec', secret: { secretName: 'creds' } },
      { name: 'data', emptyDir: {} },
    ],
    [{ name: 'data', mountPath: '/d', subPath: 'sub' }],
  );
  await e.vm.setUpPod(pod);
  await mountsOf(e, pod);
  const host = e.host as FakeVolumeHost;
  assert.equal(host.mounted.length, 2);
  await e.vm.tearDownPod(pod.metadata.uid!);
  assert.deepEqual(host.mounted, []);
  await assert.rejects(stat(join(e.podsDir, pod.metadata.uid!)), { code: 'ENOENT' });
  assert.deepEqual(e.vm.podUids(), []);
  await e.vm.tearDownPod(pod.metadata.uid!); // idempotent
});

test('teardown never follows a symlink out of a volume nor touches hostPath contents', async (t) => {
  const e = await env(t, new PlainDirVolumeHost());
  const hostDir = join(e.dir, 'host');
  await mkdir(hostDir);
  await writeFile(join(hostDir, 'precious'), 'keep me');
  const pod = podWithVolumes([
    { name: 'h', hostPath: { path: hostDir } },
    { name: 'data', emptyDir: {} },
  ]);
  await e.vm.setUpPod(pod);
  const vol = volDir(e, pod, 'kubernetes.io~empty-dir', 'data');
  await symlink(hostDir, join(vol, 'link-to-host'));
  await mkdir(join(vol, 'nested'));
  await symlink(join(hostDir, 'precious'), join(vol, 'nested', 'file-link'));
  await e.vm.tearDownPod(pod.metadata.uid!);
  assert.equal(await readFile(join(hostDir, 'precious'), 'utf8'), 'keep me');
  await assert.rejects(stat(vol), { code: 'ENOENT' });
});

test('teardown keeps the pod directory while other files (logs) are in it', async (t) => {
  const e = await env(t, new PlainDirVolumeHost());
  const pod = podWithVolumes([{ name: 'data', emptyDir: {} }]);
  await e.vm.setUpPod(pod);
  const podDir = join(e.podsDir, pod.metadata.uid!);
  await mkdir(join(podDir, 'app'));
  await writeFile(join(podDir, 'app', '0.log'), 'log');
  await e.vm.tearDownPod(pod.metadata.uid!);
  assert.deepEqual(await readdir(podDir), ['app']);
});

// ---- emptyDir sizeLimit eviction -------------------------------------------------------------

test('an emptyDir over its sizeLimit evicts the pod once with the eviction manager message', async (t) => {
  const e = await env(t, new PlainDirVolumeHost());
  const pod = podWithVolumes([{ name: 'scratch', emptyDir: { sizeLimit: '1Mi' } }]);
  await e.vm.setUpPod(pod);
  const vol = volDir(e, pod, 'kubernetes.io~empty-dir', 'scratch');
  await writeFile(join(vol, 'small'), Buffer.alloc(100 * 1024));
  await e.vm.housekeeping();
  assert.deepEqual(e.evictions, []);
  await writeFile(join(vol, 'big'), Buffer.alloc(2 * MiB, 1));
  await e.vm.housekeeping();
  assert.deepEqual(e.evictions, [
    { uid: pod.metadata.uid!, message: 'Usage of EmptyDir volume "scratch" exceeds the limit "1Mi". ' },
  ]);
  await e.vm.housekeeping();
  assert.equal(e.evictions.length, 1);
});

test('housekeeping runs on the clock once started', async (t) => {
  const e = await env(t, new PlainDirVolumeHost());
  const pod = podWithVolumes([{ name: 'scratch', emptyDir: { sizeLimit: '1Ki' } }]);
  await e.vm.setUpPod(pod);
  await writeFile(join(volDir(e, pod, 'kubernetes.io~empty-dir', 'scratch'), 'f'), Buffer.alloc(64 * 1024, 1));
  e.vm.start();
  e.clock.step(9_999);
  await e.vm.settle();
  assert.equal(e.evictions.length, 0);
  e.clock.step(1);
  await e.vm.settle();
  assert.equal(e.evictions.length, 1);
});

// ---- orphaned pod directories ------------------------------------------------------------------

test('housekeeping tears down the volumes of pods the agent no longer has, and only those', async (t) => {
  const e = await env(t, new PlainDirVolumeHost());
  const gone = podWithVolumes([{ name: 'data', emptyDir: {} }]);
  const kept = podWithVolumes([{ name: 'data', emptyDir: {} }]);
  await e.vm.setUpPod(gone);
  await e.vm.setUpPod(kept);
  const logsOnly = join(e.podsDir, 'logs-only-uid');
  await mkdir(join(logsOnly, 'app'), { recursive: true });
  // The agent restarts: a new manager that knows nothing, told which pods still exist.
  let active: Set<string> | undefined = undefined;
  const vm2 = new VolumeManager({
    host: e.host,
    podsDir: e.podsDir,
    clock: e.clock,
    recorder: e.recorder,
    activePods: () => active,
  });
  await vm2.housekeeping();
  assert.ok(
    (await stat(join(e.podsDir, gone.metadata.uid!, 'volumes'))).isDirectory(),
    'nothing before the first list',
  );
  active = new Set([kept.metadata.uid!]);
  await vm2.housekeeping();
  await assert.rejects(stat(join(e.podsDir, gone.metadata.uid!)), { code: 'ENOENT' });
  assert.ok((await stat(join(e.podsDir, kept.metadata.uid!, 'volumes'))).isDirectory());
  assert.ok((await stat(join(logsOnly, 'app'))).isDirectory());
});

// ---- fsGroup ----------------------------------------------------------------------------------

test('with fsGroup, an emptyDir is group-writable with setgid and a configMap group-readable', async (t) => {
  const e = await env(t, new PlainDirVolumeHost());
  const gid = process.getgid?.() ?? 0;
  e.configMaps.set('app', { metadata: { name: 'app' }, data: { k: 'v' } });
  const pod = podWithVolumes([
    { name: 'data', emptyDir: {} },
    { name: 'cfg', configMap: { name: 'app', defaultMode: 0o400 } },
  ]);
  pod.spec.securityContext = { fsGroup: gid };
  await e.vm.setUpPod(pod);
  const ed = await stat(volDir(e, pod, 'kubernetes.io~empty-dir', 'data'));
  assert.equal(ed.mode & 0o7777, 0o2777);
  assert.equal(ed.gid, gid);
  const f = await stat(join(volDir(e, pod, 'kubernetes.io~configmap', 'cfg'), 'k'));
  assert.equal(f.mode & 0o7777, 0o440);
  assert.equal(f.gid, gid);
});
