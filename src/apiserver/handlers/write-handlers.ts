// POST, PUT, PATCH and DELETE on resources (handlers/create.go, update.go, patch.go,
// delete.go): decode the body (JSON or YAML), check fields per fieldValidation, run the
// registry, answer with the object (201 for a create).
import { StatusError, field, newBadRequest, newInvalid, newUnsupportedMediaType } from '../../api/errors.js';
import type { DeleteOptions, KubeObject } from '../../api/types/index.js';
import { rfc3339 } from '../../lib/clock.js';
import { checkFields } from '../admission/field-validation.js';
import { writeJson } from '../http/respond.js';
import { jsonPatchObject, mergePatchObject, serverSideApply, strategicMergePatchObject } from '../patch-engines.js';
import { apiVersionOf } from '../registry/resource-info.js';
import type { WriteOptions } from '../registry/rest-registry.js';
import { readBody } from '../request/read-body.js';
import {
  bodyFormat,
  decodeBody,
  mediaType,
  newUnsupportedBodyType,
  requireObject,
  type DecodedBody,
} from '../request/decode-body.js';
import { isTrue } from '../request/request-info.js';
import { listFilter } from './read-handlers.js';
import { fieldManagerOf, intParam, parseDryRun, parseFieldValidation } from './query-options.js';
import type { RequestScope } from './request-scope.js';

/** `Pod in version "v1" cannot be handled as a Pod` (handlers/rest.go transformDecodeError). */
function cannotHandle(scope: RequestScope): string {
  return `${scope.info.kind} in version "${scope.info.version}" cannot be handled as a ${scope.info.kind}`;
}

async function readObject(scope: RequestScope): Promise<DecodedBody> {
  const body = await readBody(scope.req, scope.parts.maxBodyBytes);
  const ct = scope.req.headers['content-type'];
  const fmt = bodyFormat(ct);
  if (!fmt) {
    throw newUnsupportedBodyType(mediaType(ct));
  }
  try {
    return decodeBody(body, fmt);
  } catch (e) {
    if (e instanceof StatusError && e.code === 400) {
      throw newBadRequest(`${cannotHandle(scope)}: ${e.status.message ?? ''}`);
    }
    throw e;
  }
}

/** The body's apiVersion and kind, when given, must be the resource's (create.go AcceptsGroupVersion). */
function checkTypeMeta(scope: RequestScope, obj: Record<string, unknown>): void {
  const want = apiVersionOf(scope.info);
  const apiVersion = obj.apiVersion;
  if (apiVersion !== undefined && apiVersion !== '' && apiVersion !== want) {
    throw newBadRequest(
      `the API version in the data (${JSON.stringify(apiVersion)}) does not match the expected API version (${want})`,
    );
  }
  const kind = obj.kind;
  if (kind !== undefined && kind !== '' && kind !== scope.info.kind) {
    throw newBadRequest(
      `the kind in the data (${JSON.stringify(kind)}) does not match the expected kind (${scope.info.kind})`,
    );
  }
  obj.apiVersion = want;
  obj.kind = scope.info.kind;
  if (obj.metadata === undefined || obj.metadata === null) {
    obj.metadata = {};
  }
}

function writeOptions(scope: RequestScope, optionsKind: string, subresource = scope.subresource): WriteOptions {
  return {
    dryRun: parseDryRun(scope.query.getAll('dryRun'), optionsKind),
    fieldManager: fieldManagerOf(scope.query, scope.req),
    warnings: scope.warnings,
    subresource,
  };
}

export async function handleCreate(scope: RequestScope): Promise<void> {
  const opts = writeOptions(scope, 'CreateOptions', '');
  const mode = parseFieldValidation(scope.query.get('fieldValidation'), 'CreateOptions');
  const decoded = await readObject(scope);
  const obj = requireObject(decoded.value, cannotHandle(scope));
  checkTypeMeta(scope, obj);
  checkFields(obj, {
    apiVersion: apiVersionOf(scope.info),
    kind: scope.info.kind,
    mode,
    duplicateFields: decoded.duplicateFields,
    warnings: scope.warnings,
    wholeObject: true,
  });
  const created = await scope.parts.registry.create(scope.info, scope.namespace, obj as unknown as KubeObject, opts);
  writeJson(scope.res, 201, created);
}

