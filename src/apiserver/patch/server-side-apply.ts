// Server-side apply (`application/apply-patch+yaml`): the field manager's Apply
// (staging/src/k8s.io/apimachinery/pkg/util/managedfields/internal/structuredmerge.go) over
// structured-merge-diff's Updater.Apply (merge/update.go), simplified to podbay's schemas:
//   1. the applied configuration is the complete set of fields the manager wants to own
//      (typed ToFieldSet of the config);
//   2. the config merges into the live object by structure: maps by key, associative lists
//      (x-kubernetes-list-type=map) item by item on their keys, sets by value, anything else
//      (scalars, atomic lists) replaced;
//   3. fields the manager applied last time and no longer applies are removed, unless
//      another manager owns them (Updater.prune);
//   4. a field whose value the apply changes and another manager owns is a conflict:
//      409 with the message and causes of internal/conflict.go NewConflictError, unless
//      force=true, which takes the field from its owner;
//   5. the manager's Apply entry becomes exactly the applied set.
import { StatusError } from '../../api/errors.js';
import type { KubeObject, StatusCause } from '../../api/types/index.js';
import { itemElement, pathString, removeAt, toFieldSet } from './field-set.js';
import type { FieldPath } from './field-set.js';
import { PROTO_KEY, cloneJson, dropNulls, isJsonObject } from './json-value.js';
import type { JsonObject } from './json-value.js';
import {
  capUpdateManagers,
  compareObjects,
  decodeManagedFields,
  encodeManagedFields,
  entryFor,
  filterSet,
  ignoredFilter,
} from './managed-fields.js';
import type { ManagerEntry } from './managed-fields.js';
import { childPath, itemPath, lookupFieldMeta } from './patch-schema.js';
import { normalizeAsTyped } from './typed-normalize.js';
import type { FieldMeta } from './patch-schema.js';

/**
 * The typed-conversion errors of an applied configuration (SMD typed.ParseableType.FromUnstructured
 * validating associative lists): an item without a key field, or two items with the same keys.
 */
function validateAssociativeLists(v: unknown, schemaPath: string, fieldPath: string, kind: string): string | undefined {
  if (isJsonObject(v)) {
    for (const [k, x] of Object.entries(v)) {
      const err = validateAssociativeLists(x, childPath(schemaPath, k), `${fieldPath}.${k}`, kind);
      if (err) {
        return err;
      }
    }
    return undefined;
  }
  if (!Array.isArray(v)) {
    return undefined;
  }
  const meta = lookupFieldMeta(kind, schemaPath);
  if (meta.listType !== 'map' && meta.listType !== 'set') {
    return undefined;
  }
  const seen = new Set<string>();
  for (const [i, item] of v.entries()) {
    if (meta.listType === 'map') {
      const missing = (meta.listMapKeys ?? []).find(
        (k) => !(isJsonObject(item) && Object.hasOwn(item, k)) && meta.keyDefaults?.[k] === undefined,
      );
      if (missing !== undefined) {
        return `${fieldPath}: element ${i}: associative list with keys has an element that omits key field ${JSON.stringify(missing)} (and doesn't have default value)`;
      }
    }
    const e = itemElement(meta, item);
    if (e !== undefined && seen.has(e)) {
      return `${fieldPath}: element ${i}: duplicate entries for key ${pathString([e])}`;
    }
    if (e !== undefined) {
      seen.add(e);
    }
    const err = validateAssociativeLists(item, itemPath(schemaPath), `${fieldPath}[${i}]`, kind);
    if (err) {
      return err;
    }
  }
  return undefined;
}

/** The manager that owns what an untracked object held before its first apply. */
export const BEFORE_FIRST_APPLY_MANAGER = 'before-first-apply';

/** typed.TypedValue.Merge: `cfg` over `live`, by structure (see the file comment, step 2). */
function mergeByStructure(live: unknown, cfg: unknown, schemaPath: string, kind: string): unknown {
  if (isJsonObject(live) && isJsonObject(cfg) && !lookupFieldMeta(kind, schemaPath).atomic) {
    const out: JsonObject = { ...live };
    for (const [k, v] of Object.entries(cfg)) {
      if (k !== PROTO_KEY) {
        out[k] = mergeByStructure(Object.hasOwn(live, k) ? live[k] : undefined, v, childPath(schemaPath, k), kind);
      }
    }
    return out;
  }
  if (Array.isArray(live) && Array.isArray(cfg)) {
    const meta = lookupFieldMeta(kind, schemaPath);
    if (meta.listType === 'map' || meta.listType === 'set') {
      const lhs = indexList(live, meta);
      const rhs = indexList(cfg, meta);
      if (lhs && rhs) {
        const mergeItem = (l: unknown, r: unknown): unknown =>
          meta.listType === 'map' && l !== undefined
            ? mergeByStructure(l, r, itemPath(schemaPath), kind)
            : cloneJson(r);
        return mergeListOrder(lhs, rhs, mergeItem);
      }
    }
  }
  return cloneJson(cfg);
}

