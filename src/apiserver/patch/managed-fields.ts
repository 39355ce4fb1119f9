// metadata.managedFields bookkeeping for ordinary writes (create, update, patch), as the
// apiserver's field manager does it (staging/src/k8s.io/apimachinery/pkg/util/managedfields/
// internal/{structuredmerge.go,managedfieldsupdater.go,stripmeta.go,fieldmanager.go} over
// sigs.k8s.io/structured-merge-diff merge/update.go Updater.Update):
//   - the writer's entry (manager, operation Update, apiVersion, subresource) gains every
//     field the write added or changed and loses the ones it removed;
//   - every other manager loses the fields the write changed or removed (an Update always
//     "forces");
//   - entries left empty disappear; the writer's time is the time of its last change;
//   - entries are sorted as managedfields' encoder sorts them (Apply before Update, then by
//     time, manager, apiVersion, subresource).
import type { KubeObject, ManagedFieldsEntry } from '../../api/types/index.js';
import { FieldSet, fromFieldsV1, toFieldSet, toFieldsV1, valueAt } from './field-set.js';
import type { FieldPath } from './field-set.js';
import { isJsonObject, jsonEqual } from './json-value.js';

export interface ManagerEntry {
  manager: string;
  operation: 'Apply' | 'Update';
  apiVersion: string;
  time?: string;
  subresource?: string;
  set: FieldSet;
}

export function decodeManagedFields(entries: readonly ManagedFieldsEntry[] | undefined): ManagerEntry[] {
  return (entries ?? []).map((e) => {
    const m: ManagerEntry = {
      manager: e.manager ?? '',
      operation: e.operation ?? 'Update',
      apiVersion: e.apiVersion ?? '',
      set: fromFieldsV1(e.fieldsV1),
    };
    if (e.time !== undefined) {
      m.time = e.time;
    }
    if (e.subresource) {
      m.subresource = e.subresource;
    }
    return m;
  });
}

/** The wire form, without empty entries, sorted like managedfields' sortEncodedManagedFields. */
export function encodeManagedFields(entries: readonly ManagerEntry[]): ManagedFieldsEntry[] {
  const kept = entries.filter((e) => !e.set.isEmpty());
  kept.sort((p, q) => {
    if (p.operation !== q.operation) {
      return p.operation < q.operation ? -1 : 1;
    }
    const pt = (p.time ?? '').slice(0, 19);
    const qt = (q.time ?? '').slice(0, 19);
    if (pt !== qt) {
      return pt < qt ? -1 : 1;
    }
    if (p.manager !== q.manager) {
      return p.manager < q.manager ? -1 : 1;
    }
    if (p.apiVersion !== q.apiVersion) {
      return p.apiVersion < q.apiVersion ? -1 : 1;
    }
    return (p.subresource ?? '') < (q.subresource ?? '') ? -1 : (p.subresource ?? '') > (q.subresource ?? '') ? 1 : 0;
  });
  return kept.map((e) => {
    const out: ManagedFieldsEntry = { manager: e.manager, operation: e.operation, apiVersion: e.apiVersion };
    if (e.time !== undefined) {
      out.time = e.time;
    }
    out.fieldsType = 'FieldsV1';
    out.fieldsV1 = toFieldsV1(e.set);
    if (e.subresource) {
      out.subresource = e.subresource;
    }
    return out;
  });
}

/** managedfields DefaultMaxUpdateManagers and the bucket older updaters merge into (capmanagers.go). */
export const MAX_UPDATE_MANAGERS = 10;
export const ANCIENT_CHANGES_MANAGER = 'ancient-changes';

/**
 * capUpdateManagers: past 10 Update entries, the oldest (by time, then name) are merged into
 * an `ancient-changes` entry of their apiVersion, which keeps the latest of their times.
 */
export function capUpdateManagers(entries: ManagerEntry[]): ManagerEntry[] {
  const live = entries.filter((e) => !e.set.isEmpty());
  const seconds = (e: ManagerEntry): string => (e.time ?? '').slice(0, 19);
  for (;;) {
    const updaters = live.filter((e) => e.operation === 'Update');
    if (updaters.length <= MAX_UPDATE_MANAGERS) {
      return live;
    }
    updaters.sort((a, b) =>
      seconds(a) !== seconds(b) ? (seconds(a) < seconds(b) ? -1 : 1) : a.manager < b.manager ? -1 : 1,
    );
    const oldest = updaters.find((e) => e.manager !== ANCIENT_CHANGES_MANAGER || e.subresource) ?? updaters[0]!;
    live.splice(live.indexOf(oldest), 1);
    let bucket = live.find(
      (e) => e.manager === ANCIENT_CHANGES_MANAGER && e.operation === 'Update' && e.apiVersion === oldest.apiVersion,
    );
    if (!bucket) {
      bucket = {
        manager: ANCIENT_CHANGES_MANAGER,
        operation: 'Update',
        apiVersion: oldest.apiVersion,
        set: new FieldSet(),
      };
      live.push(bucket);
    }
    bucket.set = bucket.set.union(oldest.set);
    if (oldest.time !== undefined && (bucket.time === undefined || seconds(oldest) > seconds(bucket))) {
      bucket.time = oldest.time;
    }
  }
}

