// Public entry of the printers (kubectl's server-side tables and pod strings).
export { tableFor } from './table-for.js';
export type { PrintedRow, PrintedTable } from './table-for.js';
export {
  podReadinessGatesString,
  podReadyString,
  podRestartsString,
  podStatusString,
  summarizePod,
  NODE_UNREACHABLE_POD_REASON,
} from './pod-printer.js';
export type { TableRowCondition } from './pod-printer.js';
export { nodeRoles, nodeStatusString } from './node-printer.js';
export { eventSourceString } from './event-printer.js';
