// Container env and envFrom, and the downward-API selectors they share with volumes:
// pkg/apis/core/validation/validation.go (ValidateEnv, validateEnvVarValueFrom,
// validateObjectFieldSelector, validateContainerResourceFieldSelector,
// validateContainerResourceDivisor, ValidateEnvFrom) and pkg/apis/core/pods/helpers.go
// (ConvertDownwardAPIFieldLabel).
import { field, type FieldError } from '../errors.js';
import type {
  ConfigMapKeySelector,
  EnvFromSource,
  EnvVar,
  ObjectFieldSelector,
  ResourceFieldSelector,
} from '../types/index.js';
import { child, index } from './field-path.js';
import { isConfigMapKey, isQualifiedName, isRelaxedEnvVarName, nameIsDNSSubdomain } from './names.js';
import { toQuantity } from './resources.js';

/** validEnvDownwardAPIFieldPathExpressions, sorted as sets.List prints them. */
export const ENV_DOWNWARD_API_FIELD_PATHS = [
  'metadata.name',
  'metadata.namespace',
  'metadata.uid',
  'spec.nodeName',
  'spec.serviceAccountName',
  'status.hostIP',
  'status.hostIPs',
  'status.podIP',
  'status.podIPs',
];

const CONTAINER_RESOURCE_FIELD_PATHS = [
  'limits.cpu',
  'limits.ephemeral-storage',
  'limits.memory',
  'requests.cpu',
  'requests.ephemeral-storage',
  'requests.memory',
];
const HUGEPAGES_FIELD_PREFIXES = ['limits.hugepages-', 'requests.hugepages-'];

/** The labels ConvertDownwardAPIFieldLabel accepts for v1 (spec.host is the legacy spelling of spec.nodeName). */
const CONVERTIBLE_FIELD_LABELS = new Set([
  'metadata.annotations',
  'metadata.labels',
  'metadata.name',
  'metadata.namespace',
  'metadata.uid',
  'spec.nodeName',
  'spec.restartPolicy',
  'spec.serviceAccountName',
  'spec.schedulerName',
  'status.phase',
  'status.hostIP',
  'status.hostIPs',
  'status.podIP',
  'status.podIPs',
]);

/** fieldpath.SplitMaybeSubscriptedPath: `metadata.labels['app']` → [`metadata.labels`, `app`]. */
export function splitMaybeSubscriptedPath(fieldPath: string): { path: string; subscript: string; ok: boolean } {
  if (!fieldPath.endsWith("']")) {
    return { path: fieldPath, subscript: '', ok: false };
  }
  const s = fieldPath.slice(0, -2);
  const at = s.indexOf("['");
  if (at <= 0) {
    return { path: fieldPath, subscript: '', ok: false };
  }
  return { path: s.slice(0, at), subscript: s.slice(at + 2), ok: true };
}

/** ConvertDownwardAPIFieldLabel: the internal field path, or the conversion error. */
function convertDownwardAPIFieldLabel(version: string, label: string): { path?: string; error?: string } {
  if (version !== 'v1') {
    return { error: `unsupported pod version: ${version}` };
  }
  const sub = splitMaybeSubscriptedPath(label);
  if (sub.ok) {
    if (sub.path === 'metadata.annotations' || sub.path === 'metadata.labels') {
      return { path: label };
    }
    return { error: `field label does not support subscript: ${label}` };
  }
  if (CONVERTIBLE_FIELD_LABELS.has(label)) {
    return { path: label };
  }
  if (label === 'spec.host') {
    return { path: 'spec.nodeName' };
  }
  return { error: `field label not supported: ${label}` };
}

