// Plain-value builders for scheduler and controller tests.
import type { Container, Node, Pod } from '../../api/types/index.js';

export function nodeWith(
  name: string,
  o: { cpu?: string; memory?: string; pods?: string; labels?: Record<string, string> } = {},
  mutate?: (n: Node) => void,
): Node {
  const n: Node = {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: { name, uid: `uid-${name}`, labels: { 'kubernetes.io/hostname': name, ...o.labels } },
    spec: {},
    status: {
      capacity: { cpu: o.cpu ?? '4', memory: o.memory ?? '8Gi', pods: o.pods ?? '110' },
      allocatable: { cpu: o.cpu ?? '4', memory: o.memory ?? '8Gi', pods: o.pods ?? '110' },
      conditions: [
        { type: 'Ready', status: 'True', reason: 'KubeletReady', message: 'kubelet is posting ready status' },
      ],
    },
  };
  mutate?.(n);
  return n;
}

export function container(name: string, requests?: Record<string, string>, extra: Partial<Container> = {}): Container {
  return { name, image: 'busybox', ...(requests ? { resources: { requests } } : {}), ...extra };
}

export function podWith(name: string, mutate?: (p: Pod) => void, namespace = 'default'): Pod {
  const p: Pod = {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace, uid: `uid-${namespace}-${name}` },
    spec: { containers: [container('app')], schedulerName: 'default-scheduler' },
    status: { phase: 'Pending' },
  };
  mutate?.(p);
  return p;
}

/** A pod already bound to nodeName and Running. */
export function boundPod(name: string, nodeName: string, mutate?: (p: Pod) => void): Pod {
  return podWith(name, (p) => {
    p.spec.nodeName = nodeName;
    p.status = { phase: 'Running' };
    mutate?.(p);
  });
}
