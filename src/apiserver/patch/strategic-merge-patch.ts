// Strategic merge patch as kube-apiserver applies it: strategicpatch.StrategicMergeMapPatch
// (staging/src/k8s.io/apimachinery/pkg/util/strategicpatch/patch.go) with the server's
// options MergeParallelList=true, IgnoreUnmatchedNulls=true, and the error mapping of
// handlers/patch.go interpretStrategicMergePatchError:
//   - mergepatch.ErrBadJSONDoc, ErrBadPatchFormatFor{PrimitiveList,RetainKeys,
//     SetElementOrderList}, ErrUnsupportedStrategicMergePatchFormat  → 400 BadRequest;
//   - ErrNoListOfLists, ErrPatchContentNotMatchRetainKeys            → 422 Invalid (generic message);
//   - anything else (no merge key, unknown $patch, …)                → 500 with the raw message
//     (responsewriters ErrorToAPIStatus for an error that is not a Status).
// The functions below keep upstream's names so the two can be read side by side.
import { StatusError, newBadRequest } from '../../api/errors.js';
import { newPatchApplyError } from './json-patch.js';
import { PROTO_KEY, cloneJson, isJsonObject, jsonEqual } from './json-value.js';
import type { JsonObject } from './json-value.js';
import { childPath, itemPath, lookupFieldMeta } from './patch-schema.js';
import { normalizeAsTyped } from './typed-normalize.js';

const DIRECTIVE_MARKER = '$patch';
const RETAIN_KEYS = '$retainKeys';
const SET_ELEMENT_ORDER = '$setElementOrder/';
const DELETE_FROM_PRIMITIVE_LIST = '$deleteFromPrimitiveList/';

// mergepatch/errors.go messages.
const ERR_NO_LIST_OF_LISTS = 'lists of lists are not supported';
const ERR_BAD_RETAIN_KEYS = 'invalid patch format of retainKeys';
const ERR_BAD_SET_ELEMENT_ORDER = 'invalid patch format of setElementOrder list';
const ERR_BAD_PRIMITIVE_LIST = 'invalid patch format of primitive list';

/** A plain Go error reaching the handler: 500, reason Unknown (empty), the error's text. */
function newUnknownError(message: string): StatusError {
  return new StatusError({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, code: 500 });
}

/** Go's %v of an unstructured value, for messages that print one (`map[name:c]`). */
function goFormat(v: unknown): string {
  if (Array.isArray(v)) {
    return `[${v.map(goFormat).join(' ')}]`;
  }
  if (isJsonObject(v)) {
    const keys = Object.keys(v).sort();
    return `map[${keys.map((k) => `${k}:${goFormat(v[k])}`).join(' ')}]`;
  }
  if (v === null || v === undefined) {
    return '<nil>';
  }
  return typeof v === 'string' ? v : JSON.stringify(v);
}

function errNoMergeKey(m: JsonObject, key: string): StatusError {
  return newUnknownError(`map: ${goFormat(m)} does not contain declared merge key: ${key}`);
}

function errBadPatchType(t: unknown, m: JsonObject): StatusError {
  return newUnknownError(`unknown patch type: ${goFormat(t)} in map: ${goFormat(m)}`);
}

/** What decoding into a typed object does to what the patch inserts: nulls and directives vanish. */
function sanitize(v: unknown): unknown {
  if (Array.isArray(v)) {
    return v.filter((x) => !(isJsonObject(x) && Object.hasOwn(x, DIRECTIVE_MARKER))).map(sanitize);
  }
  if (isJsonObject(v)) {
    const out: JsonObject = {};
    for (const [k, x] of Object.entries(v)) {
      if (x !== null && !k.startsWith('$') && k !== PROTO_KEY) {
        out[k] = sanitize(x);
      }
    }
    return out;
  }
  return v;
}

type ValueKind = 'map' | 'list' | 'string' | 'number' | 'boolean' | 'null';

function kindOf(v: unknown): ValueKind {
  if (Array.isArray(v)) {
    return 'list';
  }
  if (v === null || v === undefined) {
    return 'null';
  }
  if (isJsonObject(v)) {
    return 'map';
  }
  return typeof v as 'string' | 'number' | 'boolean';
}

