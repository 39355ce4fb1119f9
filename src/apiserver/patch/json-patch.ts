// RFC 6902 JSON Patch as kube-apiserver applies it: gopkg.in/evanphx/json-patch.v4, called from
// staging/src/k8s.io/apiserver/pkg/endpoints/handlers/patch.go (jsonPatcher.applyJSPatch):
//   - a body that does not decode as a patch      → 400 BadRequest with the decoder's message;
//   - more than 10000 operations                  → 413 RequestEntityTooLarge;
//   - an operation that fails to apply            → 422 Invalid built by
//     errors.NewGenericServerResponse(422, …, err.Error(), 0, false), which drops the
//     library's message: the body says only "the server rejected our request due to an
//     error in our request" with empty details (the library's reason is kept here as
//     the error's `cause`, for logs and tests).
import { StatusError, newBadRequest, newRequestEntityTooLarge } from '../../api/errors.js';
import { PROTO_KEY, cloneJson, isJsonObject, jsonEqual } from './json-value.js';
import { normalizeAsTyped } from './typed-normalize.js';
import type { JsonObject } from './json-value.js';

/** handlers/patch.go maxJSONPatchOperations. */
export const MAX_JSON_PATCH_OPERATIONS = 10000;

/** The message NewGenericServerResponse gives a 422 (apimachinery/pkg/api/errors/errors.go). */
export const PATCH_REJECTED_MSG = 'the server rejected our request due to an error in our request';

/** A failed operation, as the apiserver answers it (see the file comment). */
export function newPatchApplyError(reason: string): StatusError {
  const err = new StatusError({
    kind: 'Status',
    apiVersion: 'v1',
    metadata: {},
    status: 'Failure',
    message: PATCH_REJECTED_MSG,
    reason: 'Invalid',
    details: {},
    code: 422,
  });
  err.cause = new Error(reason);
  return err;
}

class OpError extends Error {}

/** RFC 6901 §4: `~1` is `/`, then `~0` is `~` (evanphx decodePatchKey, same order). */
export function parsePointer(path: string): string[] {
  if (path === '') {
    return [];
  }
  if (!path.startsWith('/')) {
    throw new OpError(`doc is missing path: ${JSON.stringify(path)}`);
  }
  return path
    .slice(1)
    .split('/')
    .map((t) => t.replaceAll('~1', '/').replaceAll('~0', '~'));
}

/**
 * An array index token. evanphx v4 reads it with strconv.Atoi and, with its default
 * SupportNegativeIndices=true, lets -n count from the end.
 */
function arrayIndex(token: string, length: number, forAdd: boolean): number {
  if (!/^[+-]?\d+$/.test(token)) {
    throw new OpError(`Unable to access invalid index: ${token}`);
  }
  let idx = Number(token);
  const max = forAdd ? length : length - 1;
  if (idx > max) {
    throw new OpError(`Unable to access invalid index: ${idx}`);
  }
  if (idx < 0) {
    if (-idx > length) {
      throw new OpError(`Unable to access invalid index: ${idx}`);
    }
    idx += length;
  }
  return idx;
}

type Container = JsonObject | unknown[];

/** The parent container of the pointer's last token, or an error if the path does not exist. */
function parentOf(doc: unknown, tokens: string[], op: string): { parent: Container; key: string } {
  let cur: unknown = doc;
  for (const t of tokens.slice(0, -1)) {
    if (Array.isArray(cur)) {
      cur = cur[arrayIndex(t, cur.length, false)];
    } else if (isJsonObject(cur) && Object.hasOwn(cur, t)) {
      cur = cur[t];
    } else {
      throw new OpError(`${op} operation does not apply: doc is missing path: /${tokens.join('/')}`);
    }
  }
  if (!Array.isArray(cur) && !isJsonObject(cur)) {
    throw new OpError(`${op} operation does not apply: doc is missing path: /${tokens.join('/')}`);
  }
  return { parent: cur, key: tokens[tokens.length - 1]! };
}

function getValue(doc: unknown, tokens: string[], op: string): { found: boolean; value: unknown } {
  if (tokens.length === 0) {
    return { found: true, value: doc };
  }
  const { parent, key } = parentOf(doc, tokens, op);
  if (Array.isArray(parent)) {
    return { found: true, value: parent[arrayIndex(key, parent.length, false)] };
  }
  return Object.hasOwn(parent, key) ? { found: true, value: parent[key] } : { found: false, value: undefined };
}

interface Doc {
  root: unknown;
}

function add(d: Doc, tokens: string[], value: unknown): void {
  if (tokens.length === 0) {
    // evanphx findObject has no container for the empty pointer: only replace and test take it.
    throw new OpError('add operation does not apply: doc is missing path: ""');
  }
  const { parent, key } = parentOf(d.root, tokens, 'add');
  if (Array.isArray(parent)) {
    if (key === '-') {
      parent.push(value);
    } else {
      parent.splice(arrayIndex(key, parent.length, true), 0, value);
    }
  } else if (key !== PROTO_KEY) {
    parent[key] = value;
  }
}

