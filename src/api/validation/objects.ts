// The other kinds podbay serves: Namespace, Node, ConfigMap, Secret (pkg/apis/core/validation/
// validation.go), core/v1 Event (pkg/apis/core/validation/events.go, legacy rules: the v1 API
// applies nothing more) and Lease (pkg/apis/coordination/validation/validation.go), with the
// update variants Kubernetes has for each.
import { field, GoValue, type FieldError } from '../errors.js';
import type { ConfigMap, Event, Lease, Namespace, Node, Secret, Taint } from '../types/index.js';
import { child, index, key } from './field-path.js';
import { goTime } from './go-values.js';
import { isConfigMapKey, isDNS1123Subdomain, isIPSloppy, isQualifiedName, isValidLabelValue } from './names.js';
import {
  FIELD_IMMUTABLE_ERROR_MSG,
  validateKubeFinalizerName,
  validateLabelName,
  validateObjectMeta,
  validateObjectMetaUpdate,
} from './object-meta.js';
import { toQuantity, validateResourceQuantityValue } from './resources.js';
import { validateTaintEffect } from './scheduling.js';

/** core.MaxSecretSize: 1 MiB, for Secrets and ConfigMaps alike. */
export const MAX_SECRET_SIZE = 1 * 1024 * 1024;
const IMMUTABLE_WHEN_SET = 'field is immutable when `immutable` is set';

// ---- Namespace -------------------------------------------------------------

function validateNamespaceFinalizers(ns: Namespace, path: string): FieldError[] {
  const errs: FieldError[] = [];
  for (const f of ns.spec?.finalizers ?? []) {
    errs.push(...isQualifiedName(f).map((m) => field.invalid(path, f, m)));
    errs.push(...validateKubeFinalizerName(f, path));
  }
  return errs;
}

/** ValidateNamespace: cluster-scoped, named by a DNS label; spec.finalizers qualified or standard. */
export function validateNamespace(ns: Namespace): FieldError[] {
  return [
    ...validateObjectMeta(ns.metadata, { namespaced: false, nameRule: 'label' }),
    ...validateNamespaceFinalizers(ns, 'spec.finalizers'),
  ];
}

/** ValidateNamespaceUpdate: only the metadata rules. */
export function validateNamespaceUpdate(ns: Namespace, old: Namespace): FieldError[] {
  return validateObjectMetaUpdate(ns.metadata, old.metadata);
}

/** ValidateNamespaceStatusUpdate: the phase follows deletionTimestamp. */
export function validateNamespaceStatusUpdate(ns: Namespace, old: Namespace): FieldError[] {
  const errs = validateObjectMetaUpdate(ns.metadata, old.metadata);
  const phase = ns.status?.phase ?? '';
  if (!ns.metadata.deletionTimestamp) {
    if (phase !== 'Active') {
      errs.push(field.invalid('status.Phase', phase, "may only be 'Active' if `deletionTimestamp` is empty"));
    }
  } else if (phase !== 'Terminating') {
    errs.push(field.invalid('status.Phase', phase, "may only be 'Terminating' if `deletionTimestamp` is not empty"));
  }
  return errs;
}

/** ValidateNamespaceFinalizeUpdate: the finalize subresource, each finalizer at its index. */
export function validateNamespaceFinalizeUpdate(ns: Namespace, old: Namespace): FieldError[] {
  const errs = validateObjectMetaUpdate(ns.metadata, old.metadata);
  (ns.spec?.finalizers ?? []).forEach((f, i) => {
    const p = index('spec.finalizers', i);
    errs.push(...isQualifiedName(f).map((m) => field.invalid(p, f, m)));
    errs.push(...validateKubeFinalizerName(f, p));
  });
  return errs;
}

// ---- Node ------------------------------------------------------------------

/** %#v of a core.Taint. */
function goTaint(t: Taint): GoValue {
  const added = t.timeAdded ? `(*v1.Time)(${String(goTime(t.timeAdded))})` : '(*v1.Time)(nil)';
  return new GoValue(
    `core.Taint{Key:${JSON.stringify(t.key ?? '')}, Value:${JSON.stringify(t.value ?? '')}, Effect:${JSON.stringify(t.effect ?? '')}, TimeAdded:${added}}`,
  );
}

