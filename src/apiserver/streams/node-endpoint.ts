// Where a node's agent serves streams: kube-apiserver's node connection info
// (pkg/kubelet/client/kubelet_client.go#NodeConnectionInfoGetter) takes the
// first node address of the preferred types and the port the kubelet reported
// in status.daemonEndpoints.kubeletEndpoint.Port. podbay prefers IPs (its
// Hostname address is the node name, which need not resolve).
import { StatusError } from '../../api/errors.js';
import type { Node } from '../../api/types/index.js';

const PREFERRED_ADDRESS_TYPES = ['InternalIP', 'ExternalIP', 'InternalDNS', 'ExternalDNS', 'Hostname'];

export interface NodeEndpoint {
  host: string;
  port: number;
}

function unavailable(message: string): StatusError {
  return new StatusError({
    kind: 'Status',
    apiVersion: 'v1',
    metadata: {},
    status: 'Failure',
    message,
    reason: 'ServiceUnavailable',
    code: 503,
  });
}

export function nodeStreamEndpoint(node: Node): NodeEndpoint {
  const name = node.metadata.name ?? '';
  const addresses = node.status?.addresses ?? [];
  let host: string | undefined;
  for (const type of PREFERRED_ADDRESS_TYPES) {
    host = addresses.find((a) => a.type === type && a.address)?.address;
    if (host) {
      break;
    }
  }
  if (!host) {
    throw unavailable(`no preferred addresses found; known addresses: [] for node "${name}"`);
  }
  const port = node.status?.daemonEndpoints?.kubeletEndpoint?.Port ?? 0;
  if (!(port > 0 && port < 65536)) {
    throw unavailable(`node "${name}" reports no agent stream port (status.daemonEndpoints.kubeletEndpoint.Port)`);
  }
  return { host, port };
}
