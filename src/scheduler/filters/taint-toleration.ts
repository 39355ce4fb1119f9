// pkg/scheduler/framework/plugins/tainttoleration/taint_toleration.go (v1.32 message form).
import type { Pod } from '../../api/types/index.js';
import type { NodeInfo } from '../node-info.js';
import { findUntoleratedTaint } from '../tolerations.js';
import type { FilterStatus } from './filter-status.js';

/** Only NoSchedule and NoExecute taints keep pods off a node (DoNotScheduleTaintsFilterFunc). */
export function filterTaintToleration(pod: Pod, ni: NodeInfo): FilterStatus | null {
  const taint = findUntoleratedTaint(
    ni.taints,
    pod.spec.tolerations ?? [],
    (t) => t.effect === 'NoSchedule' || t.effect === 'NoExecute',
  );
  if (!taint) {
    return null;
  }
  return {
    code: 'UnschedulableAndUnresolvable',
    reasons: [`node(s) had untolerated taint {${taint.key}: ${taint.value ?? ''}}`],
    plugin: 'TaintToleration',
  };
}