/** validateNodeTaints: key, value, effect (required), unique by key and effect. Upstream's path is `metadata.taints`. */
function validateNodeTaints(taints: Taint[] | undefined, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const unique = new Map<string, Set<string>>();
  (taints ?? []).forEach((t, i) => {
    const p = index(path, i);
    errs.push(...validateLabelName(t.key ?? '', child(p, 'key')));
    const vm = isValidLabelValue(t.value ?? '');
    if (vm.length > 0) {
      errs.push(field.invalid(child(p, 'value'), t.value ?? '', vm.join(';')));
    }
    errs.push(...validateTaintEffect(t.effect ?? '', false, child(p, 'effect')));
    const effect = t.effect ?? '';
    if (unique.get(effect)?.has(t.key ?? '')) {
      errs.push({ ...field.duplicate(p, goTaint(t)), detail: 'taints must be unique by key and effect pair' });
      return;
    }
    if (!unique.has(effect)) {
      unique.set(effect, new Set());
    }
    unique.get(effect)!.add(t.key ?? '');
  });
  return errs;
}

/** ValidateNodeResources: capacity and allocatable quantities (paths use `.name`, not `[name]`). */
function validateNodeResources(node: Node): FieldError[] {
  const errs: FieldError[] = [];
  for (const list of ['capacity', 'allocatable'] as const) {
    for (const [name, raw] of Object.entries(node.status?.[list] ?? {})) {
      const p = `status.${list}.${name}`;
      const q = toQuantity(raw, p, errs);
      if (q) {
        errs.push(...validateResourceQuantityValue(name, q, p));
      }
    }
  }
  return errs;
}

function isCIDR(v: string): boolean {
  const slash = v.indexOf('/');
  if (slash < 0) {
    return false;
  }
  const ip = v.slice(0, slash);
  const bits = v.slice(slash + 1);
  if (!/^\d{1,3}$/.test(bits) || !isIPSloppy(ip)) {
    return false;
  }
  return Number(bits) <= (ip.includes(':') ? 128 : 32);
}

/** ValidateNode. */
export function validateNode(node: Node): FieldError[] {
  const errs = validateObjectMeta(node.metadata, { namespaced: false, nameRule: 'subdomain' });
  errs.push(...validateNodeTaints(node.spec?.taints, 'metadata.taints'));
  errs.push(...validateNodeResources(node));
  const cidrs = node.spec?.podCIDRs ?? [];
  cidrs.forEach((c, i) => {
    if (!isCIDR(c)) {
      errs.push(
        field.invalid(index('spec.podCIDRs', i), c, 'must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)'),
      );
    }
  });
  if (cidrs.length > 1) {
    const v6 = cidrs.filter((c) => c.includes(':')).length;
    if (v6 !== 1 || cidrs.length - v6 !== 1 || cidrs.length > 2) {
      errs.push(
        field.invalid(
          'spec.podCIDRs',
          new GoValue(`[]string{${cidrs.map((c) => JSON.stringify(c)).join(', ')}}`),
          'may specify no more than one CIDR for each IP family',
        ),
      );
    }
    const seen = new Set<string>();
    cidrs.forEach((c, i) => {
      if (seen.has(c)) {
        errs.push(field.duplicate(index('spec.podCIDRs', i), c));
      }
      seen.add(c);
    });
  }
  return errs;
}

