// CPU request/limit → CFS values: k8s pkg/kubelet/cm/helpers_linux.go
// (MilliCPUToShares, MilliCPUToQuota; pod-semantics.md §8.4). The kubelet keeps
// these in its cgroup manager (cm), so podbay does too.

/** MinShares: the kernel's minimum cpu.shares, and what an unset request means. */
export const MIN_SHARES = 2;
/** MaxShares: the kernel's maximum cpu.shares. */
export const MAX_SHARES = 262_144;
const SHARES_PER_CPU = 1024;
const MILLI_CPU_TO_CPU = 1000;
/** QuotaPeriod: 100 ms, the kubelet's default cpuCFSQuotaPeriod. */
export const QUOTA_PERIOD_US = 100_000;
/** MinQuotaPeriod: the kernel refuses a CFS quota below 1 ms. */
export const MIN_QUOTA_PERIOD_US = 1_000;

/** cpu.shares for `milliCpu`: 0 → 2; else m×1024/1000 (integer) clamped to [2, 262144]. */
export function milliCpuToShares(milliCpu: number): number {
  if (milliCpu === 0) {
    // Zero would mean "unset" (1024) to the kernel; 2 really is "nothing requested".
    return MIN_SHARES;
  }
  const shares = Math.floor((milliCpu * SHARES_PER_CPU) / MILLI_CPU_TO_CPU);
  return Math.min(Math.max(shares, MIN_SHARES), MAX_SHARES);
}

/** CFS quota in µs for `milliCpu` over `periodUs`: 0 → 0 (no quota); else m×period/1000, at least 1000. */
export function milliCpuToQuota(milliCpu: number, periodUs: number = QUOTA_PERIOD_US): number {
  if (milliCpu === 0) {
    return 0;
  }
  const quota = Math.floor((milliCpu * periodUs) / MILLI_CPU_TO_CPU);
  return Math.max(quota, MIN_QUOTA_PERIOD_US);
}
