// The generic REST storage of kube-apiserver, parameterised per resource by a
// ResourceInfo: k8s.io/apiserver/pkg/registry/generic/registry/store.go (Create, Update,
// Delete, DeleteCollection) with rest/create.go BeforeCreate, rest/update.go
// BeforeUpdate and rest/delete.go BeforeDelete folded in. Objects are kept in the Store
// in their stored form (core/v1 for events); `view` converts at the edge.
import { randomInt, randomUUID } from 'node:crypto';
import {
  OBJECT_MODIFIED_MSG,
  StatusError,
  fieldErrorString,
  isStatusError,
  newAlreadyExists,
  newBadRequest,
  newConflict,
  newInvalid,
  newNotFound,
  type FieldError,
} from '../../api/errors.js';
import type { DeleteOptions, KubeObject, Status } from '../../api/types/index.js';
import type { Clock } from '../../lib/clock.js';
import { rfc3339 } from '../../lib/clock.js';
import type { ListResult, Store } from '../../store/store.js';
import { objectKey, prefixKey } from '../../store/store.js';
import { updateManagedFields } from '../patch-engines.js';
import { deepEqual } from './deep-equal.js';
import {
  apiVersionOf,
  qualifiedResource,
  type ResourceInfo,
  type Strategy,
  type StrategyContext,
} from './resource-info.js';
import { validateObjectMetaUpdate } from './api-rules.js';
import { specChanged } from './strategies/pod-strategy.js';

/** How many times a write retries after losing a race with another writer. */
const MAX_CONFLICT_RETRIES = 8;
/** generateName retries on a name clash (RetryGenerateName, GA in v1.32: 8 attempts). */
const MAX_GENERATE_NAME_ATTEMPTS = 8;
/** apiserver/pkg/storage/names/generate.go: 5 characters without vowels or confusables. */
const NAME_ALPHABET = 'bcdfghjklmnpqrstvwxz2456789';

export function generateNameSuffix(): string {
  let s = '';
  for (let i = 0; i < 5; i++) {
    s += NAME_ALPHABET[randomInt(NAME_ALPHABET.length)];
  }
  return s;
}

/** Per-request options of a write. */
export interface WriteOptions {
  dryRun: boolean;
  fieldManager: string;
  warnings: string[];
  /** '' for the main resource, 'status' / 'finalize' for those subresources. */
  subresource: string;
  /** Server-side apply already recorded the managed fields: leave them as they are. */
  applied?: boolean;
}

export interface ListRequest {
  filter?: (obj: KubeObject) => boolean;
  limit?: number;
  continue?: string;
}

export interface DeleteResult {
  /** What DELETE answers: the object, or a Success Status when it was removed. */
  body: KubeObject | Status;
  /** The object was removed from the store (not only marked for deletion). */
  removed: boolean;
  object: KubeObject;
}

/** Hooks other parts of the apiserver attach to the registry. */
export interface RegistryHooks {
  /**
   * Runs before an object is created in a namespace (namespace lifecycle admission);
   * throws to refuse.
   */
  admitCreate?(info: ResourceInfo, obj: KubeObject): Promise<void>;
  /** Runs before a delete request (e.g. immortal namespaces); throws to refuse. */
  admitDelete?(info: ResourceInfo, obj: KubeObject): Promise<void>;
  /** Called after an object left the store. */
  onRemoved?(info: ResourceInfo, obj: KubeObject): void;
}

function cloneJson<T>(v: T): T {
  return structuredClone(v);
}

function parseRevision(rv: string | undefined): number | undefined {
  if (rv === undefined || rv === '') {
    return undefined;
  }
  const n = Number(rv);
  if (!Number.isInteger(n) || n < 0) {
    throw newBadRequest(`invalid resource version: ${rv}`);
  }
  return n;
}

/** De-duplicates field errors by their rendering, keeping the first. */
function uniqueErrors(errs: FieldError[]): FieldError[] {
  const seen = new Set<string>();
  return errs.filter((e) => {
    const k = fieldErrorString(e);
    if (seen.has(k)) {
      return false;
    }
    seen.add(k);
    return true;
  });
}

