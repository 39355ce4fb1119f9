// The only writer of pods/status (STYLE.md §13.3): k8s pkg/kubelet/status/
// status_manager.go. Pod workers hand it the status they generated
// (setPodStatus); it keeps startTime and condition transition times stable,
// refuses illegal transitions, versions each change and writes the newest
// version per pod, one write in flight per pod — a change made while a write
// is in flight is coalesced into the next write, and an older version is
// never written after a newer one. Once a pod with a deletionTimestamp has
// terminated on the node, it deletes the object with grace 0 and a UID
// precondition (status_manager.go#canBeDeleted / syncPod).
import { isStatusError } from '../../api/errors.js';
import type { ContainerStatus, Pod, PodCondition, PodStatus } from '../../api/types/index.js';
import { rfc3339 } from '../../lib/clock.js';
import type { Clock, Timer } from '../../lib/clock.js';
import { REASON_CONTAINER_STATUS_UNKNOWN } from './container-statuses.js';
import { KUBELET_CONDITIONS } from './generate-pod-status.js';

/** What the status manager needs from the API (ApiClient.pods satisfies it). */
export interface StatusSink {
  get(namespace: string, name: string): Promise<Pod>;
  updateStatus(pod: Pod): Promise<Pod>;
  delete(
    namespace: string,
    name: string,
    opts: { gracePeriodSeconds: number; preconditions: { uid: string } },
  ): Promise<unknown>;
}

export interface StatusManagerOptions {
  sink: StatusSink;
  clock: Clock;
  /** A write that failed (retried after RETRY_MS) or a refused transition. */
  onError?(e: unknown): void;
}

/** status_manager.go syncPeriod: failed writes are retried on this period. */
export const STATUS_RETRY_MS = 10_000;

interface Entry {
  namespace: string;
  name: string;
  uid: string;
  status: PodStatus;
  version: number;
  written: number;
  /** The pod worker finished terminating it (containers stopped): deletable once terminal. */
  terminated: boolean;
  deletionRequested: boolean;
  deleted: boolean;
  inFlight: Promise<void> | undefined;
  retry: Timer | undefined;
}

const TERMINAL = new Set(['Succeeded', 'Failed']);

export class StatusManager {
  private readonly pods = new Map<string, Entry>();

  constructor(private readonly opts: StatusManagerOptions) {}

  /** The last status set for the pod (what the API will show once written). */
  getPodStatus(uid: string): PodStatus | undefined {
    return this.pods.get(uid)?.status;
  }

  /** The version of the last status set, and of the last one written (tests). */
  versions(uid: string): { set: number; written: number } | undefined {
    const e = this.pods.get(uid);
    return e && { set: e.version, written: e.written };
  }

  /**
   * Sets the pod's status (status_manager.go#SetPodStatus → updateStatusInternal).
   * Returns false when nothing changed or the change was refused.
   */
  setPodStatus(pod: Pod, generated: PodStatus): boolean {
    const uid = pod.metadata.uid ?? '';
    let e = this.pods.get(uid);
    const old: PodStatus = e?.status ?? pod.status ?? {};
    const err = checkContainerStateTransition(old, generated, pod);
    if (err) {
      this.opts.onError?.(new Error(err));
      return false;
    }
    const now = this.opts.clock.now();
    const status = structuredClone(generated);
    // The phase of a terminated pod never changes again.
    if (old.phase && TERMINAL.has(old.phase) && status.phase !== old.phase) {
      this.opts.onError?.(new Error(`Pod attempted illegal phase transition from ${old.phase} to ${status.phase}`));
      status.phase = old.phase;
      status.reason = old.reason;
      status.message = old.message;
    }
    status.startTime = old.startTime ?? pod.status?.startTime ?? rfc3339(now);
    status.conditions = (status.conditions ?? []).map((c) => withTransitionTime(c, old.conditions, now));
    if (e && equalStatus(e.status, status)) {
      return false;
    }
    if (!e) {
      e = {
        namespace: pod.metadata.namespace ?? 'default',
        name: pod.metadata.name ?? '',
        uid,
        status,
        version: 0,
        written: 0,
        terminated: false,
        deletionRequested: false,
        deleted: false,
        inFlight: undefined,
        retry: undefined,
      };
      this.pods.set(uid, e);
    }
    e.status = status;
    e.version++;
    e.deletionRequested = e.deletionRequested || Boolean(pod.metadata.deletionTimestamp);
    this.kick(e);
    return true;
  }

