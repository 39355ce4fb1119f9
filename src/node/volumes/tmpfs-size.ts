// The size of a memory-backed volume's tmpfs: k8s
// pkg/volume/emptydir/empty_dir.go#calculateEmptyDirMemorySize
// (SizeMemoryBackedVolumes, on by default): node allocatable memory, lowered
// to the pod's memory limit when every container declares one
// (cm.ResourceConfigForPod), lowered again to the volume's sizeLimit.
// secret, downwardAPI and projected volumes use the same rule without a
// sizeLimit (they wrap an emptyDir with medium Memory).
import { parseQuantity } from '../../api/quantity.js';
import type { Container, Pod, QuantityValue } from '../../api/types/index.js';

function memoryLimit(c: Container): number | undefined {
  const v = c.resources?.limits?.memory;
  return v === undefined ? undefined : parseQuantity(v).value();
}

/**
 * The pod's memory limit as its cgroup gets it, or undefined when a
 * container has none (resource helpers PodLimits: regular containers and
 * sidecars add up; a regular init container runs alone, so the pod needs at
 * least its limit).
 */
export function podMemoryLimitBytes(pod: Pod): number | undefined {
  const inits = pod.spec.initContainers ?? [];
  const all = [...pod.spec.containers, ...inits];
  if (all.length === 0 || all.some((c) => memoryLimit(c) === undefined)) {
    return undefined;
  }
  let sum = 0;
  for (const c of pod.spec.containers) {
    sum += memoryLimit(c)!;
  }
  let sidecars = 0;
  let initMax = 0;
  for (const c of inits) {
    if (c.restartPolicy === 'Always') {
      sidecars += memoryLimit(c)!;
    } else {
      initMax = Math.max(initMax, sidecars + memoryLimit(c)!);
    }
  }
  return Math.max(sum + sidecars, initMax);
}

export function memoryBackedSizeBytes(
  nodeAllocatableMemoryBytes: number,
  pod: Pod,
  sizeLimit: QuantityValue | undefined,
): number {
  let size = nodeAllocatableMemoryBytes;
  const podLimit = podMemoryLimitBytes(pod);
  if (podLimit !== undefined && podLimit > 0 && podLimit <= size) {
    size = podLimit;
  }
  if (sizeLimit !== undefined) {
    const v = parseQuantity(sizeLimit).value();
    if (v > 0 && v <= size) {
      size = v;
    }
  }
  return size;
}