/** sliceElementType: every element of every slice has one type, and it is not a list. */
function sliceElementType(...slices: unknown[][]): ValueKind {
  let prev: ValueKind | undefined;
  for (const s of slices) {
    for (const v of s) {
      const k = kindOf(v);
      if (prev === undefined) {
        if (k === 'list') {
          throw newPatchApplyError(ERR_NO_LIST_OF_LISTS);
        }
        prev = k;
      } else if (prev !== k) {
        throw newUnknownError(`list element types are not identical: ${goFormat(slices)}`);
      }
    }
  }
  if (prev === undefined) {
    throw newUnknownError('no elements in any of the given slices');
  }
  return prev;
}

function mergeKeyValue(item: unknown, mergeKey: string): unknown {
  return isJsonObject(item) ? item[mergeKey] : undefined;
}

/** index(): where `item` sits in `list`, by merge key for maps and by value for primitives. */
function indexIn(list: unknown[], item: unknown, mergeKey: string, kind: ValueKind): number {
  if (kind === 'map') {
    const want = mergeKeyValue(item, mergeKey);
    return list.findIndex((x) => isJsonObject(x) && jsonEqual(x[mergeKey], want));
  }
  return list.findIndex((x) => jsonEqual(x, item));
}

function extractToDeleteItems(list: unknown[]): { keep: unknown[]; toDelete: unknown[] } {
  const keep: unknown[] = [];
  const toDelete: unknown[] = [];
  for (const v of list) {
    if (isJsonObject(v) && v[DIRECTIVE_MARKER] === 'delete') {
      toDelete.push(v);
    } else {
      keep.push(v);
    }
  }
  return { keep, toDelete };
}

function deleteMatchingEntries(list: unknown[], mergeKey: string, value: unknown): unknown[] {
  return list.filter((x) => !(isJsonObject(x) && jsonEqual(x[mergeKey], value)));
}

/** normalizeSliceOrder: a stable sort of `toSort` by position in `order`. */
function normalizeSliceOrder(toSort: unknown[], order: unknown[], mergeKey: string, kind: ValueKind): unknown[] {
  let deletions: unknown[] = [];
  if (kind === 'map') {
    for (const v of [...toSort, ...order]) {
      if (isJsonObject(v) && !Object.hasOwn(v, mergeKey)) {
        throw errNoMergeKey(v, mergeKey);
      }
    }
    deletions = extractToDeleteItems(order).toDelete;
  }
  const pos = (v: unknown): number => indexIn(order, v, mergeKey, kind);
  let sorted = toSort
    .map((v, i) => ({ v, i, p: pos(v) }))
    .sort((a, b) => (a.p >= 0 && b.p >= 0 && a.p !== b.p ? a.p - b.p : a.i - b.i))
    .map((x) => x.v);
  for (const d of deletions) {
    sorted = deleteMatchingEntries(sorted, mergeKey, mergeKeyValue(d, mergeKey));
  }
  return sorted;
}

/**
 * mergeSortedSlice: inserts the server-only items (`left`) among the patch items (`right`),
 * keeping each list's own order and placing a server-only item before the first patch item
 * that comes after it in the live list.
 */
function mergeSortedSlice(
  left: unknown[],
  right: unknown[],
  serverOrder: unknown[],
  mergeKey: string,
  kind: ValueKind,
): unknown[] {
  const out: unknown[] = [];
  let i = 0;
  let j = 0;
  while (i < left.length || j < right.length) {
    if (i >= left.length) {
      out.push(right[j++]);
    } else if (j >= right.length) {
      out.push(left[i++]);
    } else {
      const li = indexIn(serverOrder, left[i], mergeKey, kind);
      const ri = indexIn(serverOrder, right[j], mergeKey, kind);
      if (li >= 0 && ri >= 0 && li < ri) {
        out.push(left[i++]);
      } else {
        out.push(right[j++]);
      }
    }
  }
  return out;
}

