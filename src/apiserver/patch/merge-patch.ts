// RFC 7386 JSON Merge Patch, as kube-apiserver applies it with evanphx/json-patch
// MergePatch (handlers/patch.go, jsonPatcher.applyJSPatch, MergePatchType): a null patch
// document is ErrBadJSONPatch → 400 "Invalid JSON Patch"; otherwise it never fails.
import { newBadRequest } from '../../api/errors.js';
import { PROTO_KEY, cloneJson, dropNulls, isJsonObject } from './json-value.js';
import { normalizeAsTyped } from './typed-normalize.js';
import type { JsonObject } from './json-value.js';

/** RFC 7386 §2 MergePatch(Target, Patch). Neither argument is modified. */
function mergeValue(target: unknown, patch: unknown): unknown {
  if (!isJsonObject(patch)) {
    // evanphx merge(): a value that is not merged is pruned of null members (pruneNulls).
    return dropNulls(cloneJson(patch));
  }
  const out: JsonObject = isJsonObject(target) ? { ...target } : {};
  for (const [k, v] of Object.entries(patch)) {
    if (k === PROTO_KEY) {
      continue;
    }
    if (v === null) {
      delete out[k];
    } else {
      out[k] = mergeValue(out[k], v);
    }
  }
  return out;
}

/** Applies an RFC 7386 merge patch to `doc` and returns the result (a new value). */
export function applyMergePatch(doc: unknown, patch: unknown): unknown {
  if (patch === null || patch === undefined) {
    throw newBadRequest('Invalid JSON Patch');
  }
  return normalizeAsTyped(mergeValue(cloneJson(doc), patch));
}
