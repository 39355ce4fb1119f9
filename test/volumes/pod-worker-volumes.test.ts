// Volumes through the pod worker on the sim runtime (no root): what a user
// sees in status and events (kubelet.go#SyncPod waits for volumes before
// creating anything; kubelet_pods.go#makeMounts errors are
// CreateContainerConfigError; the eviction manager fails a pod whose emptyDir
// outgrows its sizeLimit) and what the runtime receives as CRI mounts.
import assert from 'node:assert/strict';
import { Buffer } from 'node:buffer';
import { readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import type { Pod, Volume, VolumeMount } from '../../src/api/types/index.js';
import { podWith } from '../../src/node/testing/builders.js';
import { volumeHarness } from './volume-sim-harness.js';

function podWithVolumes(
  volumes: Volume[],
  volumeMounts: VolumeMount[],
  restartPolicy: Pod['spec']['restartPolicy'] = 'Always',
): Pod {
  const pod = podWith({
    restartPolicy,
    containers: [{ name: 'app', image: 'busybox:1.36', volumeMounts }],
  });
  pod.spec.volumes = volumes;
  return pod;
}

test('a missing ConfigMap gives FailedMount and keeps the pod ContainerCreating until it appears', async (t) => {
  const h = await volumeHarness(t);
  const pod = await h.add(
    podWithVolumes([{ name: 'cfg', configMap: { name: 'app-config' } }], [{ name: 'cfg', mountPath: '/etc/app' }]),
  );
  assert.deepEqual(h.recorder.lines(), [
    'FailedMount: MountVolume.SetUp failed for volume "cfg" : configmap "app-config" not found',
  ]);
  const s = h.status();
  assert.equal(s.phase, 'Pending');
  assert.deepEqual(s.containerStatuses?.[0]?.state, { waiting: { reason: 'ContainerCreating' } });
  assert.deepEqual(await h.runtime.listPodSandboxes(), [], 'no sandbox before the volumes are ready');

  // Retries back off (0.5 s, 1 s, 2 s, …): each attempt is one more FailedMount.
  await h.run(3_000);
  assert.ok(h.recorder.lines().length >= 3);
  assert.equal(h.status().phase, 'Pending');

  h.configMaps.set('app-config', {
    metadata: { name: 'app-config', namespace: 'default' },
    data: { 'app.conf': 'x=1' },
  });
  await h.run(5_000);
  assert.equal(h.status().phase, 'Running');
  const mounts = await h.mountsOf('app');
  const dir = join(h.podsDir, pod.metadata.uid!, 'volumes', 'kubernetes.io~configmap', 'cfg');
  assert.deepEqual(mounts, [{ containerPath: '/etc/app', hostPath: dir, readonly: true, propagation: 'PRIVATE' }]);
  assert.equal(await readFile(join(dir, 'app.conf'), 'utf8'), 'x=1');
});

test('every volumeMount reaches the runtime ContainerConfig as a CRI Mount', async (t) => {
  const h = await volumeHarness(t);
  h.secrets.set('creds', { metadata: { name: 'creds' }, data: { token: Buffer.from('t0k').toString('base64') } });
  const pod = podWithVolumes(
    [
      { name: 'data', emptyDir: {} },
      { name: 'sec', secret: { secretName: 'creds' } },
      { name: 'info', downwardAPI: { items: [{ path: 'name', fieldRef: { fieldPath: 'metadata.name' } }] } },
    ],
    [
      { name: 'data', mountPath: '/data' },
      { name: 'data', mountPath: '/logs', subPath: 'logs', readOnly: true },
      { name: 'sec', mountPath: '/var/run/secrets/app' },
      { name: 'info', mountPath: '/etc/podinfo', mountPropagation: 'HostToContainer' },
    ],
  );
  await h.add(pod);
  assert.equal(h.status().phase, 'Running');
  const vol = (plugin: string, name: string): string => join(h.podsDir, pod.metadata.uid!, 'volumes', plugin, name);
  assert.deepEqual(await h.mountsOf('app'), [
    {
      containerPath: '/data',
      hostPath: vol('kubernetes.io~empty-dir', 'data'),
      readonly: false,
      propagation: 'PRIVATE',
    },
    {
      containerPath: '/logs',
      hostPath: join(vol('kubernetes.io~empty-dir', 'data'), 'logs'),
      readonly: true,
      propagation: 'PRIVATE',
    },
    {
      containerPath: '/var/run/secrets/app',
      hostPath: vol('kubernetes.io~secret', 'sec'),
      readonly: true,
      propagation: 'PRIVATE',
    },
    {
      containerPath: '/etc/podinfo',
      hostPath: vol('kubernetes.io~downward-api', 'info'),
      readonly: true,
      propagation: 'HOST_TO_CONTAINER',
    },
  ]);
  assert.equal(await readFile(join(vol('kubernetes.io~secret', 'sec'), 'token'), 'utf8'), 't0k');
});

test('a subPathExpr with an unset variable leaves the container waiting with CreateContainerConfigError', async (t) => {
  const h = await volumeHarness(t);
  await h.add(
    podWithVolumes([{ name: 'data', emptyDir: {} }], [{ name: 'data', mountPath: '/d', subPathExpr: '$(POD_NAME)' }]),
  );
  const s = h.status();
  assert.deepEqual(s.containerStatuses?.[0]?.state, {
    waiting: { reason: 'CreateContainerConfigError', message: 'missing value for POD_NAME' },
  });
  assert.ok(h.recorder.lines().includes('Failed: Error: missing value for POD_NAME'));
});

test('subPathExpr takes its variables from the container env (downward API included)', async (t) => {
  const h = await volumeHarness(t);
  const pod = podWithVolumes(
    [{ name: 'data', emptyDir: {} }],
    [{ name: 'data', mountPath: '/d', subPathExpr: 'pods/$(POD_NAME)' }],
  );
  pod.spec.containers[0]!.env = [{ name: 'POD_NAME', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } }];
  await h.add(pod);
  const [m] = (await h.mountsOf('app')) ?? [];
  assert.equal(
    m?.hostPath,
    join(h.podsDir, pod.metadata.uid!, 'volumes', 'kubernetes.io~empty-dir', 'data', 'pods', 'p'),
  );
});

