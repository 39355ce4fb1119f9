// Namespace rules: pkg/registry/core/namespace/strategy.go. A new namespace is Active and
// carries the `kubernetes` finalizer that namespace deletion clears once the namespace
// is empty; only namespaces/finalize changes spec.finalizers, only namespaces/status
// changes status.
import type { Namespace } from '../../../api/types/index.js';
import {
  defaultNamespace,
  validateNamespace,
  validateNamespaceFinalizeUpdate,
  validateNamespaceStatusUpdate,
  validateNamespaceUpdate,
} from '../api-rules.js';
import type { Strategy } from '../resource-info.js';

export const NAMESPACE_FINALIZER = 'kubernetes';

export const namespaceStrategy: Strategy = {
  defaults: (obj) => defaultNamespace(obj as Namespace),
  allowCreateOnUpdate: false,
  allowUnconditionalUpdate: true,
  prepareForCreate(obj) {
    const ns = obj as Namespace;
    ns.status = { phase: 'Active' };
    const finalizers = ns.spec?.finalizers ?? [];
    ns.spec = {
      ...ns.spec,
      finalizers: finalizers.includes(NAMESPACE_FINALIZER) ? finalizers : [...finalizers, NAMESPACE_FINALIZER],
    };
  },
  prepareForUpdate(obj, old) {
    const ns = obj as Namespace;
    const oldNs = old as Namespace;
    ns.spec = oldNs.spec;
    ns.status = oldNs.status;
  },
  validate: (obj) => validateNamespace(obj as Namespace),
  validateUpdate: (obj, old) => validateNamespaceUpdate(obj as Namespace, old as Namespace),
};

export const namespaceStatusStrategy: Strategy = {
  allowCreateOnUpdate: false,
  allowUnconditionalUpdate: true,
  prepareForUpdate(obj, old) {
    (obj as Namespace).spec = (old as Namespace).spec;
  },
  validateUpdate: (obj, old) => validateNamespaceStatusUpdate(obj as Namespace, old as Namespace),
};

export const namespaceFinalizeStrategy: Strategy = {
  allowCreateOnUpdate: false,
  allowUnconditionalUpdate: true,
  prepareForUpdate(obj, old) {
    // namespaceFinalizeStrategy: only spec.finalizers may change.
    const ns = obj as Namespace;
    const oldNs = old as Namespace;
    ns.status = oldNs.status;
    ns.spec = { ...oldNs.spec, finalizers: ns.spec?.finalizers ?? [] };
  },
  validateUpdate: (obj, old) => validateNamespaceFinalizeUpdate(obj as Namespace, old as Namespace),
};
