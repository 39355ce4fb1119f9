// Emits core/v1 Events the way components do through client-go's EventRecorder
// (staging/src/k8s.io/client-go/tools/record/event.go): makeEvent names the Event
// `<object>.<hex UnixNano>`, puts it in the object's namespace ("default" for
// cluster-scoped objects), and the EventCorrelator decides create vs PATCH count+1.
import { isStatusError } from '../api/errors.js';
import type { Event, KubeObject, ObjectReference } from '../api/types/index.js';
import { rfc3339 } from '../lib/clock.js';
import type { Clock } from '../lib/clock.js';
import type { ApiClient } from './api-client.js';
import { EventCorrelator } from './event-correlator.js';

export type EventType = 'Normal' | 'Warning';

export interface EventRecorderOptions {
  client: ApiClient;
  clock: Clock;
  /** source.component / reportingComponent: `default-scheduler`, `kubelet`, `node-controller`. */
  component: string;
  /** source.host / reportingInstance: the node name for kubelets; empty for controllers. */
  host?: string;
  /** Called when an Event could not be written (it is then dropped, as client-go does after retries). */
  onError?: (e: unknown) => void;
}

/** An object an event is about: a full object, or a reference with a fieldPath. */
export type EventTarget = KubeObject | ObjectReference;

function isKubeObject(t: EventTarget): t is KubeObject {
  return typeof (t as KubeObject).metadata === 'object' && (t as KubeObject).metadata !== null;
}

/** ref.GetReference: kind, namespace, name, uid, apiVersion, resourceVersion (+ fieldPath). */
export function referenceTo(obj: KubeObject, fieldPath?: string): ObjectReference {
  const ref: ObjectReference = {
    kind: obj.kind,
    namespace: obj.metadata.namespace,
    name: obj.metadata.name,
    uid: obj.metadata.uid,
    apiVersion: obj.apiVersion,
    resourceVersion: obj.metadata.resourceVersion,
  };
  if (fieldPath) {
    ref.fieldPath = fieldPath;
  }
  for (const k of Object.keys(ref) as (keyof ObjectReference)[]) {
    if (ref[k] === undefined) {
      delete ref[k];
    }
  }
  return ref;
}

/** The fieldPath kubelet events carry for a container: `spec.containers{name}`. */
export function containerFieldPath(
  name: string,
  kind: 'containers' | 'initContainers' | 'ephemeralContainers' = 'containers',
): string {
  return `spec.${kind}{${name}}`;
}

export class EventRecorder {
  private readonly correlator: EventCorrelator;
  private queue: Promise<void> = Promise.resolve();
  private lastNano = 0n;

  constructor(private readonly opts: EventRecorderOptions) {
    this.correlator = new EventCorrelator(opts.clock);
  }

  /**
   * Records an event about target. Returns at once; writes happen in order in the
   * background (await flush() to wait for them). Pod objects need kind/apiVersion set
   * (informers give them); a bare ObjectReference can carry a fieldPath.
   */
  event(target: EventTarget, type: EventType, reason: string, message: string): void {
    const ref = isKubeObject(target) ? referenceTo(withDefaultKind(target)) : { ...target };
    const now = this.opts.clock.now();
    const ts = rfc3339(now);
    const ev: Event = {
      apiVersion: 'v1',
      kind: 'Event',
      metadata: {
        name: `${ref.name ?? ''}.${this.nextNanoHex(now)}`,
        // makeEvent: events about cluster-scoped objects go to "default".
        namespace: ref.namespace || 'default',
      },
      involvedObject: ref,
      reason,
      message,
      source: { component: this.opts.component, ...(this.opts.host ? { host: this.opts.host } : {}) },
      firstTimestamp: ts,
      lastTimestamp: ts,
      count: 1,
      type,
      eventTime: null,
      reportingComponent: this.opts.component,
      reportingInstance: this.opts.host ?? '',
    };
    this.queue = this.queue.then(() => this.record(ev));
  }

  /** Resolves when every event recorded so far has been written (or dropped). */
  flush(): Promise<void> {
    return this.queue;
  }

  // recordToSink / recordEvent: PATCH when the correlator knows the Event, else POST;
  // a PATCH that finds the Event gone creates it again.
  private async record(input: Event): Promise<void> {
    const { event, patch, skip } = this.correlator.correlate(input);
    if (skip) {
      return;
    }
    const ns = event.metadata.namespace;
    try {
      let saved: Event | undefined;
      if (patch && (event.count ?? 1) > 1 && event.metadata.name) {
        try {
          saved = await this.opts.client.events.patch(ns, event.metadata.name, 'strategic', patch);
        } catch (e) {
          if (!isStatusError(e, 'NotFound')) {
            throw e;
          }
        }
      }
      if (!saved) {
        const { resourceVersion: _rv, ...meta } = event.metadata;
        saved = await this.opts.client.events.create(ns, { ...event, metadata: meta });
      }
      this.correlator.updateState(saved);
    } catch (e) {
      this.opts.onError?.(e);
    }
  }

  // Names must be unique per object even for events in the same millisecond:
  // UnixNano from a millisecond clock, bumped by one when it would repeat.
  private nextNanoHex(ms: number): string {
    let n = BigInt(Math.trunc(ms)) * 1_000_000n;
    if (n <= this.lastNano) {
      n = this.lastNano + 1n;
    }
    this.lastNano = n;
    return n.toString(16);
  }
}

// Objects from lists and watches may lack kind; pods and nodes are the ones recorded on.
function withDefaultKind(obj: KubeObject): KubeObject {
  if (obj.kind && obj.apiVersion) {
    return obj;
  }
  const kind = obj.kind ?? (obj.metadata.namespace ? 'Pod' : 'Node');
  return { ...obj, kind, apiVersion: obj.apiVersion ?? 'v1' };
}
