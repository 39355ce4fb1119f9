// events.k8s.io/v1 is another view of the stored core/v1 Event
// (pkg/apis/events/v1/conversion.go): involvedObject↔regarding, message↔note,
// source↔deprecatedSource, first/lastTimestamp↔deprecatedFirst/LastTimestamp,
// count↔deprecatedCount, reportingComponent↔reportingController.
import type { Event, EventV1, KubeObject } from '../../api/types/index.js';
import type { ObjectView } from './resource-info.js';

function setIf<T extends object, K extends keyof T>(o: T, k: K, v: T[K] | undefined): void {
  if (v !== undefined) {
    o[k] = v;
  }
}

export function eventToV1(stored: Event): EventV1 {
  const out: EventV1 = {
    kind: 'Event',
    apiVersion: 'events.k8s.io/v1',
    metadata: stored.metadata,
    eventTime: stored.eventTime ?? null,
  };
  if (stored.series && stored.series.count !== undefined && stored.series.lastObservedTime !== undefined) {
    out.series = { count: stored.series.count, lastObservedTime: stored.series.lastObservedTime };
  }
  setIf(out, 'reportingController', stored.reportingComponent || undefined);
  setIf(out, 'reportingInstance', stored.reportingInstance || undefined);
  setIf(out, 'action', stored.action || undefined);
  setIf(out, 'reason', stored.reason || undefined);
  setIf(out, 'regarding', stored.involvedObject);
  setIf(out, 'related', stored.related);
  setIf(out, 'note', stored.message || undefined);
  setIf(out, 'type', stored.type);
  if (stored.source && (stored.source.component || stored.source.host)) {
    out.deprecatedSource = stored.source;
  }
  setIf(out, 'deprecatedFirstTimestamp', stored.firstTimestamp ?? undefined);
  setIf(out, 'deprecatedLastTimestamp', stored.lastTimestamp ?? undefined);
  setIf(out, 'deprecatedCount', stored.count || undefined);
  return out;
}

export function eventFromV1(served: EventV1): Event {
  const out: Event = {
    kind: 'Event',
    apiVersion: 'v1',
    metadata: served.metadata,
    involvedObject: served.regarding ?? {},
    eventTime: served.eventTime ?? null,
  };
  if (served.series) {
    out.series = served.series;
  }
  setIf(out, 'reportingComponent', served.reportingController);
  setIf(out, 'reportingInstance', served.reportingInstance);
  setIf(out, 'action', served.action);
  setIf(out, 'reason', served.reason);
  setIf(out, 'related', served.related);
  setIf(out, 'message', served.note);
  setIf(out, 'type', served.type);
  setIf(out, 'source', served.deprecatedSource);
  setIf(out, 'firstTimestamp', served.deprecatedFirstTimestamp ?? undefined);
  setIf(out, 'lastTimestamp', served.deprecatedLastTimestamp ?? undefined);
  setIf(out, 'count', served.deprecatedCount);
  return out;
}

export const eventsV1View: ObjectView = {
  toServed: (stored: KubeObject) => eventToV1(stored as Event),
  fromServed: (served: KubeObject) => eventFromV1(served as EventV1),
};