/** ValidateNodeUpdate: podCIDRs and providerID are set once; addresses unique. */
export function validateNodeUpdate(node: Node, old: Node): FieldError[] {
  const errs = validateObjectMetaUpdate(node.metadata, old.metadata);
  errs.push(...validateNodeResources(node));
  const seen = new Set<string>();
  (node.status?.addresses ?? []).forEach((a, i) => {
    const k = `${a.type}\u0000${a.address}`;
    if (seen.has(k)) {
      errs.push(
        field.duplicate(
          index('status.addresses', i),
          new GoValue(`core.NodeAddress{Type:${JSON.stringify(a.type)}, Address:${JSON.stringify(a.address)}}`),
        ),
      );
    }
    seen.add(k);
  });
  const oldCIDRs = old.spec?.podCIDRs ?? [];
  const newCIDRs = node.spec?.podCIDRs ?? [];
  const cidrMsg = 'node updates may not change podCIDR except from "" to valid';
  if (oldCIDRs.length > 0) {
    if (oldCIDRs.length !== newCIDRs.length) {
      errs.push(field.forbidden('spec.podCIDRs', cidrMsg));
    } else {
      oldCIDRs.forEach((c, i) => {
        if (c !== newCIDRs[i]) {
          errs.push(field.forbidden('spec.podCIDRs', cidrMsg));
        }
      });
    }
  }
  if (old.spec?.providerID && old.spec.providerID !== node.spec?.providerID) {
    errs.push(field.forbidden('spec.providerID', 'node updates may not change providerID except from "" to valid'));
  }
  errs.push(...validateNodeTaints(node.spec?.taints, 'metadata.taints'));
  return errs;
}

// ---- ConfigMap and Secret --------------------------------------------------

/** Decoded length of standard base64 (Secret data and ConfigMap binaryData travel base64-encoded). */
function base64DecodedLength(b64: string): number {
  const s = b64.replace(/\s/g, '');
  const pad = s.endsWith('==') ? 2 : s.endsWith('=') ? 1 : 0;
  return Math.floor((s.length * 3) / 4) - pad;
}

function utf8Length(s: string): number {
  return new TextEncoder().encode(s).length;
}

/** ValidateConfigMap: keys, no key in both data and binaryData, 1 MiB in total. */
export function validateConfigMap(cm: ConfigMap): FieldError[] {
  const errs = validateObjectMeta(cm.metadata, { namespaced: true, nameRule: 'subdomain' });
  let total = 0;
  const binary = cm.binaryData ?? {};
  for (const [k, v] of Object.entries(cm.data ?? {})) {
    errs.push(...isConfigMapKey(k).map((m) => field.invalid(key('data', k), k, m)));
    if (k in binary) {
      errs.push(field.invalid(key('data', k), k, 'duplicate of key present in binaryData'));
    }
    total += utf8Length(v);
  }
  for (const [k, v] of Object.entries(binary)) {
    errs.push(...isConfigMapKey(k).map((m) => field.invalid(key('binaryData', k), k, m)));
    total += base64DecodedLength(v);
  }
  if (total > MAX_SECRET_SIZE) {
    // field.NewPath("") means the whole object; Path.String renders an empty name as `[]`.
    errs.push(field.tooLong('[]', MAX_SECRET_SIZE));
  }
  return errs;
}

/** ValidateConfigMapUpdate: once immutable, data, binaryData and the flag itself stay. */
export function validateConfigMapUpdate(cm: ConfigMap, old: ConfigMap): FieldError[] {
  const errs = validateObjectMetaUpdate(cm.metadata, old.metadata);
  if (old.immutable === true) {
    if (cm.immutable !== true) {
      errs.push(field.forbidden('immutable', IMMUTABLE_WHEN_SET));
    }
    if (!sameStringMap(cm.data, old.data)) {
      errs.push(field.forbidden('data', IMMUTABLE_WHEN_SET));
    }
    if (!sameStringMap(cm.binaryData, old.binaryData)) {
      errs.push(field.forbidden('binaryData', IMMUTABLE_WHEN_SET));
    }
  }
  errs.push(...validateConfigMap(cm));
  return errs;
}

/**
 * reflect.DeepEqual of two map fields: a nil map differs from an empty one, which on the
 * wire is an absent field against `{}`.
 */
function sameStringMap(a: Record<string, string> | undefined, b: Record<string, string> | undefined): boolean {
  if ((a === undefined) !== (b === undefined)) {
    return false;
  }
  const ka = Object.keys(a ?? {});
  return ka.length === Object.keys(b ?? {}).length && ka.every((k) => b?.[k] === a?.[k]);
}

