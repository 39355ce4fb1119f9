// An in-memory RegistrationClient: nodes, leases and namespaces with
// resourceVersion checks and the apiserver's error kinds, recording each write.
import { newAlreadyExists, newConflict, newNotFound } from '../../../api/errors.js';
import type { KubeObject, Lease, Namespace, Node } from '../../../api/types/index.js';
import type { RegistrationClient } from '../node-registration.js';

export type Write = [verb: string, key: string];

class Table<T extends KubeObject> {
  readonly objects = new Map<string, T>();
  /** Answers the next call with this error (once per entry). */
  failNext: Error[] = [];
  constructor(
    private readonly resource: string,
    private readonly writes: Write[],
    private readonly nextRv: () => string,
    private readonly hasNamespace: (ns: string) => boolean,
  ) {}

  private key(ns: string | undefined, name: string): string {
    return ns ? `${ns}/${name}` : name;
  }
  private maybeFail(): void {
    const e = this.failNext.shift();
    if (e) {
      throw e;
    }
  }
  async get(ns: string | undefined, name: string): Promise<T> {
    this.maybeFail();
    const o = this.objects.get(this.key(ns, name));
    if (!o) {
      throw newNotFound(this.resource, name);
    }
    return structuredClone(o);
  }
  async create(ns: string | undefined, obj: T): Promise<T> {
    this.maybeFail();
    const name = obj.metadata.name ?? '';
    const k = this.key(ns, name);
    if (ns && !this.hasNamespace(ns)) {
      throw newNotFound('namespaces', ns);
    }
    if (this.objects.has(k)) {
      throw newAlreadyExists(this.resource, name);
    }
    const saved = structuredClone({
      ...obj,
      metadata: {
        ...obj.metadata,
        ...(ns ? { namespace: ns } : {}),
        uid: `uid-${name}`,
        resourceVersion: this.nextRv(),
      },
    });
    this.objects.set(k, saved);
    this.writes.push(['create', `${this.resource}/${k}`]);
    return structuredClone(saved);
  }
  private async put(verb: string, obj: T, merge: (old: T, next: T) => T): Promise<T> {
    this.maybeFail();
    const k = this.key(obj.metadata.namespace, obj.metadata.name ?? '');
    const old = this.objects.get(k);
    if (!old) {
      throw newNotFound(this.resource, obj.metadata.name ?? '');
    }
    if (obj.metadata.resourceVersion && obj.metadata.resourceVersion !== old.metadata.resourceVersion) {
      throw newConflict(this.resource, obj.metadata.name ?? '', 'the object has been modified');
    }
    const saved = merge(old, structuredClone(obj));
    saved.metadata = { ...saved.metadata, resourceVersion: this.nextRv() };
    this.objects.set(k, saved);
    this.writes.push([verb, `${this.resource}/${k}`]);
    return structuredClone(saved);
  }
  update(obj: T): Promise<T> {
    return this.put('update', obj, (old, next) => ({
      ...next,
      ...('status' in old ? { status: (old as { status?: unknown }).status } : {}),
    }));
  }
  updateStatus(obj: T): Promise<T> {
    return this.put('updateStatus', obj, (old, next) => ({ ...old, status: (next as { status?: unknown }).status }));
  }
}

export class FakeRegistrationClient implements RegistrationClient {
  readonly writes: Write[] = [];
  private rv = 0;
  private readonly namespaceSet = new Set<string>(['default', 'kube-node-lease']);
  readonly nodes: Table<Node>;
  readonly leases: Table<Lease>;
  readonly namespaces: { create(ns: string | undefined, obj: Namespace): Promise<Namespace> };

  constructor(opts: { withLeaseNamespace?: boolean } = {}) {
    const next = () => String(++this.rv);
    if (opts.withLeaseNamespace === false) {
      this.namespaceSet.delete('kube-node-lease');
    }
    const has = (ns: string) => this.namespaceSet.has(ns);
    this.nodes = new Table<Node>('nodes', this.writes, next, has);
    this.leases = new Table<Lease>('leases.coordination.k8s.io', this.writes, next, has);
    this.namespaces = {
      create: async (_ns, obj) => {
        this.namespaceSet.add(obj.metadata.name ?? '');
        this.writes.push(['create', `namespaces/${obj.metadata.name}`]);
        return obj;
      },
    };
  }

  node(name: string): Node | undefined {
    return this.nodes.objects.get(name);
  }
  lease(name: string): Lease | undefined {
    return this.leases.objects.get(`kube-node-lease/${name}`);
  }
}
