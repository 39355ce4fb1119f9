// The scheduler's view of the cluster (pkg/scheduler/backend/cache/cache.go, trimmed):
// nodes, and the pods that hold resources on them — bound pods from the informer plus
// "assumed" pods the scheduler has decided on but whose binding the informer has not
// shown yet, so that two pods decided back to back do not both take the last slot.
import type { Node, Pod } from '../api/types/index.js';
import {
  addPodToNodeInfo,
  holdsNodeResources,
  newNodeInfo,
  removePodFromNodeInfo,
  setNodeOfNodeInfo,
} from './node-info.js';
import type { NodeInfo } from './node-info.js';

function podKey(p: Pod): string {
  return `${p.metadata.namespace ?? ''}/${p.metadata.name ?? ''}`;
}

interface Entry {
  pod: Pod;
  nodeName: string;
  assumed: boolean;
}

export class SchedulerCache {
  private readonly infos = new Map<string, NodeInfo>();
  private readonly pods = new Map<string, Entry>();

  /** One NodeInfo per node, kept up to date in place. Read it; do not change it. */
  nodeInfos(): Map<string, NodeInfo> {
    return this.infos;
  }

  setNode(node: Node): void {
    const name = node.metadata.name!;
    const ni = this.infos.get(name);
    if (ni) {
      setNodeOfNodeInfo(ni, node);
      return;
    }
    const fresh = newNodeInfo(node);
    this.infos.set(name, fresh);
    for (const e of this.pods.values()) {
      if (e.nodeName === name) {
        addPodToNodeInfo(fresh, e.pod);
      }
    }
  }

  removeNode(name: string): void {
    this.infos.delete(name);
  }

  /**
   * A pod from the informer: kept when bound and not terminal, dropped otherwise. A real
   * binding replaces an assumption.
   */
  updatePod(pod: Pod): void {
    const key = podKey(pod);
    this.remove(key);
    if (holdsNodeResources(pod)) {
      this.add(key, pod, pod.spec.nodeName!, false);
    }
  }

  removePod(pod: Pod): void {
    this.remove(podKey(pod));
  }

  /** Counts pod on nodeName until the informer shows its binding (or forget()). */
  assume(pod: Pod, nodeName: string): void {
    const key = podKey(pod);
    this.remove(key);
    this.add(key, { ...pod, spec: { ...pod.spec, nodeName } }, nodeName, true);
  }

  /** Drops an assumption whose binding failed; a real binding seen meanwhile stays. */
  forget(pod: Pod): void {
    const key = podKey(pod);
    if (this.pods.get(key)?.assumed) {
      this.remove(key);
    }
  }

  isAssumed(pod: Pod): boolean {
    return this.pods.get(podKey(pod))?.assumed ?? false;
  }

  private add(key: string, pod: Pod, nodeName: string, assumed: boolean): void {
    this.pods.set(key, { pod, nodeName, assumed });
    const ni = this.infos.get(nodeName);
    if (ni) {
      addPodToNodeInfo(ni, pod);
    }
  }

  private remove(key: string): void {
    const e = this.pods.get(key);
    if (!e) {
      return;
    }
    this.pods.delete(key);
    const ni = this.infos.get(e.nodeName);
    if (ni) {
      removePodFromNodeInfo(ni, e.pod);
    }
  }
}
