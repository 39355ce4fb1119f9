// The environment of a container as the kubelet builds it before
// CreateContainer: k8s pkg/kubelet/kubelet_pods.go#makeEnvironmentVariables,
// #podFieldSelectorRuntimeValue, #containerResourceRuntimeValue, with the
// downward API helpers of pkg/fieldpath/fieldpath.go and
// pkg/api/v1/resource/helpers.go.
//
// Order of work (upstream's):
//   1. envFrom, in order (configMapRef / secretRef, with prefix); keys that are
//      not valid env var names are skipped and reported in one
//      InvalidEnvironmentVariableNames event per source;
//   2. env, in order: `value` is `$(VAR)`-expanded against everything defined
//      so far; valueFrom is resolved (fieldRef, resourceFieldRef,
//      configMapKeyRef, secretKeyRef); a later entry replaces an earlier one.
// Any failure aborts the container start with CreateContainerConfigError and
// the upstream message (`configmap "x" not found`, `couldn't find key k in
// ConfigMap ns/x`). Service-link variables (KUBERNETES_SERVICE_HOST, …) are
// not injected: podbay has no Services.
import { Buffer } from 'node:buffer';
import { isStatusError } from '../../api/errors.js';
import type { ConfigMap, Container, Pod, ResourceFieldSelector, ResourceList, Secret } from '../../api/types/index.js';
import type { EventRecorderLike } from '../prober/event-recorder-like.js';
import { expand, lookupIn } from './expand.js';
import { Quantity } from '../../api/quantity.js';

export interface EnvLookups {
  /** The ConfigMap, or undefined when it does not exist (a NotFound StatusError is accepted too). */
  configMap(namespace: string, name: string): Promise<ConfigMap | undefined>;
  /** The Secret, or undefined when it does not exist (a NotFound StatusError is accepted too). */
  secret(namespace: string, name: string): Promise<Secret | undefined>;
  nodeName: string;
  /** The sandbox's primary IP (status.podIP). */
  podIP: string | undefined;
  /** All pod IPs, primary first; defaults to [podIP]. */
  podIPs?: string[];
  hostIP: string | undefined;
  /** All node IPs, primary first; defaults to [hostIP]. */
  hostIPs?: string[];
  /**
   * Node allocatable: the value resourceFieldRef reports for a limit the
   * container does not set (kubelet_resources.go#defaultPodLimitsForDownwardAPI).
   */
  nodeAllocatable?: ResourceList;
  /** Receives InvalidEnvironmentVariableNames warnings. */
  recorder?: EventRecorderLike;
}

export interface EnvVarValue {
  key: string;
  value: string;
}

export type EnvResult = { env: EnvVarValue[] } | { error: { reason: 'CreateContainerConfigError'; message: string } };

export const REASON_CREATE_CONTAINER_CONFIG_ERROR = 'CreateContainerConfigError';
export const REASON_INVALID_ENV_VAR_NAMES = 'InvalidEnvironmentVariableNames';

/** k8s.io/apimachinery/pkg/util/validation#IsEnvVarName: `[-._a-zA-Z][-._a-zA-Z0-9]*`. */
const ENV_VAR_NAME = /^[-._a-zA-Z][-._a-zA-Z0-9]*$/;

class ConfigError extends Error {}

/**
 * Resolves the container's environment. Never throws: lookups that fail
 * become `{error}` with the message kubelet shows in the container's waiting
 * state (and in the `Failed` event `Error: <message>` the agent records).
 */
export async function makeEnvironment(pod: Pod, container: Container, lookups: EnvLookups): Promise<EnvResult> {
  try {
    return { env: await build(pod, container, lookups) };
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    return { error: { reason: REASON_CREATE_CONTAINER_CONFIG_ERROR, message } };
  }
}

