// cgroupfs-style paths ("/podbay/kubepods/burstable/pod<uid>") are absolute
// within a hierarchy; joined onto a mountpoint they must never climb out of it.
import { posix } from 'node:path';

/** The directory of cgroup `path` under `mountpoint`; rejects relative paths, "..", and the root itself. */
export function cgroupDir(mountpoint: string, path: string): string {
  if (!path.startsWith('/')) {
    throw new Error(`cgroup path ${JSON.stringify(path)} must be absolute`);
  }
  const parts = path.split('/').filter((p) => p !== '' && p !== '.');
  if (parts.length === 0 || parts.includes('..')) {
    throw new Error(`cgroup path ${JSON.stringify(path)} must name a cgroup below the root`);
  }
  return posix.join(mountpoint, ...parts);
}

/** The ancestors of `path`, outermost first, ending with `path` ("/a/b" → ["/a", "/a/b"]). */
export function cgroupLineage(path: string): string[] {
  const parts = path.split('/').filter((p) => p !== '' && p !== '.');
  return parts.map((_, i) => '/' + parts.slice(0, i + 1).join('/'));
}

/** runcCgroupsPath for the cgroupfs driver: the container's cgroup directly below the pod's. */
export function cgroupfsContainerPath(parent: string, containerId: string): string {
  if (containerId === '' || containerId.includes('/') || containerId === '..' || containerId === '.') {
    throw new Error(`container id ${JSON.stringify(containerId)} cannot name a cgroup`);
  }
  return posix.join(parent, containerId);
}
