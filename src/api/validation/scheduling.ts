// Scheduling fields of a PodSpec: pkg/apis/core/validation/validation.go (ValidateTolerations,
// validateTaintEffect, validateAffinity, ValidateNodeSelector, ValidateNodeSelectorRequirement,
// ValidateNodeFieldSelectorRequirement, ValidatePreferredSchedulingTerms, validatePodAffinityTerm)
// and apimachinery/pkg/apis/meta/v1/validation (ValidateLabelSelector).
import { field, type FieldError } from '../errors.js';
import type {
  Affinity,
  LabelSelector,
  NodeAffinity,
  NodeSelector,
  NodeSelectorRequirement,
  NodeSelectorTerm,
  PodAffinityTerm,
  Toleration,
} from '../types/index.js';
import { child, index } from './field-path.js';
import { isValidLabelValue, nameIsDNSLabel, nameIsDNSSubdomain } from './names.js';
import { validateLabelName, validateLabels } from './object-meta.js';

export const TAINT_EFFECTS = ['NoSchedule', 'PreferNoSchedule', 'NoExecute'];

/** validateTaintEffect. */
export function validateTaintEffect(effect: string, allowEmpty: boolean, path: string): FieldError[] {
  if (!allowEmpty && effect === '') {
    return [field.required(path)];
  }
  return TAINT_EFFECTS.includes(effect) ? [] : [field.notSupported(path, effect, TAINT_EFFECTS)];
}

/**
 * ValidateTolerations. Value errors are reported at `operator`, as upstream does; an empty
 * key needs operator Exists; tolerationSeconds only with effect NoExecute.
 */
export function validateTolerations(tolerations: Toleration[] | undefined, path: string): FieldError[] {
  const errs: FieldError[] = [];
  (tolerations ?? []).forEach((t, i) => {
    const p = index(path, i);
    const k = t.key ?? '';
    const op = t.operator ?? '';
    const value = t.value ?? '';
    const effect = t.effect ?? '';
    if (k.length > 0) {
      errs.push(...validateLabelName(k, child(p, 'key')));
    }
    if (k.length === 0 && op !== 'Exists') {
      errs.push(
        field.invalid(
          child(p, 'operator'),
          op,
          'operator must be Exists when `key` is empty, which means "match all values and all keys"',
        ),
      );
    }
    if (t.tolerationSeconds !== undefined && t.tolerationSeconds !== null && effect !== 'NoExecute') {
      errs.push(
        field.invalid(child(p, 'effect'), effect, "effect must be 'NoExecute' when `tolerationSeconds` is set"),
      );
    }
    switch (op) {
      case 'Equal':
      case '': {
        const msgs = isValidLabelValue(value);
        if (msgs.length > 0) {
          errs.push(field.invalid(child(p, 'operator'), value, msgs.join(';')));
        }
        break;
      }
      case 'Exists':
        if (value.length > 0) {
          errs.push(field.invalid(child(p, 'operator'), value, "value must be empty when `operator` is 'Exists'"));
        }
        break;
      default:
        errs.push(field.notSupported(child(p, 'operator'), op, ['Equal', 'Exists']));
    }
    if (effect.length > 0) {
      errs.push(...validateTaintEffect(effect, true, child(p, 'effect')));
    }
  });
  return errs;
}

