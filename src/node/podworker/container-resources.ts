// Container-level CRI resources: k8s pkg/kubelet/kuberuntime/
// kuberuntime_container_linux.go#generateLinuxContainerResources with
// pkg/kubelet/cm/helpers_linux.go#MilliCPUToShares / MilliCPUToQuota
// (pod-semantics.md §8.4, §8.5). OOM score adjustment is left to the runtime.
import { Quantity } from '../../api/quantity.js';
import type { Container } from '../../api/types/index.js';
import type { LinuxResources } from '../../runtime/runtime.js';

const MIN_SHARES = 2;
const MAX_SHARES = 262_144;
const SHARES_PER_CPU = 1024;
const QUOTA_PERIOD_US = 100_000;
const MIN_QUOTA_US = 1_000;

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

export function milliCpuToShares(m: number): number {
  if (m === 0) {
    return MIN_SHARES;
  }
  return Math.min(Math.max(Math.floor((m * SHARES_PER_CPU) / 1000), MIN_SHARES), MAX_SHARES);
}

export function milliCpuToQuota(m: number): number {
  if (m === 0) {
    return 0;
  }
  return Math.max(Math.floor((m * QUOTA_PERIOD_US) / 1000), MIN_QUOTA_US);
}

export function containerResources(c: Container): LinuxResources {
  const req = c.resources?.requests ?? {};
  const lim = c.resources?.limits ?? {};
  const cpuReq = milli(req.cpu);
  const cpuLim = milli(lim.cpu);
  const r: LinuxResources = { cpuShares: milliCpuToShares(cpuReq === 0 && cpuLim > 0 ? cpuLim : cpuReq) };
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
