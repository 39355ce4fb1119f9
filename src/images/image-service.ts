// The image store's operations in one place, for the composition root (main.ts wires
// it to the CLI and to the oci runtime): list/get/tag/remove on the store, plus the
// three ways images arrive — import of a rootfs, load of an archive, pull.
import { loadArchive, type LoadOptions } from './archive-loader.js';
import { pullImage, type PullOptions } from './image-puller.js';
import { ImageStore, type ImageInfo, type ImageStoreOptions, type RemoveResult } from './image-store.js';
import { importRootfs, type ImportRootfsOptions } from './rootfs-importer.js';

export class ImageService {
  readonly store: ImageStore;

  /** The store under `<dataDir>/images`; safe to open from several processes at once. */
  constructor(dataDir: string, opts: ImageStoreOptions = {}) {
    this.store = new ImageStore(dataDir, opts);
  }

  list(): Promise<ImageInfo[]> {
    return this.store.list();
  }

  get(refOrId: string): Promise<ImageInfo | undefined> {
    return this.store.get(refOrId);
  }

  tag(src: string, dst: string): Promise<ImageInfo> {
    return this.store.tag(src, dst);
  }

  /** The image and every reference to it (CRI RemoveImage); idempotent. */
  remove(refOrId: string): Promise<RemoveResult> {
    return this.store.remove(refOrId);
  }

  /** docker rmi: drops one reference, and the image with its last one; rejects ImageNotFoundError. */
  untag(ref: string): Promise<RemoveResult> {
    return this.store.untag(ref);
  }

  importRootfs(dirOrTar: string, ref: string, opts?: ImportRootfsOptions): Promise<ImageInfo> {
    return importRootfs(this.store, dirOrTar, ref, opts);
  }

  load(archivePath: string, opts?: LoadOptions): Promise<ImageInfo[]> {
    return loadArchive(this.store, archivePath, opts);
  }

  /** Rejects with ImagePullError (code, pullReason, containerd-worded message). */
  pull(ref: string, opts?: PullOptions): Promise<ImageInfo> {
    return pullImage(this.store, ref, opts);
  }
}
