// ConfigMap and Secret rules: pkg/registry/core/{configmap,secret}/strategy.go. A Secret's
// stringData is merged into data (base64) at write, as the v1→internal conversion does
// (pkg/apis/core/v1/conversion.go Convert_v1_Secret_To_core_Secret), after the
// defaulting of src/api. Immutable objects keep their data (the update validators).
import type { ConfigMap, Secret } from '../../../api/types/index.js';
import {
  defaultSecret,
  validateConfigMap,
  validateConfigMapUpdate,
  validateSecret,
  validateSecretUpdate,
} from '../api-rules.js';
import type { Strategy } from '../resource-info.js';

export const configMapStrategy: Strategy = {
  allowCreateOnUpdate: false,
  allowUnconditionalUpdate: true,
  validate: (obj) => validateConfigMap(obj as ConfigMap),
  validateUpdate: (obj, old) => validateConfigMapUpdate(obj as ConfigMap, old as ConfigMap),
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
  validateUpdate: (obj, old) => validateSecretUpdate(obj as Secret, old as Secret),
};
