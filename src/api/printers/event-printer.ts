// The event row of `kubectl get events`: k8s pkg/printers/internalversion/printers.go
// printEvent (core/v1 Event as stored; events.k8s.io/v1 objects print the same once
// converted back).
import type { Event, TableColumnDefinition } from '../types/index.js';
import { translateTimestampSince } from '../duration.js';
import { DOC_NAME, column } from './column-docs.js';

const DOC_FIELD_PATH =
  'If referring to a piece of an object instead of an entire object, this string should contain a valid JSON/Go field access statement, such as desiredState.manifest.containers[2]. For example, if the object reference is to a container within a pod, this would take on a value like: "spec.containers{name}" (where "name" refers to the name of the container that triggered the event) or if no container name is specified "spec.containers[2]" (container with index 2 in this pod). This syntax is chosen only to have some well-defined way of referencing a part of an object.';

export const EVENT_COLUMNS: TableColumnDefinition[] = [
  column('Last Seen', 'string', 'The time at which the most recent occurrence of this event was recorded.'),
  column('Type', 'string', 'Type of this event (Normal, Warning), new types could be added in the future'),
  column(
    'Reason',
    'string',
    "This should be a short, machine understandable string that gives the reason for the transition into the object's current status.",
  ),
  column('Object', 'string', 'The object that this event is about.'),
  column('Subobject', 'string', DOC_FIELD_PATH, { priority: 1 }),
  column('Source', 'string', 'The component reporting this event. Should be a short machine understandable string.', {
    priority: 1,
  }),
  column('Message', 'string', 'A human-readable description of the status of this operation.'),
  column(
    'First Seen',
    'string',
    'The time at which the event was first recorded. (Time of server receipt is in TypeMeta.)',
    {
      priority: 1,
    },
  ),
  column('Count', 'string', 'The number of times this event has occurred.', { priority: 1 }),
  column('Name', 'string', DOC_NAME, { priority: 1, format: 'name' }),
];

/** formatEventSource: component (or reportingController), then `, host` (or reportingInstance) when set. */
export function eventSourceString(ev: Event): string {
  const component = ev.source?.component || ev.reportingComponent || '';
  const instance = ev.source?.host || ev.reportingInstance || '';
  return instance ? `${component}, ${instance}` : component;
}

export function eventRowCells(ev: Event, nowMs: number): unknown[] {
  const firstTimestamp = ev.firstTimestamp
    ? translateTimestampSince(ev.firstTimestamp, nowMs)
    : translateTimestampSince(ev.eventTime, nowMs);
  let lastTimestamp = ev.lastTimestamp ? translateTimestampSince(ev.lastTimestamp, nowMs) : firstTimestamp;
  let count = ev.count ?? 0;
  if (ev.series) {
    lastTimestamp = translateTimestampSince(ev.series.lastObservedTime, nowMs);
    count = ev.series.count ?? 0;
  } else if (count === 0) {
    // Singleton events don't have a count set in the new API.
    count = 1;
  }
  const io = ev.involvedObject ?? {};
  const kind = (io.kind ?? '').toLowerCase();
  const target = io.name ? `${kind}/${io.name}` : kind;
  return [
    lastTimestamp,
    ev.type ?? '',
    ev.reason ?? '',
    target,
    io.fieldPath ?? '',
    eventSourceString(ev),
    (ev.message ?? '').trim(),
    firstTimestamp,
    count,
    ev.metadata.name ?? '',
  ];
}