/** validateObjectFieldSelector. */
export function validateObjectFieldSelector(
  fs: ObjectFieldSelector,
  expressions: readonly string[],
  path: string,
): FieldError[] {
  if (!fs.apiVersion) {
    return [field.required(child(path, 'apiVersion'))];
  }
  if (!fs.fieldPath) {
    return [field.required(child(path, 'fieldPath'))];
  }
  const converted = convertDownwardAPIFieldLabel(fs.apiVersion, fs.fieldPath);
  if (converted.error !== undefined) {
    return [field.invalid(child(path, 'fieldPath'), fs.fieldPath, `error converting fieldPath: ${converted.error}`)];
  }
  const internal = converted.path!;
  const sub = splitMaybeSubscriptedPath(internal);
  if (sub.ok) {
    switch (sub.path) {
      case 'metadata.annotations':
        return isQualifiedName(sub.subscript.toLowerCase()).map((m) =>
          field.invalid(path, sub.subscript.toLowerCase(), m),
        );
      case 'metadata.labels':
        return isQualifiedName(sub.subscript).map((m) => field.invalid(path, sub.subscript, m));
      default:
        return [field.invalid(path, sub.path, 'does not support subscript')];
    }
  }
  if (!expressions.includes(internal)) {
    return [field.notSupported(child(path, 'fieldPath'), internal, expressions)];
  }
  return [];
}

const MEMORY_DIVISORS = ['1', '1k', '1M', '1G', '1T', '1P', '1E', '1Ki', '1Mi', '1Gi', '1Ti', '1Pi', '1Ei'];
const MEMORY_DIVISOR_LIST = '1, 1k, 1M, 1G, 1T, 1P, 1E, 1Ki, 1Mi, 1Gi, 1Ti, 1Pi, 1Ei';

function validateContainerResourceDivisor(
  rName: string,
  divisor: ResourceFieldSelector['divisor'],
  path: string,
): FieldError[] {
  if (divisor === undefined || divisor === null) {
    return [];
  }
  const errs: FieldError[] = [];
  const q = toQuantity(divisor, child(path, 'divisor'), errs);
  if (!q || q.isZero()) {
    return errs;
  }
  const d = q.toString();
  const p = child(path, 'divisor');
  switch (rName) {
    case 'limits.cpu':
    case 'requests.cpu':
      if (d !== '1m' && d !== '1') {
        errs.push(field.invalid(p, rName, "only divisor's values 1m and 1 are supported with the cpu resource"));
      }
      break;
    case 'limits.memory':
    case 'requests.memory':
      if (!MEMORY_DIVISORS.includes(d)) {
        errs.push(
          field.invalid(
            p,
            rName,
            `only divisor's values ${MEMORY_DIVISOR_LIST} are supported with the memory resource`,
          ),
        );
      }
      break;
    case 'limits.ephemeral-storage':
    case 'requests.ephemeral-storage':
      if (!MEMORY_DIVISORS.includes(d)) {
        errs.push(
          field.invalid(
            p,
            rName,
            `only divisor's values ${MEMORY_DIVISOR_LIST} are supported with the local ephemeral storage resource`,
          ),
        );
      }
      break;
  }
  if (HUGEPAGES_FIELD_PREFIXES.some((pre) => rName.startsWith(pre)) && !MEMORY_DIVISORS.includes(d)) {
    errs.push(
      field.invalid(p, rName, `only divisor's values ${MEMORY_DIVISOR_LIST} are supported with the hugepages resource`),
    );
  }
  return errs;
}

/** validateContainerResourceFieldSelector; `volume` requires containerName (downward-API volumes). */
export function validateResourceFieldSelector(fs: ResourceFieldSelector, path: string, volume: boolean): FieldError[] {
  const errs: FieldError[] = [];
  if (volume && !fs.containerName) {
    errs.push(field.required(child(path, 'containerName')));
  } else if (!fs.resource) {
    errs.push(field.required(child(path, 'resource')));
  } else if (
    !CONTAINER_RESOURCE_FIELD_PATHS.includes(fs.resource) &&
    !HUGEPAGES_FIELD_PREFIXES.some((p) => fs.resource.startsWith(p))
  ) {
    errs.push(field.notSupported(child(path, 'resource'), fs.resource, CONTAINER_RESOURCE_FIELD_PATHS));
  }
  errs.push(...validateContainerResourceDivisor(fs.resource ?? '', fs.divisor, path));
  return errs;
}

