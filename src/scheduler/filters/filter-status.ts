// A filter's verdict on one node (pkg/scheduler/framework/interface.go Status codes).
// Unschedulable: preemption might help (resources, ports). UnschedulableAndUnresolvable:
// it cannot (selectors, taints, names) — the difference shows in the preemption message.
export type FilterCode = 'Unschedulable' | 'UnschedulableAndUnresolvable';

export interface FilterStatus {
  code: FilterCode;
  /** Each reason counts once in FailedScheduling's histogram. */
  reasons: string[];
  /** The plugin that rejected (as the scheduler logs it). */
  plugin: string;
}

/** A filter: null when the node fits. */
export type Filter<Ctx> = (ctx: Ctx) => FilterStatus | null;
