// Sandboxes and containers by their pod UID label, so that a lookup with that label in
// its selector reads the pod's few entries instead of filtering every one on the node.
// The agent asks for a pod's sandboxes and containers on every sync
// (node/podworker/runtime-pod-status.ts), so without it a sync costs O(pods on the
// node). The label is the kubelet's (pkg/kubelet/types/labels.go KubernetesPodUIDLabel).

/** The CRI label carrying the pod's UID on sandboxes and containers. */
export const POD_UID_LABEL = 'io.kubernetes.pod.uid';

type Labels = Record<string, string>;

export class PodUidIndex<T> {
  private readonly byUid = new Map<string, Set<T>>();

  add(labels: Labels, item: T): void {
    const uid = labels[POD_UID_LABEL];
    if (uid === undefined) {
      return;
    }
    let set = this.byUid.get(uid);
    if (!set) {
      set = new Set();
      this.byUid.set(uid, set);
    }
    set.add(item);
  }

  remove(labels: Labels, item: T): void {
    const uid = labels[POD_UID_LABEL];
    const set = uid === undefined ? undefined : this.byUid.get(uid);
    if (set?.delete(item) && set.size === 0) {
      this.byUid.delete(uid!);
    }
  }

  /**
   * The items that can match selector when it names a pod UID (a superset: the caller
   * still matches every label), or undefined when it names none.
   */
  candidates(selector: Labels | undefined): Iterable<T> | undefined {
    const uid = selector?.[POD_UID_LABEL];
    if (uid === undefined) {
      return undefined;
    }
    return this.byUid.get(uid) ?? [];
  }
}
