// The pod worker on the sim runtime with a real VolumeManager over a temp data
// dir and the non-mounting host (no root): how volumes look from the pod's
// status, its events and the runtime's ContainerConfig. FakeClock throughout.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { newNotFound } from '../../src/api/errors.js';
import type { ConfigMap, Pod, PodStatus, Secret } from '../../src/api/types/index.js';
import { FakeClock } from '../../src/lib/testing/fake-clock.js';
import { PodWorkers } from '../../src/node/podworker/pod-workers.js';
import { StatusManager } from '../../src/node/status/status-manager.js';
import { FakeRecorder } from '../../src/node/testing/fake-recorder.js';
import { FakeStatusSink } from '../../src/node/testing/fake-status-sink.js';
import { T0 } from '../../src/node/testing/builders.js';
import { PlainDirVolumeHost } from '../../src/node/volumes/plain-dir-volume-host.js';
import type { VolumeHost } from '../../src/node/volumes/volume-host.js';
import { VolumeManager } from '../../src/node/volumes/volume-manager.js';
import type { Mount } from '../../src/runtime/runtime.js';
import { SimRuntime } from '../../src/runtime/sim/sim-runtime.js';

export interface VolumeHarness {
  dataDir: string;
  podsDir: string;
  clock: FakeClock;
  runtime: SimRuntime;
  sink: FakeStatusSink;
  recorder: FakeRecorder;
  workers: PodWorkers;
  volumes: VolumeManager;
  configMaps: Map<string, ConfigMap>;
  secrets: Map<string, Secret>;
  add(pod: Pod): Promise<Pod>;
  /** Steps the clock by ms in 1 s steps, settling after each. */
  run(ms: number): Promise<void>;
  settle(): Promise<void>;
  status(name?: string): PodStatus;
  /** Mounts of the newest container instance with this name, as the runtime got them. */
  mountsOf(container: string): Promise<Mount[] | undefined>;
  /** The pod is deleted from the API (after it terminated): removePod. */
  remove(pod: Pod): Promise<void>;
}

export async function volumeHarness(
  t: { after(fn: () => Promise<void>): void },
  host: VolumeHost = new PlainDirVolumeHost(),
): Promise<VolumeHarness> {
  const dataDir = await mkdtemp(join(tmpdir(), 'podbay-voltest-'));
  const podsDir = join(dataDir, 'pods');
  const clock = new FakeClock(T0);
  const runtime = new SimRuntime({ clock, preloadedImages: ['busybox:1.36'] });
  const sink = new FakeStatusSink();
  const recorder = new FakeRecorder();
  const statusManager = new StatusManager({ sink, clock });
  const configMaps = new Map<string, ConfigMap>();
  const secrets = new Map<string, Secret>();
  const ref: { workers?: PodWorkers } = {};
  const volumes = new VolumeManager({
    host,
    podsDir,
    clock,
    recorder,
    nodeAllocatable: { memory: '4Gi', cpu: '2' },
    lookups: {
      configMap: async (_ns, name) => {
        const cm = configMaps.get(name);
        if (!cm) {
          throw newNotFound('configmaps', name);
        }
        return structuredClone(cm);
      },
      secret: async (_ns, name) => structuredClone(secrets.get(name)),
    },
    onEvict: (uid, message) => ref.workers?.evictPod(uid, message),
  });
  const workers = new PodWorkers({
    runtime,
    clock,
    statusManager,
    recorder,
    nodeName: 'node-1',
    hostIPs: ['10.0.0.10'],
    logRoot: podsDir,
    volumes,
  });
  ref.workers = workers;
  volumes.start();
  t.after(async () => {
    volumes.stop();
    workers.stop();
    await rm(dataDir, { recursive: true, force: true });
  });
  const settle = async (): Promise<void> => {
    for (let i = 0; i < 3; i++) {
      await workers.settle();
      await volumes.settle();
    }
  };
  return {
    dataDir,
    podsDir,
    clock,
    runtime,
    sink,
    recorder,
    workers,
    volumes,
    configMaps,
    secrets,
    settle,
    async add(pod) {
      sink.add(pod);
      workers.updatePod(pod);
      await settle();
      clock.step(0);
      await settle();
      return pod;
    },
    async run(ms) {
      for (let s = 0; s < ms; s += 1000) {
        clock.step(Math.min(1000, ms - s));
        await settle();
      }
    },
    status(name = 'p') {
      return sink.writes.filter((x) => x.key === `default/${name}`).at(-1)?.status ?? {};
    },
    async mountsOf(container) {
      const list = await runtime.listContainers({});
      const mine = list.filter((c) => c.metadata.name === container).sort((a, b) => b.createdAt - a.createdAt);
      const c = mine[0];
      return c ? (await runtime.containerStatus(c.id)).mounts : undefined;
    },
    async remove(pod) {
      workers.removePod(pod);
      await settle();
    },
  };
}
