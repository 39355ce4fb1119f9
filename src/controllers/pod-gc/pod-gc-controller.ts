// Pod garbage collection as an API client (pkg/controller/podgc/gc_controller.go): every
// gcCheckPeriod (20 s) plan the pass from the informers' caches (pod-gc-plan.ts), confirm
// missing nodes with a GET after their quarantine, then mark and delete.
import { isStatusError } from '../../api/errors.js';
import type { Node, Pod } from '../../api/types/index.js';
import type { ApiClient } from '../../client/api-client.js';
import { Informer } from '../../client/informer.js';
import type { SharedInformers } from '../../client/shared-informers.js';
import type { Clock, Timer } from '../../lib/clock.js';
import {
  DEFAULT_GC_PERIOD_MS,
  DEFAULT_TERMINATED_POD_GC_THRESHOLD,
  ORPHAN_QUARANTINE_MS,
  missingNodes,
  planPodGc,
} from './pod-gc-plan.js';
import type { GcAction } from './pod-gc-plan.js';

/** The field manager upstream's status writes use. */
export const POD_GC_FIELD_MANAGER = 'PodGC';

export interface PodGcOptions {
  client: ApiClient;
  clock: Clock;
  /** --terminated-pod-gc-threshold (default 12500; ≤ 0 disables). */
  terminatedPodThreshold?: number;
  periodMs?: number;
  quarantineMs?: number;
  onError?: (e: unknown) => void;
  /** Told about every pod removed (for logs and tests). */
  onDeleted?: (action: GcAction) => void;
  /** Informers shared with other components in the process; default: its own. */
  informers?: SharedInformers;
}

export interface PodGcHandle {
  stop(): Promise<void>;
  /** Runs one pass now and resolves when its writes are done. */
  runOnce(): Promise<void>;
}

export async function startPodGC(opts: PodGcOptions): Promise<PodGcHandle> {
  const { client, clock } = opts;
  const threshold = opts.terminatedPodThreshold ?? DEFAULT_TERMINATED_POD_GC_THRESHOLD;
  const periodMs = opts.periodMs ?? DEFAULT_GC_PERIOD_MS;
  const quarantineMs = opts.quarantineMs ?? ORPHAN_QUARANTINE_MS;
  const onError = opts.onError ?? (() => {});
  const shared = opts.informers;
  const pods = shared ? shared.pods() : new Informer<Pod>(client.pods, { clock, onError });
  const nodes = shared ? shared.nodes() : new Informer<Node>(client.nodes, { clock, onError });
  /** Node name → when a pod bound to it was first seen without the node. */
  const missingSince = new Map<string, number>();
  let stopped = false;
  let timer: Timer | undefined;
  let running: Promise<void> | undefined;

  async function confirmDeleted(now: number, nodeMap: Map<string, Node>, podList: Pod[]): Promise<Set<string>> {
    const missing = missingNodes(podList, nodeMap);
    for (const n of [...missingSince.keys()]) {
      if (!missing.has(n)) {
        missingSince.delete(n);
      }
    }
    const deleted = new Set<string>();
    for (const n of missing) {
      const since = missingSince.get(n);
      if (since === undefined) {
        missingSince.set(n, now);
        continue;
      }
      if (now - since < quarantineMs) {
        continue;
      }
      // discoverDeletedNodes: the informer may lag; ask the API before deleting anything.
      try {
        await client.nodes.get(undefined, n);
        missingSince.delete(n);
      } catch (e) {
        if (isStatusError(e, 'NotFound')) {
          deleted.add(n);
        } else {
          onError(e);
        }
      }
    }
    return deleted;
  }

  async function execute(a: GcAction): Promise<void> {
    const ns = a.pod.metadata.namespace;
    const name = a.pod.metadata.name!;
    try {
      if (a.markFailed) {
        // markFailedAndDeletePodWithCondition: Failed first, so an orphan does not stay
        // Running forever with no kubelet to finish it.
        await client.pods.patch(
          ns,
          name,
          'strategic',
          { status: { phase: 'Failed', ...(a.condition ? { conditions: [a.condition] } : {}) } },
          { subresource: 'status', fieldManager: POD_GC_FIELD_MANAGER },
        );
      }
      await client.pods.delete(ns, name, { gracePeriodSeconds: 0 });
      opts.onDeleted?.(a);
    } catch (e) {
      if (!isStatusError(e, 'NotFound')) {
        onError(e);
      }
    }
  }

  async function pass(): Promise<void> {
    const now = clock.now();
    const podList = pods.list();
    const nodeMap = new Map(nodes.list().map((n) => [n.metadata.name!, n]));
    const deletedNodes = await confirmDeleted(now, nodeMap, podList);
    const actions = planPodGc({
      pods: podList,
      nodes: nodeMap,
      deletedNodes,
      nowMs: now,
      terminatedThreshold: threshold,
    });
    // Upstream deletes in parallel (workqueue.ParallelizeUntil, 20 workers); 20 at a time here too.
    for (let i = 0; i < actions.length && !stopped; i += 20) {
      await Promise.all(actions.slice(i, i + 20).map(execute));
    }
  }

  function runOnce(): Promise<void> {
    if (!running) {
      running = pass().finally(() => {
        running = undefined;
      });
    }
    return running;
  }

  function schedule(): void {
    timer = clock.setTimer(periodMs, () => {
      void runOnce().finally(() => {
        if (!stopped) {
          schedule();
        }
      });
    });
  }

  await Promise.all([pods.start(), nodes.start()]);
  schedule();

  return {
    async stop() {
      stopped = true;
      timer?.cancel();
      if (!shared) {
        await Promise.all([pods.stop(), nodes.stop()]);
      }
      await running;
    },
    runOnce,
  };
}
