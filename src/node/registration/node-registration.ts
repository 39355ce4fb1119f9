// Registers the Node and keeps it fresh: k8s pkg/kubelet/kubelet_node_status.go
// (#registerWithAPIServer, #tryRegisterWithAPIServer, #syncNodeStatus,
// #tryUpdateNodeStatus) plus the node Lease (node-lease.ts).
//
//   start ─ register: create the Node (with its status); AlreadyExists → adopt the
//   │       existing one (re-adding missing well-known labels); errors retry with
//   │       backoff 100 ms doubling to 7 s
//   ├─ Lease: renewed every 10 s                      (the heartbeat)
//   └─ status: computed every 10 s (nodeStatusUpdateFrequency), posted when it
//      changed or 5 min after the last post (nodeStatusReportFrequency);
//      conflicts are retried up to 5 times (nodeStatusUpdateRetry)
//
// Events (kubectl describe node): `Starting` `Starting kubelet.`, then
// `<reason>` `Node <n> status is now: <reason>` when a condition first appears
// or changes (NodeHasSufficientMemory, NodeHasNoDiskPressure,
// NodeHasSufficientPID, NodeReady / NodeNotReady).
import { isStatusError } from '../../api/errors.js';
import type { Node, NodeAddress, NodeStatus, NodeSystemInfo, ObjectReference } from '../../api/types/index.js';
import type { Clock, Timer } from '../../lib/clock.js';
import type { ResourceClient } from '../../client/resource-client.js';
import type { Runtime, RuntimeStatus, VersionInfo } from '../../runtime/runtime.js';
import type { EventRecorderLike } from '../prober/event-recorder-like.js';
import { NodeLeaseController } from './node-lease.js';
import type { LeaseClient } from './node-lease.js';
import { SIM_NODE_CAPACITY, computeNodeStatus, initialNode, nodeStatusHasChanged } from './node-status.js';
import type { NodeCapacity } from './node-status.js';

/** nodeStatusUpdateFrequency. */
export const NODE_STATUS_UPDATE_FREQUENCY_MS = 10_000;
/** nodeStatusReportFrequency. */
export const NODE_STATUS_REPORT_FREQUENCY_MS = 5 * 60_000;
/** nodeStatusUpdateRetry. */
const NODE_STATUS_UPDATE_RETRY = 5;
/** kubelet_node_status.go#registerWithAPIServer: step 100 ms, ×2, max 7 s. */
const REGISTER_BACKOFF_START_MS = 100;
const REGISTER_BACKOFF_MAX_MS = 7_000;
/** nodeStatusMaxImages. */
const MAX_IMAGES = 50;

export interface RegistrationClient extends LeaseClient {
  nodes: Pick<ResourceClient<Node>, 'get' | 'create' | 'update' | 'updateStatus'>;
}

export interface NodeRegistrationOptions {
  /** src/client's ApiClient (or anything with these verbs). */
  client: RegistrationClient;
  clock: Clock;
  nodeName: string;
  runtime: Pick<Runtime, 'version' | 'status' | 'listImages'>;
  /** Measured by the composition root for real nodes; a 4-core / 16 GiB / 100 GiB sim node by default. */
  capacity?: NodeCapacity;
  /** Default InternalIP 127.0.0.1 and Hostname = nodeName. */
  addresses?: NodeAddress[];
  /** daemonEndpoints.kubeletEndpoint.Port: the agent's stream server (logs, exec, port-forward). */
  streamPort?: number;
  /** Host facts (kernelVersion, osImage, machineID, bootID, architecture…) from the composition root. */
  systemInfo?: Partial<NodeSystemInfo>;
  recorder?: EventRecorderLike;
  /** A write that failed and will be retried. */
  onError?(e: unknown): void;
}

