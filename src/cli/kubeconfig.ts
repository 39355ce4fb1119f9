import { parse, stringify } from 'yaml';

/** The name of the cluster, user and context of a podbay kubeconfig. */
export const KUBECONFIG_CONTEXT = 'podbay';

export interface KubeconfigInput {
  server: string;
  caCertPem: string;
  token: string;
}

/**
 * A kubeconfig (clientcmd v1) with one cluster, user and context, all named `podbay`:
 * the CA inline as certificate-authority-data and the admin bearer token, the two
 * things kubectl and @kubernetes/client-node need for https + token
 * (kubectl-contract.md "Transports tried").
 */
export function renderKubeconfig(input: KubeconfigInput): string {
  return stringify({
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [
      {
        name: KUBECONFIG_CONTEXT,
        cluster: {
          server: input.server,
          'certificate-authority-data': Buffer.from(input.caCertPem, 'utf8').toString('base64'),
        },
      },
    ],
    users: [{ name: KUBECONFIG_CONTEXT, user: { token: input.token } }],
    contexts: [
      {
        name: KUBECONFIG_CONTEXT,
        context: { cluster: KUBECONFIG_CONTEXT, user: KUBECONFIG_CONTEXT, namespace: 'default' },
      },
    ],
    'current-context': KUBECONFIG_CONTEXT,
    preferences: {},
  });
}

/** What `node join --kubeconfig` needs from a kubeconfig: its current context's cluster and token. */
export interface KubeconfigCredentials {
  server: string;
  caCertPem: string;
  token: string;
}

interface KubeconfigDoc {
  'current-context'?: string;
  contexts?: { name?: string; context?: { cluster?: string; user?: string } }[];
  clusters?: { name?: string; cluster?: { server?: string; 'certificate-authority-data'?: string } }[];
  users?: { name?: string; user?: { token?: string } }[];
}

/**
 * Reads the current context of a kubeconfig (the subset podbay writes: server,
 * inline CA, bearer token); names what is missing, as clientcmd's validation does.
 */
export function readKubeconfigCredentials(text: string, path: string): KubeconfigCredentials {
  let doc: KubeconfigDoc;
  try {
    doc = (parse(text) ?? {}) as KubeconfigDoc;
  } catch (e) {
    throw new Error(`invalid kubeconfig ${path}: ${e instanceof Error ? e.message : String(e)}`);
  }
  const ctxName = doc['current-context'];
  if (!ctxName) {
    throw new Error(`invalid kubeconfig ${path}: current-context is not set`);
  }
  const ctx = doc.contexts?.find((c) => c.name === ctxName)?.context;
  if (!ctx) {
    throw new Error(`invalid kubeconfig ${path}: context was not found for specified context: ${ctxName}`);
  }
  const cluster = doc.clusters?.find((c) => c.name === ctx.cluster)?.cluster;
  if (!cluster?.server) {
    throw new Error(`invalid kubeconfig ${path}: no server found for cluster "${String(ctx.cluster)}"`);
  }
  const token = doc.users?.find((u) => u.name === ctx.user)?.user?.token;
  if (!token) {
    throw new Error(`invalid kubeconfig ${path}: user "${String(ctx.user)}" has no token`);
  }
  const caData = cluster['certificate-authority-data'];
  if (!caData) {
    throw new Error(`invalid kubeconfig ${path}: cluster "${String(ctx.cluster)}" has no certificate-authority-data`);
  }
  return { server: cluster.server, caCertPem: Buffer.from(caData, 'base64').toString('utf8'), token };
}