test('a subPath through a symlink out of the volume is refused with CreateContainerConfigError', async (t) => {
  const h = await volumeHarness(t);
  const { symlink } = await import('node:fs/promises');
  const pod = podWithVolumes([{ name: 'data', emptyDir: {} }], [{ name: 'data', mountPath: '/d', subPath: 'escape' }]);
  // The volume exists before the container starts: set it up, plant the link, then sync.
  await h.volumes.setUpPod(pod);
  await symlink('/etc', join(h.podsDir, pod.metadata.uid!, 'volumes', 'kubernetes.io~empty-dir', 'data', 'escape'));
  await h.add(pod);
  assert.deepEqual(h.status().containerStatuses?.[0]?.state, {
    waiting: {
      reason: 'CreateContainerConfigError',
      message: 'failed to prepare subPath for volumeMount "data" of container "app"',
    },
  });
  assert.equal(await h.mountsOf('app'), undefined);
});

test('the volumes of a terminated pod are torn down, its logs directory kept until it is removed', async (t) => {
  const h = await volumeHarness(t);
  const pod = podWithVolumes([{ name: 'data', emptyDir: {} }], [{ name: 'data', mountPath: '/d' }], 'Never');
  pod.metadata.annotations = { 'sim.podbay.io/run-seconds.app': '2' };
  await h.add(pod);
  const volumesDir = join(h.podsDir, pod.metadata.uid!, 'volumes');
  assert.ok((await stat(volumesDir)).isDirectory());
  await h.run(3_000);
  assert.equal(h.status().phase, 'Succeeded');
  await assert.rejects(stat(volumesDir), { code: 'ENOENT' });
  await h.remove(pod);
  await assert.rejects(stat(volumesDir), { code: 'ENOENT' });
});

test('an emptyDir over its sizeLimit evicts the pod: Failed, reason Evicted, and an Evicted event', async (t) => {
  const h = await volumeHarness(t);
  const pod = podWithVolumes(
    [{ name: 'scratch', emptyDir: { sizeLimit: '1Mi' } }],
    [{ name: 'scratch', mountPath: '/s' }],
  );
  await h.add(pod);
  assert.equal(h.status().phase, 'Running');
  const dir = join(h.podsDir, pod.metadata.uid!, 'volumes', 'kubernetes.io~empty-dir', 'scratch');
  await writeFile(join(dir, 'fill'), Buffer.alloc(3 * 1024 * 1024, 7));
  await h.run(10_000);
  await h.run(2_000);
  const message = 'Usage of EmptyDir volume "scratch" exceeds the limit "1Mi". ';
  const s = h.status();
  assert.equal(s.phase, 'Failed');
  assert.equal(s.reason, 'Evicted');
  assert.equal(s.message, message);
  assert.ok(h.recorder.lines().includes(`Evicted: ${message}`));
});