export interface NodeRegistration {
  /** Resolves with the Node once it is registered (never rejects; retries until stop()). */
  readonly registered: Promise<Node>;
  /** Computes the status now and posts it if needed (tests; the loop does it every 10 s). */
  syncNodeStatus(): Promise<void>;
  /** Resolves when no write is in flight. */
  idle(): Promise<void>;
  /** Stops the status loop and the Lease; idempotent. */
  stop(): void;
}

export function startNodeRegistration(opts: NodeRegistrationOptions): NodeRegistration {
  return new NodeRegistrar(opts);
}

const CONDITION_EVENTS: Record<string, Record<string, string>> = {
  MemoryPressure: { False: 'NodeHasSufficientMemory', True: 'NodeHasInsufficientMemory' },
  DiskPressure: { False: 'NodeHasNoDiskPressure', True: 'NodeHasDiskPressure' },
  PIDPressure: { False: 'NodeHasSufficientPID', True: 'NodeHasInsufficientPID' },
  Ready: { True: 'NodeReady', False: 'NodeNotReady' },
};

class NodeRegistrar implements NodeRegistration {
  readonly registered: Promise<Node>;
  private readonly lease: NodeLeaseController;
  private node: Node | undefined;
  private lastReportAt: number | undefined;
  private lastConditions = new Map<string, string>();
  private statusTimer: Timer | undefined;
  private inFlight: Promise<void> | undefined;
  private stopped = false;
  private wake: (() => void) | undefined;

  constructor(private readonly opts: NodeRegistrationOptions) {
    this.lease = new NodeLeaseController({
      client: opts.client,
      clock: opts.clock,
      nodeName: opts.nodeName,
      nodeUid: () => this.node?.metadata.uid,
      onError: (e) => opts.onError?.(e),
    });
    this.event('Starting', 'Starting kubelet.');
    this.registered = this.register();
    void this.registered.then(() => {
      if (this.stopped) {
        return;
      }
      this.lease.start();
      this.statusTick();
    });
  }

  stop(): void {
    this.stopped = true;
    this.statusTimer?.cancel();
    this.lease.stop();
    this.wake?.();
  }

  async idle(): Promise<void> {
    while (this.inFlight) {
      await this.inFlight;
    }
    await this.lease.idle();
  }

  async syncNodeStatus(): Promise<void> {
    if (!this.node || this.stopped) {
      return;
    }
    for (let i = 0; i < NODE_STATUS_UPDATE_RETRY; i++) {
      try {
        await this.tryUpdateNodeStatus();
        return;
      } catch (e) {
        if (!isStatusError(e, 'Conflict')) {
          this.opts.onError?.(e);
          return;
        }
      }
    }
  }

  private statusTick(): void {
    if (this.stopped) {
      return;
    }
    this.statusTimer = this.opts.clock.setTimer(NODE_STATUS_UPDATE_FREQUENCY_MS, () => this.statusTick());
    if (this.inFlight) {
      return;
    }
    this.inFlight = this.syncNodeStatus().finally(() => {
      this.inFlight = undefined;
    });
  }

  private async register(): Promise<Node> {
    let delay = REGISTER_BACKOFF_START_MS;
    for (;;) {
      const attempt = this.tryRegister();
      this.inFlight = attempt.then(
        () => undefined,
        () => undefined,
      );
      try {
        const node = await attempt;
        this.node = node;
        return node;
      } catch (e) {
        this.opts.onError?.(e);
      } finally {
        this.inFlight = undefined;
      }
      if (this.stopped) {
        return new Promise<Node>(() => undefined);
      }
      await new Promise<void>((resolve) => {
        const t = this.opts.clock.setTimer(delay, resolve);
        this.wake = () => {
          t.cancel();
          resolve();
        };
      });
      this.wake = undefined;
      delay = Math.min(delay * 2, REGISTER_BACKOFF_MAX_MS);
    }
  }

