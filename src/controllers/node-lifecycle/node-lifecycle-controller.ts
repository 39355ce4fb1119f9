// The node lifecycle controller with its taint-based eviction
// (pkg/controller/nodelifecycle/node_lifecycle_controller.go,
//  pkg/controller/tainteviction/taint_eviction.go), as one API client.
//
//   t=0        the agent renews its Lease every 10 s (probe timestamp = when we saw it)
//   t=last+40s monitor pass (every 5 s) finds no renewal within the grace period:
//              node Ready/…Pressure → Unknown (NodeStatusUnknown), taints
//              unreachable:NoExecute + unreachable:NoSchedule; its pods → Ready=False,
//              phase Unknown, reason NodeLost (podbay's choice, pod-semantics.md note)
//   t+300s     the NoExecute toleration (DefaultTolerationSeconds) runs out for each pod:
//              TaintManagerEviction event, DisruptionTarget=True DeletionByTaintManager,
//              phase Failed (NodeLost), then DELETE
//   renewal    the agent posts Ready=True again → the taints come off and the pending
//              evictions are cancelled; the agent's status manager rewrites pod phases.
import { isStatusError } from '../../api/errors.js';
import type { Lease, Node, Pod, PodCondition } from '../../api/types/index.js';
import type { ApiClient } from '../../client/api-client.js';
import { EventRecorder } from '../../client/event-recorder.js';
import { Informer, objectKey } from '../../client/informer.js';
import { NODE_LEASE_NAMESPACE } from '../../client/shared-informers.js';
import type { SharedInformers } from '../../client/shared-informers.js';
import { rfc3339 } from '../../lib/clock.js';
import type { Clock, Timer } from '../../lib/clock.js';
import { computeConditionTaints } from './condition-taints.js';
import {
  DEFAULT_NODE_MONITOR_GRACE_MS,
  DEFAULT_NODE_MONITOR_PERIOD_MS,
  DEFAULT_NODE_STARTUP_GRACE_MS,
  computeLostNodeConditions,
  isNodeLost,
  readyCondition,
} from './node-health.js';
import { NODE_LOST_REASON, computeNodeLostPodStatus, nodeLostMessage } from './node-lost-pod-status.js';
import {
  DISRUPTION_MESSAGE_TAINT_MANAGER,
  DISRUPTION_REASON_TAINT_MANAGER,
  computeEvictionDelayMs,
} from './taint-eviction.js';

export const COMPONENT = 'node-controller';

export interface NodeLifecycleOptions {
  client: ApiClient;
  clock: Clock;
  /** --node-monitor-grace-period; default 40 s. */
  gracePeriodMs?: number;
  /** --node-monitor-period; default 5 s. */
  monitorPeriodMs?: number;
  /** --node-startup-grace-period: for a node that never posted Ready; default 60 s. */
  startupGracePeriodMs?: number;
  onError?: (e: unknown) => void;
  /** Informers shared with other components in the process; default: its own. */
  informers?: SharedInformers;
}

export interface NodeLifecycleHandle {
  stop(): Promise<void>;
  /** Resolves when every API write started so far has finished (for tests). */
  settle(): Promise<void>;
  /** Pods with a scheduled eviction: `namespace/name` → when it fires (ms). */
  scheduledEvictions(): Map<string, number>;
  /** Runs a monitor pass now (the timer also runs one every monitorPeriodMs). */
  monitorNow(): void;
}

interface Probe {
  atMs: number;
  renewTime?: string;
  heartbeat?: string;
}

interface ScheduledEviction {
  createdAtMs: number;
  fireAtMs: number;
  timer: Timer;
}