/**
 * The object without what an otherwise empty update may change: resourceVersion and
 * the times of managedFields entries (apiserver's IgnoreManagedFieldsTimestampsTransformer).
 */
function withoutVolatile(obj: KubeObject): KubeObject {
  const c = { ...obj, metadata: { ...obj.metadata } };
  delete c.metadata.resourceVersion;
  if (c.metadata.managedFields) {
    c.metadata.managedFields = c.metadata.managedFields.map((e) => ({ ...e, time: undefined }));
  }
  return c;
}

export class RestRegistry {
  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
    private readonly hooks: RegistryHooks = {},
  ) {}

  key(info: ResourceInfo, namespace: string, name: string): string {
    return objectKey(info.storageResource, info.namespaced ? namespace : undefined, name);
  }

  prefix(info: ResourceInfo, namespace: string): string {
    return prefixKey(info.storageResource, info.namespaced && namespace ? namespace : undefined);
  }

  /** The stored object as the resource serves it. */
  toServed(info: ResourceInfo, stored: KubeObject): KubeObject {
    return info.view ? info.view.toServed(cloneJson(stored)) : stored;
  }

  private toStored(info: ResourceInfo, served: KubeObject): KubeObject {
    const obj = info.view ? info.view.fromServed(served) : served;
    if (!info.view) {
      obj.apiVersion = apiVersionOf(info);
      obj.kind = info.kind;
    }
    return obj;
  }

  private ctx(opts: { warnings: string[] }): StrategyContext {
    return { nowMs: this.clock.now(), warnings: opts.warnings };
  }

  private nowIso(): string {
    return rfc3339(this.clock.now());
  }

  /** The stored object, or 404 `<resource> "<name>" not found`. */
  async getStored(info: ResourceInfo, namespace: string, name: string): Promise<KubeObject> {
    const obj = await this.store.get(this.key(info, namespace, name));
    if (!obj) {
      throw newNotFound(qualifiedResource(info), name);
    }
    return obj;
  }

  async get(info: ResourceInfo, namespace: string, name: string): Promise<KubeObject> {
    return this.toServed(info, await this.getStored(info, namespace, name));
  }

  /** Lists stored objects; `filter` sees the stored form (selectors are compiled for it). */
  async list(info: ResourceInfo, namespace: string, req: ListRequest): Promise<ListResult> {
    const result = await this.store.list(this.prefix(info, namespace), {
      limit: req.limit,
      continue: req.continue,
      filter: req.filter,
    });
    return info.view ? { ...result, items: result.items.map((o) => this.toServed(info, o)) } : result;
  }

  // ---- create ---------------------------------------------------------------------------

  async create(info: ResourceInfo, namespace: string, body: KubeObject, opts: WriteOptions): Promise<KubeObject> {
    const obj = this.toStored(info, cloneJson(body));
    obj.metadata ??= {};
    const meta = obj.metadata;
    if (info.namespaced) {
      if (meta.namespace && meta.namespace !== namespace) {
        throw newBadRequest('the namespace of the provided object does not match the namespace sent on the request');
      }
      meta.namespace = namespace;
    } else {
      delete meta.namespace;
    }
    if (meta.resourceVersion) {
      // etcd3 store.Create returns a plain error here, which the handlers answer as a
      // 500 with reason Unknown (responsewriters errToAPIStatus).
      throw new StatusError({
        kind: 'Status',
        apiVersion: 'v1',
        metadata: {},
        status: 'Failure',
        message: 'resourceVersion should not be set on objects to be created',
        reason: 'Unknown',
        code: 500,
      });
    }
    if (this.hooks.admitCreate) {
      await this.hooks.admitCreate(info, obj);
    }
    // rest.BeforeCreate: server-owned metadata.
    delete meta.deletionTimestamp;
    delete meta.deletionGracePeriodSeconds;
    delete meta.selfLink;
    delete meta.generation;
    meta.uid = randomUUID();
    meta.creationTimestamp = this.nowIso();
    const strategy = info.strategy;
    // The order of handlers/create.go: the decoded object is defaulted, the field manager
    // records it, and only then do mutating admission plugins (ServiceAccount,
    // DefaultTolerationSeconds, Priority) change it, so the fields they set belong to no
    // manager and a later apply that leaves them out keeps them.
    let prepared = strategy.defaults ? strategy.defaults(obj, false) : obj;
    if (!opts.applied) {
      prepared = updateManagedFields(undefined, prepared, { manager: opts.fieldManager, nowIso: this.nowIso() });
    }
    if (strategy.defaults) {
      prepared = strategy.defaults(prepared, true);
    }
    strategy.prepareForCreate?.(prepared, this.ctx(opts));
    const generated = !prepared.metadata.name && !!prepared.metadata.generateName;
    for (let attempt = 1; ; attempt++) {
      if (generated) {
        prepared.metadata.name = prepared.metadata.generateName! + generateNameSuffix();
      }
      const errs = strategy.validate ? strategy.validate(prepared) : [];
      if (errs.length > 0) {
        throw newInvalid(info.kind, prepared.metadata.name ?? '', uniqueErrors(errs), info.group);
      }
      if (attempt === 1) {
        opts.warnings.push(...(strategy.warningsOnCreate?.(prepared) ?? []));
      }
      const key = this.key(info, namespace, prepared.metadata.name!);
      if (opts.dryRun) {
        if (await this.store.get(key)) {
          throw newAlreadyExists(qualifiedResource(info), prepared.metadata.name!);
        }
        return this.toServed(info, prepared);
      }
      try {
        return this.toServed(info, await this.store.create(key, prepared));
      } catch (e) {
        if (isStatusError(e, 'AlreadyExists')) {
          if (generated && attempt < MAX_GENERATE_NAME_ATTEMPTS) {
            continue;
          }
          throw newAlreadyExists(qualifiedResource(info), prepared.metadata.name!);
        }
        throw e;
      }
    }
  }

  // ---- update ---------------------------------------------------------------------------

  /**
   * PUT: replaces the object (or creates it where the strategy allows). A body with
   * metadata.resourceVersion is a conditional update (409 when stale).
   */
  async update(
    info: ResourceInfo,
    namespace: string,
    name: string,
    body: KubeObject,
    opts: WriteOptions,
  ): Promise<{ object: KubeObject; created: boolean }> {
    const obj = this.toStored(info, cloneJson(body));
    obj.metadata ??= {};
    if ((obj.metadata.name ?? '') !== name) {
      throw newBadRequest(
        `the name of the object (${obj.metadata.name ?? ''}) does not match the name on the URL (${name})`,
      );
    }
    if (info.namespaced && obj.metadata.namespace && obj.metadata.namespace !== namespace) {
      throw newBadRequest('the namespace of the provided object does not match the namespace sent on the request');
    }
    const existing = await this.store.get(this.key(info, namespace, name));
    if (!existing) {
      if (info.strategy.allowCreateOnUpdate && opts.subresource === '') {
        const copy = cloneJson(body);
        delete copy.metadata.resourceVersion;
        return { object: await this.create(info, namespace, copy, opts), created: true };
      }
      throw newNotFound(qualifiedResource(info), name);
    }
    const strategy = this.strategyFor(info, opts.subresource);
    if (!obj.metadata.resourceVersion && !strategy.allowUnconditionalUpdate) {
      throw newInvalid(
        info.kind,
        name,
        [{ type: 'Required value', field: 'metadata.resourceVersion', detail: 'must be specified for an update' }],
        info.group,
      );
    }
    return { object: await this.updateExisting(info, namespace, obj, existing, opts), created: false };
  }

  strategyFor(info: ResourceInfo, subresource: string): Strategy {
    if (subresource === '') {
      return info.strategy;
    }
    const sub = info.subresources.find((s) => s.name === subresource);
    if (!sub?.strategy) {
      throw newNotFound(qualifiedResource(info), subresource);
    }
    return sub.strategy;
  }

  /**
   * The update path shared by PUT and PATCH: `obj` (stored form) replaces `existing`.
   * obj.metadata.resourceVersion, when set, must equal the stored one (409 otherwise).
   */
  async updateExisting(
    info: ResourceInfo,
    namespace: string,
    obj: KubeObject,
    existing: KubeObject,
    opts: WriteOptions,
  ): Promise<KubeObject> {
    const name = existing.metadata.name!;
    const rv = parseRevision(obj.metadata.resourceVersion);
    const existingRv = parseRevision(existing.metadata.resourceVersion)!;
    if (rv !== undefined && rv !== existingRv) {
      throw newConflict(qualifiedResource(info), name, OBJECT_MODIFIED_MSG);
    }
    const strategy = this.strategyFor(info, opts.subresource);
    const meta = obj.metadata;
    const old = existing.metadata;
    if (info.namespaced) {
      meta.namespace = namespace;
    } else {
      delete meta.namespace;
    }
    // rest.BeforeUpdate: generation, uid, creationTimestamp and the deletion fields are the server's.
    if (old.generation !== undefined) {
      meta.generation = old.generation;
    } else {
      delete meta.generation;
    }
    let prepared = obj;
    // Every write is decoded and so defaulted, status writes included (the main strategy's rules).
    if (info.strategy.defaults) {
      prepared = info.strategy.defaults(prepared, false);
    }
    strategy.prepareForUpdate?.(prepared, existing, this.ctx(opts));
    const pm = prepared.metadata;
    pm.uid ||= old.uid;
    if (old.creationTimestamp) {
      pm.creationTimestamp = old.creationTimestamp;
    }
    if (old.deletionTimestamp) {
      pm.deletionTimestamp = old.deletionTimestamp;
    } else {
      delete pm.deletionTimestamp;
    }
    if (old.deletionGracePeriodSeconds !== undefined) {
      pm.deletionGracePeriodSeconds = old.deletionGracePeriodSeconds;
    } else {
      delete pm.deletionGracePeriodSeconds;
    }
    if (
      opts.subresource === '' &&
      strategy.specField &&
      old.generation !== undefined &&
      specChanged(prepared, existing, strategy.specField)
    ) {
      pm.generation = old.generation + 1;
    }
    // Every strategy's update validation includes ValidateObjectMetaUpdate (immutable
    // name/uid/creationTimestamp, no new finalizers while deleting).
    const errs = uniqueErrors(
      strategy.validateUpdate ? strategy.validateUpdate(prepared, existing) : validateObjectMetaUpdate(pm, old),
    );
    if (errs.length > 0) {
      throw newInvalid(info.kind, name, errs, info.group);
    }
    opts.warnings.push(...(strategy.warningsOnUpdate?.(prepared, existing) ?? []));
    pm.resourceVersion = existing.metadata.resourceVersion;
    if (pm.managedFields === undefined && old.managedFields !== undefined) {
      // fieldmanager: an update that leaves managedFields out keeps the recorded ones.
      pm.managedFields = old.managedFields;
    }
    if (deepEqual(withoutVolatile(prepared), withoutVolatile(existing))) {
      // GuaranteedUpdate short-circuits an update that changes nothing: no new revision.
      return this.toServed(info, existing);
    }
    if (!opts.applied) {
      prepared = updateManagedFields(existing, prepared, {
        manager: opts.fieldManager,
        nowIso: this.nowIso(),
        subresource: opts.subresource || undefined,
      });
    }
    const key = this.key(info, namespace, name);
    // store.go shouldDeleteDuringUpdate: the last finalizer of an object already deleted
    // with grace 0 is gone: the update removes it.
    if (
      (pm.finalizers ?? []).length === 0 &&
      (old.finalizers ?? []).length > 0 &&
      old.deletionGracePeriodSeconds === 0
    ) {
      if (opts.dryRun) {
        return this.toServed(info, prepared);
      }
      const last = await this.store.delete(key, existingRv);
      this.hooks.onRemoved?.(info, last);
      return this.toServed(info, last);
    }
    if (opts.dryRun) {
      return this.toServed(info, prepared);
    }
    return this.toServed(info, await this.store.update(key, prepared, existingRv));
  }

  /**
   * The read-modify-write loop of PATCH (handlers/patch.go): `mutate` turns the current
   * served object (undefined when absent) into the new one. A result that carries the
   * current resourceVersion is retried on a store conflict; one whose patch set another
   * resourceVersion fails with 409. `create` handles the absent case (apply); without it
   * an absent object is 404.
   */
  async patch(
    info: ResourceInfo,
    namespace: string,
    name: string,
    mutate: (current: KubeObject) => Promise<KubeObject>,
    opts: WriteOptions,
    create?: () => Promise<KubeObject>,
  ): Promise<{ object: KubeObject; created: boolean }> {
    for (let attempt = 1; ; attempt++) {
      const existing = await this.store.get(this.key(info, namespace, name));
      if (!existing) {
        if (create && opts.subresource === '') {
          try {
            return { object: await this.create(info, namespace, await create(), opts), created: true };
          } catch (e) {
            if (isStatusError(e, 'AlreadyExists') && attempt < MAX_CONFLICT_RETRIES) {
              continue;
            }
            throw e;
          }
        }
        throw newNotFound(qualifiedResource(info), name);
      }
      const current = this.toServed(info, cloneJson(existing));
      const patched = await mutate(cloneJson(current));
      if (patched === null || typeof patched !== 'object' || Array.isArray(patched)) {
        throw newBadRequest('the patch did not produce an object');
      }
      patched.metadata ??= {};
      const patchSetVersion =
        patched.metadata.resourceVersion !== undefined &&
        patched.metadata.resourceVersion !== existing.metadata.resourceVersion;
      if (patched.metadata.resourceVersion === undefined) {
        patched.metadata.resourceVersion = existing.metadata.resourceVersion;
      }
      const obj = this.toStored(info, patched);
      try {
        return { object: await this.updateExisting(info, namespace, obj, existing, opts), created: false };
      } catch (e) {
        if (isStatusError(e, 'Conflict') && !patchSetVersion && attempt < MAX_CONFLICT_RETRIES) {
          continue;
        }
        throw e;
      }
    }
  }

  // ---- delete ---------------------------------------------------------------------------

  async delete(
    info: ResourceInfo,
    namespace: string,
    name: string,
    options: DeleteOptions,
    opts: WriteOptions,
  ): Promise<DeleteResult> {
    for (let attempt = 1; ; attempt++) {
      const existing = await this.getStored(info, namespace, name);
      try {
        return await this.deleteExisting(info, namespace, existing, { ...options }, opts);
      } catch (e) {
        if (isStatusError(e, 'Conflict') && !options.preconditions?.resourceVersion && attempt < MAX_CONFLICT_RETRIES) {
          continue;
        }
        if (isStatusError(e, 'NotFound')) {
          throw newNotFound(qualifiedResource(info), name);
        }
        throw e;
      }
    }
  }

  private checkPreconditions(info: ResourceInfo, existing: KubeObject, options: DeleteOptions): void {
    const p = options.preconditions;
    const name = existing.metadata.name!;
    if (p?.uid && p.uid !== existing.metadata.uid) {
      throw newConflict(
        qualifiedResource(info),
        name,
        `Precondition failed: UID in precondition: ${p.uid}, UID in object meta: ${existing.metadata.uid ?? ''}`,
      );
    }
    if (p?.resourceVersion && p.resourceVersion !== existing.metadata.resourceVersion) {
      throw newConflict(
        qualifiedResource(info),
        name,
        `Precondition failed: ResourceVersion in precondition: ${p.resourceVersion}, ResourceVersion in object meta: ${existing.metadata.resourceVersion ?? ''}`,
      );
    }
  }

  private async deleteExisting(
    info: ResourceInfo,
    namespace: string,
    existing: KubeObject,
    options: DeleteOptions,
    opts: WriteOptions,
  ): Promise<DeleteResult> {
    this.checkPreconditions(info, existing, options);
    if (this.hooks.admitDelete) {
      await this.hooks.admitDelete(info, existing);
    }
    const name = existing.metadata.name!;
    const key = this.key(info, namespace, name);
    const rv = parseRevision(existing.metadata.resourceVersion)!;
    const obj = cloneJson(existing);
    const meta = obj.metadata;
    const hasFinalizers = (meta.finalizers ?? []).length > 0;
    const nowMs = this.clock.now();

    // rest.BeforeDelete.
    let graceful = false;
    let pending = false;
    if (meta.deletionTimestamp) {
      // Already being deleted: only a shorter grace period changes anything.
      if (meta.deletionGracePeriodSeconds === undefined || meta.deletionGracePeriodSeconds === 0) {
        graceful = false;
      } else if (
        options.gracePeriodSeconds !== undefined &&
        options.gracePeriodSeconds < meta.deletionGracePeriodSeconds
      ) {
        const start = Date.parse(meta.deletionTimestamp) - meta.deletionGracePeriodSeconds * 1000;
        meta.deletionTimestamp = rfc3339(start + options.gracePeriodSeconds * 1000);
        meta.deletionGracePeriodSeconds = options.gracePeriodSeconds;
        graceful = true;
      } else {
        pending = true;
      }
    } else if (info.strategy.checkGracefulDelete?.(obj, options)) {
      const grace = options.gracePeriodSeconds ?? 0;
      meta.deletionTimestamp = rfc3339(nowMs + grace * 1000);
      meta.deletionGracePeriodSeconds = grace;
      if (meta.generation !== undefined && meta.generation > 0) {
        meta.generation += 1;
      }
      graceful = true;
    }
    if (pending) {
      return { body: this.toServed(info, existing), removed: false, object: this.toServed(info, existing) };
    }
    // store.go updateForGracefulDeletionAndFinalizers: with finalizers the object stays
    // (marked as deleting: deletionTimestamp now, grace 0 when not graceful); a graceful
    // delete with a period left keeps it too; otherwise it is removed.
    const keep = hasFinalizers || (graceful && (meta.deletionGracePeriodSeconds ?? 0) > 0);
    if (keep) {
      if (!meta.deletionTimestamp) {
        meta.deletionTimestamp = rfc3339(nowMs);
        meta.deletionGracePeriodSeconds = 0;
      }
      if (deepEqual(obj, existing)) {
        return { body: this.toServed(info, existing), removed: false, object: this.toServed(info, existing) };
      }
      if (opts.dryRun) {
        return { body: this.toServed(info, obj), removed: false, object: this.toServed(info, obj) };
      }
      const updated = await this.store.update(key, obj, rv);
      const served = this.toServed(info, updated);
      return { body: served, removed: false, object: served };
    }
    const last = opts.dryRun ? obj : await this.store.delete(key, rv);
    if (!opts.dryRun) {
      this.hooks.onRemoved?.(info, last);
    }
    const served = this.toServed(info, last);
    if (info.returnDeletedObject) {
      return { body: served, removed: true, object: served };
    }
    const status: Status = {
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Success',
      details: { name, group: info.group || undefined, kind: info.plural, uid: last.metadata.uid },
    };
    if (!status.details!.group) {
      delete status.details!.group;
    }
    return { body: status, removed: true, object: served };
  }

  /** DELETE on a collection: deletes every matching object; answers the list of them. */
  async deleteCollection(
    info: ResourceInfo,
    namespace: string,
    filter: ((obj: KubeObject) => boolean) | undefined,
    options: DeleteOptions,
    opts: WriteOptions,
  ): Promise<KubeObject[]> {
    const { items } = await this.store.list(this.prefix(info, namespace), { filter });
    const out: KubeObject[] = [];
    for (const item of items) {
      try {
        const r = await this.delete(info, item.metadata.namespace ?? '', item.metadata.name!, { ...options }, opts);
        out.push(r.object);
      } catch (e) {
        // An object removed by someone else meanwhile is already gone: that is fine.
        if (!isStatusError(e, 'NotFound')) {
          throw e;
        }
      }
    }
    return out;
  }
}
