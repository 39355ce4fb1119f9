// Pod update, status update and binding validation: pkg/apis/core/validation/validation.go
// (ValidatePodUpdate, ValidateContainerUpdates, validateOnlyAddedTolerations,
// validateOnlyDeletedSchedulingGates, ValidatePodStatusUpdate,
// ValidateContainerStateTransition, ValidateInitContainerStateTransition,
// validatePodConditions, validatePodIPs, validateHostIPs, ValidatePodBinding), v1.33.
import { field, GoValue, type FieldError } from '../errors.js';
import { Quantity } from '../quantity.js';
import type { Binding, Container, ContainerStatus, Pod, PodIP, PodSpec, Toleration } from '../types/index.js';
import { child, index } from './field-path.js';
import { INVALID_IP_MSG, inclusiveRangeError, isIPSloppy, isQualifiedName, nameIsDNSSubdomain } from './names.js';
import { FIELD_IMMUTABLE_ERROR_MSG, validateObjectMetaUpdate } from './object-meta.js';
import {
  APPARMOR_CONTAINER_ANNOTATION_PREFIX,
  validatePodMetadataAndSpec,
  validatePodSpecificAnnotations,
  withParts,
} from './pod.js';
import { validateTolerations } from './scheduling.js';

const MAX_INT32 = 2147483647;
const MIRROR_POD_ANNOTATION = 'kubernetes.io/config.mirror';

/** updatablePodSpecFields, joined with "," as in the message. */
export const UPDATABLE_POD_SPEC_FIELDS = [
  '`spec.containers[*].image`',
  '`spec.initContainers[*].image`',
  '`spec.activeDeadlineSeconds`',
  '`spec.tolerations` (only additions to existing tolerations)',
  '`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)',
];

/** The head of rule #29's message; a newline and the spec diff follow it. */
export const POD_SPEC_IMMUTABLE_MSG = `pod updates may not change fields other than ${UPDATABLE_POD_SPEC_FIELDS.join(',')}`;

const QUANTITY_MAPS = new Set(['limits', 'requests', 'overhead', 'allocatedResources', 'capacity', 'allocatable']);

function isEmpty(v: unknown): boolean {
  return (
    v === undefined ||
    v === null ||
    v === false ||
    v === 0 ||
    v === '' ||
    (Array.isArray(v) && v.length === 0) ||
    (typeof v === 'object' && !Array.isArray(v) && Object.keys(v).length === 0)
  );
}

function quantityEqual(a: unknown, b: unknown): boolean {
  try {
    return Quantity.parse(a as string | number).cmp(Quantity.parse(b as string | number)) === 0;
  } catch {
    return a === b;
  }
}

/**
 * apiequality.Semantic.DeepEqual over wire JSON: nil and empty slices and maps are equal,
 * quantities compare by value, and (as Go's zero values do) an absent field equals its
 * zero value. `quantityMap` marks a ResourceList, whose values are quantities.
 */
export function semanticEqual(a: unknown, b: unknown, quantityMap = false): boolean {
  if (isEmpty(a) && isEmpty(b)) {
    return true;
  }
  if (Array.isArray(a) && Array.isArray(b)) {
    return a.length === b.length && a.every((x, i) => semanticEqual(x, b[i]));
  }
  if (a && b && typeof a === 'object' && typeof b === 'object' && !Array.isArray(a) && !Array.isArray(b)) {
    const ra = a as Record<string, unknown>;
    const rb = b as Record<string, unknown>;
    const keys = new Set([...Object.keys(ra), ...Object.keys(rb)]);
    for (const k of keys) {
      const equal = quantityMap
        ? k in ra && k in rb && quantityEqual(ra[k], rb[k])
        : semanticEqual(ra[k], rb[k], QUANTITY_MAPS.has(k));
      if (!equal) {
        return false;
      }
    }
    return true;
  }
  return a === b;
}

function goField(k: string): string {
  return k.charAt(0).toUpperCase() + k.slice(1);
}