/** validateConfigMapKeySelector / validateSecretKeySelector: the name is checked even when empty. */
function validateKeySelector(s: ConfigMapKeySelector, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const name = s.name ?? '';
  for (const m of nameIsDNSSubdomain(name, false)) {
    errs.push(field.invalid(child(path, 'name'), name, m));
  }
  if (!s.key) {
    errs.push(field.required(child(path, 'key')));
  } else {
    for (const m of isConfigMapKey(s.key)) {
      errs.push(field.invalid(child(path, 'key'), s.key, m));
    }
  }
  return errs;
}

function validateEnvVarValueFrom(ev: EnvVar, path: string): FieldError[] {
  const from = ev.valueFrom;
  if (!from) {
    return [];
  }
  const errs: FieldError[] = [];
  let numSources = 0;
  if (from.fieldRef) {
    numSources++;
    errs.push(...validateObjectFieldSelector(from.fieldRef, ENV_DOWNWARD_API_FIELD_PATHS, child(path, 'fieldRef')));
  }
  if (from.resourceFieldRef) {
    numSources++;
    errs.push(...validateResourceFieldSelector(from.resourceFieldRef, child(path, 'resourceFieldRef'), false));
  }
  if (from.configMapKeyRef) {
    numSources++;
    errs.push(...validateKeySelector(from.configMapKeyRef, child(path, 'configMapKeyRef')));
  }
  if (from.secretKeyRef) {
    numSources++;
    errs.push(...validateKeySelector(from.secretKeyRef, child(path, 'secretKeyRef')));
  }
  if (numSources === 0) {
    errs.push(
      field.invalid(
        path,
        '',
        'must specify one of: `fieldRef`, `resourceFieldRef`, `configMapKeyRef` or `secretKeyRef`',
      ),
    );
  } else if (ev.value) {
    errs.push(field.invalid(path, '', 'may not be specified when `value` is not empty'));
  } else if (numSources > 1) {
    errs.push(field.invalid(path, '', 'may not have more than one field specified at a time'));
  }
  return errs;
}

/** ValidateEnv, with the relaxed name rule of v1.32+ (RelaxedEnvironmentVariableValidation on by default). */
export function validateEnv(vars: EnvVar[] | undefined, path: string): FieldError[] {
  const errs: FieldError[] = [];
  (vars ?? []).forEach((ev, i) => {
    const idxPath = index(path, i);
    if (!ev.name) {
      errs.push(field.required(child(idxPath, 'name')));
    } else {
      errs.push(...isRelaxedEnvVarName(ev.name).map((m) => field.invalid(child(idxPath, 'name'), ev.name, m)));
    }
    errs.push(...validateEnvVarValueFrom(ev, child(idxPath, 'valueFrom')));
  });
  return errs;
}

/** ValidateEnvFrom: the one-source errors are reported at the list's path, as upstream does. */
export function validateEnvFrom(vars: EnvFromSource[] | undefined, path: string): FieldError[] {
  const errs: FieldError[] = [];
  (vars ?? []).forEach((ev, i) => {
    const idxPath = index(path, i);
    if (ev.prefix) {
      errs.push(...isRelaxedEnvVarName(ev.prefix).map((m) => field.invalid(child(idxPath, 'prefix'), ev.prefix, m)));
    }
    let numSources = 0;
    for (const kind of ['configMapRef', 'secretRef'] as const) {
      const ref = ev[kind];
      if (!ref) {
        continue;
      }
      numSources++;
      const p = child(idxPath, kind);
      if (!ref.name) {
        errs.push(field.required(child(p, 'name')));
      } else {
        errs.push(...nameIsDNSSubdomain(ref.name, true).map((m) => field.invalid(child(p, 'name'), ref.name, m)));
      }
    }
    if (numSources === 0) {
      errs.push(field.invalid(path, '', 'must specify one of: `configMapRef` or `secretRef`'));
    } else if (numSources > 1) {
      errs.push(field.invalid(path, '', 'may not have more than one field specified at a time'));
    }
  });
  return errs;
}
