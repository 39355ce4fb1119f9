// Container-level CRI resources: k8s pkg/kubelet/kuberuntime/
// kuberuntime_container_linux.go#generateLinuxContainerResources, with the CFS
// conversions of the agent's cgroup manager (src/node/cm, pod-semantics.md §8.4,
// §8.5) and oom_score_adj by QoS (pkg/kubelet/qos/policy.go, §8.2).
import { Quantity } from '../../api/quantity.js';
import type { Container, Pod } from '../../api/types/index.js';
import type { LinuxResources } from '../../runtime/runtime.js';
import { containerOomScoreAdj } from '../cm/container-oom-score-adj.js';
import { milliCpuToQuota, milliCpuToShares, QUOTA_PERIOD_US } from '../cm/cpu-conversion.js';

function milli(v: string | number | undefined): number {
  if (v === undefined) {
    return 0;
  }
  try {
    return Quantity.parse(v).milliValue();
  } catch {
    return 0;
  }
}

export function containerResources(pod: Pod, c: Container, memoryCapacityBytes: number): LinuxResources {
  const req = c.resources?.requests ?? {};
  const lim = c.resources?.limits ?? {};
  const cpuReq = milli(req.cpu);
  const cpuLim = milli(lim.cpu);
  const r: LinuxResources = {
    cpuShares: milliCpuToShares(cpuReq === 0 && cpuLim > 0 ? cpuLim : cpuReq),
    oomScoreAdj: containerOomScoreAdj(pod, c, memoryCapacityBytes),
  };
  if (cpuLim > 0) {
    r.cpuQuota = milliCpuToQuota(cpuLim);
    r.cpuPeriod = QUOTA_PERIOD_US;
  }
  const mem = lim.memory as string | undefined;
  if (mem !== undefined) {
    const bytes = Math.ceil(milli(mem) / 1000);
    if (bytes > 0) {
      r.memoryLimitInBytes = bytes;
    }
  }
  return r;
}
