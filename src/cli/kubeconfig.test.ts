import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parse } from 'yaml';
import { renderKubeconfig } from './kubeconfig.js';

test('a kubeconfig names cluster, user and context podbay and carries the CA and token', () => {
  const pem = '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n';
  const doc = parse(renderKubeconfig({ server: 'https://127.0.0.1:6443', caCertPem: pem, token: 't0k' })) as Record<
    string,
    unknown
  >;
  assert.deepEqual(doc, {
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [
      {
        name: 'podbay',
        cluster: {
          server: 'https://127.0.0.1:6443',
          'certificate-authority-data': Buffer.from(pem).toString('base64'),
        },
      },
    ],
    users: [{ name: 'podbay', user: { token: 't0k' } }],
    contexts: [{ name: 'podbay', context: { cluster: 'podbay', user: 'podbay', namespace: 'default' } }],
    'current-context': 'podbay',
    preferences: {},
  });
});