function normalizeElementOrder(
  patchItems: unknown[],
  serverOnly: unknown[],
  patchOrder: unknown[],
  serverOrder: unknown[],
  mergeKey: string,
  kind: ValueKind,
): unknown[] {
  const p = normalizeSliceOrder(patchItems, patchOrder, mergeKey, kind);
  const s = normalizeSliceOrder(serverOnly, serverOrder, mergeKey, kind);
  return mergeSortedSlice(s, p, serverOrder, mergeKey, kind);
}

/** partition{Primitives,Maps}ByPresentInList. */
function partitionByPresentInList(
  merged: unknown[],
  list: unknown[],
  mergeKey: string,
  kind: ValueKind,
): { patchItems: unknown[]; serverOnly: unknown[] } {
  const patchItems: unknown[] = [];
  const serverOnly: unknown[] = [];
  for (const v of merged) {
    if (kind === 'map' && isJsonObject(v) && !Object.hasOwn(v, mergeKey)) {
      throw errNoMergeKey(v, mergeKey);
    }
    (indexIn(list, v, mergeKey, kind) >= 0 ? patchItems : serverOnly).push(v);
  }
  return { patchItems, serverOnly };
}

/** mergeSliceWithSpecialElements: `$patch: delete|replace` items of a keyed list. */
function mergeSliceWithSpecialElements(
  original: unknown[],
  patch: unknown[],
  mergeKey: string,
): { original: unknown[]; patch: unknown[] } {
  const plain: unknown[] = [];
  let replace = false;
  for (const v of patch) {
    const m = v as JsonObject;
    if (!Object.hasOwn(m, DIRECTIVE_MARKER)) {
      plain.push(v);
      continue;
    }
    const t = m[DIRECTIVE_MARKER];
    if (t === 'delete') {
      if (!Object.hasOwn(m, mergeKey)) {
        throw errNoMergeKey(m, mergeKey);
      }
      original = deleteMatchingEntries(original, mergeKey, m[mergeKey]);
    } else if (t === 'replace') {
      replace = true;
    } else if (t === 'merge') {
      throw newUnknownError('merging lists cannot yet be specified in the patch');
    } else {
      throw errBadPatchType(t, m);
    }
  }
  return replace ? { original: plain, patch: [] } : { original, patch: plain };
}

function mergeSlice(
  original: unknown[],
  patch: unknown[],
  path: string,
  kindName: string,
  mergeKey: string,
  isDeleteList: boolean,
): unknown[] {
  if (original.length === 0 && patch.length === 0) {
    return original;
  }
  const kind = sliceElementType(original, patch);
  let merged: unknown[];
  if (kind !== 'map') {
    if (isDeleteList) {
      return original.filter((x) => !patch.some((p) => jsonEqual(p, x)));
    }
    merged = [];
    for (const v of [...original, ...patch]) {
      if (!merged.some((m) => jsonEqual(m, v))) {
        merged.push(v);
      }
    }
  } else {
    if (mergeKey === '') {
      throw newUnknownError(`cannot merge lists without merge key for ${path}`);
    }
    ({ original, patch } = mergeSliceWithSpecialElements(original, patch, mergeKey));
    merged = [...original];
    // mergeSliceWithoutSpecialElements: merge an item into its namesake, else append it.
    for (const v of patch) {
      const m = v as JsonObject;
      if (!Object.hasOwn(m, mergeKey)) {
        throw errNoMergeKey(m, mergeKey);
      }
      const at = merged.findIndex((x) => isJsonObject(x) && jsonEqual(x[mergeKey], m[mergeKey]));
      if (at >= 0) {
        merged[at] = mergeMap(merged[at] as JsonObject, m, itemPath(path), kindName);
      } else {
        merged.push(sanitize(m));
      }
    }
  }
  const { patchItems, serverOnly } = partitionByPresentInList(merged, patch, mergeKey, kind);
  return normalizeElementOrder(patchItems, serverOnly, patch, original, mergeKey, kind);
}

