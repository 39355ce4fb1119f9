// The seam between the apiserver and the node agents for pods/log, /exec, /attach and
// /portforward. kube-apiserver answers these by proxying to the kubelet of the pod's
// node (pkg/registry/core/pod/rest/subresources.go, LogREST and the *Connect REST
// types); podbay's composition root passes an implementation that reaches the node
// agent. The apiserver has already checked that the pod exists, is bound to a node and
// names a valid container before calling it.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import type { Pod } from '../../api/types/index.js';

export type PodStreamSubresource = 'log' | 'exec' | 'attach' | 'portforward';

export interface PodStreamRequest {
  pod: Pod;
  subresource: PodStreamSubresource;
  /** The container the request is for (resolved by the apiserver; '' for portforward). */
  container: string;
  /** The request's query, unchanged (command=, stdin=, follow=, tailLines=, ports= …). */
  query: URLSearchParams;
}

export interface PodStreams {
  /**
   * Answers a plain HTTP request (pods/log): writes status, headers and body to res and
   * resolves when the answer is complete or the client went away (res 'close').
   */
  serve(r: PodStreamRequest, req: IncomingMessage, res: ServerResponse): Promise<void>;
  /**
   * Takes over an upgrade request (exec/attach/portforward over WebSocket or SPDY):
   * the socket and head are the implementation's from now on; it must end the socket.
   */
  upgrade(r: PodStreamRequest, req: IncomingMessage, socket: Duplex, head: Buffer): Promise<void>;
}