/** ValidateNodeSelectorRequirement (matchExpressions). */
function validateNodeSelectorRequirement(
  rq: NodeSelectorRequirement,
  allowInvalidLabelValue: boolean,
  path: string,
): FieldError[] {
  const errs: FieldError[] = [];
  const values = rq.values ?? [];
  switch (rq.operator) {
    case 'In':
    case 'NotIn':
      if (values.length === 0) {
        errs.push(field.required(child(path, 'values'), "must be specified when `operator` is 'In' or 'NotIn'"));
      }
      break;
    case 'Exists':
    case 'DoesNotExist':
      if (values.length > 0) {
        errs.push(
          field.forbidden(child(path, 'values'), "may not be specified when `operator` is 'Exists' or 'DoesNotExist'"),
        );
      }
      break;
    case 'Gt':
    case 'Lt':
      if (values.length !== 1) {
        errs.push(
          field.required(child(path, 'values'), "must be specified single value when `operator` is 'Lt' or 'Gt'"),
        );
      }
      break;
    default:
      errs.push(field.invalid(child(path, 'operator'), rq.operator ?? '', 'not a valid selector operator'));
  }
  errs.push(...validateLabelName(rq.key ?? '', child(path, 'key')));
  if (!allowInvalidLabelValue) {
    values.forEach((v, i) => {
      errs.push(...isValidLabelValue(v).map((m) => field.invalid(index(child(path, 'values'), i), v, m)));
    });
  }
  return errs;
}

/** ValidateNodeFieldSelectorRequirement (matchFields): only metadata.name with In/NotIn and one value. */
function validateNodeFieldSelectorRequirement(req: NodeSelectorRequirement, path: string): FieldError[] {
  const errs: FieldError[] = [];
  if (req.operator === 'In' || req.operator === 'NotIn') {
    if ((req.values ?? []).length !== 1) {
      errs.push(
        field.required(
          child(path, 'values'),
          "must be only one value when `operator` is 'In' or 'NotIn' for node field selector",
        ),
      );
    }
  } else {
    errs.push(field.invalid(child(path, 'operator'), req.operator ?? '', 'not a valid selector operator'));
  }
  if (req.key !== 'metadata.name') {
    errs.push(field.invalid(child(path, 'key'), req.key ?? '', 'not a valid field selector key'));
  } else {
    (req.values ?? []).forEach((v, i) => {
      errs.push(...nameIsDNSSubdomain(v, false).map((m) => field.invalid(index(child(path, 'values'), i), v, m)));
    });
  }
  return errs;
}

function validateNodeSelectorTerm(term: NodeSelectorTerm, allowInvalidLabelValue: boolean, path: string): FieldError[] {
  return [
    ...(term.matchExpressions ?? []).flatMap((r, j) =>
      validateNodeSelectorRequirement(r, allowInvalidLabelValue, index(child(path, 'matchExpressions'), j)),
    ),
    ...(term.matchFields ?? []).flatMap((r, j) =>
      validateNodeFieldSelectorRequirement(r, index(child(path, 'matchFields'), j)),
    ),
  ];
}

/** ValidateNodeSelector: at least one term. */
function validateNodeSelector(ns: NodeSelector, path: string): FieldError[] {
  const termsPath = child(path, 'nodeSelectorTerms');
  const terms = ns.nodeSelectorTerms ?? [];
  if (terms.length === 0) {
    return [field.required(termsPath, 'must have at least one node selector term')];
  }
  return terms.flatMap((t, i) => validateNodeSelectorTerm(t, false, index(termsPath, i)));
}

function validateNodeAffinity(na: NodeAffinity, path: string): FieldError[] {
  const errs: FieldError[] = [];
  if (na.requiredDuringSchedulingIgnoredDuringExecution) {
    errs.push(
      ...validateNodeSelector(
        na.requiredDuringSchedulingIgnoredDuringExecution,
        child(path, 'requiredDuringSchedulingIgnoredDuringExecution'),
      ),
    );
  }
  (na.preferredDuringSchedulingIgnoredDuringExecution ?? []).forEach((term, i) => {
    const p = index(child(path, 'preferredDuringSchedulingIgnoredDuringExecution'), i);
    if (term.weight <= 0 || term.weight > 100) {
      errs.push(field.invalid(child(p, 'weight'), term.weight, 'must be in the range 1-100'));
    }
    // Preferred terms always allow invalid label values: they can still match on one node.
    errs.push(...validateNodeSelectorTerm(term.preference ?? {}, true, child(p, 'preference')));
  });
  return errs;
}

