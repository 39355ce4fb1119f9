// The node agent, composed (kubelet.go#NewMainKubelet + Run, trimmed):
//
//   apiserver ──watch pods (spec.nodeName=<node>)──► informer ──► PodWorkers ──► Runtime
//        ▲                                                  ▲  ▲        │
//        │ pods/status (only writer)                        │  │        │ container events
//   StatusManager ◄── generated status ─────────────────────┘  │        ▼
//        │ delete (grace 0, UID) once terminated              PLEG: runtime events + relist
//   node registration + Lease ("node")          prober results ┘ (ProberManager, "node")
//
// Everything runs on the injected Clock; settle() is the test hook that waits
// until every loop is idle or waits only on the clock.
import type { Pod, ResourceList } from '../api/types/index.js';
import type { ApiClient } from '../client/api-client.js';
import { EventRecorder } from '../client/event-recorder.js';
import { Informer } from '../client/informer.js';
import type { Clock } from '../lib/clock.js';
import type { Runtime } from '../runtime/runtime.js';
import { PodWorkers } from './podworker/pod-workers.js';
import { startPleg } from './podworker/pleg.js';
export { PLEG_RELIST_PERIOD_MS } from './podworker/pleg.js';
import { ProberManager } from './prober/prober-manager.js';
import type { EventRecorderLike } from './prober/event-recorder-like.js';
import { startNodeRegistration } from './registration/node-registration.js';
import type { NodeRegistration, NodeRegistrationOptions } from './registration/node-registration.js';
import { StatusManager } from './status/status-manager.js';
import type { StatusSink } from './status/status-manager.js';
import { VolumeManager } from './volumes/volume-manager.js';
import type { VolumeHost } from './volumes/volume-host.js';

export interface NodeAgentOptions {
  client: ApiClient;
  runtime: Runtime;
  clock: Clock;
  nodeName: string;
  /** The node's IPs, primary first (status.hostIP(s), and podIPs of hostNetwork pods). Default ['127.0.0.1']. */
  hostIPs?: string[];
  /** Scheme of containerIDs in pod status (`sim`, `containerd`). Default 'sim'. */
  runtimeType?: string;
  /** `<data-dir>/pods`. */
  logRoot?: string;
  /**
   * Mounts for pod volumes: LinuxVolumeHost (root, real runtime) or
   * PlainDirVolumeHost (sim runtime as a normal user). Without it the agent
   * sets up no volumes and containers get no mounts.
   */
  volumeHost?: VolumeHost;
  /** Where pod volumes live: `<podsDir>/<uid>/volumes/…` (default logRoot, i.e. `<data-dir>/pods`). */
  podsDir?: string;
  /** Node allocatable (memory sizes memory-backed volumes; downward API limits default to it). */
  nodeAllocatable?: ResourceList;
  /** Register the Node and keep its Lease (default true). Extra options go to startNodeRegistration. */
  register?: boolean | Partial<Omit<NodeRegistrationOptions, 'client' | 'clock' | 'nodeName' | 'runtime'>>;
  /** Events go here (default: an EventRecorder on the client, component kubelet). */
  recorder?: EventRecorderLike;
  plegRelistPeriodMs?: number;
  /** The prober's jitter source for first probes after start (tests pass () => 0). */
  random?: () => number;
  /** Errors the loops recover from (failed writes, syncs); for logs and tests. */
  onError?(e: unknown): void;
}

export interface NodeAgent {
  readonly workers: PodWorkers;
  readonly statusManager: StatusManager;
  readonly prober: ProberManager;
  readonly registration: NodeRegistration | undefined;
  readonly volumes: VolumeManager | undefined;
  /** Resolves once the pod informer has listed. */
  readonly ready: Promise<void>;
  /** Waits until workers, status writes, probes and events are idle (or wait only on the clock). */
  settle(): Promise<void>;
  stop(): Promise<void>;
}

