// Pod create validation: pkg/apis/core/validation/validation.go (ValidatePodCreate,
// validatePodMetadataAndSpec, ValidatePodSpecificAnnotations, ValidatePodSpec and the
// pod-level checks it calls), v1.33, on a pod the API server has already defaulted
// (restartPolicy, dnsPolicy, terminationGracePeriodSeconds, imagePullPolicy,
// terminationMessagePolicy, ports' protocol, probe and httpGet defaults).
import { field, type FieldError } from '../errors.js';
import type { LabelSelector, ObjectMeta, Pod, PodDNSConfig, PodSecurityContext, PodSpec } from '../types/index.js';
import {
  type ContainerContext,
  validateContainers,
  validateEphemeralContainers,
  validateImageWhitespace,
  validateInitContainers,
  validateSeccompProfile,
} from './container.js';
import { child, index, key } from './field-path.js';
import { goStringSlice } from './go-values.js';
import {
  INVALID_IP_MSG,
  inclusiveRangeError,
  isDNS1123Label,
  isDNS1123Subdomain,
  isIPSloppy,
  isQualifiedName,
  isValidGroupID,
  isValidUserID,
  nameIsDNSSubdomain,
} from './names.js';
import { validateLabelName, validateLabels, validateObjectMeta } from './object-meta.js';
import { validateContainerResourceRequirements } from './resources.js';
import { validateAffinity, validateLabelSelector, validateTolerations } from './scheduling.js';
import { validateLocalDescendingPath, validateVolumes } from './volumes.js';

export const RESTART_POLICIES = ['Always', 'OnFailure', 'Never'];
export const DNS_POLICIES = ['ClusterFirstWithHostNet', 'ClusterFirst', 'Default', 'None'];
const MAX_INT32 = 2147483647;
const MAX_DNS_NAMESERVERS = 3;
const MAX_DNS_SEARCH_PATHS = 32;
const MAX_DNS_SEARCH_LIST_CHARS = 2048;
const MIRROR_POD_ANNOTATION = 'kubernetes.io/config.mirror';
const POD_DELETION_COST = 'controller.kubernetes.io/pod-deletion-cost';

/**
 * helper.GetDeletionCostFromPodAnnotations: validFirstDigit (a '-', a lone "0", or 1-9, so no
 * '+' and no leading zeros), then strconv.ParseInt(v, 10, 32).
 */
function isValidDeletionCost(v: string): boolean {
  const c = v[0];
  if (c === undefined || !(c === '-' || v === '0' || (c >= '1' && c <= '9'))) {
    return false;
  }
  if (!/^-?[0-9]+$/.test(v)) {
    return false;
  }
  const n = Number(v);
  return n >= -2147483648 && n <= MAX_INT32;
}

/** ValidatePodSpecificAnnotations: the mirror-pod and pod-deletion-cost annotations. */
export function validatePodSpecificAnnotations(
  annotations: Record<string, string> | undefined,
  spec: PodSpec,
  path: string,
): FieldError[] {
  const errs: FieldError[] = [];
  const a = annotations ?? {};
  if (MIRROR_POD_ANNOTATION in a && !spec.nodeName) {
    errs.push(
      field.invalid(
        key(path, MIRROR_POD_ANNOTATION),
        a[MIRROR_POD_ANNOTATION],
        'must set spec.nodeName if mirror pod annotation is set',
      ),
    );
  }
  if (POD_DELETION_COST in a && !isValidDeletionCost(a[POD_DELETION_COST] ?? '')) {
    errs.push(field.invalid(key(path, POD_DELETION_COST), a[POD_DELETION_COST], 'must be a 32bit integer'));
  }
  // ValidateSeccompPodAnnotations: upstream uses Child (`annotations.<key>`), not Key, here.
  const podSeccomp = a[SECCOMP_POD_ANNOTATION];
  if (podSeccomp !== undefined) {
    errs.push(...validateSeccompAnnotation(podSeccomp, child(path, SECCOMP_POD_ANNOTATION)));
  }
  for (const [k, v] of Object.entries(a)) {
    if (k.startsWith(SECCOMP_CONTAINER_ANNOTATION_PREFIX)) {
      errs.push(...validateSeccompAnnotation(v, child(path, k)));
    }
  }
  // ValidateAppArmorPodAnnotations: the container must exist and the profile be well formed.
  const names = new Set(
    [...(spec.initContainers ?? []), ...(spec.containers ?? []), ...(spec.ephemeralContainers ?? [])].map(
      (c) => c.name,
    ),
  );
  for (const [k, v] of Object.entries(a)) {
    if (!k.startsWith(APPARMOR_CONTAINER_ANNOTATION_PREFIX)) {
      continue;
    }
    const ctr = k.slice(APPARMOR_CONTAINER_ANNOTATION_PREFIX.length);
    if (!names.has(ctr)) {
      errs.push(field.invalid(key(path, k), ctr, 'container not found'));
    }
    if (v !== '' && v !== 'runtime/default' && v !== 'unconfined' && !v.startsWith('localhost/')) {
      errs.push(field.invalid(key(path, k), v, `invalid AppArmor profile name: ${JSON.stringify(v)}`));
    }
  }
  return errs;
}

