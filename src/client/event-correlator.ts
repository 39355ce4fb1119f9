// Filtering, aggregation and de-duplication of Events before they reach the API, as
// client-go does it (staging/src/k8s.io/client-go/tools/record/events_cache.go):
// - the same event (source, object, type, reason, message) again → one Event, count+1,
//   sent as a PATCH of {count, lastTimestamp, message};
// - 10 events that differ only by message within 10 min → one aggregate Event whose
//   message is "(combined from similar events): <latest message>";
// - a token bucket per source+object (burst 25, refill 1 per 5 min) drops the rest.
import type { Event } from '../api/types/index.js';
import { rfc3339 } from '../lib/clock.js';
import type { Clock } from '../lib/clock.js';

const MAX_LRU_ENTRIES = 4096;
const AGGREGATE_MAX_EVENTS = 10;
const AGGREGATE_INTERVAL_MS = 600_000;
const SPAM_BURST = 25;
const SPAM_QPS = 1 / 300;

/** getEventKey: source, involvedObject (with fieldPath), type, reason, message. */
export function eventKey(e: Event): string {
  const o = e.involvedObject;
  return [
    e.source?.component,
    e.source?.host,
    o.kind,
    o.namespace,
    o.name,
    o.fieldPath,
    o.uid,
    o.apiVersion,
    e.type,
    e.reason,
    e.message,
  ].join('');
}

function spamKey(e: Event): string {
  const o = e.involvedObject;
  return [e.source?.component, e.source?.host, o.kind, o.namespace, o.name, o.uid, o.apiVersion].join('');
}

// EventAggregatorByReasonFunc: everything but the message (and fieldPath).
function aggregateKey(e: Event): string {
  const o = e.involvedObject;
  return [
    e.source?.component,
    e.source?.host,
    o.kind,
    o.namespace,
    o.name,
    o.uid,
    o.apiVersion,
    e.type,
    e.reason,
    e.reportingComponent,
    e.reportingInstance,
  ].join('');
}

/** A Map used as an LRU (groupcache/lru): re-inserting moves a key to the end. */
class Lru<V> {
  private readonly m = new Map<string, V>();
  constructor(private readonly max: number) {}
  get(k: string): V | undefined {
    const v = this.m.get(k);
    if (v !== undefined) {
      this.m.delete(k);
      this.m.set(k, v);
    }
    return v;
  }
  set(k: string, v: V): void {
    this.m.delete(k);
    this.m.set(k, v);
    if (this.m.size > this.max) {
      const oldest = this.m.keys().next().value;
      if (oldest !== undefined) {
        this.m.delete(oldest);
      }
    }
  }
}

interface Bucket {
  tokens: number;
  lastMs: number;
}

interface AggregateRecord {
  localKeys: Set<string>;
  lastMs: number;
}

interface EventLog {
  count: number;
  firstTimestamp: string | null | undefined;
  name: string | undefined;
  resourceVersion: string | undefined;
}

export interface CorrelationResult {
  /** The event to send: a new one (count 1) or the known one with count and times updated. */
  event: Event;
  /** Present when the Event already exists on the server: the strategic-merge patch to send. */
  patch?: { count: number; lastTimestamp: string | null | undefined; message: string | undefined };
  /** True when the spam filter dropped the event. */
  skip: boolean;
}

export class EventCorrelator {
  private readonly spam = new Lru<Bucket>(MAX_LRU_ENTRIES);
  private readonly aggregates = new Lru<AggregateRecord>(MAX_LRU_ENTRIES);
  private readonly logs = new Lru<EventLog>(MAX_LRU_ENTRIES);

  constructor(private readonly clock: Clock) {}

  correlate(input: Event): CorrelationResult {
    const now = this.clock.now();
    const [aggregated, key] = this.aggregate(input, now);
    const { event, patch } = this.observe(aggregated, key);
    return { event, ...(patch ? { patch } : {}), skip: this.filter(event, now) };
  }

  /** Records what the server answered (name, resourceVersion, count) for later patches. */
  updateState(e: Event): void {
    this.logs.set(eventKey(e), {
      count: e.count ?? 1,
      firstTimestamp: e.firstTimestamp,
      name: e.metadata.name,
      resourceVersion: e.metadata.resourceVersion,
    });
  }

  // EventSourceObjectSpamFilter.Filter: token bucket per source+object.
  private filter(e: Event, now: number): boolean {
    const k = spamKey(e);
    const b = this.spam.get(k) ?? { tokens: SPAM_BURST, lastMs: now };
    b.tokens = Math.min(SPAM_BURST, b.tokens + ((now - b.lastMs) / 1000) * SPAM_QPS);
    b.lastMs = now;
    const allowed = b.tokens >= 1;
    if (allowed) {
      b.tokens -= 1;
    }
    this.spam.set(k, b);
    return !allowed;
  }

  // EventAggregator.EventAggregate.
  private aggregate(e: Event, now: number): [Event, string] {
    const full = eventKey(e);
    const aggKey = aggregateKey(e);
    let rec = this.aggregates.get(aggKey);
    if (!rec || now - rec.lastMs > AGGREGATE_INTERVAL_MS) {
      rec = { localKeys: new Set(), lastMs: now };
    }
    rec.localKeys.add(e.message ?? '');
    rec.lastMs = now;
    this.aggregates.set(aggKey, rec);
    if (rec.localKeys.size < AGGREGATE_MAX_EVENTS) {
      return [e, full];
    }
    // Do not let the set grow past the threshold (sets.String.PopAny).
    const any = rec.localKeys.values().next().value;
    if (any !== undefined) {
      rec.localKeys.delete(any);
    }
    const ts = rfc3339(now);
    const combined: Event = {
      ...e,
      // Upstream names it `<object>.<hex UnixNano of now>`; the incoming event's name was
      // made the same way by the recorder (and kept unique within the millisecond).
      metadata: { name: e.metadata.name, namespace: e.metadata.namespace },
      count: 1,
      firstTimestamp: ts,
      lastTimestamp: ts,
      message: `(combined from similar events): ${e.message ?? ''}`,
    };
    return [combined, aggKey];
  }

  // eventLogger.eventObserve.
  private observe(e: Event, key: string): { event: Event; patch?: CorrelationResult['patch'] } {
    const last = this.logs.get(key);
    let event = e;
    let patch: CorrelationResult['patch'];
    if (last && last.count > 0) {
      event = {
        ...e,
        metadata: { ...e.metadata, name: last.name, resourceVersion: last.resourceVersion },
        firstTimestamp: last.firstTimestamp,
        count: last.count + 1,
      };
      patch = { count: event.count!, lastTimestamp: event.lastTimestamp, message: event.message };
    }
    this.logs.set(key, {
      count: event.count ?? 1,
      firstTimestamp: event.firstTimestamp,
      name: event.metadata.name,
      resourceVersion: event.metadata.resourceVersion,
    });
    return patch ? { event, patch } : { event };
  }
}