export async function handleUpdate(scope: RequestScope): Promise<void> {
  const opts = writeOptions(scope, 'UpdateOptions');
  const mode = parseFieldValidation(scope.query.get('fieldValidation'), 'UpdateOptions');
  const decoded = await readObject(scope);
  const obj = requireObject(decoded.value, cannotHandle(scope));
  checkTypeMeta(scope, obj);
  checkFields(obj, {
    apiVersion: apiVersionOf(scope.info),
    kind: scope.info.kind,
    mode,
    duplicateFields: decoded.duplicateFields,
    warnings: scope.warnings,
    wholeObject: true,
  });
  const r = await scope.parts.registry.update(
    scope.info,
    scope.namespace,
    scope.name,
    obj as unknown as KubeObject,
    opts,
  );
  writeJson(scope.res, r.created ? 201 : 200, r.object);
}

type PatchType = 'json' | 'merge' | 'strategic' | 'apply';

const PATCH_TYPES: Record<string, PatchType> = {
  'application/json-patch+json': 'json',
  'application/merge-patch+json': 'merge',
  'application/strategic-merge-patch+json': 'strategic',
  'application/apply-patch+yaml': 'apply',
};

/** Runs a patch engine; its failures that are not StatusErrors are the patch's fault: 422 (patch.go). */
function patched(run: () => KubeObject): KubeObject {
  try {
    return run();
  } catch (e) {
    throw asPatchError(e);
  }
}

function asPatchError(e: unknown): unknown {
  if (e instanceof StatusError || !(e instanceof Error)) {
    return e;
  }
  return new StatusError({
    kind: 'Status',
    apiVersion: 'v1',
    metadata: {},
    status: 'Failure',
    message: e.message,
    reason: 'Invalid',
    code: 422,
  });
}

export async function handlePatch(scope: RequestScope): Promise<void> {
  const { info } = scope;
  const ct = mediaType(scope.req.headers['content-type']);
  const patchType = PATCH_TYPES[ct];
  if (!patchType) {
    throw newUnsupportedMediaType(ct);
  }
  const opts = writeOptions(scope, 'PatchOptions');
  opts.applied = patchType === 'apply';
  const mode = parseFieldValidation(scope.query.get('fieldValidation'), 'PatchOptions');
  const forceParam = scope.query.get('force');
  // meta/v1/validation ValidatePatchOptions.
  if (patchType !== 'apply' && forceParam !== null) {
    throw newInvalid(
      'PatchOptions',
      '',
      [field.forbidden('force', 'may not be specified for non-apply patch')],
      'meta.k8s.io',
    );
  }
  if (patchType === 'apply' && !scope.query.get('fieldManager')) {
    throw newInvalid(
      'PatchOptions',
      '',
      [field.required('fieldManager', 'is required for apply patch')],
      'meta.k8s.io',
    );
  }
  const body = await readBody(scope.req, scope.parts.maxBodyBytes);
  const decoded = decodeBody(body, patchType === 'apply' ? 'yaml' : 'json');
  const patch = decoded.value;
  if (patch === undefined) {
    throw newBadRequest('the request body is empty: a patch is required');
  }
  if (patchType === 'json' && !Array.isArray(patch)) {
    throw newBadRequest('json: cannot unmarshal object into Go value of type jsonpatch.Patch');
  }
  if (patchType !== 'json' && (patch === null || typeof patch !== 'object' || Array.isArray(patch))) {
    throw newBadRequest(`error decoding patch: the patch must be a JSON object`);
  }
  const force = isTrue(forceParam);
  const nowIso = rfc3339(scope.parts.clock.now());
  const apiVersion = apiVersionOf(info);
  const fieldCheck = (obj: KubeObject, whole: boolean): KubeObject => {
    checkFields(obj, {
      apiVersion,
      kind: info.kind,
      mode,
      duplicateFields: whole ? decoded.duplicateFields : [],
      warnings: scope.warnings,
      wholeObject: whole,
    });
    return obj;
  };
  if (patchType === 'apply') {
    const applied = structuredClone(patch) as Record<string, unknown>;
    checkTypeMeta(scope, applied);
    const meta = applied.metadata as Record<string, unknown>;
    if (meta.name !== undefined && meta.name !== scope.name) {
      throw newBadRequest(
        `the name of the object (${JSON.stringify(meta.name)}) does not match the name on the URL (${scope.name})`,
      );
    }
    meta.name = scope.name;
    if (info.namespaced) {
      meta.namespace ??= scope.namespace;
    }
    fieldCheck(applied as unknown as KubeObject, true);
  }
  const applyOpts = { manager: opts.fieldManager, force, nowIso, kind: info.kind };
  const mutate = async (current: KubeObject): Promise<KubeObject> => {
    switch (patchType) {
      case 'json':
        return fieldCheck(
          patched(() => jsonPatchObject(current, patch)),
          false,
        );
      case 'merge':
        return fieldCheck(
          patched(() => mergePatchObject(current, patch)),
          false,
        );
      case 'strategic':
        return fieldCheck(
          patched(() => strategicMergePatchObject(current, patch, info.kind)),
          false,
        );
      case 'apply':
        return patched(() => serverSideApply(current, structuredClone(patch) as KubeObject, applyOpts));
    }
  };
  const create =
    patchType === 'apply'
      ? async (): Promise<KubeObject> => {
          const applied = structuredClone(patch) as Record<string, unknown>;
          checkTypeMeta(scope, applied);
          (applied.metadata as Record<string, unknown>).name = scope.name;
          fieldCheck(applied as unknown as KubeObject, false);
          return patched(() => serverSideApply(undefined, applied as unknown as KubeObject, applyOpts));
        }
      : undefined;
  const r = await scope.parts.registry.patch(info, scope.namespace, scope.name, mutate, opts, create);
  writeJson(scope.res, r.created ? 201 : 200, r.object);
}

