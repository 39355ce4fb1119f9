// The scheduler loop (pkg/scheduler/scheduler.go + schedule_one.go): informers on pods and
// nodes feed a cache and a queue; one scheduling cycle at a time pops a pod, runs the
// filters and the score over the cache, assumes the pod on the chosen node and binds it
// through pods/binding in the background (the binding cycle), so the next cycle can start.
//
//   pod informer ─┬─ unbound, ours ──► SchedulingQueue ──pop──► schedulePod(cache)
//                 └─ bound ──────────► SchedulerCache ◄─assume─┤  ok: bind → Scheduled event
//   node informer ───────────────────► SchedulerCache          └─ no fit: PodScheduled=False,
//                                      (+ wake parked pods)       FailedScheduling, park/back off
import { isStatusError } from '../api/errors.js';
import type { Node, Pod } from '../api/types/index.js';
import type { ApiClient } from '../client/api-client.js';
import { EventRecorder } from '../client/event-recorder.js';
import { Informer, objectKey } from '../client/informer.js';
import type { SharedInformers } from '../client/shared-informers.js';
import type { Clock } from '../lib/clock.js';
import { REASON_SCHEDULER_ERROR, REASON_UNSCHEDULABLE, computePodScheduledFalse } from './pod-scheduled-condition.js';
import { holdsNodeResources } from './node-info.js';
import { SchedulerCache } from './scheduler-cache.js';
import { schedulePod } from './schedule-pod.js';
import { SchedulingQueue } from './scheduling-queue.js';

export const DEFAULT_SCHEDULER_NAME = 'default-scheduler';
const MAX_PARALLEL_BINDS = 32;

export interface SchedulerOptions {
  client: ApiClient;
  clock: Clock;
  /** Pods whose spec.schedulerName is this (default `default-scheduler`; empty counts as default). */
  schedulerName?: string;
  /** Reports failures the loop survives (API errors, handler errors). */
  onError?: (e: unknown) => void;
  /** Informers shared with other components in the process; default: its own. */
  informers?: SharedInformers;
}

export interface SchedulerHandle {
  /** Stops informers and timers; in-flight bindings finish in the background. */
  stop(): Promise<void>;
  /** Resolves when no scheduling cycle or binding is running and activeQ is empty (for tests). */
  idle(): Promise<void>;
  /** Queue counts (active, backoff, unschedulable, inflight). */
  queueStats(): Record<string, number>;
}

function isResponsible(pod: Pod, name: string): boolean {
  return (pod.spec.schedulerName || DEFAULT_SCHEDULER_NAME) === name;
}

/** Unbound, not being deleted, not finished, and ours: the pods the queue holds. */
function isPending(pod: Pod, name: string): boolean {
  return (
    !pod.spec.nodeName &&
    !pod.metadata.deletionTimestamp &&
    pod.status?.phase !== 'Succeeded' &&
    pod.status?.phase !== 'Failed' &&
    isResponsible(pod, name) &&
    (pod.spec.schedulingGates?.length ?? 0) === 0
  );
}

// isPodUpdated: changes the scheduler reacts to ignore status, resourceVersion and managedFields.
function schedulingSignature(p: Pod): string {
  return JSON.stringify([p.spec, p.metadata.labels, p.metadata.annotations]);
}

// nodeSchedulingPropertiesChange: heartbeats alone do not wake parked pods.
function nodeSignature(n: Node): string {
  return JSON.stringify([
    n.metadata.labels,
    n.spec?.taints,
    n.spec?.unschedulable,
    n.status?.allocatable,
    (n.status?.conditions ?? []).map((c) => [c.type, c.status]),
  ]);
}

