// Public entry of pod phase and condition computation (what the node agent reports).
export { derivePodPhase, getPhase, hasAnyRegularContainerStarted } from './phase.js';
export type { DerivePhaseOptions } from './phase.js';
export { reconcilePodPhase } from './reconcile-phase.js';
export type { PhaseWithReason, ReconcilePhaseInput, ReconciledPhase } from './reconcile-phase.js';
export {
  computePodConditions,
  generateContainersReadyCondition,
  generatePodInitializedCondition,
  generatePodReadyCondition,
  generatePodReadyToStartContainersCondition,
  isPodConditionOwnedByKubelet,
  rfc3339Seconds,
  withTransitionTimes,
  CONTAINERS_NOT_INITIALIZED,
  CONTAINERS_NOT_READY,
  POD_COMPLETED,
  POD_FAILED,
  READINESS_GATES_NOT_READY,
  UNKNOWN_CONTAINER_STATUSES,
} from './conditions.js';
export type { PodConditionsInput } from './conditions.js';