function remove(d: Doc, tokens: string[], op = 'remove'): unknown {
  if (tokens.length === 0) {
    throw new OpError(`${op} operation does not apply: cannot remove the whole document`);
  }
  const { parent, key } = parentOf(d.root, tokens, op);
  if (Array.isArray(parent)) {
    const i = arrayIndex(key, parent.length, false);
    return parent.splice(i, 1)[0];
  }
  if (!Object.hasOwn(parent, key)) {
    throw new OpError(`${op} operation does not apply: doc is missing key: /${tokens.join('/')}`);
  }
  const v = parent[key];
  delete parent[key];
  return v;
}

function replace(d: Doc, tokens: string[], value: unknown): void {
  if (tokens.length === 0) {
    d.root = value;
    return;
  }
  const { parent, key } = parentOf(d.root, tokens, 'replace');
  if (Array.isArray(parent)) {
    parent[arrayIndex(key, parent.length, false)] = value;
    return;
  }
  if (!Object.hasOwn(parent, key)) {
    throw new OpError(`replace operation does not apply: doc is missing key: /${tokens.join('/')}`);
  }
  parent[key] = value;
}

function stringField(op: JsonObject, name: 'path' | 'from'): string {
  const v = op[name];
  if (typeof v !== 'string') {
    throw new OpError(`operation missing ${name} field`);
  }
  return v;
}

function applyOne(d: Doc, op: JsonObject): void {
  const kind = op.op;
  // evanphx v4 Operation.value(): a missing "value" is JSON null.
  const value = cloneJson(op.value === undefined ? null : op.value);
  switch (kind) {
    case 'add':
      add(d, parsePointer(stringField(op, 'path')), value);
      return;
    case 'remove':
      remove(d, parsePointer(stringField(op, 'path')));
      return;
    case 'replace':
      replace(d, parsePointer(stringField(op, 'path')), value);
      return;
    case 'move': {
      const from = stringField(op, 'from');
      const path = stringField(op, 'path');
      if (from === path) {
        return;
      }
      // RFC 6902 §4.4: a location cannot be moved into one of its children.
      if (path.startsWith(from + '/')) {
        throw new OpError(`move operation does not apply: "from" ${from} is a prefix of "path" ${path}`);
      }
      const v = remove(d, parsePointer(from), 'move');
      add(d, parsePointer(path), v);
      return;
    }
    case 'copy': {
      const got = getValue(d.root, parsePointer(stringField(op, 'from')), 'copy');
      if (!got.found) {
        throw new OpError(`copy operation does not apply: doc is missing from path: ${String(op.from)}`);
      }
      add(d, parsePointer(stringField(op, 'path')), cloneJson(got.value));
      return;
    }
    case 'test': {
      const got = getValue(d.root, parsePointer(stringField(op, 'path')), 'test');
      // evanphx v4 test(): a missing member equals a null value.
      const actual = got.found ? got.value : null;
      if (!jsonEqual(actual, value)) {
        throw new OpError(`testing value ${String(op.path)} failed: test failed`);
      }
      return;
    }
    default:
      throw new OpError(`Unexpected kind: ${String(kind)}`);
  }
}

/**
 * Applies an RFC 6902 patch (an array of operations) to a copy of `doc` and returns it.
 * Operations apply in order and all-or-nothing; `doc` is never modified.
 */
export function applyJsonPatch(doc: unknown, ops: unknown): unknown {
  if (!Array.isArray(ops)) {
    const t = ops === null ? 'null' : isJsonObject(ops) ? 'object' : typeof ops;
    throw newBadRequest(`json: cannot unmarshal ${t} into Go value of type jsonpatch.Patch`);
  }
  for (const op of ops) {
    if (!isJsonObject(op)) {
      const t = Array.isArray(op) ? 'array' : op === null ? 'null' : typeof op;
      throw newBadRequest(`json: cannot unmarshal ${t} into Go value of type jsonpatch.Operation`);
    }
  }
  if (ops.length > MAX_JSON_PATCH_OPERATIONS) {
    throw newRequestEntityTooLarge(
      `The allowed maximum operations in a JSON patch is ${MAX_JSON_PATCH_OPERATIONS}, got ${ops.length}`,
    );
  }
  const d: Doc = { root: cloneJson(doc) };
  for (const op of ops as JsonObject[]) {
    try {
      applyOne(d, op);
    } catch (e) {
      if (e instanceof OpError) {
        throw newPatchApplyError(e.message);
      }
      throw e;
    }
  }
  return normalizeAsTyped(d.root);
}
