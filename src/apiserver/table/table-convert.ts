// Server-side printing (kubectl get): a meta.k8s.io Table whose cells come from the
// printers of src/api and whose rows carry the object as PartialObjectMetadata, so that
// `-A` and `--show-labels` work (kubectl-contract.md §4;
// k8s.io/apiserver/pkg/endpoints/handlers/response.go transformObject).
import type { KubeObject, Table } from '../../api/types/index.js';
import { tableFor } from '../registry/api-rules.js';
import type { ResourceInfo } from '../registry/resource-info.js';

export type IncludeObject = 'None' | 'Metadata' | 'Object';

export interface TableOptions {
  version: 'v1' | 'v1beta1';
  nowMs: number;
  includeObject: IncludeObject;
  resourceVersion?: string;
  continue?: string;
  remainingItemCount?: number;
  /** Watch events after the first leave the column definitions out. */
  omitColumns?: boolean;
}

/** `?includeObject=` (None|Metadata|Object); Metadata when absent. */
export function parseIncludeObject(v: string | null): IncludeObject {
  return v === 'None' || v === 'Object' ? v : 'Metadata';
}

function partialObjectMetadata(obj: KubeObject, version: string): object {
  const metadata = { ...obj.metadata };
  delete metadata.managedFields;
  return { kind: 'PartialObjectMetadata', apiVersion: `meta.k8s.io/${version}`, metadata };
}

/**
 * Rows for objects of a resource. `printable` are the objects as the printers know them
 * (stored form: core/v1 for events), `served` the objects as the request's version
 * serves them (for includeObject=Object).
 */
export function toTable(info: ResourceInfo, printable: KubeObject[], served: KubeObject[], opts: TableOptions): Table {
  const printed = tableFor(info.selectorResource, printable, opts.nowMs);
  const table: Table = {
    kind: 'Table',
    apiVersion: `meta.k8s.io/${opts.version}`,
    metadata: {},
    columnDefinitions: opts.omitColumns ? [] : printed.columnDefinitions,
    rows: printed.rows.map((r, i) => {
      const row: Table['rows'][number] = { cells: r.cells };
      if (r.conditions) {
        row.conditions = r.conditions;
      }
      if (opts.includeObject === 'Metadata') {
        row.object = partialObjectMetadata(served[i]!, opts.version);
      } else if (opts.includeObject === 'Object') {
        row.object = served[i];
      }
      return row;
    }),
  };
  if (opts.resourceVersion !== undefined) {
    table.metadata.resourceVersion = opts.resourceVersion;
  }
  if (opts.continue) {
    table.metadata.continue = opts.continue;
  }
  if (opts.remainingItemCount !== undefined) {
    table.metadata.remainingItemCount = opts.remainingItemCount;
  }
  return table;
}