const SECCOMP_POD_ANNOTATION = 'seccomp.security.alpha.kubernetes.io/pod';
const SECCOMP_CONTAINER_ANNOTATION_PREFIX = 'container.seccomp.security.alpha.kubernetes.io/';
export const APPARMOR_CONTAINER_ANNOTATION_PREFIX = 'container.apparmor.security.beta.kubernetes.io/';

/** ValidateSeccompProfile: the deprecated annotation's profile names. */
function validateSeccompAnnotation(p: string, path: string): FieldError[] {
  if (p === 'runtime/default' || p === 'docker/default' || p === 'unconfined') {
    return [];
  }
  if (p.startsWith('localhost/')) {
    return validateLocalDescendingPath(p.slice('localhost/'.length), path);
  }
  return [field.invalid(path, p, 'must be a valid seccomp profile')];
}

const SYSCTL_SEGMENT = '[a-z0-9]([-_a-z0-9]*[a-z0-9])?';
const SYSCTL_RE_SOURCE = `^(${SYSCTL_SEGMENT}[\\./])*${SYSCTL_SEGMENT}$`;
const SYSCTL_RE = new RegExp(SYSCTL_RE_SOURCE);

/** component-helpers sysctl.GetNamespace: which kernel namespace a sysctl belongs to. */
function sysctlNamespace(name: string): 'net' | 'ipc' | '' {
  const n = name.replace(/\//g, '.');
  if (n.startsWith('net.')) {
    return 'net';
  }
  if (n.startsWith('kernel.shm') || n.startsWith('kernel.msg') || n === 'kernel.sem' || n.startsWith('fs.mqueue.')) {
    return 'ipc';
  }
  return '';
}

/** validatePodSpecSecurityContext (and validateSysctls, ValidateHostSysctl). */
function validatePodSecurityContext(sc: PodSecurityContext, spec: PodSpec, path: string): FieldError[] {
  const errs: FieldError[] = [];
  if (sc.fsGroup !== undefined) {
    errs.push(...isValidGroupID(sc.fsGroup).map((m) => field.invalid(child(path, 'fsGroup'), sc.fsGroup, m)));
  }
  if (sc.runAsUser !== undefined) {
    errs.push(...isValidUserID(sc.runAsUser).map((m) => field.invalid(child(path, 'runAsUser'), sc.runAsUser, m)));
  }
  if (sc.runAsGroup !== undefined) {
    errs.push(...isValidGroupID(sc.runAsGroup).map((m) => field.invalid(child(path, 'runAsGroup'), sc.runAsGroup, m)));
  }
  (sc.supplementalGroups ?? []).forEach((gid, g) => {
    errs.push(...isValidGroupID(gid).map((m) => field.invalid(index(child(path, 'supplementalGroups'), g), gid, m)));
  });
  // In the internal type hostPID and shareProcessNamespace live in the security context.
  if (spec.shareProcessNamespace === true && spec.hostPID === true) {
    errs.push(
      field.invalid(
        child(path, 'shareProcessNamespace'),
        true,
        'ShareProcessNamespace and HostPID cannot both be enabled',
      ),
    );
  }
  const seen = new Set<string>();
  (sc.sysctls ?? []).forEach((s, i) => {
    const p = child(index(child(path, 'sysctls'), i), 'name');
    if (!s.name) {
      errs.push(field.required(p));
    } else if (s.name.length > 253 || !SYSCTL_RE.test(s.name)) {
      errs.push(field.invalid(p, s.name, `must have at most 253 characters and match regex ${SYSCTL_RE_SOURCE}`));
    } else if (seen.has(s.name)) {
      errs.push(field.duplicate(p, s.name));
    }
    const ns = sysctlNamespace(s.name ?? '');
    if (spec.hostNetwork === true && ns === 'net') {
      errs.push(field.invalid(p, s.name, "may not be specified when 'hostNetwork' is true"));
    } else if (spec.hostIPC === true && ns === 'ipc') {
      errs.push(field.invalid(p, s.name, "may not be specified when 'hostIPC' is true"));
    }
    seen.add(s.name ?? '');
  });
  if (sc.fsGroupChangePolicy !== undefined && !['Always', 'OnRootMismatch'].includes(sc.fsGroupChangePolicy)) {
    errs.push(
      field.notSupported(child(path, 'fsGroupChangePolicy'), sc.fsGroupChangePolicy, ['Always', 'OnRootMismatch']),
    );
  }
  errs.push(...validateSeccompProfile(sc.seccompProfile, child(path, 'seccompProfile')));
  return errs;
}

/** validatePodDNSConfig: dnsPolicy None needs at least one nameserver. */
function validatePodDNSConfig(
  dns: PodDNSConfig | undefined,
  dnsPolicy: string | undefined,
  path: string,
): FieldError[] {
  if (dnsPolicy === 'None') {
    if (!dns) {
      return [field.required(path, 'must provide `dnsConfig` when `dnsPolicy` is None')];
    }
    if ((dns.nameservers ?? []).length === 0) {
      return [
        field.required(child(path, 'nameservers'), 'must provide at least one DNS nameserver when `dnsPolicy` is None'),
      ];
    }
  }
  if (!dns) {
    return [];
  }
  const errs: FieldError[] = [];
  const ns = dns.nameservers ?? [];
  if (ns.length > MAX_DNS_NAMESERVERS) {
    errs.push(
      field.invalid(
        child(path, 'nameservers'),
        goStringSlice(ns),
        `must not have more than ${MAX_DNS_NAMESERVERS} nameservers`,
      ),
    );
  }
  ns.forEach((ip, i) => {
    if (!isIPSloppy(ip)) {
      errs.push(field.invalid(index(child(path, 'nameservers'), i), ip, INVALID_IP_MSG));
    }
  });
  const searches = dns.searches ?? [];
  if (searches.length > MAX_DNS_SEARCH_PATHS) {
    errs.push(
      field.invalid(
        child(path, 'searches'),
        goStringSlice(searches),
        `must not have more than ${MAX_DNS_SEARCH_PATHS} search paths`,
      ),
    );
  }
  if (searches.join(' ').length > MAX_DNS_SEARCH_LIST_CHARS) {
    errs.push(
      field.invalid(
        child(path, 'searches'),
        goStringSlice(searches),
        `must not have more than ${MAX_DNS_SEARCH_LIST_CHARS} characters (including spaces) in the search list`,
      ),
    );
  }
  // RelaxedDNSSearchValidation (beta, on by default in v1.33): "." is allowed, and
  // underscores are allowed in the subdomain.
  searches.forEach((s, i) => {
    if (s === '.') {
      return;
    }
    const trimmed = s.endsWith('.') ? s.slice(0, -1) : s;
    for (const m of isDNS1123SubdomainWithUnderscore(trimmed)) {
      errs.push(field.invalid(index(child(path, 'searches'), i), trimmed, m));
    }
  });
  (dns.options ?? []).forEach((o, i) => {
    if (!o.name) {
      errs.push(field.required(index(child(path, 'options'), i), 'must not be empty'));
    }
  });
  return errs;
}

const SUBDOMAIN_US_FMT = '_?[a-z0-9]([-_a-z0-9]*[a-z0-9])?(\\._?[a-z0-9]([-_a-z0-9]*[a-z0-9])?)*';

/** IsDNS1123SubdomainWithUnderscore. */
function isDNS1123SubdomainWithUnderscore(value: string): string[] {
  const errs: string[] = [];
  if (value.length > 253) {
    errs.push('must be no more than 253 characters');
  }
  if (!new RegExp(`^${SUBDOMAIN_US_FMT}$`).test(value)) {
    errs.push(
      `a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '_', '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '${SUBDOMAIN_US_FMT}')`,
    );
  }
  return errs;
}

/** validatePodHostNetworkDeps: with hostNetwork, a pod's hostPort must equal its containerPort. */
function validateHostNetworkDeps(spec: PodSpec, path: string): FieldError[] {
  if (spec.hostNetwork !== true) {
    return [];
  }
  const errs: FieldError[] = [];
  (spec.containers ?? []).forEach((ctr, i) => {
    (ctr.ports ?? []).forEach((port, j) => {
      const hp = port.hostPort ?? 0;
      if (hp !== port.containerPort) {
        errs.push(
          field.invalid(
            child(index(child(index(child(path, 'containers'), i), 'ports'), j), 'hostPort'),
            hp,
            'must match `containerPort` when `hostNetwork` is true',
          ),
        );
      }
    });
  });
  return errs;
}

/** validatePodResourceClaims (names only; the claim objects are not served by podbay). */
function validatePodResourceClaims(spec: PodSpec, path: string): { names: Set<string>; errs: FieldError[] } {
  const errs: FieldError[] = [];
  const all = new Set<string>();
  const seen = new Set<string>();
  for (const c of spec.resourceClaims ?? []) {
    const n = (c as { name?: string }).name;
    if (n) {
      all.add(n);
    }
  }
  (spec.resourceClaims ?? []).forEach((c, i) => {
    const claim = c as { name?: string; resourceClaimName?: string; resourceClaimTemplateName?: string };
    const p = index(path, i);
    if (!claim.name) {
      errs.push(field.required(child(p, 'name')));
    } else if (seen.has(claim.name)) {
      errs.push(field.duplicate(child(p, 'name'), claim.name));
    } else {
      errs.push(...isDNS1123Label(claim.name).map((m) => field.invalid(child(p, 'name'), claim.name, m)));
      seen.add(claim.name);
    }
  });
  return { names: all, errs };
}

/** ValidatePodSpec, in upstream order. */
export function validatePodSpec(spec: PodSpec, podMeta: ObjectMeta | undefined, path = 'spec'): FieldError[] {
  const errs: FieldError[] = [];
  if (spec.terminationGracePeriodSeconds === undefined || spec.terminationGracePeriodSeconds === null) {
    errs.push(field.required(child(path, 'terminationGracePeriodSeconds')));
  }
  const hostUsers = spec.hostUsers !== false;
  const vols = validateVolumes(spec.volumes, podMeta, child(path, 'volumes'));
  errs.push(...vols.errs);
  const claims = validatePodResourceClaims(spec, child(path, 'resourceClaims'));
  errs.push(...claims.errs);
  const ctx: ContainerContext = {
    volumes: vols.names,
    podClaimNames: claims.names,
    gracePeriod: spec.terminationGracePeriodSeconds ?? undefined,
    podRestartPolicy: spec.restartPolicy,
    hostUsers,
  };
  errs.push(...validateContainers(spec.containers, ctx, child(path, 'containers')));
  errs.push(...validateInitContainers(spec.initContainers, spec.containers, ctx, child(path, 'initContainers')));
  errs.push(
    ...validateEphemeralContainers(
      spec.ephemeralContainers,
      spec.containers,
      spec.initContainers,
      ctx,
      child(path, 'ephemeralContainers'),
    ),
  );
  errs.push(...validateHostNetworkDeps(spec, path));
  const rp = spec.restartPolicy ?? '';
  if (rp === '') {
    errs.push(field.required(child(path, 'restartPolicy')));
  } else if (!RESTART_POLICIES.includes(rp)) {
    errs.push(field.notSupported(child(path, 'restartPolicy'), rp, RESTART_POLICIES));
  }
  const dp = spec.dnsPolicy ?? '';
  if (dp === '') {
    errs.push(field.required(child(path, 'dnsPolicy')));
  } else if (!DNS_POLICIES.includes(dp)) {
    errs.push(field.notSupported(child(path, 'dnsPolicy'), dp, DNS_POLICIES));
  }
  errs.push(...validateLabels(spec.nodeSelector, child(path, 'nodeSelector')));
  errs.push(...validatePodSecurityContext(spec.securityContext ?? {}, spec, child(path, 'securityContext')));
  errs.push(...validateAffinity(spec.affinity, child(path, 'affinity')));
  errs.push(...validatePodDNSConfig(spec.dnsConfig, spec.dnsPolicy, child(path, 'dnsConfig')));
  (spec.readinessGates ?? []).forEach((g, i) => {
    const p = child(index(child(path, 'readinessGates'), i), 'conditionType');
    errs.push(...isQualifiedName(g.conditionType ?? '').map((m) => field.invalid(p, g.conditionType ?? '', m)));
  });
  const gates = new Set<string>();
  (spec.schedulingGates ?? []).forEach((g, i) => {
    const p = index(child(path, 'schedulingGates'), i);
    errs.push(...isQualifiedName(g.name ?? '').map((m) => field.invalid(p, g.name ?? '', m)));
    if (gates.has(g.name)) {
      errs.push(field.duplicate(p, g.name));
    }
    gates.add(g.name);
  });
  errs.push(
    ...validateTopologySpreadConstraints(spec.topologySpreadConstraints, child(path, 'topologySpreadConstraints')),
  );
  if (!hostUsers) {
    // validateHostUsers: user namespaces do not mix with host namespaces (upstream's paths, capitals included).
    if (spec.hostNetwork) {
      errs.push(field.forbidden(child(path, 'hostNetwork'), 'when `pod.Spec.HostUsers` is false'));
    }
    if (spec.hostPID) {
      errs.push(field.forbidden(child(path, 'HostPID'), 'when `pod.Spec.HostUsers` is false'));
    }
    if (spec.hostIPC) {
      errs.push(field.forbidden(child(path, 'HostIPC'), 'when `pod.Spec.HostUsers` is false'));
    }
  }
  const subdomainField = (name: 'serviceAccountName' | 'nodeName' | 'priorityClassName' | 'runtimeClassName'): void => {
    const v = spec[name];
    if (v) {
      errs.push(...nameIsDNSSubdomain(v, false).map((m) => field.invalid(child(path, name), v, m)));
    }
  };
  subdomainField('serviceAccountName');
  subdomainField('nodeName');
  if (spec.activeDeadlineSeconds !== undefined && spec.activeDeadlineSeconds !== null) {
    const v = spec.activeDeadlineSeconds;
    if (v < 1 || v > MAX_INT32) {
      errs.push(field.invalid(child(path, 'activeDeadlineSeconds'), v, inclusiveRangeError(1, MAX_INT32)));
    }
  }
  for (const name of ['hostname', 'subdomain'] as const) {
    const v = spec[name];
    if (v) {
      errs.push(...isDNS1123Label(v).map((m) => field.invalid(child(path, name), v, m)));
    }
  }
  errs.push(...validateTolerations(spec.tolerations, child(path, 'tolerations')));
  (spec.hostAliases ?? []).forEach((ha, i) => {
    const p = index(child(path, 'hostAliases'), i);
    if (!isIPSloppy(ha.ip ?? '')) {
      errs.push(field.invalid(child(p, 'ip'), ha.ip ?? '', INVALID_IP_MSG));
    }
    (ha.hostnames ?? []).forEach((h, j) => {
      errs.push(...isDNS1123Subdomain(h).map((m) => field.invalid(index(child(p, 'hostnames'), j), h, m)));
    });
  });
  subdomainField('priorityClassName');
  subdomainField('runtimeClassName');
  if (spec.preemptionPolicy !== undefined) {
    const pp = spec.preemptionPolicy as string;
    if (pp === '') {
      errs.push(field.required(child(path, 'preemptionPolicy')));
    } else if (pp !== 'PreemptLowerPriority' && pp !== 'Never') {
      errs.push(field.notSupported(child(path, 'preemptionPolicy'), pp, ['PreemptLowerPriority', 'Never']));
    }
  }
  if (spec.overhead) {
    errs.push(...validateContainerResourceRequirements({ limits: spec.overhead }, new Set(), child(path, 'overhead')));
  }
  if (spec.os) {
    // validateOS: note the NotSupported path is `spec.os`, not `spec.os.name`.
    const os = (spec.os.name ?? '') as string;
    if (os === '') {
      errs.push(field.required(child(path, 'os', 'name'), 'cannot be empty'));
    } else if (os !== 'linux' && os !== 'windows') {
      errs.push(field.notSupported(child(path, 'os'), os, ['linux', 'windows']));
    } else if (os === 'windows') {
      errs.push(...validateWindows(spec, path));
    }
  }
  return errs;
}

const NOT_FOR_WINDOWS = 'cannot be set for a windows pod';

/** validateWindows: Linux-only settings a windows pod may not carry (those podbay's types model). */
function validateWindows(spec: PodSpec, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const sc = spec.securityContext ?? {};
  const scPath = child(path, 'securityContext');
  const forbid = (p: string, set: boolean): void => {
    if (set) {
      errs.push(field.forbidden(p, NOT_FOR_WINDOWS));
    }
  };
  forbid(child(scPath, 'seLinuxOptions'), sc.seLinuxOptions !== undefined);
  forbid(child(path, 'hostUsers'), spec.hostUsers !== undefined);
  forbid(child(path, 'hostPID'), spec.hostPID === true);
  forbid(child(path, 'hostIPC'), spec.hostIPC === true);
  forbid(child(scPath, 'seccompProfile'), sc.seccompProfile !== undefined);
  forbid(child(scPath, 'fsGroup'), sc.fsGroup !== undefined);
  forbid(child(scPath, 'fsGroupChangePolicy'), sc.fsGroupChangePolicy !== undefined);
  forbid(child(scPath, 'sysctls'), (sc.sysctls ?? []).length > 0);
  forbid(child(path, 'shareProcessNamespace'), spec.shareProcessNamespace !== undefined);
  forbid(child(scPath, 'runAsUser'), sc.runAsUser !== undefined);
  forbid(child(scPath, 'runAsGroup'), sc.runAsGroup !== undefined);
  forbid(child(scPath, 'supplementalGroups'), sc.supplementalGroups !== undefined);
  // VisitContainersWithPath: init containers, then containers, then ephemeral containers.
  const lists = [
    ['initContainers', spec.initContainers],
    ['containers', spec.containers],
    ['ephemeralContainers', spec.ephemeralContainers],
  ] as const;
  for (const [name, list] of lists) {
    (list ?? []).forEach((c, i) => {
      const csc = c.securityContext;
      if (!csc) {
        return;
      }
      const p = child(index(child(path, name), i), 'securityContext');
      forbid(child(p, 'seLinuxOptions'), csc.seLinuxOptions !== undefined);
      forbid(child(p, 'seccompProfile'), csc.seccompProfile !== undefined);
      forbid(child(p, 'capabilities'), csc.capabilities !== undefined);
      forbid(child(p, 'readOnlyRootFilesystem'), csc.readOnlyRootFilesystem !== undefined);
      forbid(child(p, 'privileged'), csc.privileged !== undefined);
      forbid(child(p, 'allowPrivilegeEscalation'), csc.allowPrivilegeEscalation !== undefined);
      forbid(child(p, 'procMount'), csc.procMount !== undefined);
      forbid(child(p, 'runAsUser'), csc.runAsUser !== undefined);
      forbid(child(p, 'runAsGroup'), csc.runAsGroup !== undefined);
    });
  }
  return errs;
}

interface TopologySpreadConstraint {
  maxSkew?: number;
  topologyKey?: string;
  whenUnsatisfiable?: string;
  minDomains?: number;
  nodeAffinityPolicy?: string;
  nodeTaintsPolicy?: string;
  matchLabelKeys?: string[];
  labelSelector?: LabelSelector;
}

/** validateTopologySpreadConstraints. */
function validateTopologySpreadConstraints(list: TopologySpreadConstraint[] | undefined, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const all = list ?? [];
  all.forEach((c, i) => {
    const p = index(path, i);
    const maxSkew = c.maxSkew ?? 0;
    if (maxSkew <= 0) {
      errs.push(field.invalid(child(p, 'maxSkew'), maxSkew, 'must be greater than zero'));
    }
    if (!c.topologyKey) {
      errs.push(field.required(child(p, 'topologyKey'), 'can not be empty'));
    }
    const action = c.whenUnsatisfiable ?? '';
    if (action !== 'DoNotSchedule' && action !== 'ScheduleAnyway') {
      errs.push(field.notSupported(child(p, 'whenUnsatisfiable'), action, ['DoNotSchedule', 'ScheduleAnyway']));
    }
    if (
      all
        .slice(i + 1)
        .some((o) => (o.topologyKey ?? '') === (c.topologyKey ?? '') && (o.whenUnsatisfiable ?? '') === action)
    ) {
      errs.push(field.duplicate(child(p, '{topologyKey, whenUnsatisfiable}'), `{${c.topologyKey ?? ''}, ${action}}`));
    }
    if (c.minDomains !== undefined && c.minDomains !== null) {
      if (c.minDomains <= 0) {
        errs.push(field.invalid(child(p, 'minDomains'), c.minDomains, 'must be greater than zero'));
      }
      if (action !== 'DoNotSchedule') {
        errs.push(
          field.invalid(
            child(p, 'minDomains'),
            c.minDomains,
            `can only use minDomains if whenUnsatisfiable=DoNotSchedule, not ${action}`,
          ),
        );
      }
    }
    for (const policy of ['nodeAffinityPolicy', 'nodeTaintsPolicy'] as const) {
      const v = c[policy];
      if (v !== undefined && v !== 'Honor' && v !== 'Ignore') {
        errs.push(field.notSupported(child(p, policy), v, ['Honor', 'Ignore']));
      }
    }
    const keys = c.matchLabelKeys ?? [];
    if (keys.length > 0) {
      const kp = child(p, 'matchLabelKeys');
      const selectorKeys = new Set([
        ...Object.keys(c.labelSelector?.matchLabels ?? {}),
        ...(c.labelSelector?.matchExpressions ?? []).map((e) => e.key),
      ]);
      if (!c.labelSelector) {
        errs.push(field.forbidden(kp, 'must not be specified when labelSelector is not set'));
      }
      keys.forEach((k, j) => {
        errs.push(...validateLabelName(k, index(kp, j)));
        if (selectorKeys.has(k)) {
          errs.push(field.invalid(index(kp, j), k, 'exists in both matchLabelKeys and labelSelector'));
        }
      });
    }
    errs.push(...validateLabelSelector(c.labelSelector, child(p, 'labelSelector')));
  });
  return errs;
}

/**
 * A pod whose metadata and spec exist, as they always do in Go (a request body without a
 * spec is validated as an empty spec instead of failing).
 */
export function withParts(pod: Pod): Pod {
  if (pod.metadata && pod.spec) {
    return pod;
  }
  return { ...pod, metadata: pod.metadata ?? {}, spec: pod.spec ?? { containers: [] } };
}

/** validatePodMetadataAndSpec: shared by create and update. */
export function validatePodMetadataAndSpec(pod: Pod): FieldError[] {
  const errs = validateObjectMeta(pod.metadata, { namespaced: true, nameRule: 'subdomain' });
  errs.push(...validatePodSpecificAnnotations(pod.metadata.annotations, pod.spec, 'metadata.annotations'));
  errs.push(...validatePodSpec(pod.spec, pod.metadata));
  if (!pod.spec.serviceAccountName) {
    (pod.spec.volumes ?? []).forEach((vol, vi) => {
      (vol.projected?.sources ?? []).forEach((src, si) => {
        if (src.serviceAccountToken) {
          errs.push(
            field.forbidden(
              `spec.volumes[${vi}].projected.sources[${si}].serviceAccountToken`,
              'must not be specified when serviceAccountName is not set',
            ),
          );
        }
      });
    });
  }
  (pod.spec.containers ?? []).forEach((c, i) => errs.push(...validateImageWhitespace(c, `spec.containers[${i}]`)));
  (pod.spec.initContainers ?? []).forEach((c, i) =>
    errs.push(...validateImageWhitespace(c, `spec.initContainers[${i}]`)),
  );
  return errs;
}

/**
 * ValidatePodCreate: every rule on a new, defaulted pod, all errors at once in the order
 * upstream finds them. Ephemeral containers come only through their subresource, and a
 * pod with scheduling gates cannot name its node yet.
 */
export function validatePodCreate(input: Pod): FieldError[] {
  const pod = withParts(input);
  const errs = validatePodMetadataAndSpec(pod);
  if ((pod.spec.ephemeralContainers ?? []).length > 0) {
    errs.push(field.forbidden('spec.ephemeralContainers', 'cannot be set on create'));
  }
  if (pod.spec.nodeName && (pod.spec.schedulingGates ?? []).length > 0) {
    errs.push(field.forbidden('spec.nodeName', 'cannot be set until all schedulingGates have been cleared'));
  }
  return errs;
}
