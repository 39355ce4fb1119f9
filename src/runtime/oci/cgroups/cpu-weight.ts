// cgroup v1 cpu.shares [2, 262144] → cgroup v2 cpu.weight [1, 10000], the
// linear map runc 1.1 (Debian 12's) applies in libcontainer/cgroups/utils.go
// (ConvertCPUSharesToCgroupV2Value) and that the kubelet relies on when it
// hands shares to the runtime. 0 means "unset" and stays 0.
// runc ≥ 1.3.2 and crun ≥ 1.23 use a newer, non-linear map; podbay writes the
// pod and QoS cgroups itself, so it keeps one formula for both levels.
export function cpuSharesToWeight(shares: number): number {
  if (shares === 0) {
    return 0;
  }
  return 1 + Math.floor(((shares - 2) * 9999) / 262_142);
}
