// The three-way merge generateAPIPodStatus applies after getPhase
// (k8s pkg/kubelet/kubelet_pods.go; pod-semantics.md §1.3):
//
//   computed phase ──┐
//   previous status ─┼─► a terminal previous (status manager) or API phase wins
//   API status ──────┘   over a non-terminal computed one; an unchanged phase keeps
//                        the previous reason/message (falling back to the API's);
//                        an eviction forces Failed with its reason/message; and a
//                        phase the API already shows as terminal is never left.
import type { PodPhase } from '../types/index.js';

export interface PhaseWithReason {
  phase?: PodPhase;
  reason?: string;
  message?: string;
}

export interface ReconcilePhaseInput {
  /** derivePodPhase's answer for the current container statuses. */
  computed: PodPhase;
  /** The status the agent last generated (status manager cache); the API status when it has none. */
  previous: PhaseWithReason;
  /** pod.status as the API server has it. */
  api: PhaseWithReason;
  /** A sync handler's verdict (active deadline, eviction): forces Failed with this reason/message. */
  evict?: { reason: string; message: string };
}

export interface ReconciledPhase extends PhaseWithReason {
  phase: PodPhase;
  /**
   * The computed/evicted phase tried to leave a terminal API phase and was forced
   * back ("Pod attempted illegal phase transition"); the caller may log it.
   */
  illegalTransition: boolean;
}

const isTerminal = (p: PodPhase | undefined): p is 'Succeeded' | 'Failed' => p === 'Succeeded' || p === 'Failed';

export function reconcilePodPhase(input: ReconcilePhaseInput): ReconciledPhase {
  const { previous, api } = input;
  let phase = input.computed;
  let reason: string | undefined;
  let message: string | undefined;
  if (!isTerminal(phase)) {
    if (isTerminal(previous.phase)) {
      phase = previous.phase;
    } else if (isTerminal(api.phase)) {
      phase = api.phase;
    }
  }
  if (phase === previous.phase) {
    // preserve the reason and message which are associated with the phase
    reason = previous.reason || api.reason || undefined;
    message = previous.message || api.message || undefined;
  }
  if (input.evict) {
    phase = 'Failed';
    reason = input.evict.reason;
    message = input.evict.message;
  }
  let illegalTransition = false;
  if (isTerminal(api.phase) && phase !== api.phase) {
    illegalTransition = true;
    phase = api.phase;
  }
  const out: ReconciledPhase = { phase, illegalTransition };
  if (reason) {
    out.reason = reason;
  }
  if (message) {
    out.message = message;
  }
  return out;
}
