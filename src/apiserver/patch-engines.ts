// The one place the apiserver imports the patch engines of src/apiserver/patch/ from;
// the document-level engines answer `unknown`, the registry works on objects.
import { newBadRequest } from '../api/errors.js';
import type { KubeObject } from '../api/types/index.js';
import { applyJsonPatch } from './patch/json-patch.js';
import { applyMergePatch } from './patch/merge-patch.js';
import { applyStrategicMergePatch } from './patch/strategic-merge-patch.js';

export { serverSideApply } from './patch/server-side-apply.js';
export { updateManagedFields } from './patch/managed-fields.js';

function asObject(v: unknown): KubeObject {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) {
    throw newBadRequest('the patch did not produce an object');
  }
  const obj = v as KubeObject;
  obj.metadata ??= {};
  return obj;
}

/** RFC 6902 JSON patch (application/json-patch+json). */
export function jsonPatchObject(doc: KubeObject, ops: unknown): KubeObject {
  return asObject(applyJsonPatch(doc, ops));
}

/** RFC 7386 merge patch (application/merge-patch+json). */
export function mergePatchObject(doc: KubeObject, patch: unknown): KubeObject {
  return asObject(applyMergePatch(doc, patch));
}

/** Strategic merge patch (application/strategic-merge-patch+json) with the kind's merge keys. */
export function strategicMergePatchObject(doc: KubeObject, patch: unknown, kind: string): KubeObject {
  return asObject(applyStrategicMergePatch(doc, patch, kind));
}