  private async tryRegister(): Promise<Node> {
    const status = await this.currentStatus(undefined);
    const node = initialNode(
      this.opts.nodeName,
      status,
      status.nodeInfo?.architecture,
      status.nodeInfo?.operatingSystem,
    );
    try {
      const created = await this.opts.client.nodes.create(undefined, node);
      // Not counted as a status report: the first sync right after posts the status (upstream order).
      this.conditionEvents(created.status ?? status);
      return created;
    } catch (e) {
      if (!isStatusError(e, 'AlreadyExists')) {
        throw e;
      }
    }
    // A node of this name exists (agent restart): adopt it, restoring the
    // well-known labels (updateDefaultLabels); the status loop refreshes the rest.
    const existing = await this.opts.client.nodes.get(undefined, this.opts.nodeName);
    const labels = { ...existing.metadata.labels };
    let changed = false;
    for (const [k, v] of Object.entries(node.metadata.labels ?? {})) {
      if (labels[k] !== v) {
        labels[k] = v;
        changed = true;
      }
    }
    if (!changed) {
      return existing;
    }
    return this.opts.client.nodes.update({ ...existing, metadata: { ...existing.metadata, labels } });
  }

  /** kubelet_node_status.go#tryUpdateNodeStatus. */
  private async tryUpdateNodeStatus(): Promise<void> {
    const original = await this.opts.client.nodes.get(undefined, this.opts.nodeName);
    const status = await this.currentStatus(original.status);
    const now = this.opts.clock.now();
    const reportDue = this.lastReportAt === undefined || now - this.lastReportAt >= NODE_STATUS_REPORT_FREQUENCY_MS;
    if (!reportDue && !nodeStatusHasChanged(original.status, status)) {
      this.node = original;
      return;
    }
    this.node = await this.opts.client.nodes.updateStatus({ ...original, status });
    this.reported(status);
  }

  private reported(status: NodeStatus): void {
    this.lastReportAt = this.opts.clock.now();
    this.conditionEvents(status);
  }

  private conditionEvents(status: NodeStatus): void {
    for (const c of status.conditions ?? []) {
      if (this.lastConditions.get(c.type) !== c.status) {
        this.lastConditions.set(c.type, c.status);
        const reason = CONDITION_EVENTS[c.type]?.[c.status];
        if (reason) {
          this.event(reason, `Node ${this.opts.nodeName} status is now: ${reason}`);
        }
      }
    }
  }

  private async currentStatus(previous: NodeStatus | undefined): Promise<NodeStatus> {
    const rt = this.opts.runtime;
    const [version, runtimeStatus, images] = await Promise.all([
      rt.version().catch((): VersionInfo | undefined => undefined),
      rt.status().catch((): RuntimeStatus | undefined => undefined),
      rt.listImages().catch(() => []),
    ]);
    return computeNodeStatus(
      {
        nodeName: this.opts.nodeName,
        capacity: this.opts.capacity ?? SIM_NODE_CAPACITY,
        addresses: this.opts.addresses ?? [
          { type: 'InternalIP', address: '127.0.0.1' },
          { type: 'Hostname', address: this.opts.nodeName },
        ],
        ...(this.opts.systemInfo ? { systemInfo: this.opts.systemInfo } : {}),
        runtimeVersion: version,
        runtimeStatus,
        streamPort: this.opts.streamPort ?? 10250,
        images: images
          .map((i) => ({ names: [...i.repoDigests, ...i.repoTags], sizeBytes: i.size }))
          .sort((a, b) => b.sizeBytes - a.sizeBytes)
          .slice(0, MAX_IMAGES),
      },
      previous,
      this.opts.clock.now(),
    );
  }

  /** The kubelet's node reference uses the node name as uid (kubelet.go nodeRef). */
  private event(reason: string, message: string): void {
    const ref: ObjectReference = {
      apiVersion: 'v1',
      kind: 'Node',
      name: this.opts.nodeName,
      uid: this.opts.nodeName,
      namespace: '',
    };
    this.opts.recorder?.event(ref, 'Normal', reason, message);
  }
}
