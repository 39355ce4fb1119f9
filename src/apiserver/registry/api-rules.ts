// The one place the apiserver imports Kubernetes' rules from src/api (defaulting,
// validation, QoS, selectors, printers): strategies, list filters and tables use them
// through here, so the module layout of src/api is known in one file only.
export {
  defaultEvent,
  defaultLease,
  defaultNamespace,
  defaultNode,
  defaultPod,
  defaultSecret,
} from '../../api/defaults.js';
export { computePodQOS } from '../../api/qos.js';
export {
  validatePodCreate,
  validatePodUpdate,
  validatePodStatusUpdate,
  validatePodBinding,
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
  validateObjectMetaUpdate,
} from '../../api/validation/index.js';
export { compileListFilter } from '../../api/selectors/index.js';
export { tableFor } from '../../api/printers/index.js';