async function readDeleteOptions(scope: RequestScope): Promise<DeleteOptions> {
  const body = await readBody(scope.req, scope.parts.maxBodyBytes);
  let options: DeleteOptions = {};
  if (body.length > 0) {
    const fmt = bodyFormat(scope.req.headers['content-type']) ?? 'json';
    const decoded = decodeBody(body, fmt);
    if (decoded.value !== undefined) {
      options = requireObject(decoded.value, 'DeleteOptions');
    }
  }
  const grace = intParam(scope.query, 'gracePeriodSeconds');
  if (grace !== undefined) {
    options.gracePeriodSeconds = grace;
  }
  const policy = scope.query.get('propagationPolicy');
  if (policy) {
    options.propagationPolicy = policy as DeleteOptions['propagationPolicy'];
  }
  const dryRun = scope.query.getAll('dryRun');
  if (dryRun.length > 0) {
    options.dryRun = dryRun;
  }
  const errs = [];
  if (options.gracePeriodSeconds !== undefined && !Number.isInteger(options.gracePeriodSeconds)) {
    errs.push(field.invalid('gracePeriodSeconds', options.gracePeriodSeconds, 'must be an integer'));
  }
  if (
    options.propagationPolicy !== undefined &&
    !['Orphan', 'Background', 'Foreground'].includes(options.propagationPolicy)
  ) {
    errs.push(
      field.notSupported('propagationPolicy', options.propagationPolicy, ['Foreground', 'Background', 'Orphan', 'nil']),
    );
  }
  if (errs.length > 0) {
    throw newInvalid('DeleteOptions', '', errs, 'meta.k8s.io');
  }
  return options;
}

export async function handleDelete(scope: RequestScope): Promise<void> {
  const options = await readDeleteOptions(scope);
  const opts: WriteOptions = {
    dryRun: parseDryRun(options.dryRun ?? [], 'DeleteOptions'),
    fieldManager: fieldManagerOf(scope.query, scope.req),
    warnings: scope.warnings,
    subresource: '',
  };
  const { info, parts } = scope;
  const r =
    info.plural === 'namespaces' && info.group === ''
      ? await parts.namespaces.deleteNamespace(scope.name, options, opts)
      : await parts.registry.delete(info, scope.namespace, scope.name, options, opts);
  writeJson(scope.res, 200, r.body);
}

export async function handleDeleteCollection(scope: RequestScope): Promise<void> {
  const options = await readDeleteOptions(scope);
  const opts: WriteOptions = {
    dryRun: parseDryRun(options.dryRun ?? [], 'DeleteOptions'),
    fieldManager: fieldManagerOf(scope.query, scope.req),
    warnings: scope.warnings,
    subresource: '',
  };
  const { info, parts } = scope;
  const items = await parts.registry.deleteCollection(info, scope.namespace, listFilter(scope), options, opts);
  writeJson(scope.res, 200, {
    kind: info.listKind,
    apiVersion: apiVersionOf(info),
    metadata: { resourceVersion: String(parts.store.currentRevision()) },
    items,
  });
}
