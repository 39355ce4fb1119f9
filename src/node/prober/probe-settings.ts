// Probe timing with the API defaults applied again on the node, so a pod that
// never went through apiserver defaulting (tests, static manifests) probes
// like one that did: k8s pkg/apis/core/v1/defaults.go#SetDefaults_Probe
// (a zero value counts as unset, as Go's defaulting does).
import type { Probe } from '../../api/types/index.js';

export interface ProbeSettings {
  /** Absent means 0: probing starts with the container. */
  initialDelaySeconds: number;
  /** Default 1. */
  timeoutSeconds: number;
  /** Default 10. */
  periodSeconds: number;
  /** Default 1 (liveness and startup must use 1). */
  successThreshold: number;
  /** Default 3. */
  failureThreshold: number;
}

export function probeSettings(p: Probe): ProbeSettings {
  return {
    initialDelaySeconds: p.initialDelaySeconds ?? 0,
    timeoutSeconds: p.timeoutSeconds || 1,
    periodSeconds: p.periodSeconds || 10,
    successThreshold: p.successThreshold || 1,
    failureThreshold: p.failureThreshold || 3,
  };
}
