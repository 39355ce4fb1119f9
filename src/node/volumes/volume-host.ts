// The volume manager's seam to the machine's mount table (the role of
// k8s.io/mount-utils mount.Interface for kubelet's volume plugins). Files and
// directories are made with node:fs by the manager itself under the agent's
// data dir; only what needs privileges (mounting) goes through here, so the
// sim runtime can run the manager as a normal user with a host that mounts
// nothing (PlainDirVolumeHost) and root runs the real one (LinuxVolumeHost).

export interface TmpfsOptions {
  /** `size=` in bytes; undefined = the kernel default (half of RAM). */
  sizeBytes?: number;
  /** Mode of the tmpfs root; emptyDir uses 0777 (empty_dir.go perm). */
  mode?: number;
}

export interface VolumeHost {
  /**
   * Whether mounts are real. When false, mountTmpfs and bindMount do nothing:
   * memory-backed volumes are plain directories and a subPath is handed to
   * the runtime as its resolved path (safe only because a non-mounting host
   * goes with a runtime that mounts nothing either: the sim runtime).
   */
  readonly mountsForReal: boolean;
  /**
   * Mounts a new tmpfs on `path` (an existing, empty directory). Callers check
   * isMountPoint first: mounting twice would hide the first mount's content.
   */
  mountTmpfs(path: string, opts: TmpfsOptions): Promise<void>;
  /**
   * Bind-mounts `source` on `target` (an existing file or directory) without
   * canonicalizing `source`: it is a `/proc/<pid>/fd/<n>` path to an already
   * safely opened file (subpath_linux.go#doBindSubPath).
   */
  bindMount(source: string, target: string): Promise<void>;
  /** Unmounts `path` (one mount; not recursive, not lazy). */
  unmount(path: string): Promise<void>;
  /** Whether `path` is the root of a mount. */
  isMountPoint(path: string): Promise<boolean>;
  /** Mount points strictly under `dir`, deepest first (the order they must be unmounted in). */
  mountPointsUnder(dir: string): Promise<string[]>;
}
