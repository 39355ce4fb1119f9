// Event and Lease rules: pkg/registry/core/event/strategy.go and
// pkg/registry/coordination/lease/strategy.go. Both may be created by a PUT
// (AllowCreateOnUpdate), which client-go's event recorder and lease renewers rely on.
import type { Event, Lease } from '../../../api/types/index.js';
import {
  defaultEvent,
  defaultLease,
  validateEvent,
  validateEventUpdate,
  validateLease,
  validateLeaseUpdate,
} from '../api-rules.js';
import type { Strategy } from '../resource-info.js';

export const eventStrategy: Strategy = {
  defaults: (obj) => defaultEvent(obj as Event),
  allowCreateOnUpdate: true,
  allowUnconditionalUpdate: true,
  validate: (obj) => validateEvent(obj as Event),
  validateUpdate: (obj, old) => validateEventUpdate(obj as Event, old as Event),
};

export const leaseStrategy: Strategy = {
  defaults: (obj) => defaultLease(obj as Lease),
  allowCreateOnUpdate: true,
  allowUnconditionalUpdate: true,
  validate: (obj) => validateLease(obj as Lease),
  validateUpdate: (obj, old) => validateLeaseUpdate(obj as Lease, old as Lease),
};
