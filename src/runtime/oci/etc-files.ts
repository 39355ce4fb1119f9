// The per-pod /etc files every container of a pod bind-mounts: hosts (as the
// kubelet writes it: k8s pkg/kubelet/kubelet_pods.go#managedHostsFileContent
// and #nodeHostsFileContent), resolv.conf (as containerd writes it from the
// CRI DNSConfig: internal/cri/server/sandbox_run.go#parseDNSOptions) and
// hostname.
import type { DnsConfig } from '../runtime.js';

const MANAGED_HOSTS_HEADER = '# Kubernetes-managed hosts file.\n';
const MANAGED_HOSTS_HEADER_HOST_NETWORK = '# Kubernetes-managed hosts file (host network).\n';

export interface HostAlias {
  ip: string;
  hostnames: string[];
}

/** /etc/hosts of a pod with its own network namespace. */
export function managedHostsFileContent(
  podIps: string[],
  hostname: string,
  domain = '',
  aliases: HostAlias[] = [],
): string {
  let s = MANAGED_HOSTS_HEADER;
  s += '127.0.0.1\tlocalhost\n';
  s += '::1\tlocalhost ip6-localhost ip6-loopback\n';
  s += 'fe00::0\tip6-localnet\n';
  s += 'fe00::0\tip6-mcastprefix\n';
  s += 'fe00::1\tip6-allnodes\n';
  s += 'fe00::2\tip6-allrouters\n';
  for (const ip of podIps) {
    s += domain ? `${ip}\t${hostname}.${domain}\t${hostname}\n` : `${ip}\t${hostname}\n`;
  }
  return s + hostAliasesContent(aliases);
}

/** /etc/hosts of a hostNetwork pod: the node's own file under the managed header. */
export function nodeHostsFileContent(nodeHosts: string, aliases: HostAlias[] = []): string {
  const body = nodeHosts.endsWith('\n') || nodeHosts === '' ? nodeHosts : `${nodeHosts}\n`;
  return MANAGED_HOSTS_HEADER_HOST_NETWORK + body + hostAliasesContent(aliases);
}

function hostAliasesContent(aliases: HostAlias[]): string {
  if (aliases.length === 0) {
    return '';
  }
  return '\n# Entries added by HostAliases.\n' + aliases.map((a) => `${a.ip}\t${a.hostnames.join('\t')}\n`).join('');
}

/** resolv.conf from the CRI DNSConfig: search, nameservers, options. */
export function resolvConfContent(dns: DnsConfig): string {
  let s = '';
  if (dns.searches.length > 0) {
    s += `search ${dns.searches.join(' ')}\n`;
  }
  for (const server of dns.servers) {
    s += `nameserver ${server}\n`;
  }
  if (dns.options.length > 0) {
    s += `options ${dns.options.join(' ')}\n`;
  }
  return s;
}
