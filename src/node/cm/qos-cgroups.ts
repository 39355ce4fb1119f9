// The QoS-level cgroups every pod cgroup sits in: k8s pkg/kubelet/cm/
// qos_container_manager_linux.go (Start, setCPUCgroupConfig) and
// node_container_manager_linux.go (the node-allocatable "kubepods" cgroup).
// pod-semantics.md §8.3.
//
// kubepods            cpu.shares from node allocatable cpu, memory = allocatable memory
//   burstable         cpu.shares = shares(sum of the cpu requests of Burstable pods)
//   besteffort        cpu.shares = 2 (always)
// Guaranteed pods have no QoS cgroup of their own: they sit in kubepods.
//
// The kubelet re-applies these every minute (periodicQOSCgroupUpdateInterval)
// and whenever a pod is added; the agent calls syncQosCgroups at the same
// moments. QOSReserved (memory reservations per tier) is an alpha feature
// that is off by default and not modelled.
import { getPodQOS } from '../../api/qos.js';
import type { Pod } from '../../api/types/index.js';
import type { LinuxResources } from '../../runtime/runtime.js';
import { MIN_SHARES, milliCpuToShares } from './cpu-conversion.js';
import { DEFAULT_CGROUP_ROOT, kubepodsCgroupPath, qosCgroupPath } from './pod-cgroup-config.js';
import { computePodResourceTotals } from './pod-resource-totals.js';

/** The part of the runtime's cgroup driver the agent needs (structurally a CgroupDriver). */
export interface CgroupEnsurer {
  ensure(path: string, r: LinuxResources): Promise<void>;
}

/** Node allocatable: what pods may use in all (podbay reserves nothing for the system). */
export interface NodeAllocatable {
  cpuMilli: number;
  memoryBytes: number;
}

export interface QosCgroupConfig {
  path: string;
  resources: LinuxResources;
}

/**
 * The QoS cgroups, parents first, with their values for the pods now active
 * on the node (pods whose cgroups exist or are about to).
 */
export function computeQosCgroupConfigs(
  activePods: readonly Pod[],
  allocatable: NodeAllocatable,
  cgroupRoot: string = DEFAULT_CGROUP_ROOT,
): QosCgroupConfig[] {
  let burstableCpuRequestMilli = 0;
  for (const pod of activePods) {
    if (getPodQOS(pod) === 'Burstable') {
      burstableCpuRequestMilli += computePodResourceTotals(pod).cpuRequestMilli;
    }
  }
  return [
    {
      path: kubepodsCgroupPath(cgroupRoot),
      resources: { cpuShares: milliCpuToShares(allocatable.cpuMilli), memoryLimitInBytes: allocatable.memoryBytes },
    },
    {
      path: qosCgroupPath('Burstable', cgroupRoot),
      resources: { cpuShares: milliCpuToShares(burstableCpuRequestMilli) },
    },
    { path: qosCgroupPath('BestEffort', cgroupRoot), resources: { cpuShares: MIN_SHARES } },
  ];
}

/** Creates (or updates) the QoS cgroups, parents first. Idempotent; safe to call again at any time. */
export async function syncQosCgroups(
  driver: CgroupEnsurer,
  activePods: readonly Pod[],
  allocatable: NodeAllocatable,
  cgroupRoot: string = DEFAULT_CGROUP_ROOT,
): Promise<QosCgroupConfig[]> {
  const configs = computeQosCgroupConfigs(activePods, allocatable, cgroupRoot);
  for (const c of configs) {
    await driver.ensure(c.path, c.resources);
  }
  return configs;
}