export function startNodeAgent(opts: NodeAgentOptions): NodeAgent {
  const { client, clock, nodeName } = opts;
  const onError = (e: unknown): void => opts.onError?.(e);
  const eventRecorder =
    opts.recorder === undefined
      ? new EventRecorder({ client, clock, component: 'kubelet', host: nodeName, onError })
      : undefined;
  const recorder: EventRecorderLike = opts.recorder ?? eventRecorder!;
  const sink: StatusSink = {
    get: (ns, name) => client.pods.get(ns, name),
    updateStatus: (pod) => client.pods.updateStatus(pod),
    delete: (ns, name, o) => client.pods.delete(ns, name, o),
  };
  const statusManager = new StatusManager({ sink, clock, onError });
  // The prober wakes the workers, which hold the prober: a reference closes the loop.
  const workersRef: { current?: PodWorkers } = {};
  const podsDir = opts.podsDir ?? opts.logRoot;
  let listed = false;
  const volumes =
    opts.volumeHost && podsDir
      ? new VolumeManager({
          host: opts.volumeHost,
          podsDir,
          clock,
          recorder,
          lookups: {
            configMap: (ns, name) => client.configMaps.get(ns, name),
            secret: (ns, name) => client.secrets.get(ns, name),
          },
          ...(opts.nodeAllocatable ? { nodeAllocatable: opts.nodeAllocatable } : {}),
          onEvict: (uid, message) => workersRef.current?.evictPod(uid, message),
          // Orphans (pods deleted while the agent was down) only once the informer has listed.
          activePods: () => (listed && workersRef.current ? new Set(workersRef.current.podUids()) : undefined),
          onError,
        })
      : undefined;
  const prober = new ProberManager({
    runtime: opts.runtime,
    clock,
    recorder,
    onResult: (uid) => workersRef.current?.wake(uid),
    ...(opts.random ? { random: opts.random } : {}),
  });
  const w = new PodWorkers({
    runtime: opts.runtime,
    clock,
    statusManager,
    recorder,
    nodeName,
    prober: prober,
    lookups: {
      configMap: (ns, name) => client.configMaps.get(ns, name),
      secret: (ns, name) => client.secrets.get(ns, name),
    },
    hostIPs: opts.hostIPs ?? ['127.0.0.1'],
    runtimeType: opts.runtimeType ?? 'sim',
    logRoot: opts.logRoot,
    ...(volumes ? { volumes } : {}),
    onError: (e) => onError(e),
  });
  workersRef.current = w;
  volumes?.start();

  const informer = new Informer<Pod>(client.pods, { clock, fieldSelector: `spec.nodeName=${nodeName}`, onError });
  informer.addHandlers({
    onAdd: (pod) => w.updatePod(pod),
    onUpdate: (old, pod) => {
      // Someone else rewrote what this node owns (e.g. phase Unknown while it was unreachable): ours wins again.
      statusManager.reconcile(pod);
      // A status-only change (most often our own write coming back) needs no sync
      // (pkg/kubelet/config/config.go#checkAndUpdatePod).
      // A terminal phase set by someone else (eviction) is taken over by a sync.
      const evicted = pod.status?.phase === 'Failed' || pod.status?.phase === 'Succeeded';
      if (evicted || !onlyStatusChanged(old, pod)) {
        w.updatePod(pod);
      }
    },
    onDelete: (pod) => w.removePod(pod),
  });
  const ready = informer.start();
  ready.then(
    () => {
      listed = true;
    },
    () => undefined,
  );

  // The relist half of the PLEG; the event half is inside PodWorkers.
  const pleg = startPleg({
    runtime: opts.runtime,
    clock,
    periodMs: opts.plegRelistPeriodMs,
    onPodChanged: (uid) => w.wake(uid),
    onError,
  });

  let registration: NodeRegistration | undefined;
  if (opts.register !== false) {
    const extra = typeof opts.register === 'object' ? opts.register : {};
    registration = startNodeRegistration({
      client,
      clock,
      nodeName,
      runtime: opts.runtime,
      recorder,
      onError,
      ...extra,
    });
  }

  return {
    workers: w,
    statusManager,
    prober,
    registration,
    volumes,
    ready,
    async settle() {
      for (let i = 0; i < 3; i++) {
        await w.settle();
        await prober.settle();
        await eventRecorder?.flush();
        await registration?.idle();
        await volumes?.settle();
      }
      await w.settle();
    },
    async stop() {
      pleg.stop();
      volumes?.stop();
      w.stop();
      statusManager.stop();
      registration?.stop();
      for (const uid of w.podUids()) {
        prober.removePod(uid);
      }
      await informer.stop();
      await eventRecorder?.flush();
    },
  };
}

function onlyStatusChanged(a: Pod, b: Pod): boolean {
  const m = (p: Pod): string =>
    JSON.stringify([
      p.metadata.uid,
      p.metadata.labels ?? {},
      p.metadata.annotations ?? {},
      p.metadata.deletionTimestamp ?? null,
      p.metadata.deletionGracePeriodSeconds ?? null,
      p.spec,
    ]);
  return m(a) === m(b);
}
