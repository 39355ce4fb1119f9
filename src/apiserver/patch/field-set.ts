// Sets of field paths, as sigs.k8s.io/structured-merge-diff (SMD) fieldpath keeps them and
// as they are serialized into `metadata.managedFields[].fieldsV1`
// (SMD fieldpath/serialize.go, fieldpath/path.go, typed/tofieldset.go).
//
// A path is a list of path elements, each in its serialized form:
//   f:<name>          a field of a struct or a key of a map
//   k:{"name":"c"}    the item of an associative list (x-kubernetes-list-type: map) with those keys
//   v:"x"             the item of a set (x-kubernetes-list-type: set)
// A path in a set means its node is a member: a leaf, or (`.` in fieldsV1) a node that also
// has members below it.
import { isJsonObject, jsonEqual } from './json-value.js';
import type { JsonObject } from './json-value.js';
import { childPath, itemPath, lookupFieldMeta } from './patch-schema.js';
import type { FieldMeta } from './patch-schema.js';

export type FieldPath = readonly string[];

/**
 * A set of paths, keyed by their JSON encoding; the path itself is kept beside its key so
 * iterating never re-parses it (managedFields are computed on every write).
 */
export class FieldSet {
  private readonly members = new Map<string, FieldPath>();

  static of(paths: Iterable<FieldPath>): FieldSet {
    const s = new FieldSet();
    for (const p of paths) {
      s.insert(p);
    }
    return s;
  }

  insert(p: FieldPath): void {
    const key = JSON.stringify(p);
    if (!this.members.has(key)) {
      // A copy: callers may build paths in an array they go on changing.
      this.members.set(key, [...p]);
    }
  }

  has(p: FieldPath): boolean {
    return this.members.has(JSON.stringify(p));
  }

  get size(): number {
    return this.members.size;
  }

  isEmpty(): boolean {
    return this.members.size === 0;
  }

  paths(): IterableIterator<FieldPath> {
    return this.members.values();
  }

  union(o: FieldSet): FieldSet {
    return FieldSet.of([...this.paths(), ...o.paths()]);
  }

  difference(o: FieldSet): FieldSet {
    return FieldSet.of([...this.paths()].filter((p) => !o.has(p)));
  }

  intersection(o: FieldSet): FieldSet {
    return FieldSet.of([...this.paths()].filter((p) => o.has(p)));
  }

  /** Whether `p` or a path below it is a member. */
  hasPrefix(p: FieldPath): boolean {
    const head = JSON.stringify(p).slice(0, -1);
    for (const m of this.members.keys()) {
      if (m === head + ']' || m.startsWith(head + ',')) {
        return true;
      }
    }
    return false;
  }

  equals(o: FieldSet): boolean {
    return this.size === o.size && [...this.members.keys()].every((m) => o.members.has(m));
  }
}

// ---- fieldsV1 ---------------------------------------------------------------

/** Serialization order of SMD PathElement.Less: fields, then keys, then values, then indexes. */
const ELEMENT_ORDER: Record<string, number> = { f: 0, k: 1, v: 2, i: 3 };

function compareElements(a: string, b: string): number {
  const d = (ELEMENT_ORDER[a[0]!] ?? 9) - (ELEMENT_ORDER[b[0]!] ?? 9);
  return d !== 0 ? d : a < b ? -1 : a > b ? 1 : 0;
}

interface Node {
  self: boolean;
  children: Map<string, Node>;
}

/** The fieldsV1 object of a set: leaves are `{}`, a member with members below it has `.`. */
export function toFieldsV1(set: FieldSet): JsonObject {
  const root: Node = { self: false, children: new Map() };
  for (const p of set.paths()) {
    let n = root;
    for (const e of p) {
      let c = n.children.get(e);
      if (!c) {
        c = { self: false, children: new Map() };
        n.children.set(e, c);
      }
      n = c;
    }
    n.self = true;
  }
  const encode = (n: Node): JsonObject => {
    const out: JsonObject = {};
    if (n.self && n.children.size > 0) {
      out['.'] = {};
    }
    for (const k of [...n.children.keys()].sort(compareElements)) {
      out[k] = encode(n.children.get(k)!);
    }
    return out;
  };
  return encode(root);
}

/** The set a fieldsV1 object describes (fieldpath.Set.FromJSON). */
export function fromFieldsV1(v: unknown): FieldSet {
  const set = new FieldSet();
  const walk = (o: unknown, path: string[]): void => {
    if (!isJsonObject(o)) {
      return;
    }
    const keys = Object.keys(o);
    if (path.length > 0 && (keys.length === 0 || keys.includes('.'))) {
      set.insert(path);
    }
    for (const k of keys) {
      if (k !== '.') {
        walk(o[k], [...path, k]);
      }
    }
  };
  walk(v, []);
  return set;
}

/** fieldpath.Path.String(): `.spec.containers[name="c"].image`. */
export function pathString(p: FieldPath): string {
  return p
    .map((e) => {
      const body = e.slice(2);
      switch (e[0]) {
        case 'f':
          return `.${body}`;
        case 'k': {
          const keys = JSON.parse(body) as JsonObject;
          return `[${Object.entries(keys)
            .map(([k, v]) => `${k}=${JSON.stringify(v)}`)
            .join(',')}]`;
        }
        case 'v':
          return `[=${body}]`;
        default:
          return `[${body}]`;
      }
    })
    .join('');
}

// ---- objects → sets ---------------------------------------------------------

/**
 * Fields the field manager never tracks (managedfields/internal/stripmeta.go): type meta and
 * the ObjectMeta fields the server sets.
 */