/** Leaf differences as `- \tPath: old` / `+ \tPath: new` lines. */
function diffLines(a: unknown, b: unknown, path: string, out: string[], quantityMap = false): void {
  if (semanticEqual(a, b, quantityMap)) {
    return;
  }
  const bothObjects = a && b && typeof a === 'object' && typeof b === 'object' && Array.isArray(a) === Array.isArray(b);
  if (bothObjects && Array.isArray(a) && Array.isArray(b) && a.length === b.length) {
    a.forEach((x, i) => diffLines(x, b[i], `${path}[${i}]`, out));
    return;
  }
  if (bothObjects && !Array.isArray(a) && !quantityMap) {
    const ra = a as Record<string, unknown>;
    const rb = b as Record<string, unknown>;
    for (const k of new Set([...Object.keys(ra), ...Object.keys(rb)])) {
      diffLines(ra[k], rb[k], path ? `${path}.${goField(k)}` : goField(k), out, QUANTITY_MAPS.has(k));
    }
    return;
  }
  const show = (v: unknown): string => (v === undefined ? 'nil' : JSON.stringify(v));
  out.push(`- \t${path}: ${show(a)},`);
  out.push(`+ \t${path}: ${show(b)},`);
}

/**
 * The diff after rule #29's message. Upstream prints go-cmp's cmp.Diff(old, new), whose
 * layout go-cmp deliberately randomizes; podbay prints the same -/+ idea, one line per
 * changed field.
 */
export function podSpecDiff(oldSpec: PodSpec, newSpec: PodSpec): string {
  const lines: string[] = [];
  diffLines(oldSpec, newSpec, '', lines);
  return ['  core.PodSpec{', ...lines, '  }', ''].join('\n');
}

/** ValidateContainerUpdates: the same number of containers; images may change but not be empty. */
function validateContainerUpdates(
  newContainers: Container[] | undefined,
  oldContainers: Container[] | undefined,
  path: string,
): { errs: FieldError[]; stop: boolean } {
  const n = newContainers ?? [];
  if (n.length !== (oldContainers ?? []).length) {
    return { errs: [field.forbidden(path, 'pod updates may not add or remove containers')], stop: true };
  }
  const errs: FieldError[] = [];
  n.forEach((ctr, i) => {
    const image = ctr.image ?? '';
    if (image === '') {
      errs.push(field.required(child(index(path, i), 'image')));
    }
    if (image.trim().length !== image.length) {
      errs.push(field.invalid(child(index(path, i), 'image'), image, 'must not have leading or trailing whitespace'));
    }
  });
  return { errs, stop: false };
}

/** validateOnlyAddedTolerations: existing tolerations stay, except their tolerationSeconds. */
function validateOnlyAddedTolerations(
  newT: Toleration[] | undefined,
  oldT: Toleration[] | undefined,
  path: string,
): FieldError[] {
  for (const old of oldT ?? []) {
    const found = (newT ?? []).some((t) =>
      semanticEqual({ ...old, tolerationSeconds: undefined }, { ...t, tolerationSeconds: undefined }),
    );
    if (!found) {
      return [field.forbidden(path, 'existing toleration can not be modified except its tolerationSeconds')];
    }
  }
  return validateTolerations(newT, path);
}

/** %#v of a map[string]string: fmt sorts the keys. */
function goStringMap(m: Record<string, string> | undefined): GoValue {
  if (m === undefined) {
    return new GoValue('map[string]string(nil)');
  }
  const entries = Object.keys(m)
    .sort()
    .map((k) => `${JSON.stringify(k)}:${JSON.stringify(m[k])}`);
  return new GoValue(`map[string]string{${entries.join(', ')}}`);
}

