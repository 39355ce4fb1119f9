// Namespaces' life, which kube-apiserver splits between the NamespaceLifecycle admission
// plugin (plugin/pkg/admission/namespace/lifecycle/admission.go), the namespace REST
// storage (pkg/registry/core/namespace/storage/storage.go) and the namespace controller
// (pkg/controller/namespace/deletion/namespaced_resources_deleter.go); podbay has no
// controller manager for it, so the apiserver does all three:
// - the system namespaces exist from the start; default, kube-system and kube-public
//   cannot be deleted;
// - nothing is created in a missing namespace (404) or one being deleted (403);
// - DELETE marks the namespace Terminating; then every object in it is deleted (pods
//   gracefully, so a running pod stays until its node agent confirms), and once the
//   namespace is empty its `kubernetes` finalizer is removed and it goes away.
import { StatusError, isStatusError, newConflict, newForbidden, newNotFound } from '../../api/errors.js';
import type { DeleteOptions, KubeObject, Namespace } from '../../api/types/index.js';
import type { Clock } from '../../lib/clock.js';
import { rfc3339 } from '../../lib/clock.js';
import type { Store } from '../../store/store.js';
import { objectKey } from '../../store/store.js';
import type { DeleteResult, RestRegistry, WriteOptions } from '../registry/rest-registry.js';
import type { ResourceInfo } from '../registry/resource-info.js';
import { RESOURCES } from '../registry/resources.js';
import { NAMESPACE_FINALIZER } from '../registry/strategies/namespace-strategy.js';

/** Created at start (kube-apiserver's system namespaces controller + kube-node-lease). */
export const SYSTEM_NAMESPACES = ['default', 'kube-system', 'kube-public', 'kube-node-lease'];
/** lifecycle/admission.go immortalNamespaces. */
const IMMORTAL_NAMESPACES = new Set(['default', 'kube-system', 'kube-public']);

const NAMESPACES = RESOURCES.find((r) => r.plural === 'namespaces' && r.group === '')!;
/** Every namespaced resource once (views of the same storage left out). */
const NAMESPACED = RESOURCES.filter((r) => r.namespaced && !r.view);

const CONTROLLER_OPTS = (): WriteOptions => ({
  dryRun: false,
  fieldManager: 'namespace-controller',
  warnings: [],
  subresource: '',
});

