// The seam between `podbay image …` and the image store. The CLI must not import
// src/images (STYLE.md §8: commands get implementations from main.ts), so the command
// codes against this interface and main.ts adapts src/images/image-service.ts to it.

/** One image as the CLI shows it. */
export interface CliImage {
  /** "sha256:<config digest>". */
  id: string;
  /** Normalised references ("docker.io/library/busybox:latest"). */
  repoTags: string[];
  /** "<name>@sha256:<manifest digest>". */
  repoDigests: string[];
  /** Bytes of the layer blobs. */
  size: number;
  /** "os/arch[/variant]". */
  platform: string;
}

/** Progress of a pull (src/images PullProgress, as far as the CLI draws it). */
export type CliPullProgress =
  | { kind: 'resolved'; ref: string; digest: string; platform: string; layers: { digest: string; size: number }[] }
  | { kind: 'layer'; phase: 'exists'; diffId: string; digest?: string }
  | { kind: 'layer'; phase: 'downloading'; digest?: string; current: number; total?: number }
  | { kind: 'layer'; phase: 'extracted'; diffId: string; digest: string; size: number }
  | { kind: 'done'; id: string };

/** What a removal did: references dropped and image ids deleted. */
export interface CliRemoveResult {
  untagged: string[];
  deleted: string[];
}

/** The image store of one data dir. Every method may run while `podbay up` uses the same store. */
export interface CliImageStore {
  list(): Promise<CliImage[]>;
  /** docker-save or OCI archive (tar, tar.gz or a layout directory); resolves with the loaded images. */
  load(path: string): Promise<CliImage[]>;
  /** A root filesystem (directory or tar) as a one-layer image named `ref`. */
  importRootfs(dirOrTar: string, ref: string): Promise<CliImage>;
  tag(src: string, dst: string): Promise<CliImage>;
  /** By reference: drops that reference (the image goes with its last one); by id: the image and all its references. */
  remove(refOrId: string): Promise<CliRemoveResult>;
  /** Rejects with the registry's reason, worded as containerd's pull errors. */
  pull(
    ref: string,
    opts: {
      platform?: string;
      /** Registry credentials (CRI AuthConfig fields): user and password, or docker config's base64 "auth". */
      auth?: { username?: string; password?: string; auth?: string };
      onProgress?: (p: CliPullProgress) => void;
    },
  ): Promise<CliImage>;
}

export interface ImageWiring {
  /** The store under `<dataDir>/images` (created on first write). */
  open(dataDir: string): CliImageStore;
  /** True when stderr is a terminal: pull draws live progress there, else prints plain lines. */
  stderrIsTerminal: boolean;
}
