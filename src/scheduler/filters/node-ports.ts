// pkg/scheduler/framework/plugins/nodeports/node_ports.go: a host port conflicts when the
// same protocol/port is taken on the same host IP, or either side binds 0.0.0.0.
import type { Pod } from '../../api/types/index.js';
import type { NodeInfo } from '../node-info.js';
import { podHostPorts } from '../node-info.js';
import type { FilterStatus } from './filter-status.js';

export const ERR_REASON_PORTS = "node(s) didn't have free ports for the requested pod ports";

const ANY = '0.0.0.0';

export function filterNodePorts(pod: Pod, ni: NodeInfo): FilterStatus | null {
  for (const { ip, key } of podHostPorts(pod)) {
    const conflict =
      ip === ANY
        ? [...ni.usedPorts.values()].some((m) => m.has(key))
        : (ni.usedPorts.get(ip)?.has(key) ?? false) || (ni.usedPorts.get(ANY)?.has(key) ?? false);
    if (conflict) {
      return { code: 'Unschedulable', reasons: [ERR_REASON_PORTS], plugin: 'NodePorts' };
    }
  }
  return null;
}