/** ValidatePodSpecificAnnotationUpdates: the mirror-pod annotation is fixed for a pod's life. */
function validatePodSpecificAnnotationUpdates(newPod: Pod, oldPod: Pod, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const na = newPod.metadata.annotations ?? {};
  const oa = oldPod.metadata.annotations ?? {};
  for (const [k, oldVal] of Object.entries(oa)) {
    if (k in na && na[k] === oldVal) {
      continue;
    }
    if (k.startsWith(APPARMOR_CONTAINER_ANNOTATION_PREFIX)) {
      errs.push(field.forbidden(`${path}[${k}]`, 'may not remove or update AppArmor annotations'));
    }
    if (k === MIRROR_POD_ANNOTATION) {
      errs.push(field.forbidden(`${path}[${k}]`, 'may not remove or update mirror pod annotation'));
    }
  }
  for (const k of Object.keys(na)) {
    if (k in oa) {
      continue;
    }
    if (k.startsWith(APPARMOR_CONTAINER_ANNOTATION_PREFIX)) {
      errs.push(field.forbidden(`${path}[${k}]`, 'may not add AppArmor annotations'));
    }
    if (k === MIRROR_POD_ANNOTATION) {
      errs.push(field.forbidden(`${path}[${k}]`, 'may not add mirror pod annotation'));
    }
  }
  errs.push(...validatePodSpecificAnnotations(newPod.metadata.annotations, newPod.spec, path));
  return errs;
}

function structuredCloneSpec(spec: PodSpec): PodSpec {
  return JSON.parse(JSON.stringify(spec)) as PodSpec;
}

/**
 * ValidatePodUpdate: metadata rules, the whole pod re-validated, then the few mutable spec
 * fields (images, activeDeadlineSeconds, added tolerations, removed scheduling gates, a
 * negative grace period set to 1, nodeSelector additions while gated); any other change is
 * rule #29's Forbidden with a diff.
 */
export function validatePodUpdate(newInput: Pod, oldInput: Pod): FieldError[] {
  const newPod = withParts(newInput);
  const oldPod = withParts(oldInput);
  const errs = validateObjectMetaUpdate(newPod.metadata, oldPod.metadata);
  errs.push(...validatePodMetadataAndSpec(newPod));
  errs.push(...validatePodSpecificAnnotationUpdates(newPod, oldPod, 'metadata.annotations'));
  const ns = newPod.spec;
  const os = oldPod.spec;
  for (const list of ['containers', 'initContainers'] as const) {
    const r = validateContainerUpdates(ns[list], os[list], `spec.${list}`);
    errs.push(...r.errs);
    if (r.stop) {
      return errs;
    }
  }
  const nAds = ns.activeDeadlineSeconds;
  const oAds = os.activeDeadlineSeconds;
  if (nAds !== undefined && nAds !== null) {
    if (nAds < 0 || nAds > MAX_INT32) {
      errs.push(field.invalid('spec.activeDeadlineSeconds', nAds, inclusiveRangeError(0, MAX_INT32)));
      return errs;
    }
    if (oAds !== undefined && oAds !== null && oAds < nAds) {
      errs.push(field.invalid('spec.activeDeadlineSeconds', nAds, 'must be less than or equal to previous value'));
      return errs;
    }
  } else if (oAds !== undefined && oAds !== null) {
    // A nil *int64 prints as the quoted string "null".
    errs.push(
      field.invalid('spec.activeDeadlineSeconds', 'null', 'must not update from a positive integer to nil value'),
    );
  }
  errs.push(...validateOnlyAddedTolerations(ns.tolerations, os.tolerations, 'spec.tolerations'));
  const oldGates = new Set((os.schedulingGates ?? []).map((g) => g.name));
  const added = new Map<string, number>();
  (ns.schedulingGates ?? []).forEach((g, i) => added.set(g.name, i));
  for (const [gate, i] of added) {
    if (!oldGates.has(gate)) {
      errs.push(
        field.forbidden(
          `spec.schedulingGates[${i}].name`,
          `only deletion is allowed, but found new scheduling gate '${gate}'`,
        ),
      );
    }
  }
  if (semanticEqual(ns, os)) {
    return errs;
  }
  const munged = structuredCloneSpec(ns);
  munged.containers = (munged.containers ?? []).map((c, i) => ({ ...c, image: os.containers[i]?.image }));
  if (munged.initContainers) {
    munged.initContainers = munged.initContainers.map((c, i) => ({ ...c, image: os.initContainers?.[i]?.image }));
  }
  munged.activeDeadlineSeconds = os.activeDeadlineSeconds;
  munged.schedulingGates = os.schedulingGates;
  munged.tolerations = os.tolerations;
  if (
    (os.terminationGracePeriodSeconds ?? 0) < 0 &&
    os.terminationGracePeriodSeconds !== undefined &&
    munged.terminationGracePeriodSeconds === 1
  ) {
    munged.terminationGracePeriodSeconds = os.terminationGracePeriodSeconds;
  }
  if ((os.schedulingGates ?? []).length > 0 && !semanticEqual(munged.nodeSelector, os.nodeSelector)) {
    // Gated pods may gain nodeSelector entries, but not lose or change any.
    for (const [k, v] of Object.entries(os.nodeSelector ?? {})) {
      if (munged.nodeSelector?.[k] !== v) {
        errs.push(
          field.invalid(
            'spec.nodeSelector',
            goStringMap(munged.nodeSelector),
            'only additions to spec.nodeSelector are allowed (no mutations or deletions)',
          ),
        );
        break;
      }
    }
    munged.nodeSelector = os.nodeSelector;
  }
  if (!semanticEqual(munged, os)) {
    errs.push(field.forbidden('spec', `${POD_SPEC_IMMUTABLE_MSG}\n${podSpecDiff(os, munged)}`));
  }
  return errs;
}

