// What configMap, secret, downwardAPI and projected volumes contain: the
// payloads the atomic writer projects. Mirrors k8s
// pkg/volume/configmap/configmap.go#MakePayload,
// pkg/volume/secret/secret.go#MakePayload,
// pkg/volume/downwardapi/downwardapi.go#CollectData and
// pkg/volume/projected/projected.go#collectData, with the apiserver errors the
// kubelet's object managers return (`configmap "x" not found`,
// pkg/kubelet/util/manager/watch_based_manager.go: NewNotFound on the
// singular resource).
import { Buffer } from 'node:buffer';
import { isStatusError } from '../../api/errors.js';
import type {
  ConfigMap,
  DownwardAPIVolumeFile,
  KeyToPath,
  Pod,
  ProjectedVolumeSource,
  ResourceList,
  Secret,
} from '../../api/types/index.js';
import { containerResourceValue, podFieldValue } from '../env/container-env.js';
import type { FileProjection } from './atomic-writer.js';

/** The API defaults defaultMode to 0644 (SetDefaults_ConfigMapVolumeSource and friends). */
export const DEFAULT_PROJECTION_MODE = 0o644;
/** projected.go: a service account token file is written 0600. */
export const TOKEN_FILE_MODE = 0o600;

export type Payload = Map<string, FileProjection>;

export interface ObjectLookups {
  /** The ConfigMap, or undefined when it does not exist (a NotFound StatusError is accepted too). */
  configMap(namespace: string, name: string): Promise<ConfigMap | undefined>;
  /** The Secret, or undefined when it does not exist (a NotFound StatusError is accepted too). */
  secret(namespace: string, name: string): Promise<Secret | undefined>;
}

/** An object lookup where "not found" is undefined and any other failure rejects. */
async function getOrUndefined<T>(f: () => Promise<T | undefined>): Promise<T | undefined> {
  try {
    return await f();
  } catch (e) {
    if (isStatusError(e, 'NotFound')) {
      return undefined;
    }
    throw e;
  }
}

/**
 * Fetches a ConfigMap for a volume: missing and optional → an empty one,
 * missing and required → `configmap "x" not found` (configmap.go#SetUpAt).
 */
export async function fetchConfigMap(
  lookups: ObjectLookups,
  namespace: string,
  name: string,
  optional: boolean,
): Promise<ConfigMap> {
  const cm = await getOrUndefined(() => lookups.configMap(namespace, name));
  if (cm) {
    return cm;
  }
  if (optional) {
    return { metadata: { namespace, name } };
  }
  throw new Error(`configmap "${name}" not found`);
}

/** fetchConfigMap for Secrets: `secret "x" not found` (secret.go#SetUpAt). */
export async function fetchSecret(
  lookups: ObjectLookups,
  namespace: string,
  name: string,
  optional: boolean,
): Promise<Secret> {
  const s = await getOrUndefined(() => lookups.secret(namespace, name));
  if (s) {
    return s;
  }
  if (optional) {
    return { metadata: { namespace, name } };
  }
  throw new Error(`secret "${name}" not found`);
}

/** configmap.go#MakePayload: every key without items; else each item, its mode or the default. */
export function makeConfigMapPayload(
  items: KeyToPath[] | undefined,
  cm: ConfigMap,
  defaultMode: number | undefined,
  optional: boolean,
): Payload {
  const mode = defaultMode ?? DEFAULT_PROJECTION_MODE;
  const payload: Payload = new Map();
  const lookup = (key: string): Buffer | undefined => {
    const s = cm.data?.[key];
    if (s !== undefined) {
      return Buffer.from(s, 'utf8');
    }
    const b = cm.binaryData?.[key];
    return b !== undefined ? Buffer.from(b, 'base64') : undefined;
  };
  if (!items || items.length === 0) {
    for (const [k, v] of Object.entries(cm.data ?? {})) {
      payload.set(k, { data: Buffer.from(v, 'utf8'), mode });
    }
    for (const [k, v] of Object.entries(cm.binaryData ?? {})) {
      payload.set(k, { data: Buffer.from(v, 'base64'), mode });
    }
    return payload;
  }
  for (const ktp of items) {
    const data = lookup(ktp.key);
    if (data === undefined) {
      if (optional) {
        continue;
      }
      throw new Error(`configmap references non-existent config key: ${ktp.key}`);
    }
    payload.set(ktp.path, { data, mode: ktp.mode ?? mode });
  }
  return payload;
}

/** A Secret's values: `data` is base64; `stringData` (normally merged by the API server) wins. */
function secretValues(s: Secret): Map<string, Buffer> {
  const out = new Map<string, Buffer>();
  for (const [k, v] of Object.entries(s.data ?? {})) {
    out.set(k, Buffer.from(v, 'base64'));
  }
  for (const [k, v] of Object.entries(s.stringData ?? {})) {
    out.set(k, Buffer.from(v, 'utf8'));
  }
  return out;
}

