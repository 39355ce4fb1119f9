// The scheduler's resource vector (pkg/scheduler/framework/types.go Resource):
// cpu in millicores, memory and ephemeral-storage in bytes, pods as a count, and
// every other resource (extended, hugepages) as whole units.
import type { ResourceList } from '../api/types/index.js';
import { milliValue, unitValue } from './resource-amount.js';

export interface Resource {
  milliCPU: number;
  memory: number;
  ephemeralStorage: number;
  allowedPodNumber: number;
  scalar: Record<string, number>;
}

export function emptyResource(): Resource {
  return { milliCPU: 0, memory: 0, ephemeralStorage: 0, allowedPodNumber: 0, scalar: {} };
}

export function cloneResource(r: Resource): Resource {
  return { ...r, scalar: { ...r.scalar } };
}

/** NewResource(rl): reads a ResourceList into a Resource. */
export function resourceFromList(rl: ResourceList | undefined): Resource {
  const r = emptyResource();
  for (const [name, q] of Object.entries(rl ?? {})) {
    switch (name) {
      case 'cpu':
        r.milliCPU += milliValue(q);
        break;
      case 'memory':
        r.memory += unitValue(q);
        break;
      case 'ephemeral-storage':
        r.ephemeralStorage += unitValue(q);
        break;
      case 'pods':
        r.allowedPodNumber += unitValue(q);
        break;
      default:
        r.scalar[name] = (r.scalar[name] ?? 0) + unitValue(q);
    }
  }
  return r;
}

export function addResource(into: Resource, r: Resource, sign = 1): void {
  into.milliCPU += sign * r.milliCPU;
  into.memory += sign * r.memory;
  into.ephemeralStorage += sign * r.ephemeralStorage;
  into.allowedPodNumber += sign * r.allowedPodNumber;
  for (const [k, v] of Object.entries(r.scalar)) {
    into.scalar[k] = (into.scalar[k] ?? 0) + sign * v;
  }
}

/** Element-wise max, into `into` (maxResourceList). */
export function maxResource(into: Resource, r: Resource): void {
  into.milliCPU = Math.max(into.milliCPU, r.milliCPU);
  into.memory = Math.max(into.memory, r.memory);
  into.ephemeralStorage = Math.max(into.ephemeralStorage, r.ephemeralStorage);
  into.allowedPodNumber = Math.max(into.allowedPodNumber, r.allowedPodNumber);
  for (const [k, v] of Object.entries(r.scalar)) {
    into.scalar[k] = Math.max(into.scalar[k] ?? 0, v);
  }
}