function isTerminated(s: ContainerStatus): boolean {
  return s.state?.terminated !== undefined && s.state.terminated !== null;
}

/** ValidateContainerStateTransition: a container that may not restart stays terminated. */
function validateContainerStateTransition(
  newStatuses: ContainerStatus[] | undefined,
  oldStatuses: ContainerStatus[] | undefined,
  path: string,
  restartPolicy: string | undefined,
  restartableInit: ReadonlySet<string> = new Set(),
): FieldError[] {
  if (restartPolicy === 'Always') {
    return [];
  }
  const errs: FieldError[] = [];
  (oldStatuses ?? []).forEach((old, i) => {
    if (!isTerminated(old)) {
      return;
    }
    if (old.state!.terminated!.exitCode !== 0 && restartPolicy === 'OnFailure') {
      return;
    }
    if (restartableInit.has(old.name)) {
      return;
    }
    for (const n of newStatuses ?? []) {
      if (n.name === old.name && !isTerminated(n)) {
        errs.push(field.forbidden(child(index(path, i), 'state'), 'may not be transitioned to non-terminated state'));
      }
    }
  });
  return errs;
}

function goPodIPs(ips: PodIP[]): GoValue {
  return new GoValue(`[]core.PodIP{${ips.map((p) => `core.PodIP{IP:${JSON.stringify(p.ip)}}`).join(', ')}}`);
}

/** validatePodIPs / validateHostIPs: valid addresses, at most one per family, no duplicates. */
function validateIPList(ips: PodIP[] | undefined, path: string, hostIP?: string): FieldError[] {
  const list = ips ?? [];
  const errs: FieldError[] = [];
  if (hostIP !== undefined && list.length > 0 && (hostIP ?? '') !== list[0]!.ip) {
    errs.push(field.invalid(child(index(path, 0), 'ip'), list[0]!.ip, 'must be equal to `hostIP`'));
  }
  list.forEach((p, i) => {
    if (!isIPSloppy(p.ip ?? '')) {
      errs.push(field.invalid(index(path, i), p.ip ?? '', INVALID_IP_MSG));
    }
  });
  if (list.length > 1) {
    const v4 = list.filter((p) => !(p.ip ?? '').includes(':')).length;
    const v6 = list.length - v4;
    const dupErrs: FieldError[] = [];
    const seen = new Set<string>();
    list.forEach((p, i) => {
      if (seen.has(p.ip)) {
        dupErrs.push(field.duplicate(index(path, i), new GoValue(`core.PodIP{IP:${JSON.stringify(p.ip)}}`)));
      }
      seen.add(p.ip);
    });
    const familyErr = v4 !== 1 || v6 !== 1 || list.length > 2;
    const familyErrs = familyErr
      ? [field.invalid(path, goPodIPs(list), 'may specify no more than one IP for each IP family')]
      : [];
    // validatePodIPs reports the family error first; validateHostIPs the duplicates first.
    errs.push(...(hostIP === undefined ? [...familyErrs, ...dupErrs] : [...dupErrs, ...familyErrs]));
  }
  return errs;
}

