import { stringify } from 'yaml';

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
