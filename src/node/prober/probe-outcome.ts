// The outcome of one probe attempt, before thresholds: k8s pkg/probe/probe.go
// (Result: Success, Warning, Failure, Unknown) plus the output text the
// Unhealthy / ProbeWarning events show. A probe *error* (upstream's non-nil
// err: an unresolvable named port, an exec that could not run) is `error`; the
// worker throws its result away.
export type ProbeOutcome =
  | { result: 'success'; output: string }
  | { result: 'warning'; output: string }
  | { result: 'failure'; output: string }
  | { result: 'unknown'; output: string; error: string };

/** The cached result a worker publishes (k8s pkg/kubelet/prober/results/results_manager.go). */
export type ProbeResult = 'success' | 'failure' | 'unknown';

/** "Liveness", "Readiness", "Startup": how events name the probe (prober_manager.go probeType.String). */
export function probeTypeTitle(t: 'liveness' | 'readiness' | 'startup'): string {
  return t === 'liveness' ? 'Liveness' : t === 'readiness' ? 'Readiness' : 'Startup';
}