interface IndexedList {
  order: string[];
  items: Map<string, unknown>;
}

/** indexListPathElements: the items of a list by path element, or undefined if one has no key. */
function indexList(list: unknown[], meta: FieldMeta): IndexedList | undefined {
  const out: IndexedList = { order: [], items: new Map() };
  for (const item of list) {
    const e = itemElement(meta, item);
    if (e === undefined) {
      return undefined;
    }
    if (!out.items.has(e)) {
      out.order.push(e);
      out.items.set(e, item);
    }
  }
  return out;
}

/**
 * The item order of SMD's mergingWalker.visitListItems: live-only items keep their place,
 * applied items come in the applied order, and an item in both is emitted when the applied
 * order reaches it.
 */
function mergeListOrder(lhs: IndexedList, rhs: IndexedList, mergeItem: (l: unknown, r: unknown) => unknown): unknown[] {
  const out: unknown[] = [];
  const shared = rhs.order.filter((e) => lhs.items.has(e));
  let nextShared = shared.shift();
  let l = 0;
  let r = 0;
  while (l < lhs.order.length || r < rhs.order.length) {
    const before = l + r;
    if (l < lhs.order.length && r < rhs.order.length) {
      const pe = lhs.order[l]!;
      if (pe === rhs.order[r]) {
        out.push(mergeItem(lhs.items.get(pe), rhs.items.get(pe)));
        l++;
        r++;
        nextShared = shared.shift();
        continue;
      }
      if (rhs.items.has(pe) && nextShared !== undefined && nextShared !== pe) {
        l++;
        continue;
      }
    }
    if (l < lhs.order.length) {
      const pe = lhs.order[l]!;
      if (!rhs.items.has(pe)) {
        out.push(cloneJson(lhs.items.get(pe)));
        l++;
        continue;
      }
    }
    if (r < rhs.order.length) {
      const pe = rhs.order[r]!;
      out.push(mergeItem(lhs.items.get(pe), rhs.items.get(pe)));
      r++;
      if (nextShared === pe) {
        nextShared = shared.shift();
      }
    }
    if (l + r === before) {
      // A shared live item whose applied twin was already emitted: it is done.
      l++;
    }
  }
  return out;
}

/** printManager of internal/conflict.go. */
function printManager(e: ManagerEntry): string {
  let s = JSON.stringify(e.manager);
  if (e.subresource) {
    s += ` with subresource ${JSON.stringify(e.subresource)}`;
  }
  if (e.operation === 'Update') {
    // BuildManagerIdentifier leaves the time out, so no ` at <time>` is printed.
    s += ` using ${e.apiVersion}`;
  }
  return s;
}

interface Conflict {
  manager: ManagerEntry;
  path: FieldPath;
}

/** errors.NewApplyConflict with internal/conflict.go's message and causes. */
export function newApplyConflict(conflicts: readonly Conflict[]): StatusError {
  const causes: StatusCause[] = conflicts.map((c) => ({
    reason: 'FieldManagerConflict',
    message: `conflict with ${printManager(c.manager)}`,
    field: pathString(c.path),
  }));
  let message: string;
  if (conflicts.length === 1) {
    const c = conflicts[0]!;
    message = `Apply failed with 1 conflict: conflict with ${printManager(c.manager)}: ${pathString(c.path)}`;
  } else {
    const byManager = new Map<string, string[]>();
    for (const c of conflicts) {
      const m = printManager(c.manager);
      byManager.set(m, [...(byManager.get(m) ?? []), pathString(c.path)]);
    }
    const lines: string[] = [];
    for (const m of [...byManager.keys()].sort()) {
      lines.push(`conflicts with ${m}:`);
      for (const p of byManager.get(m)!) {
        lines.push(`- ${p}`);
      }
    }
    message = `Apply failed with ${conflicts.length} conflicts: ${lines.join('\n')}`;
  }
  return new StatusError({
    kind: 'Status',
    apiVersion: 'v1',
    metadata: {},
    status: 'Failure',
    message,
    reason: 'Conflict',
    details: { causes },
    code: 409,
  });
}

