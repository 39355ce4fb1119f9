// ConfigMap and Secret rules: pkg/registry/core/{configmap,secret}/strategy.go. A Secret's
// stringData is merged into data (base64) at write, as the v1→internal conversion does
// (pkg/apis/core/v1/conversion.go Convert_v1_Secret_To_core_Secret), after the
// defaulting of src/api. Immutable objects keep their data.
import { field, type FieldError } from '../../../api/errors.js';
import type { ConfigMap, KubeObject, Secret } from '../../../api/types/index.js';
import { defaultSecret, validateConfigMap, validateSecret } from '../api-rules.js';
import type { Strategy } from '../resource-info.js';
import { deepEqual } from '../deep-equal.js';
import { validateObjectMetaUpdate } from './object-meta-update.js';

function immutableErrors(obj: KubeObject, old: KubeObject): FieldError[] {
  const o = old as ConfigMap;
  const n = obj as ConfigMap;
  if (!o.immutable) {
    return [];
  }
  const errs: FieldError[] = [];
  if (!deepEqual(n.data, o.data)) {
    errs.push(field.forbidden('data', 'field is immutable when `immutable` is set'));
  }
  if (!deepEqual(n.binaryData, o.binaryData)) {
    errs.push(field.forbidden('binaryData', 'field is immutable when `immutable` is set'));
  }
  if (!n.immutable) {
    errs.push(field.forbidden('immutable', 'field is immutable when `immutable` is set'));
  }
  return errs;
}

export const configMapStrategy: Strategy = {
  allowCreateOnUpdate: false,
  allowUnconditionalUpdate: true,
  validate: (obj) => validateConfigMap(obj as ConfigMap),
  validateUpdate: (obj, old) => [
    ...validateObjectMetaUpdate(obj.metadata, old.metadata),
    ...validateConfigMap(obj as ConfigMap),
    ...immutableErrors(obj, old),
  ],
};

/** Folds stringData into data (stringData wins) and drops it. */
export function mergeStringData(secret: Secret): void {
  if (secret.stringData) {
    secret.data = { ...secret.data };
    for (const [k, v] of Object.entries(secret.stringData)) {
      secret.data[k] = Buffer.from(v, 'utf8').toString('base64');
    }
    delete secret.stringData;
  }
}

export const secretStrategy: Strategy = {
  allowCreateOnUpdate: false,
  allowUnconditionalUpdate: true,
  defaults(obj) {
    const secret = defaultSecret(obj as Secret);
    mergeStringData(secret);
    return secret;
  },
  validate: (obj) => validateSecret(obj as Secret),
  validateUpdate: (obj, old) => {
    const errs = [...validateObjectMetaUpdate(obj.metadata, old.metadata), ...validateSecret(obj as Secret)];
    if ((obj as Secret).type !== (old as Secret).type) {
      errs.push(field.invalid('type', (obj as Secret).type, 'field is immutable'));
    }
    return [...errs, ...immutableErrors(obj, old)];
  },
};
