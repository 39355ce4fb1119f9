// The slice of src/client's EventRecorder that the prober, the hook runner and
// the env builder use (client-go tools/record.EventRecorder#Eventf). The real
// EventRecorder satisfies it; tests pass a list-backed fake.
import type { ObjectReference, Pod } from '../../api/types/index.js';
import { containerFieldPath, referenceTo } from '../../client/event-recorder.js';

export type EventType = 'Normal' | 'Warning';

export interface EventRecorderLike {
  /**
   * Records one event about a pod, or a container of it (a reference with a
   * fieldPath). Fire and forget: never throws; repeats are aggregated by the
   * recorder.
   */
  event(target: Pod | ObjectReference, type: EventType, reason: string, message: string): void;
}

/**
 * The reference kubelet events about a container carry: the pod plus
 * `spec.containers{c}` or `spec.initContainers{c}`
 * (k8s pkg/kubelet/container/ref.go#GenerateContainerRef).
 */
export function containerRef(pod: Pod, containerName: string): ObjectReference {
  const isInit = (pod.spec.initContainers ?? []).some((c) => c.name === containerName);
  const withKind: Pod = { ...pod, kind: 'Pod', apiVersion: 'v1' };
  return referenceTo(withKind, containerFieldPath(containerName, isInit ? 'initContainers' : 'containers'));
}
