// pkg/scheduler/framework/plugins/nodename/node_name.go
import type { Pod } from '../../api/types/index.js';
import type { NodeInfo } from '../node-info.js';
import type { FilterStatus } from './filter-status.js';

export const ERR_REASON_NODE_NAME = "node(s) didn't match the requested node name";

export function filterNodeName(pod: Pod, ni: NodeInfo): FilterStatus | null {
  const want = pod.spec.nodeName;
  if (!want || want === ni.node.metadata.name) {
    return null;
  }
  return { code: 'UnschedulableAndUnresolvable', reasons: [ERR_REASON_NODE_NAME], plugin: 'NodeName' };
}
