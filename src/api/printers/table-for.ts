// Server-side printing: the column definitions and rows kube-apiserver answers for
// `Accept: application/json;as=Table;g=meta.k8s.io;v=v1` (kubectl-contract.md §4).
// Rows always carry every cell, wide ones included; kubectl hides priority > 0
// columns unless -o wide.
import type {
  ConfigMap,
  Event,
  KubeObject,
  Lease,
  Namespace,
  Node,
  Pod,
  Secret,
  TableColumnDefinition,
} from '../types/index.js';
import {
  CONFIGMAP_COLUMNS,
  DEFAULT_COLUMNS,
  LEASE_COLUMNS,
  NAMESPACE_COLUMNS,
  SECRET_COLUMNS,
  configMapRowCells,
  defaultRowCells,
  leaseRowCells,
  namespaceRowCells,
  secretRowCells,
} from './basic-printers.js';
import { EVENT_COLUMNS, eventRowCells } from './event-printer.js';
import { NODE_COLUMNS, nodeRowCells } from './node-printer.js';
import { POD_COLUMNS, podRowCells, podRowConditions, type TableRowCondition } from './pod-printer.js';

export interface PrintedRow {
  cells: unknown[];
  /** Row conditions (finished pods carry Completed=True). */
  conditions?: TableRowCondition[];
}

export interface PrintedTable {
  columnDefinitions: TableColumnDefinition[];
  rows: PrintedRow[];
}

type Printer = { columns: TableColumnDefinition[]; cells: (obj: KubeObject, nowMs: number) => unknown[] };

const PRINTERS: Record<string, Printer | undefined> = {
  pods: { columns: POD_COLUMNS, cells: (o, now) => podRowCells(o as Pod, now) },
  nodes: { columns: NODE_COLUMNS, cells: (o, now) => nodeRowCells(o as Node, now) },
  events: { columns: EVENT_COLUMNS, cells: (o, now) => eventRowCells(o as Event, now) },
  namespaces: { columns: NAMESPACE_COLUMNS, cells: (o, now) => namespaceRowCells(o as Namespace, now) },
  secrets: { columns: SECRET_COLUMNS, cells: (o, now) => secretRowCells(o as Secret, now) },
  configmaps: { columns: CONFIGMAP_COLUMNS, cells: (o, now) => configMapRowCells(o as ConfigMap, now) },
  leases: { columns: LEASE_COLUMNS, cells: (o, now) => leaseRowCells(o as Lease, now) },
};

/**
 * The table of `objs` of `resource` (the plural: 'pods', 'events', 'leases'…) at
 * `nowMs` (ages are relative to it). Resources without a printer get the default
 * table of k8s.io/apiserver (Name, Created At).
 */
export function tableFor(resource: string, objs: KubeObject[], nowMs: number): PrintedTable {
  const printer = PRINTERS[resource];
  if (!printer) {
    return {
      columnDefinitions: DEFAULT_COLUMNS.map((c) => ({ ...c })),
      rows: objs.map((o) => ({ cells: defaultRowCells(o) })),
    };
  }
  return {
    columnDefinitions: printer.columns.map((c) => ({ ...c })),
    rows: objs.map((o) => {
      const row: PrintedRow = { cells: printer.cells(o, nowMs) };
      if (resource === 'pods') {
        const conditions = podRowConditions(o as Pod);
        if (conditions) {
          row.conditions = conditions;
        }
      }
      return row;
    }),
  };
}