/** Kinds whose status is a subresource: their main resource's writes never own status. */
const STATUS_SUBRESOURCE_KINDS = new Set(['Pod', 'Node', 'Namespace']);

/**
 * The reset fields of a strategy (GetResetFields in pkg/registry/core/pod/strategy.go and
 * friends): the main resource does not own `status`, the status subresource owns only it.
 */
export function ignoredFilter(kind: string, subresource?: string): (p: FieldPath) => boolean {
  if (subresource === 'status') {
    return (p) => p[0] !== 'f:status';
  }
  if (STATUS_SUBRESOURCE_KINDS.has(kind)) {
    return (p) => p[0] === 'f:status';
  }
  return () => false;
}

export function filterSet(set: FieldSet, ignored: (p: FieldPath) => boolean): FieldSet {
  return FieldSet.of([...set.paths()].filter((p) => !ignored(p)));
}

function isNonEmptyObject(v: unknown): boolean {
  return isJsonObject(v) && Object.keys(v).length > 0;
}

export interface Comparison {
  /** Members added or given another value by the write (typed.Comparison Added ∪ Modified). */
  changed: FieldSet;
  /** Members the write removed. */
  removed: FieldSet;
}

/** typed.TypedValue.Compare, on the Update-shaped sets (object nodes included). */
export function compareObjects(oldObj: unknown, newObj: unknown, kind: string): Comparison {
  const oldSet = oldObj === undefined ? new FieldSet() : toFieldSet(oldObj, kind, { objectNodes: true });
  const newSet = toFieldSet(newObj, kind, { objectNodes: true });
  const changed = new FieldSet();
  for (const p of newSet.paths()) {
    const before = oldObj === undefined ? { found: false, value: undefined } : valueAt(oldObj, p, kind);
    const after = valueAt(newObj, p, kind);
    if (!before.found) {
      changed.insert(p);
    } else if (isNonEmptyObject(after.value) && isNonEmptyObject(before.value)) {
      // A node with members below it changes only by appearing; its members speak for it.
      continue;
    } else if (!jsonEqual(before.value, after.value)) {
      changed.insert(p);
    }
  }
  return { changed, removed: oldSet.difference(newSet) };
}

function sameEntry(
  e: ManagerEntry,
  manager: string,
  operation: 'Apply' | 'Update',
  apiVersion: string,
  sub?: string,
): boolean {
  return (
    e.manager === manager &&
    e.operation === operation &&
    (e.subresource ?? '') === (sub ?? '') &&
    // BuildManagerIdentifier: appliers are one manager whatever the apiVersion.
    (operation === 'Apply' || e.apiVersion === apiVersion)
  );
}

/** Finds (or adds) the entry of one manager identity. */
export function entryFor(
  entries: ManagerEntry[],
  manager: string,
  operation: 'Apply' | 'Update',
  apiVersion: string,
  subresource?: string,
): ManagerEntry {
  let e = entries.find((x) => sameEntry(x, manager, operation, apiVersion, subresource));
  if (!e) {
    e = { manager, operation, apiVersion, set: new FieldSet() };
    if (subresource) {
      e.subresource = subresource;
    }
    entries.push(e);
  }
  return e;
}

/**
 * Records an ordinary write (create when `oldObj` is undefined, update, or non-apply patch)
 * by `manager` in the managed fields of `newObj`, and returns a copy of `newObj` with them.
 * A `newObj` that carries managedFields of its own starts from those (a client may reset
 * them); otherwise from `oldObj`'s.
 */
export function updateManagedFields(
  oldObj: KubeObject | undefined,
  newObj: KubeObject,
  opts: { manager: string; nowIso: string; subresource?: string },
): KubeObject {
  const kind = newObj.kind ?? oldObj?.kind ?? '';
  const apiVersion = newObj.apiVersion ?? oldObj?.apiVersion ?? 'v1';
  const entries = decodeManagedFields(newObj.metadata.managedFields ?? oldObj?.metadata.managedFields);
  const ignored = ignoredFilter(kind, opts.subresource);
  const cmp = compareObjects(oldObj, newObj, kind);
  const changed = filterSet(cmp.changed, ignored);
  const removed = filterSet(cmp.removed, ignored);
  const mine = entryFor(entries, opts.manager, 'Update', apiVersion, opts.subresource);
  for (const e of entries) {
    if (e !== mine) {
      e.set = e.set.difference(changed).difference(removed);
    }
  }
  const next = mine.set.difference(removed).union(changed);
  if (!next.equals(mine.set) || mine.time === undefined) {
    mine.time = opts.nowIso;
  }
  mine.set = next;
  const out: KubeObject = { ...newObj, metadata: { ...newObj.metadata } };
  const encoded = encodeManagedFields(capUpdateManagers(entries));
  if (encoded.length > 0) {
    out.metadata.managedFields = encoded;
  } else {
    delete out.metadata.managedFields;
  }
  return out;
}