export class NamespaceLifecycle {
  private readonly running = new Map<string, Promise<void>>();
  private readonly again = new Set<string>();
  private registry!: RestRegistry;

  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
    private readonly onError: (e: unknown) => void = () => {},
  ) {}

  attach(registry: RestRegistry): void {
    this.registry = registry;
  }

  private key(name: string): string {
    return objectKey('namespaces', undefined, name);
  }

  /** Creates the system namespaces that are missing and resumes unfinished deletions. */
  async bootstrap(): Promise<void> {
    for (const name of SYSTEM_NAMESPACES) {
      if (!(await this.store.get(this.key(name)))) {
        try {
          await this.registry.create(
            NAMESPACES,
            '',
            { apiVersion: 'v1', kind: 'Namespace', metadata: { name } },
            {
              ...CONTROLLER_OPTS(),
              fieldManager: 'kube-apiserver',
            },
          );
        } catch (e) {
          if (!isStatusError(e, 'AlreadyExists')) {
            throw e;
          }
        }
      }
    }
    const { items } = await this.store.list('/namespaces/');
    for (const ns of items as Namespace[]) {
      if (ns.metadata.deletionTimestamp) {
        this.schedule(ns.metadata.name!);
      }
    }
  }

  /** Admission for creates: the namespace must exist and not be terminating. */
  async admitCreate(info: ResourceInfo, obj: KubeObject): Promise<void> {
    if (!info.namespaced) {
      return;
    }
    const nsName = obj.metadata.namespace ?? '';
    const ns = (await this.store.get(this.key(nsName))) as Namespace | undefined;
    if (!ns) {
      throw newNotFound('namespaces', nsName);
    }
    if (ns.status?.phase === 'Terminating' || ns.metadata.deletionTimestamp) {
      const resource = info.group ? `${info.plural}.${info.group}` : info.plural;
      const err = newForbidden(
        resource,
        // admission.NewForbidden names the object before name generation: name, else
        // generateName, else Unknown.
        obj.metadata.name || obj.metadata.generateName || 'Unknown',
        `unable to create new content in namespace ${nsName} because it is being terminated`,
      );
      err.status.details = {
        ...err.status.details,
        causes: [
          {
            reason: 'NamespaceTerminating',
            message: `namespace ${nsName} is being terminated`,
            field: 'metadata.namespace',
          },
        ],
      };
      throw err;
    }
  }

  /** After an object left the store: a terminating namespace may now be empty. */
  onRemoved(info: ResourceInfo, obj: KubeObject): void {
    if (!info.namespaced || !obj.metadata.namespace) {
      return;
    }
    const nsName = obj.metadata.namespace;
    void this.store.get(this.key(nsName)).then((ns) => {
      if (ns?.metadata.deletionTimestamp) {
        this.schedule(nsName);
      }
    }, this.onError);
  }

  /**
   * DELETE /api/v1/namespaces/<name>: marks the namespace Terminating (the storage's
   * Delete when spec.finalizers is not empty) and starts emptying it.
   */
  async deleteNamespace(name: string, options: DeleteOptions, opts: WriteOptions): Promise<DeleteResult> {
    const existing = (await this.store.get(this.key(name))) as Namespace | undefined;
    if (!existing) {
      throw newNotFound('namespaces', name);
    }
    const p = options.preconditions;
    if (p?.uid && p.uid !== existing.metadata.uid) {
      throw newConflict(
        'namespaces',
        name,
        `Precondition failed: UID in precondition: ${p.uid}, UID in object meta: ${existing.metadata.uid ?? ''}`,
      );
    }
    if (p?.resourceVersion && p.resourceVersion !== existing.metadata.resourceVersion) {
      throw newConflict(
        'namespaces',
        name,
        `Precondition failed: ResourceVersion in precondition: ${p.resourceVersion}, ResourceVersion in object meta: ${existing.metadata.resourceVersion ?? ''}`,
      );
    }
    if (IMMORTAL_NAMESPACES.has(name)) {
      throw newForbidden('namespaces', name, 'this namespace may not be deleted');
    }
    if (existing.metadata.deletionTimestamp) {
      return { body: existing, removed: false, object: existing };
    }
    if ((existing.spec?.finalizers ?? []).length === 0) {
      return this.registry.delete(NAMESPACES, '', name, options, opts);
    }
    const updated: Namespace = structuredClone(existing);
    updated.metadata.deletionTimestamp = rfc3339(this.clock.now());
    updated.metadata.deletionGracePeriodSeconds = 0;
    updated.status = { ...updated.status, phase: 'Terminating' };
    if (opts.dryRun) {
      return { body: updated, removed: false, object: updated };
    }
    const stored = await this.store.update(this.key(name), updated, Number(existing.metadata.resourceVersion));
    this.schedule(name);
    return { body: stored, removed: false, object: stored };
  }

  /** Runs a deletion pass for a namespace if it is terminating (after namespaces/finalize). */
  resume(name: string): void {
    void this.store.get(this.key(name)).then((ns) => {
      if (ns?.metadata.deletionTimestamp) {
        this.schedule(name);
      }
    }, this.onError);
  }

  /** Resolves when no namespace deletion is in progress (for tests). */
  async idle(): Promise<void> {
    while (this.running.size > 0) {
      await Promise.all([...this.running.values()]);
    }
  }

  private schedule(name: string): void {
    if (this.running.has(name)) {
      this.again.add(name);
      return;
    }
    const run = (async () => {
      do {
        this.again.delete(name);
        try {
          await this.finalize(name);
        } catch (e) {
          this.onError(e);
        }
      } while (this.again.has(name));
    })();
    this.running.set(name, run);
    void run.finally(() => this.running.delete(name));
  }

  /** One pass of the namespace controller's deleter over a terminating namespace. */
  private async finalize(name: string): Promise<void> {
    let remaining = 0;
    for (const info of NAMESPACED) {
      const { items } = await this.store.list(this.registry.prefix(info, name));
      for (const obj of items) {
        remaining++;
        if (obj.metadata.deletionTimestamp && (obj.metadata.finalizers ?? []).length > 0) {
          continue; // waiting for its finalizers
        }
        if (obj.metadata.deletionTimestamp && (obj.metadata.deletionGracePeriodSeconds ?? 0) > 0) {
          continue; // graceful deletion in progress (a pod waiting for its node agent)
        }
        try {
          const r = await this.registry.delete(info, name, obj.metadata.name!, {}, CONTROLLER_OPTS());
          if (r.removed) {
            remaining--;
          }
        } catch (e) {
          if (isStatusError(e, 'NotFound')) {
            remaining--;
          } else {
            throw e;
          }
        }
      }
    }
    if (remaining > 0) {
      return;
    }
    for (let attempt = 0; attempt < 8; attempt++) {
      const ns = (await this.store.get(this.key(name))) as Namespace | undefined;
      if (!ns) {
        return;
      }
      try {
        const finalizers = (ns.spec?.finalizers ?? []).filter((f) => f !== NAMESPACE_FINALIZER);
        if (finalizers.length === 0 && (ns.metadata.finalizers ?? []).length === 0) {
          await this.store.delete(this.key(name), Number(ns.metadata.resourceVersion));
        } else if (finalizers.length !== (ns.spec?.finalizers ?? []).length) {
          const updated = structuredClone(ns);
          updated.spec = { ...updated.spec, finalizers };
          await this.store.update(this.key(name), updated, Number(ns.metadata.resourceVersion));
        }
        return;
      } catch (e) {
        if (!(e instanceof StatusError && e.reason === 'Conflict')) {
          throw e;
        }
      }
    }
  }
}
