// The one place the apiserver imports the patch engines of src/apiserver/patch/ from.
export { applyJsonPatch } from './patch/json-patch.js';
export { applyMergePatch } from './patch/merge-patch.js';
export { applyStrategicMergePatch } from './patch/strategic-merge-patch.js';
export { serverSideApply } from './patch/server-side-apply.js';
export { updateManagedFields } from './patch/managed-fields.js';
