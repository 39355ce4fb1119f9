// What a probe-triggered kill looks like: the Killing event message and the
// grace period (k8s pkg/kubelet/kuberuntime/kuberuntime_manager.go
// #computePodActions / #computeInitContainerActions, and
// kuberuntime_container.go#killContainer / #setTerminationGracePeriod).
import type { Container, Pod } from '../../api/types/index.js';

export type KillingProbe = 'liveness' | 'startup';

/**
 * `Container c failed liveness probe, will be restarted` (the suffix only
 * when the pod's restartPolicy is not Never); for a sidecar (an init container
 * with restartPolicy Always) `Init container c failed liveness probe`.
 */
export function probeKillMessage(pod: Pod, container: Container, probe: KillingProbe): string {
  const isSidecar = (pod.spec.initContainers ?? []).some((c) => c.name === container.name);
  if (isSidecar) {
    return `Init container ${container.name} failed ${probe} probe`;
  }
  const willRestart = (pod.spec.restartPolicy ?? 'Always') !== 'Never';
  return `Container ${container.name} failed ${probe} probe${willRestart ? ', will be restarted' : ''}`;
}

/**
 * The kill's grace period in seconds: the pod's deletionGracePeriodSeconds if
 * set; else the probe's terminationGracePeriodSeconds (liveness/startup only,
 * KEP-2238); else the pod's terminationGracePeriodSeconds (default 30). The
 * caller still applies the 2 s minimum of killContainer.
 */
export function probeKillGracePeriodSeconds(pod: Pod, container: Container, probe: KillingProbe): number {
  if (pod.metadata.deletionGracePeriodSeconds !== undefined) {
    return pod.metadata.deletionGracePeriodSeconds;
  }
  const spec = probe === 'liveness' ? container.livenessProbe : container.startupProbe;
  if (spec?.terminationGracePeriodSeconds !== undefined) {
    return spec.terminationGracePeriodSeconds;
  }
  return pod.spec.terminationGracePeriodSeconds ?? 30;
}
