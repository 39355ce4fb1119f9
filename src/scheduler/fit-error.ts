// The FailedScheduling text (pkg/scheduler/framework/types.go FitError.Error and
// framework/preemption/preemption.go Evaluator.Preempt):
//
//   0/3 nodes are available: 1 Insufficient memory, 2 node(s) didn't match Pod's node affinity/selector.
//   preemption: 0/3 nodes are available: 1 No preemption victims found for incoming pod,
//   2 Preemption is not helpful for scheduling.
//
// (one line, the two parts joined by a space). Histogram entries are "<count> <reason>",
// sorted as strings (sort.Strings, so "10 …" sorts before "2 …") and joined with ", ".

export const NO_NODE_AVAILABLE_MSG = (n: number): string => `0/${n} nodes are available`;
/** ErrNoNodesAvailable: the message when the cluster has no nodes at all. */
export const ERR_NO_NODES_AVAILABLE = 'no nodes available to schedule pods';
export const PREEMPTION_NOT_HELPFUL = 'Preemption is not helpful for scheduling';
export const NO_PREEMPTION_VICTIMS = 'No preemption victims found for incoming pod';
/** PodEligibleToPreemptOthers' answer for preemptionPolicy: Never. */
export const NOT_ELIGIBLE_PREEMPTION_POLICY_NEVER = 'not eligible due to preemptionPolicy=Never.';

/** Go's sort.Strings: byte-wise order (not locale order). */
function byteOrder(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** `0/<n> nodes are available: <histogram>.` from every node's reasons. */
export function formatFitError(numAllNodes: number, reasonsPerNode: Iterable<readonly string[]>): string {
  const counts = new Map<string, number>();
  for (const reasons of reasonsPerNode) {
    for (const r of reasons) {
      counts.set(r, (counts.get(r) ?? 0) + 1);
    }
  }
  const entries = [...counts].map(([reason, n]) => `${n} ${reason}`).sort(byteOrder);
  return `${NO_NODE_AVAILABLE_MSG(numAllNodes)}: ${entries.join(', ')}.`;
}

/** The whole message: the fit error, then the PostFilter (preemption) message after a space. */
export function formatSchedulingFailure(fitError: string, postFilterMsg: string): string {
  return postFilterMsg ? `${fitError} ${postFilterMsg}` : fitError;
}
