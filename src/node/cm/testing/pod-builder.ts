// Pods with resources for the cm tests, as the API server stores them (limits
// copied into missing requests, §10) but without status.qosClass, so the QoS
// class is computed from the spec.
import type { Container, Pod, ResourceList } from '../../../api/types/index.js';

export interface ContainerResources {
  name?: string;
  requests?: ResourceList;
  limits?: ResourceList;
  /** 'Always' makes an init container a sidecar. */
  restartPolicy?: 'Always';
}

export interface ResourcePodOptions {
  uid?: string;
  containers?: ContainerResources[];
  initContainers?: ContainerResources[];
  overhead?: ResourceList;
  podResources?: { requests?: ResourceList; limits?: ResourceList };
  priorityClassName?: string;
  priority?: number;
}

function container(c: ContainerResources, i: number, prefix: string): Container {
  const requests = { ...c.limits, ...c.requests };
  const resources =
    c.limits || c.requests
      ? { ...(Object.keys(requests).length ? { requests } : {}), ...(c.limits ? { limits: c.limits } : {}) }
      : undefined;
  return {
    name: c.name ?? `${prefix}${i}`,
    image: 'busybox',
    ...(resources ? { resources } : {}),
    ...(c.restartPolicy ? { restartPolicy: c.restartPolicy } : {}),
  };
}

export function resourcePod(o: ResourcePodOptions = {}): Pod {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'p', namespace: 'default', uid: o.uid ?? 'u-1' },
    spec: {
      containers: (o.containers ?? [{}]).map((c, i) => container(c, i, 'c')),
      ...(o.initContainers ? { initContainers: o.initContainers.map((c, i) => container(c, i, 'init')) } : {}),
      ...(o.overhead ? { overhead: o.overhead } : {}),
      ...(o.podResources ? { resources: o.podResources } : {}),
      ...(o.priorityClassName ? { priorityClassName: o.priorityClassName } : {}),
      ...(o.priority !== undefined ? { priority: o.priority } : {}),
    },
  };
}
