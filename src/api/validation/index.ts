// Public entry of Kubernetes API validation: each function returns every field error at
// once, in the order pkg/apis/core/validation/validation.go finds them, rendered by
// src/api/errors.ts exactly as the Kubernetes API prints them.
export { validateObjectMeta, validateObjectMetaUpdate, type NameRule, type ObjectMetaOptions } from './object-meta.js';
export { validatePodCreate, validatePodSpec } from './pod.js';
export {
  validatePodUpdate,
  validatePodStatusUpdate,
  validatePodBinding,
  POD_SPEC_IMMUTABLE_MSG,
} from './pod-update.js';
export {
  validateNamespace,
  validateNamespaceUpdate,
  validateNamespaceStatusUpdate,
  validateNamespaceFinalizeUpdate,
  validateNode,
  validateNodeUpdate,
  validateConfigMap,
  validateConfigMapUpdate,
  validateSecret,
  validateSecretUpdate,
  validateEvent,
  validateEventUpdate,
  validateLease,
  validateLeaseUpdate,
  MAX_SECRET_SIZE,
} from './objects.js';
