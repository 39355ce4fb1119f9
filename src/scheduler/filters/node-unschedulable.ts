// pkg/scheduler/framework/plugins/nodeunschedulable/node_unschedulable.go
import type { Pod } from '../../api/types/index.js';
import type { NodeInfo } from '../node-info.js';
import { TAINT_UNSCHEDULABLE } from '../node-info.js';
import { toleratesTaint } from '../tolerations.js';
import type { FilterStatus } from './filter-status.js';

export const ERR_REASON_UNSCHEDULABLE = 'node(s) were unschedulable';

/** spec.unschedulable (kubectl cordon) rejects pods that do not tolerate node.kubernetes.io/unschedulable:NoSchedule. */
export function filterNodeUnschedulable(pod: Pod, ni: NodeInfo): FilterStatus | null {
  if (!ni.node.spec?.unschedulable) {
    return null;
  }
  const tolerated = (pod.spec.tolerations ?? []).some((t) =>
    toleratesTaint(t, { key: TAINT_UNSCHEDULABLE, effect: 'NoSchedule' }),
  );
  return tolerated
    ? null
    : { code: 'UnschedulableAndUnresolvable', reasons: [ERR_REASON_UNSCHEDULABLE], plugin: 'NodeUnschedulable' };
}