async function build(pod: Pod, container: Container, lookups: EnvLookups): Promise<EnvVarValue[]> {
  const ns = pod.metadata.namespace ?? 'default';
  const configMaps = new Map<string, ConfigMap | undefined>();
  const secrets = new Map<string, Secret | undefined>();
  const getConfigMap = async (name: string): Promise<ConfigMap | undefined> => {
    if (!configMaps.has(name)) {
      configMaps.set(name, await fetchOrUndefined(() => lookups.configMap(ns, name)));
    }
    return configMaps.get(name);
  };
  const getSecret = async (name: string): Promise<Secret | undefined> => {
    if (!secrets.has(name)) {
      secrets.set(name, await fetchOrUndefined(() => lookups.secret(ns, name)));
    }
    return secrets.get(name);
  };

  const vars = new Map<string, string>();

  for (const from of container.envFrom ?? []) {
    let data: Record<string, string>;
    let what: string;
    let name: string;
    if (from.configMapRef) {
      name = from.configMapRef.name ?? '';
      what = 'configMap';
      const cm = await getConfigMap(name);
      if (!cm) {
        if (from.configMapRef.optional) {
          continue;
        }
        throw new ConfigError(`configmap "${name}" not found`);
      }
      data = cm.data ?? {};
    } else if (from.secretRef) {
      name = from.secretRef.name ?? '';
      what = 'secret';
      const s = await getSecret(name);
      if (!s) {
        if (from.secretRef.optional) {
          continue;
        }
        throw new ConfigError(`secret "${name}" not found`);
      }
      data = secretData(s);
    } else {
      continue;
    }
    const invalid: string[] = [];
    for (const [k0, v] of Object.entries(data)) {
      const k = (from.prefix ?? '') + k0;
      if (!ENV_VAR_NAME.test(k)) {
        invalid.push(k);
        continue;
      }
      vars.set(k, v);
    }
    if (invalid.length > 0) {
      invalid.sort();
      lookups.recorder?.event(
        pod,
        'Warning',
        REASON_INVALID_ENV_VAR_NAMES,
        `Keys [${invalid.join(', ')}] from the EnvFrom ${what} ${ns}/${name} were skipped since they are considered invalid environment variable names.`,
      );
    }
  }

  const lookup = lookupIn(vars);
  for (const e of container.env ?? []) {
    let value = e.value ?? '';
    if (value !== '') {
      value = expand(value, lookup);
    } else if (e.valueFrom) {
      const src = e.valueFrom;
      if (src.fieldRef) {
        value = podFieldValue(src.fieldRef.fieldPath, pod, lookups);
      } else if (src.resourceFieldRef) {
        value = containerResourceValue(src.resourceFieldRef, pod, container, lookups.nodeAllocatable);
      } else if (src.configMapKeyRef) {
        const { name = '', key, optional } = src.configMapKeyRef;
        const cm = await getConfigMap(name);
        if (!cm) {
          if (optional) {
            continue;
          }
          throw new ConfigError(`configmap "${name}" not found`);
        }
        const v = cm.data?.[key];
        if (v === undefined) {
          if (optional) {
            continue;
          }
          throw new ConfigError(`couldn't find key ${key} in ConfigMap ${ns}/${name}`);
        }
        value = v;
      } else if (src.secretKeyRef) {
        const { name = '', key, optional } = src.secretKeyRef;
        const s = await getSecret(name);
        if (!s) {
          if (optional) {
            continue;
          }
          throw new ConfigError(`secret "${name}" not found`);
        }
        const v = secretData(s)[key];
        if (v === undefined) {
          if (optional) {
            continue;
          }
          throw new ConfigError(`couldn't find key ${key} in Secret ${ns}/${name}`);
        }
        value = v;
      }
    }
    vars.set(e.name, value);
  }

  return [...vars].map(([key, value]) => ({ key, value }));
}

async function fetchOrUndefined<T>(get: () => Promise<T | undefined>): Promise<T | undefined> {
  try {
    return await get();
  } catch (e) {
    if (isStatusError(e, 'NotFound')) {
      return undefined;
    }
    throw e;
  }
}

/** Secret values are base64 on the wire; stringData is honoured for objects that never went through the API. */
function secretData(s: Secret): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(s.data ?? {})) {
    out[k] = Buffer.from(v, 'base64').toString('utf8');
  }
  for (const [k, v] of Object.entries(s.stringData ?? {})) {
    out[k] ??= v;
  }
  return out;
}

/** fieldpath.SplitMaybeSubscriptedPath: `metadata.labels['k']` → ['metadata.labels', 'k']. */
function splitSubscript(fieldPath: string): [string, string] | undefined {
  if (!fieldPath.endsWith("']")) {
    return undefined;
  }
  const s = fieldPath.slice(0, -2);
  const at = s.indexOf("['");
  if (at <= 0) {
    return undefined;
  }
  return [s.slice(0, at), s.slice(at + 2)];
}

/** fieldpath.FormatMap: sorted `key="value"` lines. */
function formatMap(m: Record<string, string> | undefined): string {
  return Object.keys(m ?? {})
    .sort()
    .map((k) => `${k}=${JSON.stringify(m![k])}`)
    .join('\n');
}

