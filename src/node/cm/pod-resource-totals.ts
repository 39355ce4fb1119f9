// A pod's effective cpu/memory requests and limits, as the kubelet sums them for
// its pod cgroup: k8s staging/src/k8s.io/component-helpers/resource/helpers.go
// (PodRequests, PodLimits, aggregateContainerResourcesByFn) and the
// "limits declared" tracking of pkg/kubelet/cm/helpers_linux.go
// (ResourceConfigForPod's ContainerFn, v1.30–v1.33). pod-semantics.md §8.4, §5.3.
//
// Init containers follow the sidecar KEP (753): while init container i runs,
// the pod uses sum(sidecars before i) + init container i; the pod's value is
// max(sum(regular containers) + sum(sidecars), max over i of that).
import { Quantity } from '../../api/quantity.js';
import type { Container, Pod, ResourceList } from '../../api/types/index.js';

const POD_LEVEL_RESOURCES = ['cpu', 'memory'] as const;
type Name = (typeof POD_LEVEL_RESOURCES)[number];
type Totals = Map<Name, Quantity>;

export interface PodResourceTotals {
  /** AggregateContainerRequests' memory: the containers' own sum, before pod-level values and overhead. */
  containerMemoryRequestBytes: number;
  /** Summed cpu requests in millicores (MilliValue). */
  cpuRequestMilli: number;
  /** Summed memory requests in bytes (Value, rounded up). */
  memoryRequestBytes: number;
  /** Summed cpu limits in millicores; 0 when none. */
  cpuLimitMilli: number;
  /** Summed memory limits in bytes; 0 when none. */
  memoryLimitBytes: number;
  /** Every container (init containers with their sidecar sums) has a cpu limit, or the pod has one. */
  cpuLimitsDeclared: boolean;
  /** Every container has a memory limit, or the pod has one. */
  memoryLimitsDeclared: boolean;
}

function parse(v: string | number | undefined): Quantity | undefined {
  if (v === undefined) {
    return undefined;
  }
  try {
    return Quantity.parse(v);
  } catch {
    return undefined; // a value that does not parse never reached a stored pod
  }
}

function toTotals(list: ResourceList | undefined): Totals {
  const out: Totals = new Map();
  for (const name of POD_LEVEL_RESOURCES) {
    const q = parse(list?.[name]);
    if (q) {
      out.set(name, q);
    }
  }
  return out;
}

function addInto(into: Totals, add: Totals): void {
  for (const [name, q] of add) {
    const prev = into.get(name);
    into.set(name, prev ? prev.add(q) : q);
  }
}

function maxInto(into: Totals, other: Totals): void {
  for (const [name, q] of other) {
    const prev = into.get(name);
    if (!prev || q.cmp(prev) > 0) {
      into.set(name, q);
    }
  }
}

function isSidecar(c: Container): boolean {
  return c.restartPolicy === 'Always';
}

/**
 * aggregateContainerResourcesByFn: `pick` chooses requests or limits; `seen`
 * is called with what each container contributes (ContainerFn).
 */
function aggregate(pod: Pod, pick: (c: Container) => ResourceList | undefined, seen: (t: Totals) => void): Totals {
  const result: Totals = new Map();
  for (const c of pod.spec.containers ?? []) {
    const r = toTotals(pick(c));
    seen(r);
    addInto(result, r);
  }
  const sidecars: Totals = new Map();
  const initMax: Totals = new Map();
  for (const c of pod.spec.initContainers ?? []) {
    let r = toTotals(pick(c));
    if (isSidecar(c)) {
      addInto(result, r);
      addInto(sidecars, r);
      r = new Map(sidecars);
    } else {
      const combined: Totals = new Map();
      addInto(combined, r);
      addInto(combined, sidecars);
      r = combined;
    }
    seen(r);
    maxInto(initMax, r);
  }
  maxInto(result, initMax);
  return result;
}

function isZero(t: Totals, name: Name): boolean {
  const q = t.get(name);
  return !q || q.isZero();
}

/** PodRequests + PodLimits (+ overhead) + which limits every container declares. */
export function computePodResourceTotals(pod: Pod): PodResourceTotals {
  let cpuLimitsDeclared = true;
  let memoryLimitsDeclared = true;
  const requests = aggregate(
    pod,
    (c) => c.resources?.requests,
    () => undefined,
  );
  const limits = aggregate(
    pod,
    (c) => c.resources?.limits,
    (t) => {
      if (isZero(t, 'cpu')) {
        cpuLimitsDeclared = false;
      }
      if (isZero(t, 'memory')) {
        memoryLimitsDeclared = false;
      }
    },
  );

  const containerMemoryRequestBytes = requests.get('memory')?.value() ?? 0;

  // Pod-level resources (KEP-2837) replace the container sums for cpu and memory.
  const podLevel = pod.spec.resources;
  if (podLevel) {
    for (const [name, q] of toTotals(podLevel.requests)) {
      requests.set(name, q);
    }
    const podLimits = toTotals(podLevel.limits);
    for (const [name, q] of podLimits) {
      limits.set(name, q);
    }
    if (!isZero(podLimits, 'cpu')) {
      cpuLimitsDeclared = true;
    }
    if (!isZero(podLimits, 'memory')) {
      memoryLimitsDeclared = true;
    }
  }

  // Pod overhead (RuntimeClass) counts in every request, and in limits that exist.
  const overhead = toTotals(pod.spec.overhead);
  addInto(requests, overhead);
  for (const [name, q] of overhead) {
    const lim = limits.get(name);
    if (lim && !lim.isZero()) {
      limits.set(name, lim.add(q));
    }
  }

  return {
    containerMemoryRequestBytes,
    cpuRequestMilli: requests.get('cpu')?.milliValue() ?? 0,
    memoryRequestBytes: requests.get('memory')?.value() ?? 0,
    cpuLimitMilli: limits.get('cpu')?.milliValue() ?? 0,
    memoryLimitBytes: limits.get('memory')?.value() ?? 0,
    cpuLimitsDeclared,
    memoryLimitsDeclared,
  };
}