export async function startScheduler(opts: SchedulerOptions): Promise<SchedulerHandle> {
  const { client, clock } = opts;
  const name = opts.schedulerName ?? DEFAULT_SCHEDULER_NAME;
  const onError = opts.onError ?? (() => {});
  const recorder = new EventRecorder({ client, clock, component: name, onError });
  const cache = new SchedulerCache();
  let stopped = false;
  let cycleRunning = false;
  let bindingsInFlight = 0;
  let bindsRunning = 0;
  const bindQueue: (() => Promise<void>)[] = [];
  const idleWaiters: (() => void)[] = [];

  const queue = new SchedulingQueue(clock, () => kick());

  function checkIdle(): void {
    const s = queue.stats();
    if (!cycleRunning && bindingsInFlight === 0 && s.active === 0 && s.inflight === 0) {
      for (const w of idleWaiters.splice(0)) {
        w();
      }
    }
  }

  function kick(): void {
    if (!cycleRunning && !stopped) {
      cycleRunning = true;
      queueMicrotask(runCycles);
    }
  }

  function runCycles(): void {
    try {
      for (;;) {
        if (stopped) {
          break;
        }
        const info = queue.pop();
        if (!info) {
          break;
        }
        scheduleOne(info.key);
      }
    } finally {
      cycleRunning = false;
      checkIdle();
    }
  }

  function scheduleOne(key: string): void {
    const pod = podInformer.getByKey(key);
    if (!pod || !isPending(pod, name)) {
      queue.done(key);
      return;
    }
    const result = schedulePod(pod, cache.nodeInfos());
    if (!result.ok) {
      queue.unschedulable(key);
      void recordFailure(pod, REASON_UNSCHEDULABLE, result.message);
      return;
    }
    // Assume, then bind in the background (the binding cycle).
    cache.assume(pod, result.nodeName);
    bindingsInFlight++;
    bindQueue.push(() =>
      bind(pod, key, result.nodeName).finally(() => {
        bindingsInFlight--;
        checkIdle();
      }),
    );
    pumpBinds();
  }

  // At most MAX_PARALLEL_BINDS bindings on the wire: upstream runs one goroutine per
  // binding; with 10,000 pods created at once that would be 10,000 open sockets here.
  function pumpBinds(): void {
    while (bindsRunning < MAX_PARALLEL_BINDS && bindQueue.length > 0) {
      const job = bindQueue.shift()!;
      bindsRunning++;
      void job().finally(() => {
        bindsRunning--;
        pumpBinds();
      });
    }
  }

  async function bind(pod: Pod, key: string, nodeName: string): Promise<void> {
    const ns = pod.metadata.namespace!;
    const podName = pod.metadata.name!;
    try {
      await client.bind(ns, podName, nodeName, pod.metadata.uid);
      queue.done(key);
      // finishBinding: "Successfully assigned <ns>/<name> to <node>".
      recorder.event(pod, 'Normal', 'Scheduled', `Successfully assigned ${ns}/${podName} to ${nodeName}`);
    } catch (e) {
      cache.forget(pod);
      if (isStatusError(e, 'NotFound')) {
        queue.done(key);
        return;
      }
      if (isStatusError(e, 'Conflict')) {
        // Bound by someone else meanwhile: the informer will show it.
        queue.done(key);
        return;
      }
      onError(e);
      queue.unschedulable(key);
      queue.moveAllToActiveOrBackoff();
      await recordFailure(pod, REASON_SCHEDULER_ERROR, e instanceof Error ? e.message : String(e));
    }
  }

  async function recordFailure(pod: Pod, reason: string, message: string): Promise<void> {
    recorder.event(pod, 'Warning', 'FailedScheduling', message);
    const cond = computePodScheduledFalse(pod, reason, message, clock.now());
    if (!cond) {
      return;
    }
    try {
      await client.pods.patch(
        pod.metadata.namespace,
        pod.metadata.name!,
        'strategic',
        { status: { conditions: [cond] } },
        { subresource: 'status' },
      );
    } catch (e) {
      if (!isStatusError(e, 'NotFound')) {
        onError(e);
      }
    }
  }

  const shared = opts.informers;
  const podInformer = shared ? shared.pods() : new Informer<Pod>(client.pods, { clock, onError });
  const nodeInformer = shared ? shared.nodes() : new Informer<Node>(client.nodes, { clock, onError });
  const removeHandlers: (() => void)[] = [];

  removeHandlers.push(
    podInformer.addHandlers({
      onAdd: (p) => {
        const key = objectKey(p);
        if (isPending(p, name)) {
          queue.add(key, p);
        } else if (p.spec.nodeName) {
          cache.updatePod(p);
        }
      },
      onUpdate: (old, p) => {
        const key = objectKey(p);
        if (isPending(p, name)) {
          if (cache.isAssumed(p)) {
            // Bound a moment ago; the informer has not shown the binding yet.
            return;
          }
          if (!queue.has(key) || schedulingSignature(old) !== schedulingSignature(p)) {
            queue.add(key, p);
          } else {
            queue.refresh(key, p);
          }
          return;
        }
        queue.delete(key);
        const freed = holdsNodeResources(old) && !holdsNodeResources(p);
        cache.updatePod(p);
        if (freed) {
          queue.moveAllToActiveOrBackoff();
        }
      },
      onDelete: (p) => {
        queue.delete(objectKey(p));
        if (p.spec.nodeName) {
          cache.removePod(p);
          queue.moveAllToActiveOrBackoff();
        }
      },
    }),
  );

  removeHandlers.push(
    nodeInformer.addHandlers({
      onAdd: (n) => {
        cache.setNode(n);
        queue.moveAllToActiveOrBackoff();
      },
      onUpdate: (old, n) => {
        cache.setNode(n);
        if (nodeSignature(old) !== nodeSignature(n)) {
          queue.moveAllToActiveOrBackoff();
        }
      },
      onDelete: (n) => {
        cache.removeNode(n.metadata.name!);
      },
    }),
  );

  // Nodes first, so the first cycle sees the whole cluster.
  await nodeInformer.start();
  await podInformer.start();

  return {
    async stop() {
      stopped = true;
      queue.close();
      for (const r of removeHandlers) {
        r();
      }
      if (!shared) {
        await Promise.all([podInformer.stop(), nodeInformer.stop()]);
      }
      await recorder.flush();
    },
    idle() {
      return new Promise<void>((resolve) => {
        idleWaiters.push(resolve);
        checkIdle();
      });
    },
    queueStats: () => queue.stats(),
  };
}