/** secret.go#MakePayload. */
export function makeSecretPayload(
  items: KeyToPath[] | undefined,
  secret: Secret,
  defaultMode: number | undefined,
  optional: boolean,
): Payload {
  const mode = defaultMode ?? DEFAULT_PROJECTION_MODE;
  const values = secretValues(secret);
  const payload: Payload = new Map();
  if (!items || items.length === 0) {
    for (const [k, v] of values) {
      payload.set(k, { data: v, mode });
    }
    return payload;
  }
  for (const ktp of items) {
    const data = values.get(ktp.key);
    if (data === undefined) {
      if (optional) {
        continue;
      }
      throw new Error(`references non-existent secret key: ${ktp.key}`);
    }
    payload.set(ktp.path, { data, mode: ktp.mode ?? mode });
  }
  return payload;
}

/** utilerrors.NewAggregate(errs).Error(): one message alone, several deduplicated in brackets. */
export function aggregateMessage(errs: readonly string[]): string {
  const seen = [...new Set(errs)];
  if (seen.length === 1) {
    return seen[0]!;
  }
  return `[${seen.join(', ')}]`;
}

/**
 * downwardapi.go#CollectData: each item's fieldRef (metadata.name, namespace,
 * uid, labels, annotations, and subscripted labels/annotations) or
 * resourceFieldRef (of the named container, limits defaulted to node
 * allocatable). Errors are aggregated; the items that worked are returned
 * with them so the caller decides (upstream fails the whole volume).
 */
export function collectDownwardAPIData(
  items: DownwardAPIVolumeFile[] | undefined,
  pod: Pod,
  nodeAllocatable: ResourceList | undefined,
  defaultMode: number | undefined,
): Payload {
  const mode0 = defaultMode ?? DEFAULT_PROJECTION_MODE;
  const payload: Payload = new Map();
  const errs: string[] = [];
  for (const item of items ?? []) {
    const mode = item.mode ?? mode0;
    let value = '';
    try {
      if (item.fieldRef) {
        value = podFieldValue(item.fieldRef.fieldPath, pod, { podIP: undefined, hostIP: undefined });
      } else if (item.resourceFieldRef) {
        const self = pod.spec.containers[0];
        if (!self) {
          throw new Error(`container ${item.resourceFieldRef.containerName ?? ''} not found`);
        }
        value = containerResourceValue(item.resourceFieldRef, pod, self, nodeAllocatable);
      }
    } catch (e) {
      errs.push(e instanceof Error ? e.message : String(e));
    }
    payload.set(item.path, { data: Buffer.from(value, 'utf8'), mode });
  }
  if (errs.length > 0) {
    throw new Error(aggregateMessage(errs));
  }
  return payload;
}

/**
 * projected.go#collectData: the sources in order, later paths replacing
 * earlier ones; failures are aggregated and fail the volume. A
 * serviceAccountToken source needs the TokenRequest API, which podbay does
 * not serve: it fails with a FailedMount the user can read.
 */
export async function collectProjectedData(
  source: ProjectedVolumeSource,
  pod: Pod,
  lookups: ObjectLookups,
  nodeAllocatable: ResourceList | undefined,
): Promise<Payload> {
  const ns = pod.metadata.namespace ?? 'default';
  const defaultMode = source.defaultMode ?? DEFAULT_PROJECTION_MODE;
  const payload: Payload = new Map();
  const errs: string[] = [];
  const merge = (p: Payload): void => {
    for (const [k, v] of p) {
      payload.set(k, v);
    }
  };
  for (const s of source.sources ?? []) {
    try {
      if (s.secret) {
        const optional = s.secret.optional === true;
        const secret = await fetchSecret(lookups, ns, s.secret.name ?? '', optional);
        merge(makeSecretPayload(s.secret.items, secret, defaultMode, optional));
      } else if (s.configMap) {
        const optional = s.configMap.optional === true;
        const cm = await fetchConfigMap(lookups, ns, s.configMap.name ?? '', optional);
        merge(makeConfigMapPayload(s.configMap.items, cm, defaultMode, optional));
      } else if (s.downwardAPI) {
        merge(collectDownwardAPIData(s.downwardAPI.items, pod, nodeAllocatable, defaultMode));
      } else if (s.serviceAccountToken) {
        throw new Error(
          `failed to fetch token: podbay does not serve the TokenRequest API (serviceaccounts/token), so projected serviceAccountToken "${s.serviceAccountToken.path}" cannot be written`,
        );
      }
    } catch (e) {
      errs.push(e instanceof Error ? e.message : String(e));
    }
  }
  if (errs.length > 0) {
    throw new Error(aggregateMessage(errs));
  }
  return payload;
}