/** ValidateLabelSelector (metav1 validation). */
export function validateLabelSelector(ps: LabelSelector | undefined, path: string): FieldError[] {
  if (!ps) {
    return [];
  }
  const errs = validateLabels(ps.matchLabels, child(path, 'matchLabels'));
  (ps.matchExpressions ?? []).forEach((sr, i) => {
    const p = index(child(path, 'matchExpressions'), i);
    const values = sr.values ?? [];
    switch (sr.operator) {
      case 'In':
      case 'NotIn':
        if (values.length === 0) {
          errs.push(field.required(child(p, 'values'), "must be specified when `operator` is 'In' or 'NotIn'"));
        }
        break;
      case 'Exists':
      case 'DoesNotExist':
        if (values.length > 0) {
          errs.push(
            field.forbidden(child(p, 'values'), "may not be specified when `operator` is 'Exists' or 'DoesNotExist'"),
          );
        }
        break;
      default:
        errs.push(field.invalid(child(p, 'operator'), sr.operator ?? '', 'not a valid selector operator'));
    }
    errs.push(...validateLabelName(sr.key ?? '', child(p, 'key')));
    values.forEach((v, j) => {
      errs.push(...isValidLabelValue(v).map((m) => field.invalid(index(child(p, 'values'), j), v, m)));
    });
  });
  return errs;
}

/** validatePodAffinityTerm (matchLabelKeys handling left out). */
function validatePodAffinityTerm(term: PodAffinityTerm, path: string): FieldError[] {
  const errs = validateLabelSelector(term.labelSelector, child(path, 'labelSelector'));
  errs.push(...validateLabelSelector(term.namespaceSelector, child(path, 'namespaceSelector')));
  for (const ns of term.namespaces ?? []) {
    errs.push(...nameIsDNSLabel(ns, false).map((m) => field.invalid(child(path, 'namespace'), ns, m)));
  }
  if (!term.topologyKey) {
    errs.push(field.required(child(path, 'topologyKey'), 'can not be empty'));
  }
  errs.push(...validateLabelName(term.topologyKey ?? '', child(path, 'topologyKey')));
  return errs;
}

interface PodAffinityShape {
  requiredDuringSchedulingIgnoredDuringExecution?: PodAffinityTerm[];
  preferredDuringSchedulingIgnoredDuringExecution?: { weight: number; podAffinityTerm: PodAffinityTerm }[];
}

function validatePodAffinity(pa: PodAffinityShape, path: string): FieldError[] {
  const errs: FieldError[] = [];
  (pa.requiredDuringSchedulingIgnoredDuringExecution ?? []).forEach((t, i) => {
    errs.push(...validatePodAffinityTerm(t, index(child(path, 'requiredDuringSchedulingIgnoredDuringExecution'), i)));
  });
  (pa.preferredDuringSchedulingIgnoredDuringExecution ?? []).forEach((w, j) => {
    const p = index(child(path, 'preferredDuringSchedulingIgnoredDuringExecution'), j);
    if (w.weight <= 0 || w.weight > 100) {
      errs.push(field.invalid(child(p, 'weight'), w.weight, 'must be in the range 1-100'));
    }
    errs.push(...validatePodAffinityTerm(w.podAffinityTerm ?? { topologyKey: '' }, child(p, 'podAffinityTerm')));
  });
  return errs;
}

/** validateAffinity. */
export function validateAffinity(affinity: Affinity | undefined, path: string): FieldError[] {
  if (!affinity) {
    return [];
  }
  const errs: FieldError[] = [];
  if (affinity.nodeAffinity) {
    errs.push(...validateNodeAffinity(affinity.nodeAffinity, child(path, 'nodeAffinity')));
  }
  if (affinity.podAffinity) {
    errs.push(...validatePodAffinity(affinity.podAffinity, child(path, 'podAffinity')));
  }
  if (affinity.podAntiAffinity) {
    errs.push(...validatePodAffinity(affinity.podAntiAffinity, child(path, 'podAntiAffinity')));
  }
  return errs;
}
