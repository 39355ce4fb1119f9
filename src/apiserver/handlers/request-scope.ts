// What every resource handler gets: the parsed request and the server's parts
// (k8s.io/apiserver/pkg/endpoints/handlers.RequestScope, trimmed).
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Clock } from '../../lib/clock.js';
import type { Store } from '../../store/store.js';
import type { NamespaceLifecycle } from '../namespace/namespace-lifecycle.js';
import type { RestRegistry } from '../registry/rest-registry.js';
import type { ResourceInfo } from '../registry/resource-info.js';
import type { PodStreams } from '../streams/pod-streams.js';

export interface ServerParts {
  store: Store;
  clock: Clock;
  registry: RestRegistry;
  namespaces: NamespaceLifecycle;
  podStreams?: PodStreams;
  maxBodyBytes: number;
  bookmarkIntervalMs: number;
  /** Registers a long-running stream's stop function; returns its unregister. */
  track: (stop: () => void) => () => void;
}

export interface RequestScope {
  req: IncomingMessage;
  res: ServerResponse;
  query: URLSearchParams;
  info: ResourceInfo;
  namespace: string;
  name: string;
  subresource: string;
  /** Collected `Warning:` texts. */
  warnings: string[];
  parts: ServerParts;
}