/**
 * ValidatePodStatusUpdate: metadata rules, condition types, nodeName and qosClass fixed,
 * no terminated→running transitions a restart policy forbids, pod and host IPs well formed.
 */
export function validatePodStatusUpdate(newInput: Pod, oldInput: Pod): FieldError[] {
  const newPod = withParts(newInput);
  const oldPod = withParts(oldInput);
  const errs = validateObjectMetaUpdate(newPod.metadata, oldPod.metadata);
  errs.push(...validatePodSpecificAnnotationUpdates(newPod, oldPod, 'metadata.annotations'));
  const system = new Set(['PodScheduled', 'Ready', 'Initialized']);
  (newPod.status?.conditions ?? []).forEach((c, i) => {
    if (!system.has(c.type)) {
      // Upstream builds this path from "metadata", with a capital T.
      errs.push(
        ...isQualifiedName(c.type ?? '').map((m) => field.invalid(`metadata.conditions[${i}].Type`, c.type ?? '', m)),
      );
    }
  });
  if ((newPod.spec.nodeName ?? '') !== (oldPod.spec.nodeName ?? '')) {
    errs.push(field.forbidden('status.nodeName', 'may not be changed directly'));
  }
  const nominated = newPod.status?.nominatedNodeName ?? '';
  if (nominated !== (oldPod.status?.nominatedNodeName ?? '') && nominated.length > 0) {
    errs.push(
      ...nameIsDNSSubdomain(nominated, false).map((m) => field.invalid('status.nominatedNodeName', nominated, m)),
    );
  }
  const nq = newPod.status?.qosClass ?? '';
  if (nq !== (oldPod.status?.qosClass ?? '')) {
    errs.push(field.invalid('status.qosClass', nq, FIELD_IMMUTABLE_ERROR_MSG));
  }
  const policy = oldPod.spec.restartPolicy;
  errs.push(
    ...validateContainerStateTransition(
      newPod.status?.containerStatuses,
      oldPod.status?.containerStatuses,
      'status.containerStatuses',
      policy,
    ),
  );
  const sidecars = new Set(
    (oldPod.spec.initContainers ?? []).filter((c) => c.restartPolicy === 'Always').map((c) => c.name),
  );
  errs.push(
    ...validateContainerStateTransition(
      newPod.status?.initContainerStatuses,
      oldPod.status?.initContainerStatuses,
      'status.initContainerStatuses',
      policy,
      sidecars,
    ),
  );
  errs.push(
    ...validateContainerStateTransition(
      newPod.status?.ephemeralContainerStatuses,
      oldPod.status?.ephemeralContainerStatuses,
      'status.ephemeralContainerStatuses',
      'Never',
    ),
  );
  errs.push(...validateIPList(newPod.status?.podIPs, 'status.podIPs'));
  if ((newPod.status?.hostIPs ?? []).length > 0) {
    errs.push(...validateIPList(newPod.status?.hostIPs, 'status.hostIPs', newPod.status?.hostIP ?? ''));
  }
  return errs;
}

/** ValidatePodBinding: the target is a Node, by name. */
export function validatePodBinding(binding: Binding): FieldError[] {
  const errs: FieldError[] = [];
  const kind = binding.target?.kind ?? '';
  if (kind !== '' && kind !== 'Node') {
    errs.push(field.notSupported('target.kind', kind, ['Node', '<empty>']));
  }
  if (!binding.target?.name) {
    errs.push(field.required('target.name'));
  }
  return errs;
}
