// An in-memory StatusSink for status-manager and pod-worker tests: holds pods
// by namespace/name, bumps resourceVersion on every write, records writes and
// deletes, and can fail the next calls.
import { newConflict, newNotFound } from '../../api/errors.js';
import type { Pod, PodStatus } from '../../api/types/index.js';
import type { StatusSink } from '../status/status-manager.js';

export class FakeStatusSink implements StatusSink {
  readonly pods = new Map<string, Pod>();
  /** Every status written, in order. */
  readonly writes: { key: string; status: PodStatus }[] = [];
  readonly deletes: { key: string; gracePeriodSeconds: number; uid: string }[] = [];
  private failures: Error[] = [];
  private rv = 1;

  add(pod: Pod): void {
    this.pods.set(key(pod.metadata.namespace ?? 'default', pod.metadata.name ?? ''), structuredClone(pod));
  }

  /** The next calls (get/updateStatus/delete) fail with these errors, in order. */
  failNext(...errors: Error[]): void {
    this.failures.push(...errors);
  }

  /** Phases written for the pod, with consecutive duplicates collapsed. */
  phases(name: string, namespace = 'default'): string[] {
    const out: string[] = [];
    for (const w of this.writes) {
      if (w.key === key(namespace, name) && w.status.phase && out[out.length - 1] !== w.status.phase) {
        out.push(w.status.phase);
      }
    }
    return out;
  }

  status(name: string, namespace = 'default'): PodStatus | undefined {
    return this.pods.get(key(namespace, name))?.status;
  }

  async get(namespace: string, name: string): Promise<Pod> {
    this.maybeFail();
    const p = this.pods.get(key(namespace, name));
    if (!p) {
      throw newNotFound('pods', name);
    }
    return structuredClone(p);
  }

  async updateStatus(pod: Pod): Promise<Pod> {
    this.maybeFail();
    const k = key(pod.metadata.namespace ?? 'default', pod.metadata.name ?? '');
    const cur = this.pods.get(k);
    if (!cur) {
      throw newNotFound('pods', pod.metadata.name ?? '');
    }
    if (pod.metadata.resourceVersion && pod.metadata.resourceVersion !== cur.metadata.resourceVersion) {
      throw newConflict('pods', pod.metadata.name ?? '', 'the object has been modified');
    }
    const next: Pod = {
      ...cur,
      metadata: { ...cur.metadata, resourceVersion: String(++this.rv) },
      status: structuredClone(pod.status),
    };
    this.pods.set(k, next);
    this.writes.push({ key: k, status: structuredClone(pod.status ?? {}) });
    return structuredClone(next);
  }

  async delete(
    namespace: string,
    name: string,
    opts: { gracePeriodSeconds: number; preconditions: { uid: string } },
  ): Promise<unknown> {
    this.maybeFail();
    const k = key(namespace, name);
    const cur = this.pods.get(k);
    if (!cur) {
      throw newNotFound('pods', name);
    }
    if (cur.metadata.uid !== opts.preconditions.uid) {
      throw newConflict('pods', name, 'Precondition failed: UID in precondition does not match');
    }
    this.pods.delete(k);
    this.deletes.push({ key: k, gracePeriodSeconds: opts.gracePeriodSeconds, uid: opts.preconditions.uid });
    return {};
  }

  private maybeFail(): void {
    const e = this.failures.shift();
    if (e) {
      throw e;
    }
  }
}

function key(ns: string, name: string): string {
  return `${ns}/${name}`;
}
