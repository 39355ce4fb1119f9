// The QoS class of a pod: k8s pkg/apis/core/v1/helper/qos/qos.go (ComputePodQOS,
// GetPodQOS), including pod-level resources (KEP-2837, PodLevelResources): when
// spec.resources is set it alone decides.
//
// Only cpu and memory count, and only values > 0. Guaranteed needs cpu and memory
// limits on every container (init containers included; ephemeral ones cannot set
// resources), summed requests equal to summed limits, and as many requested as
// limited resources. No requests and no limits at all is BestEffort.
import { Quantity } from './quantity.js';
import type { Pod, PodQOSClass, ResourceList } from './types/index.js';

const QOS_RESOURCES = new Set(['cpu', 'memory']);

function positive(v: string | number): Quantity | undefined {
  try {
    const q = Quantity.parse(v);
    return q.sign() > 0 ? q : undefined;
  } catch {
    return undefined; // a value that does not parse never reached a stored pod
  }
}

/** processResourceList: adds the positive cpu/memory values of `list` into `into`; returns the names found. */
function addResources(into: Map<string, Quantity>, list: ResourceList | undefined): Set<string> {
  const found = new Set<string>();
  for (const [name, v] of Object.entries(list ?? {})) {
    if (!QOS_RESOURCES.has(name)) {
      continue;
    }
    const q = positive(v);
    if (q) {
      found.add(name);
      const prev = into.get(name);
      into.set(name, prev ? q.add(prev) : q);
    }
  }
  return found;
}

/** ComputePodQOS: the class from the spec alone. */
export function computePodQOS(pod: Pod): PodQOSClass {
  const requests = new Map<string, Quantity>();
  const limits = new Map<string, Quantity>();
  let isGuaranteed = true;
  const podLevel = pod.spec?.resources;
  if (podLevel) {
    addResources(requests, podLevel.requests);
    if (podLevel.limits && Object.keys(podLevel.limits).length > 0) {
      const found = addResources(limits, podLevel.limits);
      if (!found.has('cpu') || !found.has('memory')) {
        isGuaranteed = false;
      }
    } else {
      isGuaranteed = false;
    }
  } else {
    for (const c of [...(pod.spec?.containers ?? []), ...(pod.spec?.initContainers ?? [])]) {
      addResources(requests, c.resources?.requests);
      const found = addResources(limits, c.resources?.limits);
      if (!found.has('cpu') || !found.has('memory')) {
        isGuaranteed = false;
      }
    }
  }
  if (requests.size === 0 && limits.size === 0) {
    return 'BestEffort';
  }
  if (isGuaranteed) {
    for (const [name, req] of requests) {
      const lim = limits.get(name);
      if (!lim || lim.cmp(req) !== 0) {
        isGuaranteed = false;
        break;
      }
    }
  }
  return isGuaranteed && requests.size === limits.size ? 'Guaranteed' : 'Burstable';
}

/** GetPodQOS: status.qosClass when set (it is immutable once set), else computed. */
export function getPodQOS(pod: Pod): PodQOSClass {
  return pod.status?.qosClass || computePodQOS(pod);
}