/**
 * Applies `applied` (the manager's whole intent) to `live` (undefined: create it) and
 * returns the new object with its managedFields. Throws a 409 StatusError on conflicts
 * unless `force`. Neither argument is modified.
 */
export function serverSideApply(
  live: KubeObject | undefined,
  applied: KubeObject,
  opts: { manager: string; force: boolean; nowIso: string; kind: string },
): KubeObject {
  const kind = opts.kind;
  const cfg = dropNulls(cloneJson(applied)) as KubeObject;
  // The apply handler checks the config's type meta; be total anyway.
  cfg.metadata = isJsonObject(cfg.metadata) ? cfg.metadata : {};
  delete cfg.metadata.managedFields;
  const apiVersion = cfg.apiVersion ?? live?.apiVersion ?? 'v1';
  const invalid = validateAssociativeLists(cfg, '', '', kind);
  if (invalid) {
    // fieldmanager Apply: "failed to create typed patch object (<ns>/<name>; <gvk>): …", an
    // error that is not a Status, so 500 with no reason.
    const group = apiVersion.includes('/') ? apiVersion.split('/')[0]! : '';
    const version = apiVersion.includes('/') ? apiVersion.split('/')[1]! : apiVersion;
    const where = `${cfg.metadata.namespace ?? ''}/${cfg.metadata.name ?? ''}`;
    throw new StatusError({
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: `failed to create typed patch object (${where}; ${group}/${version}, Kind=${kind}): ${invalid}`,
      code: 500,
    });
  }
  const ignored = ignoredFilter(kind);
  const entries = decodeManagedFields(live?.metadata.managedFields);
  const liveBody = live === undefined ? undefined : cloneJson(live);
  if (liveBody) {
    delete liveBody.metadata.managedFields;
  }

  if (liveBody && entries.length === 0) {
    // An object nobody has managed fields of (created or updated untracked): the field manager
    // gives everything it holds to "before-first-apply" before the first apply.
    const set = filterSet(toFieldSet(liveBody, kind, { objectNodes: true }), ignored);
    if (!set.isEmpty()) {
      entries.push({
        manager: BEFORE_FIRST_APPLY_MANAGER,
        operation: 'Update',
        apiVersion: liveBody.apiVersion ?? apiVersion,
        time: opts.nowIso,
        set,
      });
    }
  }

  const appliedSet = filterSet(toFieldSet(cfg, kind), ignored);
  const merged = mergeByStructure(liveBody ?? {}, cfg, '', kind) as KubeObject;

  // Updater.prune: what this manager applied before and no longer does, owned by nobody else.
  const mine = entryFor(entries, opts.manager, 'Apply', apiVersion);
  const others = entries.filter((e) => e !== mine);
  const owned = others.reduce((acc, e) => acc.union(e.set), appliedSet);
  for (const p of mine.set.difference(appliedSet).paths()) {
    if (!owned.hasPrefix(p)) {
      removeAt(merged, p, kind);
    }
  }

  normalizeAsTyped(merged, kind);

  // Updater.update: who loses what the apply changed or removed.
  const cmp = compareObjects(liveBody, merged, kind);
  const changed = filterSet(cmp.changed, ignored);
  const removed = filterSet(cmp.removed, ignored);
  const conflicts: Conflict[] = [];
  for (const e of others) {
    for (const p of e.set.intersection(changed).paths()) {
      conflicts.push({ manager: e, path: p });
    }
  }
  if (conflicts.length > 0 && !opts.force) {
    conflicts.sort((a, b) =>
      a.manager.manager !== b.manager.manager
        ? a.manager.manager < b.manager.manager
          ? -1
          : 1
        : pathString(a.path) < pathString(b.path)
          ? -1
          : 1,
    );
    throw newApplyConflict(conflicts);
  }
  for (const e of others) {
    e.set = e.set.difference(changed).difference(removed);
  }
  if (!appliedSet.equals(mine.set) || mine.time === undefined) {
    mine.time = opts.nowIso;
  }
  mine.set = appliedSet;
  mine.apiVersion = apiVersion;

  const encoded = encodeManagedFields(capUpdateManagers(entries));
  if (encoded.length > 0) {
    merged.metadata.managedFields = encoded;
  } else {
    delete merged.metadata.managedFields;
  }
  return merged;
}