export async function startNodeLifecycleController(opts: NodeLifecycleOptions): Promise<NodeLifecycleHandle> {
  const { client, clock } = opts;
  const graceMs = opts.gracePeriodMs ?? DEFAULT_NODE_MONITOR_GRACE_MS;
  const periodMs = opts.monitorPeriodMs ?? DEFAULT_NODE_MONITOR_PERIOD_MS;
  const startupGraceMs = opts.startupGracePeriodMs ?? DEFAULT_NODE_STARTUP_GRACE_MS;
  const onError = opts.onError ?? (() => {});
  const recorder = new EventRecorder({ client, clock, component: COMPONENT, onError });

  const probes = new Map<string, Probe>();
  const evictions = new Map<string, ScheduledEviction>();
  const podsByNode = new Map<string, Set<string>>();
  const pending = new Set<Promise<unknown>>();
  /** Nodes with a taint write in flight → whether another pass was asked for meanwhile. */
  const taintWriters = new Map<string, boolean>();
  /** Pods whose NodeLost status write is in flight (the informer may not show it yet). */
  const podWrites = new Set<string>();
  let stopped = false;
  let monitorTimer: Timer | undefined;

  function track(p: Promise<unknown>): void {
    const q = p.catch((e: unknown) => {
      if (!isStatusError(e, 'NotFound')) {
        onError(e);
      }
    });
    pending.add(q);
    void q.finally(() => pending.delete(q));
  }

  const shared = opts.informers;
  const nodes = shared ? shared.nodes() : new Informer<Node>(client.nodes, { clock, onError });
  const leases = shared
    ? shared.nodeLeases()
    : new Informer<Lease>(client.leases, { clock, onError, namespace: NODE_LEASE_NAMESPACE });
  const pods = shared ? shared.pods() : new Informer<Pod>(client.pods, { clock, onError });
  const removeHandlers: (() => void)[] = [];

  function observeProbe(nodeName: string, renewTime?: string, heartbeat?: string): void {
    const p = probes.get(nodeName);
    if (!p) {
      probes.set(nodeName, { atMs: clock.now(), renewTime, heartbeat });
      return;
    }
    if (
      (renewTime !== undefined && renewTime !== p.renewTime) ||
      (heartbeat !== undefined && heartbeat !== p.heartbeat)
    ) {
      p.atMs = clock.now();
    }
    if (renewTime !== undefined) {
      p.renewTime = renewTime;
    }
    if (heartbeat !== undefined) {
      p.heartbeat = heartbeat;
    }
  }

  function indexPod(p: Pod, add: boolean): void {
    const n = p.spec.nodeName;
    if (!n) {
      return;
    }
    let s = podsByNode.get(n);
    if (!s) {
      s = new Set();
      podsByNode.set(n, s);
    }
    if (add) {
      s.add(objectKey(p));
    } else {
      s.delete(objectKey(p));
    }
  }

  function podsOn(nodeName: string): Pod[] {
    const out: Pod[] = [];
    for (const k of podsByNode.get(nodeName) ?? []) {
      const p = pods.getByKey(k);
      if (p) {
        out.push(p);
      }
    }
    return out;
  }

  // ---- node conditions and taints ---------------------------------------------

  function monitor(): void {
    if (stopped) {
      return;
    }
    const now = clock.now();
    for (const node of nodes.list()) {
      const name = node.metadata.name!;
      if (!probes.has(name)) {
        observeProbe(name);
      }
      // A node that never posted Ready gets the (longer) startup grace period.
      const grace = readyCondition(node) ? graceMs : startupGraceMs;
      if (!isNodeLost(probes.get(name)!.atMs, now, grace)) {
        continue;
      }
      const conds = computeLostNodeConditions(node, now);
      if (conds) {
        track(markNodeLost(node, conds));
      } else {
        reconcileTaints(node);
        markPodsNodeLost(name);
      }
    }
  }

  async function markNodeLost(
    node: Node,
    conditions: NonNullable<ReturnType<typeof computeLostNodeConditions>>,
  ): Promise<void> {
    const updated = await client.nodes.patch(
      undefined,
      node.metadata.name!,
      'strategic',
      { status: { conditions } },
      {
        subresource: 'status',
      },
    );
    if (readyCondition(node)?.status === 'True') {
      // RecordNodeStatusChange: once, when a Ready node stops reporting.
      recorder.event(
        { apiVersion: 'v1', kind: 'Node', name: node.metadata.name, uid: node.metadata.uid, namespace: '' },
        'Normal',
        'NodeNotReady',
        `Node ${node.metadata.name} status is now: NodeNotReady`,
      );
    }
    reconcileTaints(updated);
    markPodsNodeLost(node.metadata.name!);
  }

  function reconcileTaints(node: Node): void {
    const name = node.metadata.name!;
    if (!computeConditionTaints(node, clock.now())) {
      return;
    }
    // One writer per node at a time; a request during a write runs once more after it.
    if (taintWriters.has(name)) {
      taintWriters.set(name, true);
      return;
    }
    taintWriters.set(name, false);
    const run = async (): Promise<void> => {
      try {
        do {
          taintWriters.set(name, false);
          await writeTaints(name);
        } while (taintWriters.get(name) && !stopped);
      } finally {
        taintWriters.delete(name);
      }
    };
    track(run());
  }

  // GET-modify-PUT with retries: other writers (kubectl taint/cordon, the agent) share spec.
  async function writeTaints(name: string): Promise<void> {
    for (let attempt = 0; attempt < 5; attempt++) {
      const fresh = await client.nodes.get(undefined, name);
      const taints = computeConditionTaints(fresh, clock.now());
      if (!taints) {
        return;
      }
      try {
        const saved = await client.nodes.update({ ...fresh, spec: { ...fresh.spec, taints } });
        processNodePods(saved);
        return;
      } catch (e) {
        if (!isStatusError(e, 'Conflict')) {
          throw e;
        }
      }
    }
  }

  function markPodsNodeLost(nodeName: string): void {
    const now = clock.now();
    for (const pod of podsOn(nodeName)) {
      if (pod.metadata.deletionTimestamp) {
        continue;
      }
      const key = objectKey(pod);
      const status = podWrites.has(key) ? null : computeNodeLostPodStatus(pod, now);
      if (status) {
        podWrites.add(key);
        const readyCond = status.conditions?.find((c) => c.type === 'Ready');
        const wasReady = pod.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True');
        const body = {
          status: {
            phase: status.phase,
            reason: status.reason,
            message: status.message,
            ...(readyCond ? { conditions: [readyCond] } : {}),
          },
        };
        track(
          client.pods
            .patch(pod.metadata.namespace, pod.metadata.name!, 'strategic', body, { subresource: 'status' })
            .then((saved) => {
              // MarkPodsNotReady records this after the update, so the pod still exists.
              if (wasReady) {
                recorder.event(saved, 'Warning', 'NodeNotReady', 'Node is not ready');
              }
            })
            .finally(() => podWrites.delete(key)),
        );
      }
    }
  }

  // ---- taint-based eviction -----------------------------------------------------

  function processNodePods(node: Node): void {
    for (const pod of podsOn(node.metadata.name!)) {
      processPod(pod, node);
    }
  }

  function cancelEviction(key: string, pod?: Pod): void {
    const e = evictions.get(key);
    if (!e) {
      return;
    }
    e.timer.cancel();
    evictions.delete(key);
    if (pod) {
      recorder.event(pod, 'Normal', 'TaintManagerEviction', `Cancelling deletion of Pod ${key}`);
    }
  }

  function processPod(pod: Pod, node: Node | undefined): void {
    const key = objectKey(pod);
    if (!node || pod.metadata.deletionTimestamp) {
      cancelEviction(key);
      return;
    }
    const delay = computeEvictionDelayMs(pod, node.spec?.taints ?? []);
    if (delay === undefined) {
      cancelEviction(key, pod);
      return;
    }
    const now = clock.now();
    const existing = evictions.get(key);
    const createdAtMs = existing?.createdAtMs ?? now;
    const fireAtMs = Math.max(now, createdAtMs + delay);
    if (existing && existing.fireAtMs === fireAtMs) {
      return;
    }
    existing?.timer.cancel();
    const timer = clock.setTimer(fireAtMs - now, () => {
      evictions.delete(key);
      track(evict(key));
    });
    evictions.set(key, { createdAtMs, fireAtMs, timer });
  }

  async function evict(key: string): Promise<void> {
    const pod = pods.getByKey(key);
    if (!pod || pod.metadata.deletionTimestamp || stopped) {
      return;
    }
    const ns = pod.metadata.namespace!;
    const name = pod.metadata.name!;
    const node = nodes.get(undefined, pod.spec.nodeName ?? '');
    const lost = readyCondition(node ?? { metadata: {} })?.status === 'Unknown';
    recorder.event(pod, 'Normal', 'TaintManagerEviction', `Marking for deletion Pod ${key}`);
    const cond: PodCondition = {
      type: 'DisruptionTarget',
      status: 'True',
      lastTransitionTime: rfc3339(clock.now()),
      reason: DISRUPTION_REASON_TAINT_MANAGER,
      message: DISRUPTION_MESSAGE_TAINT_MANAGER,
    };
    const terminal = pod.status?.phase === 'Succeeded' || pod.status?.phase === 'Failed';
    // On a lost node no kubelet will ever finish the pod: mark it Failed (NodeLost) the way
    // PodGC does for orphans, so the deletion completes at once instead of hanging.
    const status =
      lost && !terminal
        ? {
            phase: 'Failed',
            reason: NODE_LOST_REASON,
            message: nodeLostMessage(pod.spec.nodeName ?? '', name),
            conditions: [cond],
          }
        : { conditions: [cond] };
    await client.pods.patch(ns, name, 'strategic', { status }, { subresource: 'status' });
    await client.pods.delete(ns, name, lost ? { gracePeriodSeconds: 0 } : undefined);
  }

  // ---- wiring ---------------------------------------------------------------------

  removeHandlers.push(
    leases.addHandlers({
      onAdd: (l) => observeProbe(l.metadata.name!, l.spec?.renewTime ?? ''),
      onUpdate: (_o, l) => observeProbe(l.metadata.name!, l.spec?.renewTime ?? ''),
    }),
  );

  removeHandlers.push(
    nodes.addHandlers({
      onAdd: (n) => {
        observeProbe(n.metadata.name!, undefined, readyCondition(n)?.lastHeartbeatTime ?? '');
        reconcileTaints(n);
        processNodePods(n);
      },
      onUpdate: (old, n) => {
        observeProbe(n.metadata.name!, undefined, readyCondition(n)?.lastHeartbeatTime ?? '');
        reconcileTaints(n);
        if (JSON.stringify(old.spec?.taints ?? []) !== JSON.stringify(n.spec?.taints ?? [])) {
          processNodePods(n);
        }
      },
      onDelete: (n) => {
        probes.delete(n.metadata.name!);
        for (const p of podsOn(n.metadata.name!)) {
          cancelEviction(objectKey(p));
        }
      },
    }),
  );

  removeHandlers.push(
    pods.addHandlers({
      onAdd: (p) => {
        indexPod(p, true);
        if (p.spec.nodeName) {
          processPod(p, nodes.get(undefined, p.spec.nodeName));
        }
      },
      onUpdate: (old, p) => {
        if (old.spec.nodeName !== p.spec.nodeName) {
          indexPod(old, false);
        }
        indexPod(p, true);
        if (p.spec.nodeName) {
          processPod(p, nodes.get(undefined, p.spec.nodeName));
        }
      },
      onDelete: (p) => {
        indexPod(p, false);
        cancelEviction(objectKey(p));
      },
    }),
  );

  await Promise.all([leases.start(), pods.start()]);
  await nodes.start();

  function schedule(): void {
    monitorTimer = clock.setTimer(periodMs, () => {
      monitor();
      if (!stopped) {
        schedule();
      }
    });
  }
  schedule();

  return {
    async stop() {
      stopped = true;
      monitorTimer?.cancel();
      for (const e of evictions.values()) {
        e.timer.cancel();
      }
      evictions.clear();
      for (const r of removeHandlers) {
        r();
      }
      if (!shared) {
        await Promise.all([nodes.stop(), leases.stop(), pods.stop()]);
      }
      await Promise.allSettled([...pending]);
      await recorder.flush();
    },
    async settle() {
      while (pending.size > 0) {
        await Promise.allSettled([...pending]);
      }
      await recorder.flush();
    },
    scheduledEvictions: () => new Map([...evictions].map(([k, e]) => [k, e.fireAtMs])),
    monitorNow: monitor,
  };
}
