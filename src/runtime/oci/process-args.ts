// The container process's argv and environment from the container config
// and the image config, as runtime.ts ContainerConfig documents it
// (containerd internal/cri/opts/spec_opts.go#WithProcessArgs, and
// internal/cri/server/container_create_linux.go for env order).
import type { KeyValue } from '../runtime.js';

/** containerd's default PATH when neither the image nor the pod sets one (pkg/oci/spec.go). */
export const DEFAULT_PATH_ENV = 'PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';

/**
 *   command set   → command + args (ENTRYPOINT and CMD ignored)
 *   only args set → ENTRYPOINT + args
 *   neither       → ENTRYPOINT + CMD
 */
export function resolveProcessArgs(
  command: string[],
  args: string[],
  image: { Entrypoint?: string[]; Cmd?: string[] },
): string[] {
  if (command.length > 0) {
    return [...command, ...args];
  }
  const entrypoint = image.Entrypoint ?? [];
  if (args.length > 0) {
    return [...entrypoint, ...args];
  }
  return [...entrypoint, ...(image.Cmd ?? [])];
}

/**
 * Default PATH, then HOSTNAME (containerd sets it for every CRI container),
 * then the image's ENV, then the container's variables; a later entry
 * replaces an earlier one with the same key in place.
 */
export function mergeEnv(hostname: string | undefined, imageEnv: string[], envs: KeyValue[]): string[] {
  const order: string[] = [];
  const values = new Map<string, string>();
  const put = (key: string, value: string): void => {
    if (!values.has(key)) {
      order.push(key);
    }
    values.set(key, value);
  };
  const putRaw = (kv: string): void => {
    const eq = kv.indexOf('=');
    put(eq < 0 ? kv : kv.slice(0, eq), eq < 0 ? '' : kv.slice(eq + 1));
  };
  putRaw(DEFAULT_PATH_ENV);
  if (hostname !== undefined) {
    put('HOSTNAME', hostname);
  }
  imageEnv.forEach(putRaw);
  for (const { key, value } of envs) {
    put(key, value);
  }
  return order.map((k) => `${k}=${values.get(k)}`);
}