  /**
   * The API object changed (informer update): if its status no longer shows
   * what this manager last wrote — another component set phase Unknown or
   * Ready=False while the node was unreachable — write ours again
   * (status_manager.go#needsReconcile / syncBatch). Returns whether a write
   * was scheduled.
   */
  reconcile(pod: Pod): boolean {
    const e = this.pods.get(pod.metadata.uid ?? '');
    if (!e || e.inFlight || e.written < e.version || e.written === 0 || e.deleted) {
      return false;
    }
    if (projection(pod.status ?? {}) === projection(e.status)) {
      return false;
    }
    const apiPhase = pod.status?.phase ?? '';
    if (TERMINAL.has(apiPhase) && !TERMINAL.has(e.status.phase ?? '')) {
      return false; // evicted: the pod worker takes the terminal phase over, it is not overwritten
    }
    e.version++;
    this.kick(e);
    return true;
  }

  /**
   * The pod worker finished terminating the pod (status_manager.go#TerminatePod):
   * containers without a terminated state are reported terminated with
   * ContainerStatusUnknown (exit 137) — once the pod has initialized, and for
   * init containers that tried to start — and a phase that is not terminal
   * becomes Failed, so that every pod ends Succeeded or Failed. If it has a
   * deletionTimestamp, the API object is deleted after this final status is
   * written.
   */
  terminatePod(pod: Pod): void {
    const uid = pod.metadata.uid ?? '';
    const cached = this.pods.get(uid);
    const status = structuredClone(cached?.status ?? pod.status ?? {});
    const unknown = (): ContainerStatus['state'] => ({
      terminated: {
        reason: REASON_CONTAINER_STATUS_UNKNOWN,
        message: 'The container could not be located when the pod was terminated',
        exitCode: 137,
      },
    });
    if (hasPodInitialized(pod, status)) {
      for (const c of status.containerStatuses ?? []) {
        if (!c.state?.terminated) {
          c.state = unknown();
        }
      }
    }
    for (const c of initializedContainers(status.initContainerStatuses ?? [])) {
      if (!c.state?.terminated) {
        c.state = unknown();
      }
    }
    if (status.phase !== 'Succeeded' && status.phase !== 'Failed') {
      status.phase = 'Failed';
    }
    this.setPodStatus(pod, status);
    const e = this.pods.get(uid);
    if (!e) {
      return;
    }
    e.terminated = true;
    e.deletionRequested = e.deletionRequested || Boolean(pod.metadata.deletionTimestamp);
    this.kick(e);
  }

  /** Forgets the pod (it left the node and its worker is gone). */
  removePod(uid: string): void {
    const e = this.pods.get(uid);
    e?.retry?.cancel();
    this.pods.delete(uid);
  }

  /** Resolves when no write is in flight or pending (tests; STYLE.md §11 settle hooks). */
  async settle(): Promise<void> {
    for (;;) {
      const busy = [...this.pods.values()].map((e) => e.inFlight).filter((p): p is Promise<void> => p !== undefined);
      if (busy.length === 0) {
        return;
      }
      await Promise.all(busy);
    }
  }

  stop(): void {
    for (const e of this.pods.values()) {
      e.retry?.cancel();
    }
  }

  private kick(e: Entry): void {
    if (e.inFlight) {
      return; // the running write loop picks the newest version up
    }
    e.retry?.cancel();
    e.retry = undefined;
    e.inFlight = this.writeLoop(e).finally(() => {
      e.inFlight = undefined;
    });
  }

  private async writeLoop(e: Entry): Promise<void> {
    while (this.pods.get(e.uid) === e) {
      if (e.written < e.version) {
        const version = e.version;
        const ok = await this.write(e, e.status);
        if (!ok) {
          return;
        }
        e.written = Math.max(e.written, version);
        continue;
      }
      if (this.canBeDeleted(e)) {
        await this.deletePod(e);
      }
      return;
    }
  }

  private canBeDeleted(e: Entry): boolean {
    return !e.deleted && e.terminated && e.deletionRequested && TERMINAL.has(e.status.phase ?? '');
  }

  private async write(e: Entry, status: PodStatus): Promise<boolean> {
    for (let attempt = 0; attempt < 3; attempt++) {
      let current: Pod;
      try {
        current = await this.opts.sink.get(e.namespace, e.name);
      } catch (err) {
        if (isStatusError(err, 'NotFound')) {
          this.pods.delete(e.uid); // gone: nothing to write
          return false;
        }
        return this.failed(e, err);
      }
      if (current.metadata.uid !== e.uid) {
        this.pods.delete(e.uid); // a new pod with the same name: not ours
        return false;
      }
      const merged: PodStatus = {
        ...structuredClone(status),
        // Conditions the kubelet does not own stay as the API has them (mergePodStatus).
        conditions: [
          ...(current.status?.conditions ?? []).filter((c) => !KUBELET_CONDITIONS.has(c.type)),
          ...(status.conditions ?? []).filter((c) => KUBELET_CONDITIONS.has(c.type)),
        ],
      };
      if (current.status?.qosClass) {
        merged.qosClass = current.status.qosClass; // immutable in the API
      }
      try {
        await this.opts.sink.updateStatus({ ...current, status: merged });
        return true;
      } catch (err) {
        if (isStatusError(err, 'Conflict')) {
          continue;
        }
        if (isStatusError(err, 'NotFound')) {
          this.pods.delete(e.uid);
          return false;
        }
        return this.failed(e, err);
      }
    }
    return this.failed(e, new Error(`status of pod ${e.namespace}/${e.name}: too many conflicts`));
  }