/** kubelet_pods.go#podFieldSelectorRuntimeValue + fieldpath.ExtractFieldPathAsString. */
export function podFieldValue(
  fieldPath: string,
  pod: Pod,
  lookups: Pick<EnvLookups, 'podIP' | 'podIPs' | 'hostIP' | 'hostIPs'>,
): string {
  const podIPs = lookups.podIPs ?? (lookups.podIP ? [lookups.podIP] : []);
  const hostIPs = lookups.hostIPs ?? (lookups.hostIP ? [lookups.hostIP] : []);
  const sub = splitSubscript(fieldPath);
  if (sub) {
    const [path, key] = sub;
    if (path === 'metadata.annotations') {
      return pod.metadata.annotations?.[key] ?? '';
    }
    if (path === 'metadata.labels') {
      return pod.metadata.labels?.[key] ?? '';
    }
    throw new ConfigError(`fieldPath "${fieldPath}" does not support subscript`);
  }
  switch (fieldPath) {
    case 'spec.nodeName':
      return pod.spec.nodeName ?? '';
    case 'spec.serviceAccountName':
      return pod.spec.serviceAccountName ?? '';
    case 'status.hostIP':
      return hostIPs[0] ?? '';
    case 'status.hostIPs':
      return hostIPs.join(',');
    case 'status.podIP':
      return podIPs[0] ?? '';
    case 'status.podIPs':
      return podIPs.join(',');
    case 'metadata.name':
      return pod.metadata.name ?? '';
    case 'metadata.namespace':
      return pod.metadata.namespace ?? '';
    case 'metadata.uid':
      return pod.metadata.uid ?? '';
    case 'metadata.labels':
      return formatMap(pod.metadata.labels);
    case 'metadata.annotations':
      return formatMap(pod.metadata.annotations);
  }
  throw new ConfigError(`unsupported fieldPath: ${fieldPath}`);
}

const DEFAULTED_LIMITS = ['cpu', 'memory', 'ephemeral-storage'] as const;

/**
 * pkg/api/v1/resource/helpers.go#ExtractContainerResourceValue on the
 * container with its missing cpu/memory/ephemeral-storage limits defaulted to
 * node allocatable. CPU is ceil(milli / divisor milli), the others
 * ceil(value / divisor value), printed as integers.
 */
export function containerResourceValue(
  fs: ResourceFieldSelector,
  pod: Pod,
  self: Container,
  nodeAllocatable: ResourceList | undefined,
): string {
  let target = self;
  if (fs.containerName) {
    const found = [...pod.spec.containers, ...(pod.spec.initContainers ?? [])].find((c) => c.name === fs.containerName);
    if (!found) {
      throw new ConfigError(`container ${fs.containerName} not found`);
    }
    target = found;
  }
  const limits: ResourceList = { ...(target.resources?.limits ?? {}) };
  for (const r of DEFAULTED_LIMITS) {
    if (limits[r] === undefined && nodeAllocatable?.[r] !== undefined) {
      limits[r] = nodeAllocatable[r];
    }
  }
  const requests = target.resources?.requests ?? {};
  const divisor = fs.divisor === undefined || quantityIsZero(fs.divisor) ? '1' : fs.divisor;
  const [kind, resource] = splitResource(fs.resource);
  if (kind === '') {
    throw new ConfigError(`unsupported container resource : ${fs.resource}`);
  }
  const list = kind === 'limits' ? limits : requests;
  const q = list[resource] ?? 0;
  switch (resource) {
    case 'cpu':
      return String(Math.ceil(milliValue(q) / milliValue(divisor)));
    case 'memory':
    case 'ephemeral-storage':
      return String(Math.ceil(wholeValue(q) / wholeValue(divisor)));
  }
  if (kind === 'requests' && resource.startsWith('hugepages-')) {
    return String(Math.ceil(wholeValue(q) / wholeValue(divisor)));
  }
  throw new ConfigError(`unsupported container resource : ${fs.resource}`);
}

function splitResource(r: string): ['limits' | 'requests' | '', string] {
  if (r.startsWith('limits.')) {
    return ['limits', r.slice('limits.'.length)];
  }
  if (r.startsWith('requests.')) {
    return ['requests', r.slice('requests.'.length)];
  }
  return ['', r];
}

/** Quantity.MilliValue() (rounded up). */
function milliValue(q: string | number): number {
  return Quantity.parse(q).milliValue();
}

/** Quantity.Value() (rounded up). */
function wholeValue(q: string | number): number {
  return Quantity.parse(q).value();
}

function quantityIsZero(q: string | number): boolean {
  try {
    return Quantity.parse(q).isZero();
  } catch {
    return false;
  }
}