function strategyOf(path: string, kind: string): { strategy: string; mergeKey: string } {
  const meta = lookupFieldMeta(kind, path);
  // extractRetainKeysPatchStrategy: `merge,retainKeys` merges; retainKeys itself acts on items.
  const strategy = (meta.patchStrategy ?? '')
    .split(',')
    .filter((s) => s !== 'retainKeys')
    .join(',');
  return { strategy, mergeKey: meta.patchMergeKey ?? '' };
}

function mergeSliceHandler(
  original: unknown[],
  patch: unknown[],
  path: string,
  kind: string,
  isDeleteList: boolean,
): unknown[] {
  const { strategy, mergeKey } = strategyOf(path, kind);
  if (strategy === 'merge' || isDeleteList) {
    return mergeSlice(original, patch, path, kind, mergeKey, isDeleteList);
  }
  return sanitize(patch) as unknown[];
}

function applyRetainKeysDirective(original: JsonObject, patch: JsonObject): void {
  if (!Object.hasOwn(patch, RETAIN_KEYS)) {
    return;
  }
  const retain = patch[RETAIN_KEYS];
  delete patch[RETAIN_KEYS];
  if (retain !== null && !Array.isArray(retain)) {
    throw newBadRequest(ERR_BAD_RETAIN_KEYS);
  }
  const keep = new Set((retain ?? []).map((v) => String(v)));
  for (const [k, v] of Object.entries(patch)) {
    if (v === null || k.startsWith(DELETE_FROM_PRIMITIVE_LIST) || k.startsWith(SET_ELEMENT_ORDER)) {
      continue;
    }
    if (!keep.has(k)) {
      throw newBadRequest(ERR_BAD_RETAIN_KEYS);
    }
  }
  for (const k of Object.keys(original)) {
    if (!keep.has(k)) {
      delete original[k];
    }
  }
}

/** validatePatchWithSetOrderList: the patch list's items appear in the order list, in its order. */
function validatePatchWithSetOrderList(patchList: unknown[], order: unknown[], mergeKey: string): void {
  if (order.length === 0 || patchList.length === 0) {
    return;
  }
  const items = mergeKey !== '' ? extractToDeleteItems(patchList).keep : patchList;
  let p = 0;
  let o = 0;
  while (p < items.length && o < order.length) {
    const item = items[p];
    if (isJsonObject(item) && Object.hasOwn(item, DIRECTIVE_MARKER)) {
      p++;
      continue;
    }
    const equal =
      mergeKey !== ''
        ? jsonEqual(mergeKeyValue(item, mergeKey), mergeKeyValue(order[o], mergeKey))
        : jsonEqual(item, order[o]);
    if (equal) {
      p++;
    }
    o++;
  }
  if (p < items.length && o >= order.length) {
    throw newUnknownError(
      `The order in patch list:\n${goFormat(patchList)}\n doesn't match ${SET_ELEMENT_ORDER} list:\n${goFormat(order)}\n`,
    );
  }
}

