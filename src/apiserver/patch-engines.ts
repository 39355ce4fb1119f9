// The one place the apiserver reaches the patch engines of src/apiserver/patch/ (written
// in parallel by another engineer, with the signatures below). They are loaded on first
// use rather than imported statically so that the server starts, and every other verb
// works, while that folder is incomplete: without them a PATCH answers 503 and managed
// fields are left as they are.
// TODO(apiserver): import statically once src/apiserver/patch/ has landed (#2).
import { StatusError } from '../api/errors.js';
import type { KubeObject } from '../api/types/index.js';

export interface ApplyOptions {
  manager: string;
  force: boolean;
  nowIso: string;
  kind: string;
}

export interface ManagedFieldsOptions {
  manager: string;
  nowIso: string;
  subresource?: string;
}

export interface PatchEngines {
  applyJsonPatch(doc: KubeObject, ops: unknown[]): KubeObject;
  applyMergePatch(doc: KubeObject, patch: unknown): KubeObject;
  applyStrategicMergePatch(doc: KubeObject, patch: unknown, kind: string): KubeObject;
  /** Throws a 409 StatusError on field-ownership conflicts unless force. */
  serverSideApply(live: KubeObject | undefined, applied: KubeObject, opts: ApplyOptions): KubeObject;
  updateManagedFields(old: KubeObject | undefined, obj: KubeObject, opts: ManagedFieldsOptions): KubeObject;
}

/** Module file → the export it provides. */
const MODULES: [string, keyof PatchEngines][] = [
  ['./patch/json-patch.js', 'applyJsonPatch'],
  ['./patch/merge-patch.js', 'applyMergePatch'],
  ['./patch/strategic-merge-patch.js', 'applyStrategicMergePatch'],
  ['./patch/server-side-apply.js', 'serverSideApply'],
  ['./patch/managed-fields.js', 'updateManagedFields'],
];

let loading: Promise<Partial<PatchEngines>> | undefined;

async function load(): Promise<Partial<PatchEngines>> {
  const out: Partial<PatchEngines> = {};
  for (const [specifier, name] of MODULES) {
    try {
      const mod = (await import(specifier)) as Partial<PatchEngines>;
      const fn = mod[name];
      if (typeof fn === 'function') {
        Object.assign(out, { [name]: fn });
      }
    } catch {
      // Not there (yet): the verbs that need it say so.
    }
  }
  return out;
}

function engines(): Promise<Partial<PatchEngines>> {
  loading ??= load();
  return loading;
}

function unavailable(what: string): StatusError {
  return new StatusError({
    kind: 'Status',
    apiVersion: 'v1',
    metadata: {},
    status: 'Failure',
    message: `${what} is not available in this build of podbay`,
    reason: 'ServiceUnavailable',
    code: 503,
  });
}

/** The engine named, or a 503 StatusError when it is missing. */
export async function patchEngine<K extends keyof PatchEngines>(name: K): Promise<PatchEngines[K]> {
  const fn = (await engines())[name];
  if (!fn) {
    throw unavailable(name);
  }
  return fn;
}

/** updateManagedFields when available; the object unchanged otherwise. */
export async function updateManagedFields(
  old: KubeObject | undefined,
  obj: KubeObject,
  opts: ManagedFieldsOptions,
): Promise<KubeObject> {
  const fn = (await engines()).updateManagedFields;
  return fn ? fn(old, obj, opts) : obj;
}
