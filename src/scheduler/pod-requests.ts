// What a pod asks of a node, summed as Kubernetes sums it
// (k8s.io/component-helpers/resource/helpers.go PodRequests / AggregateContainerRequests,
// the same function pkg/api/v1/resource/helpers.go exposes):
//
//   regular  = Σ containers + Σ sidecars (init containers with restartPolicy Always)
//   init(i)  = Σ sidecars before i + init container i      (for a regular init container)
//            = Σ sidecars up to and including i            (for a sidecar)
//   request  = max(regular, max_i init(i)) + spec.overhead
import type { Container, Pod } from '../api/types/index.js';
import { addResource, cloneResource, emptyResource, maxResource, resourceFromList } from './resource.js';
import type { Resource } from './resource.js';

/** schedutil.DefaultMilliCPURequest / DefaultMemoryRequest: what scoring assumes for a container that asks for nothing. */
export const DEFAULT_MILLI_CPU_REQUEST = 100;
export const DEFAULT_MEMORY_REQUEST = 200 * 1024 * 1024;

function isSidecar(c: Container): boolean {
  return c.restartPolicy === 'Always';
}

function containerRequests(c: Container, nonZero: boolean): Resource {
  const r = resourceFromList(c.resources?.requests);
  if (nonZero) {
    // NonMissingContainerRequests: only a missing request gets the default, an explicit 0 stays 0.
    const req = c.resources?.requests ?? {};
    if (!('cpu' in req)) {
      r.milliCPU = DEFAULT_MILLI_CPU_REQUEST;
    }
    if (!('memory' in req)) {
      r.memory = DEFAULT_MEMORY_REQUEST;
    }
  }
  return r;
}

/**
 * The pod's total request. With nonZero, containers without a cpu/memory request count
 * the scoring defaults (100m, 200Mi), as NodeResourcesFit's scorer does.
 */
export function computePodRequests(pod: Pod, opts: { nonZero?: boolean } = {}): Resource {
  const nonZero = opts.nonZero ?? false;
  const reqs = emptyResource();
  for (const c of pod.spec.containers ?? []) {
    addResource(reqs, containerRequests(c, nonZero));
  }
  const sidecarSum = emptyResource();
  const initMax = emptyResource();
  for (const c of pod.spec.initContainers ?? []) {
    const cr = containerRequests(c, nonZero);
    let use: Resource;
    if (isSidecar(c)) {
      addResource(reqs, cr);
      addResource(sidecarSum, cr);
      use = cloneResource(sidecarSum);
    } else {
      use = cloneResource(cr);
      addResource(use, sidecarSum);
    }
    maxResource(initMax, use);
  }
  maxResource(reqs, initMax);
  if (pod.spec.overhead) {
    addResource(reqs, resourceFromList(pod.spec.overhead));
  }
  return reqs;
}
