// Named, persistent network namespaces: iproute2's `ip netns add NAME`
// unshares a new netns and bind-mounts it at /run/netns/NAME, so it outlives
// any process in it (and the agent); `ip netns delete` unmounts and unlinks it.
// The kernel frees the namespace, and the pod end of every veth in it, once
// the last mount and process are gone.
import { access } from 'node:fs/promises';
import { basename, dirname } from 'node:path';
import { runCommand } from '../run-command.js';

/** Where `ip netns` keeps its bind mounts (fixed in iproute2). */
export const NETNS_RUN_DIR = '/run/netns';

const NAME_RE = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,62}$/;

export function netnsPath(name: string): string {
  return `${NETNS_RUN_DIR}/${name}`;
}

async function ip(ipCommand: string, args: string[]): Promise<void> {
  const r = await runCommand(ipCommand, args);
  if (r.code !== 0) {
    throw new Error(`${ipCommand} ${args.join(' ')}: ${r.stderr.trim() || `exit ${r.code}`}`);
  }
}

/** Creates the namespace NAME and resolves with its path. Fails if it exists. */
export async function addNetns(name: string, ipCommand = 'ip'): Promise<string> {
  if (!NAME_RE.test(name)) {
    throw new Error(`network namespace name ${JSON.stringify(name)} must be 1–63 letters, digits, "_", "." or "-"`);
  }
  await ip(ipCommand, ['netns', 'add', name]);
  return netnsPath(name);
}

/** Deletes the namespace at `path` (a /run/netns path). Idempotent. */
export async function deleteNetns(path: string, ipCommand = 'ip'): Promise<void> {
  if (dirname(path) !== NETNS_RUN_DIR || !NAME_RE.test(basename(path))) {
    throw new Error(`${path} is not a named network namespace under ${NETNS_RUN_DIR}`);
  }
  try {
    await access(path);
  } catch {
    return;
  }
  await ip(ipCommand, ['netns', 'delete', basename(path)]);
}
