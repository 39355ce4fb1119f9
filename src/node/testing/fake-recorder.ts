// A list-backed EventRecorderLike for node tests.
import type { ObjectReference, Pod } from '../../api/types/index.js';
import type { EventRecorderLike, EventType } from '../prober/event-recorder-like.js';

export interface RecordedEvent {
  type: EventType;
  reason: string;
  message: string;
  /** `spec.containers{c}` for container events, '' for the pod. */
  fieldPath: string;
}

export class FakeRecorder implements EventRecorderLike {
  readonly events: RecordedEvent[] = [];

  event(target: Pod | ObjectReference, type: EventType, reason: string, message: string): void {
    const fieldPath = 'fieldPath' in target && typeof target.fieldPath === 'string' ? target.fieldPath : '';
    this.events.push({ type, reason, message, fieldPath });
  }

  /** `Reason: message` lines, in order. */
  lines(): string[] {
    return this.events.map((e) => `${e.reason}: ${e.message}`);
  }

  reasons(): string[] {
    return this.events.map((e) => e.reason);
  }
}