/** mergePatchIntoOriginal: each `$setElementOrder/<list>` with its list, merged and ordered. */
function mergePatchIntoOriginal(original: JsonObject, patch: JsonObject, path: string, kindName: string): void {
  for (const key of Object.keys(patch)) {
    if (!key.startsWith(SET_ELEMENT_ORDER)) {
      continue;
    }
    const order = patch[key];
    if (!Array.isArray(order)) {
      throw newBadRequest(ERR_BAD_SET_ELEMENT_ORDER);
    }
    const listKey = key.slice(SET_ELEMENT_ORDER.length);
    const listPath = childPath(path, listKey);
    const foundOriginal = Object.hasOwn(original, listKey);
    const foundPatch = Object.hasOwn(patch, listKey);
    const originalList = foundOriginal ? original[listKey] : undefined;
    const patchList = foundPatch ? patch[listKey] : undefined;
    if (foundOriginal && !Array.isArray(originalList)) {
      throw newUnknownError(`expected a slice, but received a ${kindOf(originalList)}`);
    }
    if (foundPatch && !Array.isArray(patchList)) {
      throw newUnknownError(`expected a slice, but received a ${kindOf(patchList)}`);
    }
    const typedOriginal = (originalList ?? []) as unknown[];
    const typedPatch = (patchList ?? []) as unknown[];
    const { mergeKey } = strategyOf(listPath, kindName);
    validatePatchWithSetOrderList(typedPatch, order, mergeKey);
    delete patch[key];
    let merged: unknown[];
    if (foundOriginal && !foundPatch) {
      merged = typedOriginal;
    } else if (!foundOriginal && foundPatch) {
      merged = sanitize(typedPatch) as unknown[];
    } else if (foundOriginal && foundPatch) {
      merged = mergeSliceHandler(typedOriginal, typedPatch, listPath, kindName, false);
    } else {
      continue;
    }
    delete patch[listKey];
    if (merged.length === 0) {
      delete original[listKey];
      continue;
    }
    const kind = sliceElementType(typedOriginal, typedPatch, merged);
    const { patchItems, serverOnly } = partitionByPresentInList(merged, order, mergeKey, kind);
    const both = normalizeElementOrder(patchItems, serverOnly, order, typedOriginal, mergeKey, kind);
    if (both.length > 0) {
      original[listKey] = both;
    } else {
      delete original[listKey];
    }
  }
}

/** mergeMap: merges `patch` into `original` (both owned by the caller, mutated) and returns it. */
function mergeMap(original: JsonObject | undefined, patch: JsonObject, path: string, kindName: string): JsonObject {
  if (Object.hasOwn(patch, DIRECTIVE_MARKER)) {
    const t = patch[DIRECTIVE_MARKER];
    if (t === 'replace') {
      delete patch[DIRECTIVE_MARKER];
      return sanitize(patch) as JsonObject;
    }
    if (t === 'delete') {
      return {};
    }
    throw errBadPatchType(t, patch);
  }
  original ??= {};
  applyRetainKeysDirective(original, patch);
  mergePatchIntoOriginal(original, patch, path, kindName);
  for (const [key, patchV] of Object.entries(patch)) {
    let k = key;
    let isDeleteList = false;
    if (k.startsWith(DELETE_FROM_PRIMITIVE_LIST)) {
      k = k.slice(DELETE_FROM_PRIMITIVE_LIST.length);
      isDeleteList = true;
      if (!Array.isArray(patchV)) {
        throw newBadRequest(ERR_BAD_PRIMITIVE_LIST);
      }
    } else if (k.startsWith('$') || k === PROTO_KEY) {
      // An unknown directive-like key: decoding into the typed object would drop it.
      continue;
    }
    if (patchV === null) {
      delete original[k];
      continue;
    }
    const cur = Object.hasOwn(original, k) ? original[k] : undefined;
    if (!Object.hasOwn(original, k) || kindOf(cur) !== kindOf(patchV)) {
      if (!isDeleteList) {
        original[k] = sanitize(patchV);
      }
      continue;
    }
    const sub = childPath(path, k);
    if (isJsonObject(cur)) {
      original[k] = mergeMap(cur, patchV as JsonObject, sub, kindName);
    } else if (Array.isArray(cur)) {
      original[k] = mergeSliceHandler(cur, patchV as unknown[], sub, kindName, isDeleteList);
    } else {
      original[k] = patchV;
    }
  }
  return original;
}

/**
 * Applies a strategic merge patch to `doc` using the patch metadata of `kind` (see
 * patch-schema.ts; unknown kinds know only ObjectMeta's) and returns the result.
 * Neither argument is modified. Throws StatusError as the apiserver answers.
 */
export function applyStrategicMergePatch(doc: unknown, patch: unknown, kind: string): unknown {
  if (!isJsonObject(patch)) {
    throw newBadRequest(
      `json: cannot unmarshal ${kindOf(patch) === 'list' ? 'array' : kindOf(patch)} into Go value of type map[string]interface {}`,
    );
  }
  if (!isJsonObject(doc)) {
    throw newBadRequest('invalid JSON document');
  }
  return normalizeAsTyped(mergeMap(cloneJson(doc), cloneJson(patch), '', kind), kind);
}
