// One informer per resource for every component in a process (client-go's
// SharedInformerFactory): `podbay up` runs the scheduler, the controllers and agents
// together, and they share one pod cache and one watch instead of one each. Their
// caches hold objects without managedFields, as kube-controller-manager's do.
import type { Lease, Node, Pod } from '../api/types/index.js';
import type { Clock } from '../lib/clock.js';
import type { ApiClient } from './api-client.js';
import { Informer, stripManagedFields } from './informer.js';

export const NODE_LEASE_NAMESPACE = 'kube-node-lease';

export class SharedInformers {
  private podInformer: Informer<Pod> | undefined;
  private nodeInformer: Informer<Node> | undefined;
  private leaseInformer: Informer<Lease> | undefined;

  constructor(
    private readonly client: ApiClient,
    private readonly clock: Clock,
    private readonly onError?: (e: unknown) => void,
  ) {}

  /** All pods in all namespaces. Call start() on it (idempotent) to wait for its sync. */
  pods(): Informer<Pod> {
    this.podInformer ??= new Informer<Pod>(this.client.pods, {
      clock: this.clock,
      onError: this.onError,
      transform: stripManagedFields,
    });
    return this.podInformer;
  }

  nodes(): Informer<Node> {
    this.nodeInformer ??= new Informer<Node>(this.client.nodes, {
      clock: this.clock,
      onError: this.onError,
      transform: stripManagedFields,
    });
    return this.nodeInformer;
  }

  /** Leases in kube-node-lease (node heartbeats). */
  nodeLeases(): Informer<Lease> {
    this.leaseInformer ??= new Informer<Lease>(this.client.leases, {
      clock: this.clock,
      onError: this.onError,
      namespace: NODE_LEASE_NAMESPACE,
      transform: stripManagedFields,
    });
    return this.leaseInformer;
  }

  /** Stops every informer made here. */
  async stop(): Promise<void> {
    await Promise.all([this.podInformer?.stop(), this.nodeInformer?.stop(), this.leaseInformer?.stop()]);
  }
}