const STRIPPED = new Set([
  'apiVersion',
  'kind',
  'metadata.name',
  'metadata.namespace',
  'metadata.creationTimestamp',
  'metadata.selfLink',
  'metadata.uid',
  'metadata.clusterName',
  'metadata.generation',
  'metadata.managedFields',
  'metadata.resourceVersion',
]);

/** The path element of a list item, or undefined when the item cannot be identified. */
export function itemElement(meta: FieldMeta, item: unknown): string | undefined {
  if (meta.listType === 'set') {
    return `v:${JSON.stringify(item)}`;
  }
  if (meta.listType === 'map' && isJsonObject(item)) {
    const keys: JsonObject = {};
    for (const k of [...(meta.listMapKeys ?? [])].sort()) {
      const v = item[k] ?? meta.keyDefaults?.[k];
      if (v === undefined) {
        return undefined;
      }
      keys[k] = v;
    }
    return `k:${JSON.stringify(keys)}`;
  }
  return undefined;
}

export interface ToFieldSetOptions {
  /**
   * Also make members of objects that are not always-present Go structs (maps, pointer
   * structs): the shape of sets computed by comparing objects for an Update, where such a
   * node appears with `.` (`f:labels: {".": {}, "f:app": {}}`).
   */
  objectNodes?: boolean;
}

/**
 * ToFieldSet: the members of an object: its leaves, empty objects, null values, list
 * items of associative lists and sets, and atomic lists as wholes.
 */
export function toFieldSet(obj: unknown, kind: string, opts: ToFieldSetOptions = {}): FieldSet {
  const set = new FieldSet();
  const visit = (v: unknown, path: string[], schemaPath: string): void => {
    if (isJsonObject(v)) {
      const keys = Object.keys(v);
      if (keys.length === 0 || (path.length > 0 && lookupFieldMeta(kind, schemaPath).atomic)) {
        set.insert(path);
        return;
      }
      if (
        opts.objectNodes &&
        path.length > 0 &&
        !lookupFieldMeta(kind, schemaPath).struct &&
        path[path.length - 1]!.startsWith('f:')
      ) {
        set.insert(path);
      }
      for (const k of keys) {
        const sp = childPath(schemaPath, k);
        if (STRIPPED.has(sp)) {
          continue;
        }
        visit(v[k], [...path, `f:${k}`], sp);
      }
      return;
    }
    if (Array.isArray(v)) {
      const meta = lookupFieldMeta(kind, schemaPath);
      const elems = v.map((item) => itemElement(meta, item));
      if (meta.listType === undefined || meta.listType === 'atomic' || elems.some((e) => e === undefined)) {
        set.insert(path);
        return;
      }
      v.forEach((item, i) => {
        const p = [...path, elems[i]!];
        set.insert(p);
        if (meta.listType === 'map' && isJsonObject(item) && !lookupFieldMeta(kind, itemPath(schemaPath)).atomic) {
          for (const k of Object.keys(item)) {
            visit(item[k], [...p, `f:${k}`], childPath(itemPath(schemaPath), k));
          }
        }
      });
      return;
    }
    set.insert(path);
  };
  visit(obj, [], '');
  return set;
}

// ---- navigating objects by path ---------------------------------------------

function findItem(list: unknown[], elem: string, meta: FieldMeta): number {
  return list.findIndex((item) => itemElement(meta, item) === elem);
}

/** The value at `path` in `obj`, if there is one. */
export function valueAt(obj: unknown, path: FieldPath, kind: string): { found: boolean; value: unknown } {
  let cur: unknown = obj;
  let schemaPath = '';
  for (const e of path) {
    if (e.startsWith('f:')) {
      const k = e.slice(2);
      if (!isJsonObject(cur) || !Object.hasOwn(cur, k)) {
        return { found: false, value: undefined };
      }
      cur = cur[k];
      schemaPath = childPath(schemaPath, k);
    } else {
      if (!Array.isArray(cur)) {
        return { found: false, value: undefined };
      }
      const i = findItem(cur, e, lookupFieldMeta(kind, schemaPath));
      if (i < 0) {
        return { found: false, value: undefined };
      }
      cur = cur[i];
      schemaPath = itemPath(schemaPath);
    }
  }
  return { found: true, value: cur };
}

/** Removes the node at `path` from `obj` (mutating it); a missing path is a no-op. */
export function removeAt(obj: unknown, path: FieldPath, kind: string): void {
  if (path.length === 0) {
    return;
  }
  const parentPath = path.slice(0, -1);
  const parent = valueAt(obj, parentPath, kind);
  if (!parent.found) {
    return;
  }
  const last = path[path.length - 1]!;
  if (last.startsWith('f:')) {
    if (isJsonObject(parent.value)) {
      delete parent.value[last.slice(2)];
    }
    return;
  }
  if (Array.isArray(parent.value)) {
    const schemaPath = schemaPathOf(parentPath);
    const i = findItem(parent.value, last, lookupFieldMeta(kind, schemaPath));
    if (i >= 0) {
      parent.value.splice(i, 1);
    }
  }
}

/** The schema path (patch-schema.ts form) of a field path. */
export function schemaPathOf(path: FieldPath): string {
  let sp = '';
  for (const e of path) {
    sp = e.startsWith('f:') ? childPath(sp, e.slice(2)) : itemPath(sp);
  }
  return sp;
}

/** Whether two values at a path are the same for ownership purposes. */
export function sameValue(a: { found: boolean; value: unknown }, b: { found: boolean; value: unknown }): boolean {
  return a.found === b.found && (!a.found || jsonEqual(a.value, b.value));
}
