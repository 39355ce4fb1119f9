// The one typed API client every component uses (ARCHITECTURE.md: "Everything is an
// API client"): the role of client-go's kubernetes.Clientset.
import type {
  Binding,
  ConfigMap,
  Event,
  KubeObject,
  Lease,
  Namespace,
  Node,
  Pod,
  Secret,
  Status,
} from '../api/types/index.js';
import { HttpTransport } from './http-transport.js';
import type { ClientConfig } from './http-transport.js';
import { ResourceClient } from './resource-client.js';
import { CONFIG_MAPS, EVENTS, LEASES, NAMESPACES, NODES, PODS, SECRETS } from './resources.js';
import type { ResourceDescriptor } from './resources.js';

export class ApiClient {
  readonly transport: HttpTransport;
  readonly pods: ResourceClient<Pod>;
  readonly nodes: ResourceClient<Node>;
  readonly namespaces: ResourceClient<Namespace>;
  readonly events: ResourceClient<Event>;
  readonly leases: ResourceClient<Lease>;
  readonly configMaps: ResourceClient<ConfigMap>;
  readonly secrets: ResourceClient<Secret>;

  constructor(cfg: ClientConfig) {
    this.transport = new HttpTransport(cfg);
    this.pods = this.resource(PODS);
    this.nodes = this.resource(NODES);
    this.namespaces = this.resource(NAMESPACES);
    this.events = this.resource(EVENTS);
    this.leases = this.resource(LEASES);
    this.configMaps = this.resource(CONFIG_MAPS);
    this.secrets = this.resource(SECRETS);
  }

  /** A typed client for any descriptor (e.g. a resource added later). */
  resource<T extends KubeObject>(d: ResourceDescriptor<T>): ResourceClient<T> {
    return new ResourceClient<T>(this.transport, d);
  }

  /**
   * Assigns a pod to a node through the pods/binding subresource, as the scheduler
   * does (pkg/scheduler/framework/plugins/defaultbinder/default_binder.go). Fails with
   * 409 Conflict if the pod is already bound.
   */
  bind(namespace: string, name: string, nodeName: string, uid?: string): Promise<Status> {
    const binding: Binding = {
      apiVersion: 'v1',
      kind: 'Binding',
      metadata: { name, namespace, ...(uid ? { uid } : {}) },
      target: { apiVersion: 'v1', kind: 'Node', name: nodeName },
    };
    return this.pods.createSubresource<Binding, Status>(namespace, name, 'binding', binding);
  }

  /** Drops idle keep-alive sockets (open watches end when their owners stop them). */
  close(): void {
    this.transport.close();
  }
}