/** The Secret's data as stored: stringData merged over data, as conversion does before validation. */
function secretData(s: Secret): Map<string, { size: number; text: () => string }> {
  const out = new Map<string, { size: number; text: () => string }>();
  for (const [k, v] of Object.entries(s.data ?? {})) {
    out.set(k, {
      size: base64DecodedLength(v),
      text: () => {
        const bin = atob(v.replace(/\s/g, ''));
        return new TextDecoder().decode(Uint8Array.from(bin, (c) => c.charCodeAt(0)));
      },
    });
  }
  for (const [k, v] of Object.entries(s.stringData ?? {})) {
    out.set(k, { size: utf8Length(v), text: () => v });
  }
  return out;
}

function jsonError(text: () => string): string | undefined {
  try {
    JSON.parse(text());
    return undefined;
  } catch (e) {
    return e instanceof Error ? e.message : String(e);
  }
}

/** ValidateSecret: keys, 1 MiB, and the keys each built-in type requires. */
export function validateSecret(s: Secret): FieldError[] {
  const errs = validateObjectMeta(s.metadata, { namespaced: true, nameRule: 'subdomain' });
  const data = secretData(s);
  let total = 0;
  for (const [k, v] of data) {
    errs.push(...isConfigMapKey(k).map((m) => field.invalid(key('data', k), k, m)));
    total += v.size;
  }
  if (total > MAX_SECRET_SIZE) {
    errs.push(field.tooLong('data', MAX_SECRET_SIZE));
  }
  const need = (k: string): boolean => {
    if (!data.has(k)) {
      errs.push(field.required(key('data', k)));
      return false;
    }
    return true;
  };
  switch (s.type ?? '') {
    case 'kubernetes.io/service-account-token':
      if (!s.metadata.annotations?.['kubernetes.io/service-account.name']) {
        errs.push(field.required('metadata.annotations[kubernetes.io/service-account.name]'));
      }
      break;
    case 'kubernetes.io/dockercfg':
    case 'kubernetes.io/dockerconfigjson': {
      const k = s.type === 'kubernetes.io/dockercfg' ? '.dockercfg' : '.dockerconfigjson';
      if (need(k)) {
        // Upstream prints Go's encoding/json error; podbay prints JavaScript's.
        const e = jsonError(data.get(k)!.text);
        if (e !== undefined) {
          errs.push(field.invalid(key('data', k), '<secret contents redacted>', e));
        }
      }
      break;
    }
    case 'kubernetes.io/basic-auth':
      if (!data.has('username') && !data.has('password')) {
        errs.push(field.required('data[username]'));
        errs.push(field.required('data[password]'));
      }
      break;
    case 'kubernetes.io/ssh-auth':
      if ((data.get('ssh-privatekey')?.size ?? 0) === 0) {
        errs.push(field.required('data[ssh-privatekey]'));
      }
      break;
    case 'kubernetes.io/tls':
      need('tls.crt');
      need('tls.key');
      break;
  }
  return errs;
}

/** ValidateSecretUpdate: the type never changes; once immutable, data and the flag stay. */
export function validateSecretUpdate(s: Secret, old: Secret): FieldError[] {
  const errs = validateObjectMetaUpdate(s.metadata, old.metadata);
  if ((s.type ?? '') !== (old.type ?? '')) {
    errs.push(field.invalid('type', s.type ?? '', FIELD_IMMUTABLE_ERROR_MSG));
  }
  if (old.immutable === true) {
    if (s.immutable !== true) {
      errs.push(field.forbidden('immutable', IMMUTABLE_WHEN_SET));
    }
    if (!sameStringMap(s.data, old.data)) {
      errs.push(field.forbidden('data', IMMUTABLE_WHEN_SET));
    }
  }
  errs.push(...validateSecret(s));
  return errs;
}

// ---- Event -----------------------------------------------------------------

const REPORTING_INSTANCE_LENGTH_LIMIT = 128;
const ACTION_LENGTH_LIMIT = 128;
const REASON_LENGTH_LIMIT = 128;
const NOTE_LENGTH_LIMIT = 1024;

