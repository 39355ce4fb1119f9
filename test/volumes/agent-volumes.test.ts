// The agent's volume wiring end to end, against the real in-process apiserver
// (MemoryStore on 127.0.0.1) with the sim runtime and the non-mounting host:
// ConfigMaps come through the API client, FailedMount reaches the API as an
// event, a ConfigMap edit reaches the files, and deletion removes the volumes.
// Lifecycle time is a FakeClock; only API I/O is awaited with `eventually`.
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import type { Pod } from '../../src/api/types/index.js';
import { startNodeAgent } from '../../src/node/agent.js';
import type { NodeAgent } from '../../src/node/agent.js';
import { PlainDirVolumeHost } from '../../src/node/volumes/plain-dir-volume-host.js';
import { REMOUNT_PERIOD_MS } from '../../src/node/volumes/volume-manager.js';
import { SimRuntime } from '../../src/runtime/sim/sim-runtime.js';
import { eventually, startHarness } from '../control/harness.js';
import type { Harness } from '../control/harness.js';

async function start(t: {
  after(fn: () => Promise<void>): void;
}): Promise<{ h: Harness; agent: NodeAgent; podsDir: string }> {
  const dataDir = await mkdtemp(join(tmpdir(), 'podbay-agentvol-'));
  const h = await startHarness();
  const runtime = new SimRuntime({ clock: h.clock, preloadedImages: ['busybox:1.36'], nodeIp: '127.0.0.1' });
  const podsDir = join(dataDir, 'pods');
  const agent = startNodeAgent({
    client: h.client,
    runtime,
    clock: h.clock,
    nodeName: 'node-a',
    random: () => 0,
    logRoot: podsDir,
    volumeHost: new PlainDirVolumeHost(),
    onError: (e) => h.errors.push(e),
  });
  t.after(async () => {
    await agent.stop();
    await h.close();
    await rm(dataDir, { recursive: true, force: true });
  });
  await agent.ready;
  return { h, agent, podsDir };
}

async function tick(a: NodeAgent, h: Harness, ms = 0): Promise<void> {
  h.clock.step(ms);
  await a.settle();
}

function podWithConfig(): Pod {
  return {
    metadata: { name: 'web', namespace: 'default' },
    spec: {
      nodeName: 'node-a',
      containers: [{ name: 'app', image: 'busybox:1.36', volumeMounts: [{ name: 'cfg', mountPath: '/etc/app' }] }],
      volumes: [{ name: 'cfg', configMap: { name: 'web-config' } }],
    },
  };
}

test('a pod waits for its ConfigMap (FailedMount in the API), runs once it exists and sees its edits', async (t) => {
  const { h, agent, podsDir } = await start(t);
  const created = await h.client.pods.create('default', podWithConfig());
  const failed = await eventually(async () => {
    await tick(agent, h);
    const evs = (await h.client.events.list('default')).items.filter((e) => e.reason === 'FailedMount');
    return evs[0];
  }, 'a FailedMount event');
  assert.equal(failed.message, 'MountVolume.SetUp failed for volume "cfg" : configmap "web-config" not found');
  assert.equal(failed.type, 'Warning');
  const pending = await h.client.pods.get('default', 'web');
  assert.equal(pending.status?.phase, 'Pending');
  assert.equal(pending.status?.containerStatuses?.[0]?.state?.waiting?.reason, 'ContainerCreating');

  await h.client.configMaps.create('default', {
    metadata: { name: 'web-config', namespace: 'default' },
    data: { 'app.conf': 'v=1' },
  });
  await eventually(async () => {
    await tick(agent, h, 1_000);
    return (await h.client.pods.get('default', 'web')).status?.phase === 'Running';
  }, 'web Running');
  const file = join(podsDir, created.metadata.uid!, 'volumes', 'kubernetes.io~configmap', 'cfg', 'app.conf');
  assert.equal(await readFile(file, 'utf8'), 'v=1');

  const cm = await h.client.configMaps.get('default', 'web-config');
  await h.client.configMaps.update({ ...cm, data: { 'app.conf': 'v=2' } });
  await eventually(async () => {
    await tick(agent, h, REMOUNT_PERIOD_MS / 6);
    return (await readFile(file, 'utf8')) === 'v=2';
  }, 'the edit in the file');

  await h.client.pods.delete('default', 'web', { gracePeriodSeconds: 0 });
  await eventually(async () => {
    await tick(agent, h, 1_000);
    return stat(join(podsDir, created.metadata.uid!, 'volumes')).then(
      () => false,
      () => true,
    );
  }, 'the volumes removed');
});