  private async deletePod(e: Entry): Promise<void> {
    try {
      await this.opts.sink.delete(e.namespace, e.name, { gracePeriodSeconds: 0, preconditions: { uid: e.uid } });
      e.deleted = true;
    } catch (err) {
      if (isStatusError(err, 'NotFound') || isStatusError(err, 'Conflict')) {
        e.deleted = true; // already gone, or a different pod now has the name
        return;
      }
      this.failed(e, err);
    }
  }

  private failed(e: Entry, err: unknown): false {
    this.opts.onError?.(err);
    e.retry?.cancel();
    e.retry = this.opts.clock.setTimer(STATUS_RETRY_MS, () => {
      e.retry = undefined;
      this.kick(e);
    });
    return false;
  }
}

function withTransitionTime(c: PodCondition, old: PodCondition[] | undefined, now: number): PodCondition {
  const prev = old?.find((o) => o.type === c.type);
  const lastTransitionTime =
    prev && prev.status === c.status && prev.lastTransitionTime ? prev.lastTransitionTime : rfc3339(now);
  return { ...c, lastProbeTime: null, lastTransitionTime };
}

/** status_manager.go#hasPodInitialized */
function hasPodInitialized(pod: Pod, status: PodStatus): boolean {
  const inits = pod.spec.initContainers ?? [];
  if (inits.length === 0) {
    return true;
  }
  for (const c of status.containerStatuses ?? []) {
    if (c.lastState?.terminated || !c.state?.waiting) {
      return true;
    }
  }
  const list = status.initContainerStatuses ?? [];
  const last = list[list.length - 1];
  if (!last) {
    return false;
  }
  const spec = inits.find((c) => c.name === last.name);
  if (!spec) {
    return false;
  }
  if (spec.restartPolicy === 'Always') {
    return last.state?.running !== undefined;
  }
  return last.lastState?.terminated?.exitCode === 0 || last.state?.terminated?.exitCode === 0;
}

/**
 * status_manager.go#initializedContainers: every init status but the suffix
 * still waiting (never tried); the first one when all are waiting.
 */
function initializedContainers(list: ContainerStatus[]): ContainerStatus[] {
  for (let i = list.length - 1; i >= 0; i--) {
    if (!list[i]!.state?.waiting || list[i]!.lastState?.terminated) {
      return list.slice(0, i + 1);
    }
  }
  return list.slice(0, 1);
}

/** What the kubelet owns in a status, for needsReconcile. */
function projection(s: PodStatus): string {
  return JSON.stringify([
    s.phase,
    s.reason ?? '',
    s.message ?? '',
    (s.conditions ?? [])
      .filter((c) => KUBELET_CONDITIONS.has(c.type))
      .map((c) => [c.type, c.status, c.reason ?? '', c.message ?? '']),
    s.containerStatuses ?? [],
    s.initContainerStatuses ?? [],
  ]);
}

function equalStatus(a: PodStatus, b: PodStatus): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/**
 * status_manager.go#checkContainerStateTransition: a terminated container may
 * not become non-terminated unless the policy lets it restart.
 */
function checkContainerStateTransition(old: PodStatus, next: PodStatus, pod: Pod): string | undefined {
  const policy = pod.spec.restartPolicy ?? 'Always';
  if (policy === 'Always') {
    return undefined;
  }
  const check = (
    olds: ContainerStatus[] | undefined,
    news: ContainerStatus[] | undefined,
    init: boolean,
  ): string | undefined => {
    for (const o of olds ?? []) {
      const t = o.state?.terminated;
      if (!t) {
        continue;
      }
      if (init && (pod.spec.initContainers ?? []).find((c) => c.name === o.name)?.restartPolicy === 'Always') {
        continue;
      }
      if (policy === 'OnFailure' && t.exitCode !== 0) {
        continue;
      }
      const n = news?.find((x) => x.name === o.name);
      if (n && !n.state?.terminated) {
        return `terminated container ${o.name} attempted illegal transition to non-terminated state`;
      }
    }
    return undefined;
  };
  return (
    check(old.containerStatuses, next.containerStatuses, false) ??
    check(old.initContainerStatuses, next.initContainerStatuses, true)
  );
}
