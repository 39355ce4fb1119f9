// Resource names and quantities: pkg/apis/core/validation/validation.go
// (validateResourceName, validateContainerResourceName, ValidateResourceQuantityValue,
// validateResourceRequirements, validateResourceQuantityHugePageValue) with the predicates
// of pkg/apis/core/helper/helpers.go (IsStandardResourceName, IsNativeResource,
// IsExtendedResourceName, IsOvercommitAllowed, IsIntegerResourceName).
import { field, GoValue, type FieldError } from '../errors.js';
import { Quantity } from '../quantity.js';
import type { QuantityValue, ResourceRequirements } from '../types/index.js';
import { child, index, key } from './field-path.js';
import { IS_NEGATIVE_ERROR_MSG, isDNS1123Label, isQualifiedName } from './names.js';

const HUGEPAGES_PREFIX = 'hugepages-';
const REQUESTS_HUGEPAGES_PREFIX = 'requests.hugepages-';

const STANDARD_CONTAINER_RESOURCES = new Set(['cpu', 'memory', 'ephemeral-storage']);
const STANDARD_RESOURCES = new Set([
  'cpu',
  'memory',
  'ephemeral-storage',
  'requests.cpu',
  'requests.memory',
  'requests.ephemeral-storage',
  'limits.cpu',
  'limits.memory',
  'limits.ephemeral-storage',
  'pods',
  'services',
  'replicationcontrollers',
  'resourcequotas',
  'secrets',
  'persistentvolumeclaims',
  'configmaps',
  'requests.storage',
  'services.nodeports',
  'services.loadbalancers',
  'storage',
]);
const INTEGER_RESOURCES = new Set([
  'pods',
  'services',
  'replicationcontrollers',
  'resourcequotas',
  'secrets',
  'configmaps',
  'persistentvolumeclaims',
  'services.nodeports',
  'services.loadbalancers',
]);

export function isHugePageResourceName(name: string): boolean {
  return name.startsWith(HUGEPAGES_PREFIX);
}

function isStandardResourceName(name: string): boolean {
  return (
    STANDARD_RESOURCES.has(name) || name.startsWith(HUGEPAGES_PREFIX) || name.startsWith(REQUESTS_HUGEPAGES_PREFIX)
  );
}

function isStandardContainerResourceName(name: string): boolean {
  return STANDARD_CONTAINER_RESOURCES.has(name) || isHugePageResourceName(name);
}

/** IsNativeResource: unprefixed or in the kubernetes.io domain. */
export function isNativeResource(name: string): boolean {
  return !name.includes('/') || name.includes('kubernetes.io/');
}

/** IsExtendedResourceName: a domain-prefixed, non-native name that stays valid behind "requests.". */
export function isExtendedResourceName(name: string): boolean {
  if (isNativeResource(name) || name.startsWith('requests.')) {
    return false;
  }
  return isQualifiedName(`requests.${name}`).length === 0;
}

/** IsOvercommitAllowed: requests may be below limits only for native, non-hugepage resources. */
export function isOvercommitAllowed(name: string): boolean {
  return isNativeResource(name) && !isHugePageResourceName(name);
}

function isIntegerResourceName(name: string): boolean {
  return INTEGER_RESOURCES.has(name) || isExtendedResourceName(name);
}

/** validateResourceName. */
export function validateResourceName(name: string, path: string): FieldError[] {
  const errs = isQualifiedName(name).map((m) => field.invalid(path, name, m));
  if (errs.length > 0) {
    return errs;
  }
  if (name.split('/').length === 1 && !isStandardResourceName(name)) {
    return [field.invalid(path, name, 'must be a standard resource type or fully qualified')];
  }
  return [];
}

/** validateContainerResourceName. */
export function validateContainerResourceName(name: string, path: string): FieldError[] {
  const errs = validateResourceName(name, path);
  if (name.split('/').length === 1) {
    if (!isStandardContainerResourceName(name)) {
      errs.push(field.invalid(path, name, 'must be a standard resource for containers'));
    }
  } else if (!isNativeResource(name) && !isExtendedResourceName(name)) {
    errs.push(field.invalid(path, name, "doesn't follow extended resource name standard"));
  }
  return errs;
}

/**
 * A wire quantity as a Quantity. The decoder rejects strings that do not parse before
 * validation runs; for a caller that skipped it, the parse error is reported here.
 */
export function toQuantity(v: QuantityValue, path: string, errs: FieldError[]): Quantity | undefined {
  try {
    return Quantity.parse(v);
  } catch (e) {
    errs.push(field.invalid(path, v, e instanceof Error ? e.message : String(e)));
    return undefined;
  }
}

/**
 * ValidateResourceQuantityValue: non-negative, and whole for integer resources. The
 * integer error carries the Quantity itself, which ErrorBody prints through its String()
 * method (its pointer is a fmt.Stringer), so bare: `Invalid value: 500m`.
 */
export function validateResourceQuantityValue(name: string, q: Quantity, path: string): FieldError[] {
  const errs: FieldError[] = [];
  if (q.sign() < 0) {
    errs.push(field.invalid(path, q.toString(), IS_NEGATIVE_ERROR_MSG));
  }
  if (isIntegerResourceName(name) && q.milliValue() % 1000 !== 0) {
    errs.push(field.invalid(path, new GoValue(q.toString()), 'must be an integer'));
  }
  return errs;
}

