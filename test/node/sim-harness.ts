// Whole-lifecycle harness on the sim runtime (STYLE.md §11 tier 2): SimRuntime,
// the real ProberManager, PodWorkers and StatusManager, a FakeStatusSink for
// pods/status and a FakeRecorder for events, all on one FakeClock.
import type { Pod, PodStatus } from '../../src/api/types/index.js';
import { FakeClock } from '../../src/lib/testing/fake-clock.js';
import { PodWorkers } from '../../src/node/podworker/pod-workers.js';
import { ProberManager } from '../../src/node/prober/prober-manager.js';
import { StatusManager } from '../../src/node/status/status-manager.js';
import { FakeRecorder } from '../../src/node/testing/fake-recorder.js';
import { FakeStatusSink } from '../../src/node/testing/fake-status-sink.js';
import { podWith, T0 } from '../../src/node/testing/builders.js';
import type { PodWithOptions } from '../../src/node/testing/builders.js';
import { SimRuntime } from '../../src/runtime/sim/sim-runtime.js';

export interface SimHarness {
  clock: FakeClock;
  runtime: SimRuntime;
  sink: FakeStatusSink;
  recorder: FakeRecorder;
  workers: PodWorkers;
  prober: ProberManager;
  /** Creates the pod in the sink, hands it to the workers and settles. */
  add(o?: PodWithOptions, mutate?: (p: Pod) => void): Promise<Pod>;
  /** Steps the clock by ms in 1 s steps (as a PLEG would see it), settling after each. */
  run(ms: number): Promise<void>;
  status(name?: string): PodStatus;
  /** Marks the pod deleted now (as the API server does) and hands it to the workers. */
  del(pod: Pod, graceSeconds?: number): Promise<Pod>;
}

export function simHarness(): SimHarness {
  const clock = new FakeClock(T0);
  const runtime = new SimRuntime({ clock, preloadedImages: ['busybox:1.36'] });
  const sink = new FakeStatusSink();
  const recorder = new FakeRecorder();
  const statusManager = new StatusManager({ sink, clock });
  const ref: { workers?: PodWorkers } = {};
  const prober = new ProberManager({
    runtime,
    clock,
    recorder,
    onResult: (uid) => ref.workers?.wake(uid),
    random: () => 0,
  });
  const w = new PodWorkers({
    runtime,
    clock,
    statusManager,
    recorder,
    prober,
    nodeName: 'node-1',
    hostIPs: ['10.0.0.10'],
  });
  ref.workers = w;
  const settle = async (): Promise<void> => {
    await w.settle();
    await prober.settle();
    await w.settle();
  };
  return {
    clock,
    runtime,
    sink,
    recorder,
    workers: w,
    prober,
    async add(o = {}, mutate) {
      const pod = podWith(o);
      mutate?.(pod);
      sink.add(pod);
      w.updatePod(pod);
      await settle();
      // Runs what is due at once (sim containers that exit "at once" do so on the next clock turn).
      clock.step(0);
      await settle();
      return pod;
    },
    async run(ms) {
      if (ms === 0) {
        clock.step(0);
        await settle();
      }
      for (let t = 0; t < ms; t += 1000) {
        clock.step(Math.min(1000, ms - t));
        await settle();
      }
    },
    status(name = 'p') {
      // The last status written (the object may be gone once deleted).
      return sink.writes.filter((x) => x.key === `default/${name}`).at(-1)?.status ?? {};
    },
    async del(pod, graceSeconds) {
      const grace = graceSeconds ?? pod.spec.terminationGracePeriodSeconds ?? 30;
      const deleting: Pod = {
        ...pod,
        metadata: {
          ...pod.metadata,
          deletionTimestamp: new Date(clock.now() + grace * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z'),
          deletionGracePeriodSeconds: grace,
        },
      };
      const cur = sink.pods.get(`${pod.metadata.namespace}/${pod.metadata.name}`);
      if (cur) {
        sink.pods.set(`${pod.metadata.namespace}/${pod.metadata.name}`, { ...cur, metadata: deleting.metadata });
      }
      w.updatePod(deleting);
      await settle();
      return deleting;
    },
  };
}
