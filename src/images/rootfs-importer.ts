// `podbay image import DIR|TAR --name REF`: a root filesystem becomes a one-layer
// image, as `docker import` / `podman import` make one: a config with the host's
// platform, PATH set to the Linux default, and `sh` as the command when the rootfs
// has /bin/sh (docker import sets no Cmd; podbay adds one so a Pod without
// command/args runs something, the way the busybox image's own config does).
import { createReadStream } from 'node:fs';
import { lstat, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { normalizeImageReference } from '../api/image-ref.js';
import type { Digest } from './digest.js';
import type { ImageConfig } from './image-spec.js';
import type { ImageInfo, ImageStore } from './image-store.js';
import { packDirectory } from './pack-directory.js';
import { hostPlatform } from './platform.js';

/** The PATH every Linux image without one gets (moby oci/defaults.go DefaultPathEnv). */
export const DEFAULT_PATH_ENV = 'PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';

export interface ImportRootfsOptions {
  /** Replaces the default environment. */
  env?: string[];
  /** Replaces the default command (["sh"] when /bin/sh exists). */
  cmd?: string[];
  entrypoint?: string[];
  workingDir?: string;
  user?: string;
  /** RFC 3339; omitted by default so the same rootfs always gives the same image id. */
  created?: string;
}

/** Imports a directory or a (possibly compressed) tar of a root filesystem as image `ref`. */
export async function importRootfs(
  store: ImageStore,
  dirOrTar: string,
  ref: string,
  opts: ImportRootfsOptions = {},
): Promise<ImageInfo> {
  normalizeImageReference(ref); // a bad name fails before anything is written
  const isDir = (await stat(dirOrTar)).isDirectory();
  const blob = await store.writeBlob(isDir ? packDirectory(dirOrTar) : createReadStream(dirOrTar));
  // For a plain tar the blob is the layer, so its digest is the DiffID; unpacking tells
  // the DiffID of a compressed one.
  const diffId: Digest = await store.ensureLayer(blob.digest, isDir ? blob.digest : undefined);
  const hasSh = await lstat(join(store.layerDir(diffId), 'bin', 'sh')).then(
    () => true,
    () => false,
  );
  const platform = hostPlatform();
  const containerConfig: NonNullable<ImageConfig['config']> = { Env: opts.env ?? [DEFAULT_PATH_ENV] };
  const cmd = opts.cmd ?? (hasSh ? ['sh'] : undefined);
  if (cmd !== undefined) {
    containerConfig.Cmd = cmd;
  }
  if (opts.entrypoint !== undefined) {
    containerConfig.Entrypoint = opts.entrypoint;
  }
  if (opts.workingDir !== undefined) {
    containerConfig.WorkingDir = opts.workingDir;
  }
  if (opts.user !== undefined) {
    containerConfig.User = opts.user;
  }
  const config: ImageConfig = {
    architecture: platform.architecture,
    os: platform.os,
    ...(platform.variant !== undefined ? { variant: platform.variant } : {}),
    ...(opts.created !== undefined ? { created: opts.created } : {}),
    config: containerConfig,
    rootfs: { type: 'layers', diff_ids: [diffId] },
    history: [{ created_by: 'podbay image import', ...(opts.created !== undefined ? { created: opts.created } : {}) }],
  };
  return store.addImage({
    configBytes: Buffer.from(JSON.stringify(config)),
    layers: [
      {
        diffId,
        digest: blob.digest,
        size: blob.size,
        open: () => Promise.resolve(createReadStream(store.blobPath(blob.digest))),
      },
    ],
    repoTags: [ref],
    repoDigests: [],
  });
}