/** IsHugePageResourceValueDivisible: a whole number of pages of the size in the name. */
function hugePageValueError(name: string, q: Quantity): string | undefined {
  let size: Quantity;
  try {
    size = Quantity.parse(name.slice(HUGEPAGES_PREFIX.length));
  } catch {
    return `${q.toString()} is not positive integer multiple of ${name}`;
  }
  const ok =
    size.sign() > 0 &&
    size.milliValue() % 1000 === 0 &&
    BigInt(q.scaledValueBig(0)) % BigInt(size.scaledValueBig(0)) === 0n;
  return ok ? undefined : `${q.toString()} is not positive integer multiple of ${name}`;
}

/**
 * validateResourceRequirements for a container: names, quantities, request ≤ limit (equal
 * for resources that cannot be overcommitted), hugepages need cpu or memory, and claims.
 */
export function validateContainerResourceRequirements(
  req: ResourceRequirements | undefined,
  podClaimNames: ReadonlySet<string>,
  path: string,
): FieldError[] {
  const errs: FieldError[] = [];
  const limPath = child(path, 'limits');
  const reqPath = child(path, 'requests');
  let limCpuMem = false;
  let reqCpuMem = false;
  let limHuge = false;
  let reqHuge = false;
  const limits = new Map<string, Quantity>();
  for (const [name, raw] of Object.entries(req?.limits ?? {})) {
    const p = key(limPath, name);
    errs.push(...validateContainerResourceName(name, p));
    const q = toQuantity(raw, p, errs);
    if (!q) {
      continue;
    }
    limits.set(name, q);
    errs.push(...validateResourceQuantityValue(name, q, p));
    if (isHugePageResourceName(name)) {
      limHuge = true;
      const e = hugePageValueError(name, q);
      if (e) {
        errs.push(field.invalid(p, q.toString(), e));
      }
    }
    limCpuMem ||= name === 'cpu' || name === 'memory';
  }
  for (const [name, raw] of Object.entries(req?.requests ?? {})) {
    const p = key(reqPath, name);
    errs.push(...validateContainerResourceName(name, p));
    const q = toQuantity(raw, p, errs);
    if (!q) {
      continue;
    }
    errs.push(...validateResourceQuantityValue(name, q, p));
    const limit = limits.get(name);
    if (limit) {
      if (q.cmp(limit) !== 0 && !isOvercommitAllowed(name)) {
        errs.push(field.invalid(reqPath, q.toString(), `must be equal to ${name} limit of ${limit.toString()}`));
      } else if (q.cmp(limit) > 0) {
        errs.push(
          field.invalid(reqPath, q.toString(), `must be less than or equal to ${name} limit of ${limit.toString()}`),
        );
      }
    } else if (!isOvercommitAllowed(name)) {
      errs.push(field.required(limPath, 'Limit must be set for non overcommitable resources'));
    }
    if (isHugePageResourceName(name)) {
      reqHuge = true;
      const e = hugePageValueError(name, q);
      if (e) {
        errs.push(field.invalid(p, q.toString(), e));
      }
    }
    reqCpuMem ||= name === 'cpu' || name === 'memory';
  }
  if (!limCpuMem && !reqCpuMem && (reqHuge || limHuge)) {
    errs.push(field.forbidden(path, 'HugePages require cpu or memory'));
  }
  errs.push(...validateResourceClaimNames(req?.claims, podClaimNames, child(path, 'claims')));
  return errs;
}

/** validateResourceClaimNames: each claim names an entry of spec.resourceClaims, once. */
function validateResourceClaimNames(
  claims: { name: string; request?: string }[] | undefined,
  podClaimNames: ReadonlySet<string>,
  path: string,
): FieldError[] {
  const errs: FieldError[] = [];
  const names = new Set<string>();
  (claims ?? []).forEach((claim, i) => {
    const p = index(path, i);
    const name = claim.name ?? '';
    if (name === '') {
      errs.push(field.required(p));
      return;
    }
    if (names.has(name)) {
      errs.push(field.duplicate(p, name));
    } else {
      let k = name;
      if (claim.request) {
        errs.push(...isDNS1123Label(claim.request).map((m) => field.invalid(child(p, 'request'), claim.request, m)));
        k += `/${claim.request}`;
      }
      if (names.has(k)) {
        errs.push(field.duplicate(p, k));
      } else if (!claim.request) {
        for (const n of names) {
          const slash = n.indexOf('/');
          if (slash >= 0 && n.slice(0, slash) === name) {
            errs.push(field.duplicate(p, name));
          }
        }
      }
      names.add(k);
    }
    if (!podClaimNames.has(name)) {
      const detail =
        podClaimNames.size === 0
          ? 'must be one of the names in pod.spec.resourceClaims which is empty'
          : `must be one of the names in pod.spec.resourceClaims: ${[...podClaimNames].sort().join(', ')}`;
      errs.push({ ...field.notFound(p, name), detail });
    }
  });
  return errs;
}
