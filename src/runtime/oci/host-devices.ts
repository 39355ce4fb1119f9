// Device nodes as OCI linux.devices entries: the ones a ContainerConfig asks
// for, and every top-level host device for privileged containers
// (containerd pkg/oci/utils_unix.go#HostDevices, without the recursion).
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { OciDevice } from './oci-spec.js';

// glibc's gnu_dev_major/minor for the 32-bit dev_t values Linux hands out in practice.
function major(rdev: number): number {
  return (rdev >>> 8) & 0xfff;
}

function minor(rdev: number): number {
  return (rdev & 0xff) | ((rdev >>> 12) & 0xfff00);
}

/** The device at hostPath as an OCI device at containerPath; undefined if it is no device. */
export function deviceAt(hostPath: string, containerPath: string): OciDevice | undefined {
  const st = statSync(hostPath);
  if (!st.isCharacterDevice() && !st.isBlockDevice()) {
    return undefined;
  }
  return {
    path: containerPath,
    type: st.isCharacterDevice() ? 'c' : 'b',
    major: major(st.rdev),
    minor: minor(st.rdev),
    fileMode: st.mode & 0o777,
    uid: st.uid,
    gid: st.gid,
  };
}

export function hostDevices(): OciDevice[] {
  const out: OciDevice[] = [];
  for (const name of readdirSync('/dev')) {
    try {
      const d = deviceAt(join('/dev', name), join('/dev', name));
      if (d) {
        out.push(d);
      }
    } catch {
      // vanished or unreadable: skip, as containerd does
    }
  }
  return out;
}
