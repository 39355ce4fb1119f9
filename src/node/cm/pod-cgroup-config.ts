// The pod cgroup: where it sits (k8s pkg/kubelet/cm/qos_container_manager_linux.go,
// pod_container_manager_linux.go#GetPodContainerName, helpers_linux.go
// #GetPodCgroupNameSuffix) and what it is sized to (helpers_linux.go
// #ResourceConfigForPod). pod-semantics.md §8.3, §8.4.
//
// podbay roots its hierarchy at /podbay (the kubelet's --cgroup-root defaults
// to "/"), so /podbay/kubepods/... never collides with a kubelet, podman or
// systemd slice on the same machine, and every podbay cgroup is recognisable
// by its first component. Below the root the layout is the kubelet's
// cgroupfs layout, unchanged:
//
//   /podbay/kubepods                    node allocatable (root of all pods)
//   /podbay/kubepods/pod<uid>           Guaranteed pods
//   /podbay/kubepods/burstable/pod<uid>
//   /podbay/kubepods/besteffort/pod<uid>
import { posix } from 'node:path';
import { getPodQOS } from '../../api/qos.js';
import type { Pod, PodQOSClass } from '../../api/types/index.js';
import type { LinuxResources } from '../../runtime/runtime.js';
import { MIN_SHARES, QUOTA_PERIOD_US, milliCpuToQuota, milliCpuToShares } from './cpu-conversion.js';
import { computePodResourceTotals } from './pod-resource-totals.js';

/** podbay's --cgroup-root: everything podbay creates lives below it. */
export const DEFAULT_CGROUP_ROOT = '/podbay';
/** defaultNodeAllocatableCgroupName. */
export const KUBEPODS_CGROUP_NAME = 'kubepods';
/** GetPodCgroupNameSuffix: "pod" + uid. */
export const POD_CGROUP_NAME_PREFIX = 'pod';

export interface PodCgroupOptions {
  /** Defaults to DEFAULT_CGROUP_ROOT. */
  cgroupRoot?: string;
  /** The kubelet's cpuCFSQuota (default true); false writes quota −1 (unlimited). */
  enforceCpuLimits?: boolean;
  /** The kubelet's cpuCFSQuotaPeriod in µs (default 100000). */
  cpuPeriodUs?: number;
}

export interface PodCgroupConfig {
  /** Absolute cgroupfs path of the pod cgroup, e.g. "/podbay/kubepods/burstable/pod<uid>". */
  cgroupParent: string;
  /** The pod cgroup's values (oomScoreAdj is per container and never set here). */
  resources: LinuxResources;
}

/** The node-allocatable cgroup, parent of every QoS and pod cgroup. */
export function kubepodsCgroupPath(cgroupRoot: string = DEFAULT_CGROUP_ROOT): string {
  return posix.join('/', cgroupRoot, KUBEPODS_CGROUP_NAME);
}

/** QOSContainersInfo: Guaranteed pods sit in kubepods itself; the others in a lowercase QoS child. */
export function qosCgroupPath(qos: PodQOSClass, cgroupRoot: string = DEFAULT_CGROUP_ROOT): string {
  const kubepods = kubepodsCgroupPath(cgroupRoot);
  switch (qos) {
    case 'Guaranteed':
      return kubepods;
    case 'Burstable':
      return posix.join(kubepods, 'burstable');
    case 'BestEffort':
      return posix.join(kubepods, 'besteffort');
  }
}

/** GetPodContainerName: the pod's cgroup under its QoS class's cgroup. */
export function podCgroupPath(pod: Pod, cgroupRoot: string = DEFAULT_CGROUP_ROOT): string {
  const uid = pod.metadata.uid ?? '';
  if (uid === '' || uid.includes('/')) {
    throw new Error(`pod ${pod.metadata.namespace ?? ''}/${pod.metadata.name ?? ''} has no usable uid for its cgroup`);
  }
  return posix.join(qosCgroupPath(getPodQOS(pod), cgroupRoot), POD_CGROUP_NAME_PREFIX + uid);
}

/**
 * ResourceConfigForPod:
 * - Guaranteed: shares from the summed cpu requests, quota/period from the
 *   summed cpu limits, memory = the summed memory limits;
 * - Burstable: shares; quota/period only if every container limits cpu;
 *   memory only if every container limits memory;
 * - BestEffort: shares 2 only.
 */
export function podCgroupConfig(pod: Pod, options: PodCgroupOptions = {}): PodCgroupConfig {
  const period = options.cpuPeriodUs ?? QUOTA_PERIOD_US;
  const totals = computePodResourceTotals(pod);
  const cpuShares = milliCpuToShares(totals.cpuRequestMilli);
  // "quota is not capped when cfs quota is disabled"
  const cpuQuota = options.enforceCpuLimits === false ? -1 : milliCpuToQuota(totals.cpuLimitMilli, period);
  const resources: LinuxResources = {};
  switch (getPodQOS(pod)) {
    case 'Guaranteed':
      resources.cpuShares = cpuShares;
      resources.cpuQuota = cpuQuota;
      resources.cpuPeriod = period;
      resources.memoryLimitInBytes = totals.memoryLimitBytes;
      break;
    case 'Burstable':
      resources.cpuShares = cpuShares;
      if (totals.cpuLimitsDeclared) {
        resources.cpuQuota = cpuQuota;
        resources.cpuPeriod = period;
      }
      if (totals.memoryLimitsDeclared) {
        resources.memoryLimitInBytes = totals.memoryLimitBytes;
      }
      break;
    case 'BestEffort':
      resources.cpuShares = MIN_SHARES;
      break;
  }
  return { cgroupParent: podCgroupPath(pod, options.cgroupRoot), resources };
}
