// Registry credentials from a pod's imagePullSecrets: k8s pkg/credentialprovider
// (keyring.go BasicDockerKeyring, config.go DockerConfigJSON) and
// pkg/kubelet/secret usage in kuberuntime_image.go#PullImage, trimmed: secrets of
// type kubernetes.io/dockerconfigjson (`.dockerconfigjson`) and
// kubernetes.io/dockercfg (`.dockercfg`), matched by registry host; the first
// match in imagePullSecrets order wins. docker.io also answers to its legacy
// names (index.docker.io, https://index.docker.io/v1/).
import { Buffer } from 'node:buffer';
import { parseImageReference } from '../../api/image-ref.js';
import type { Pod, Secret } from '../../api/types/index.js';
import type { AuthConfig } from '../../runtime/runtime.js';

interface DockerAuthEntry {
  username?: string;
  password?: string;
  auth?: string;
  identitytoken?: string;
  registrytoken?: string;
}

function hostOf(key: string): string {
  const host = key.replace(/^https?:\/\//, '').split('/')[0] ?? '';
  return host === 'index.docker.io' || host === 'registry-1.docker.io' ? 'docker.io' : host;
}

function entriesOf(secret: Secret): Record<string, DockerAuthEntry> {
  const decode = (k: string): unknown => {
    const v = secret.data?.[k];
    return v === undefined ? undefined : JSON.parse(Buffer.from(v, 'base64').toString('utf8'));
  };
  try {
    if (secret.type === 'kubernetes.io/dockerconfigjson') {
      return (decode('.dockerconfigjson') as { auths?: Record<string, DockerAuthEntry> } | undefined)?.auths ?? {};
    }
    if (secret.type === 'kubernetes.io/dockercfg') {
      return (decode('.dockercfg') as Record<string, DockerAuthEntry> | undefined) ?? {};
    }
  } catch {
    return {}; // a malformed secret gives no credentials, as the keyring skips it
  }
  return {};
}

/** The credentials for `image` among the pod's pull secrets, or undefined. */
export async function pullAuthFor(
  pod: Pod,
  image: string,
  secret: (namespace: string, name: string) => Promise<Secret | undefined>,
): Promise<AuthConfig | undefined> {
  const names = (pod.spec.imagePullSecrets ?? []).map((s) => s.name).filter((n): n is string => Boolean(n));
  if (names.length === 0) {
    return undefined;
  }
  let domain: string;
  try {
    domain = parseImageReference(image).domain;
  } catch {
    return undefined;
  }
  for (const name of names) {
    const s = await secret(pod.metadata.namespace ?? 'default', name).catch(() => undefined);
    if (!s) {
      continue;
    }
    for (const [key, e] of Object.entries(entriesOf(s))) {
      if (hostOf(key) !== domain) {
        continue;
      }
      return {
        ...(e.username ? { username: e.username } : {}),
        ...(e.password ? { password: e.password } : {}),
        ...(e.auth ? { auth: e.auth } : {}),
        ...(e.identitytoken ? { identityToken: e.identitytoken } : {}),
        ...(e.registrytoken ? { registryToken: e.registrytoken } : {}),
        serverAddress: key,
      };
    }
  }
  return undefined;
}