/**
 * legacyValidateEvent, all a core/v1 Event gets on create and update: namespaces agree,
 * and events with an eventTime (the events.k8s.io shape) carry reportingController,
 * reportingInstance, action and reason within their limits.
 */
export function validateEvent(e: Event): FieldError[] {
  const errs: FieldError[] = [];
  const ns = e.metadata.namespace ?? '';
  const involvedNs = e.involvedObject?.namespace ?? '';
  const mismatch = (): FieldError =>
    field.invalid('involvedObject.namespace', involvedNs, 'does not match event.namespace');
  if (!e.eventTime) {
    if (involvedNs === '') {
      if (ns !== '' && ns !== 'default') {
        errs.push(mismatch());
      }
    } else if (ns !== involvedNs) {
      errs.push(mismatch());
    }
  } else {
    if (involvedNs === '' && ns !== 'default' && ns !== 'kube-system') {
      errs.push(mismatch());
    }
    // The core/v1 field is reportingComponent; upstream names the path after the internal field.
    const controller = e.reportingComponent ?? '';
    if (controller === '') {
      errs.push(field.required('reportingController'));
    }
    errs.push(...isQualifiedName(controller).map((m) => field.invalid('reportingController', controller, m)));
    const instance = e.reportingInstance ?? '';
    if (instance === '') {
      errs.push(field.required('reportingInstance'));
    }
    if (instance.length > REPORTING_INSTANCE_LENGTH_LIMIT) {
      errs.push(
        field.invalid('reportingInstance', '', `can have at most ${REPORTING_INSTANCE_LENGTH_LIMIT} characters`),
      );
    }
    const action = e.action ?? '';
    if (action === '') {
      errs.push(field.required('action'));
    }
    if (action.length > ACTION_LENGTH_LIMIT) {
      errs.push(field.invalid('action', '', `can have at most ${ACTION_LENGTH_LIMIT} characters`));
    }
    const reason = e.reason ?? '';
    if (reason === '') {
      errs.push(field.required('reason'));
    }
    if (reason.length > REASON_LENGTH_LIMIT) {
      errs.push(field.invalid('reason', '', `can have at most ${REASON_LENGTH_LIMIT} characters`));
    }
    if ((e.message ?? '').length > NOTE_LENGTH_LIMIT) {
      errs.push(field.invalid('message', '', `can have at most ${NOTE_LENGTH_LIMIT} characters`));
    }
  }
  errs.push(...isDNS1123Subdomain(ns).map((m) => field.invalid('namespace', ns, m)));
  return errs;
}

/** ValidateEventUpdate for the v1 API: the same legacy rules on the new event. */
export function validateEventUpdate(e: Event, _old: Event): FieldError[] {
  return validateEvent(e);
}

// ---- Lease -----------------------------------------------------------------

function validateLeaseSpec(l: Lease): FieldError[] {
  const errs: FieldError[] = [];
  const spec = l.spec ?? {};
  if (spec.leaseDurationSeconds !== undefined && spec.leaseDurationSeconds !== null && spec.leaseDurationSeconds <= 0) {
    errs.push(field.invalid('spec.leaseDurationSeconds', spec.leaseDurationSeconds, 'must be greater than 0'));
  }
  if (spec.leaseTransitions !== undefined && spec.leaseTransitions !== null && spec.leaseTransitions < 0) {
    errs.push(field.invalid('spec.leaseTransitions', spec.leaseTransitions, 'must be greater than or equal to 0'));
  }
  return errs;
}

/**
 * ValidateLease: apimachinery's metadata rules (no legacy-finalizer check), a DNS-subdomain
 * name, positive duration, non-negative transitions.
 */
export function validateLease(l: Lease): FieldError[] {
  return [
    ...validateObjectMeta(l.metadata, { namespaced: true, nameRule: 'subdomain', coreFinalizers: false }),
    ...validateLeaseSpec(l),
  ];
}

/** ValidateLeaseUpdate. */
export function validateLeaseUpdate(l: Lease, old: Lease): FieldError[] {
  return [...validateObjectMetaUpdate(l.metadata, old.metadata, 'metadata', false), ...validateLeaseSpec(l)];
}
