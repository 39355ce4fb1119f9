// Node rules: pkg/registry/core/node/strategy.go. A node may be created with its status
// (the node agent registers itself with one); a PUT on the node keeps the status, a PUT on
// nodes/status keeps the spec.
import type { Node } from '../../../api/types/index.js';
import { defaultNode, validateNode, validateNodeUpdate } from '../api-rules.js';
import type { Strategy } from '../resource-info.js';

export const nodeStrategy: Strategy = {
  defaults: (obj) => defaultNode(obj as Node),
  allowCreateOnUpdate: false,
  allowUnconditionalUpdate: true,
  prepareForUpdate(obj, old) {
    (obj as Node).status = (old as Node).status;
  },
  validate: (obj) => validateNode(obj as Node),
  validateUpdate: (obj, old) => validateNodeUpdate(obj as Node, old as Node),
};

export const nodeStatusStrategy: Strategy = {
  allowCreateOnUpdate: false,
  allowUnconditionalUpdate: true,
  prepareForUpdate(obj, old) {
    (obj as Node).spec = (old as Node).spec;
  },
  validateUpdate: (obj, old) => validateNodeUpdate(obj as Node, old as Node),
};
