// A container's root filesystem: overlayfs over the image's read-only,
// shared layer directories, with a per-container upper and work directory
// (containerd's overlayfs snapshotter does the same with snapshots). The
// mount lives in the host's mount namespace, so it survives the agent.
import { mkdirSync } from 'node:fs';
import { runChecked, runCommand } from './run-command.js';

/** overlayfs option string: lowerdir lists the topmost layer first. */
export function overlayOptions(layerDirs: readonly string[], upper: string, work: string): string {
  return `lowerdir=${[...layerDirs].reverse().join(':')},upperdir=${upper},workdir=${work}`;
}

export async function mountOverlay(
  layerDirs: readonly string[],
  upper: string,
  work: string,
  target: string,
): Promise<void> {
  if (layerDirs.length === 0) {
    throw new Error('the image has no layers');
  }
  for (const d of [upper, work, target]) {
    mkdirSync(d, { recursive: true });
  }
  await runChecked('mount', ['-t', 'overlay', 'overlay', '-o', overlayOptions(layerDirs, upper, work), target]);
}

export async function mountTmpfs(target: string, options: string): Promise<void> {
  mkdirSync(target, { recursive: true });
  await runChecked('mount', ['-t', 'tmpfs', '-o', options, 'tmpfs', target]);
}

/** Unmounts `target` if it is a mount point; a busy mount is detached lazily so removal never hangs. */
export async function unmountIfMounted(target: string): Promise<void> {
  const r = await runCommand('umount', [target]);
  if (r.code === 0 || /not mounted|no mount point|not found|No such file/i.test(r.stderr)) {
    return;
  }
  await runChecked('umount', ['-l', target]);
}
