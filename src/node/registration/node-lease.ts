// The node heartbeat Lease: k8s staging/src/k8s.io/component-helpers/apimachinery/lease/controller.go
// with the kubelet's settings (pkg/kubelet/kubelet.go: nodeLeaseDurationSeconds
// 40, renew interval 40 × 0.25 = 10 s, setNodeOwnerFunc).
//
//   every 10 s: PUT kube-node-lease/<node> with spec.renewTime = now
//   no lease yet (or it vanished / conflicted): GET, create it if absent
//   (holderIdentity = node, leaseDurationSeconds 40, owned by the Node so it
//   goes when the Node is deleted), then renew
// A failed renewal is retried at the next tick; the node-lifecycle controller
// only acts after 40 s without a renewal, i.e. after 4 missed ticks.
import { isStatusError } from '../../api/errors.js';
import type { Lease, Namespace } from '../../api/types/index.js';
import type { Clock, Timer } from '../../lib/clock.js';
import type { ResourceClient } from '../../client/resource-client.js';

export const NODE_LEASE_NAMESPACE = 'kube-node-lease';
export const NODE_LEASE_DURATION_SECONDS = 40;
/** DefaultRenewIntervalFraction 0.25 × 40 s. */
export const NODE_LEASE_RENEW_INTERVAL_MS = 10_000;
/** controller.go maxUpdateRetries. */
const MAX_UPDATE_RETRIES = 5;

export interface LeaseClient {
  leases: Pick<ResourceClient<Lease>, 'get' | 'create' | 'update'>;
  /** Used to create kube-node-lease when the server does not have it yet. */
  namespaces?: Pick<ResourceClient<Namespace>, 'create'>;
}

/** metav1.MicroTime: RFC 3339 with microseconds. */
export function microTime(ms: number): string {
  return new Date(ms).toISOString().replace(/\.(\d{3})Z$/, '.$1000Z');
}

export interface NodeLeaseOptions {
  client: LeaseClient;
  clock: Clock;
  nodeName: string;
  /** The Node's uid, for the owner reference (undefined until known). */
  nodeUid(): string | undefined;
  onError?(e: unknown): void;
}

export class NodeLeaseController {
  private latest: Lease | undefined;
  private timer: Timer | undefined;
  private inFlight: Promise<void> | undefined;
  private stopped = false;

  constructor(private readonly opts: NodeLeaseOptions) {}

  /** Renews now, then every 10 s until stop(). */
  start(): void {
    this.tick();
  }

  stop(): void {
    this.stopped = true;
    this.timer?.cancel();
  }

  /** Resolves when the renewal in flight (if any) is done. */
  async idle(): Promise<void> {
    while (this.inFlight) {
      await this.inFlight;
    }
  }

  private tick(): void {
    if (this.stopped) {
      return;
    }
    this.timer = this.opts.clock.setTimer(NODE_LEASE_RENEW_INTERVAL_MS, () => this.tick());
    if (this.inFlight) {
      return;
    }
    this.inFlight = this.sync().finally(() => {
      this.inFlight = undefined;
    });
  }

  /** One renewal (controller.go#sync). */
  async sync(): Promise<void> {
    for (let attempt = 0; attempt < MAX_UPDATE_RETRIES && !this.stopped; attempt++) {
      try {
        if (!this.latest) {
          const { lease, created } = await this.ensureLease();
          this.latest = lease;
          if (created) {
            return;
          }
        }
        this.latest = await this.opts.client.leases.update(this.renewed(this.latest));
        return;
      } catch (e) {
        this.latest = undefined;
        if (!isStatusError(e, 'Conflict') && !isStatusError(e, 'NotFound')) {
          this.opts.onError?.(e);
          return;
        }
      }
    }
  }

  private async ensureLease(): Promise<{ lease: Lease; created: boolean }> {
    const { client, nodeName } = this.opts;
    try {
      return { lease: await client.leases.get(NODE_LEASE_NAMESPACE, nodeName), created: false };
    } catch (e) {
      if (!isStatusError(e, 'NotFound')) {
        throw e;
      }
    }
    const fresh = this.renewed({
      apiVersion: 'coordination.k8s.io/v1',
      kind: 'Lease',
      metadata: { name: nodeName, namespace: NODE_LEASE_NAMESPACE },
    });
    try {
      return { lease: await client.leases.create(NODE_LEASE_NAMESPACE, fresh), created: true };
    } catch (e) {
      // The apiserver's system-namespaces controller normally creates
      // kube-node-lease; a bare server may not have it yet.
      if (isStatusError(e, 'NotFound') && client.namespaces) {
        await client.namespaces
          .create(undefined, { apiVersion: 'v1', kind: 'Namespace', metadata: { name: NODE_LEASE_NAMESPACE } })
          .catch((err: unknown) => {
            if (!isStatusError(err, 'AlreadyExists')) {
              throw err;
            }
          });
        return { lease: await client.leases.create(NODE_LEASE_NAMESPACE, fresh), created: true };
      }
      throw e;
    }
  }

  /** The lease with this node as holder, renewTime now, and the Node as owner once its uid is known. */
  private renewed(base: Lease): Lease {
    const uid = this.opts.nodeUid();
    const lease: Lease = {
      ...base,
      spec: {
        ...base.spec,
        holderIdentity: this.opts.nodeName,
        leaseDurationSeconds: NODE_LEASE_DURATION_SECONDS,
        renewTime: microTime(this.opts.clock.now()),
      },
    };
    if (uid && !(base.metadata.ownerReferences ?? []).some((r) => r.uid === uid)) {
      lease.metadata = {
        ...base.metadata,
        ownerReferences: [{ apiVersion: 'v1', kind: 'Node', name: this.opts.nodeName, uid }],
      };
    }
    return lease;
  }
}
