// `podbay image load FILE`: images from `docker save` archives (manifest.json with
// Config, RepoTags and Layers paths; docker image/tarexport/load.go) and from OCI
// image layouts (oci-layout + index.json + blobs/, image-spec image-layout.md), as a
// tar (optionally gzip/zstd-compressed) or an unpacked directory. Docker 25+ writes
// both forms in one archive; manifest.json is read first then, for its RepoTags.
import { createReadStream } from 'node:fs';
import { lstat, mkdir, readFile, realpath, rm } from 'node:fs/promises';
import { join, sep } from 'node:path';
import { parseImageReference } from '../api/image-ref.js';
import { digestHex, isDigest, sha256Digest, type Digest } from './digest.js';
import type { Descriptor, ImageManifest, Platform } from './image-spec.js';
import { parseImageConfig, parseManifestDocument } from './image-spec.js';
import type { ImageInfo, ImageStore, LayerSource } from './image-store.js';
import { unpackLayer } from './layer-unpacker.js';
import type { FsMarks } from './overlay-marks.js';
import { choosePlatformManifest, formatPlatform, hostPlatform } from './platform.js';

export interface LoadOptions {
  /** Which image of a multi-platform index to load (default: the host's). */
  platform?: Platform;
}

/** An archive's own files are plain: anything needing marks is not an image archive. */
const NO_MARKS: FsMarks = {
  whiteout: (p) => Promise.reject(new Error(`unexpected whiteout ${p} in an image archive`)),
  opaque: (p) => Promise.reject(new Error(`unexpected opaque dir ${p} in an image archive`)),
  mknod: (p) => Promise.reject(new Error(`unexpected device ${p} in an image archive`)),
  setXattr: () => Promise.resolve(),
};

/** A file of the archive, refusing names (or symlinks) that lead outside it. */
async function archiveFile(root: string, rel: string): Promise<string> {
  const real = await realpath(join(root, rel)).catch(() => {
    throw new Error(`invalid image archive: ${rel} is missing`);
  });
  const realRoot = await realpath(root);
  if (!real.startsWith(realRoot + sep)) {
    throw new Error(`invalid image archive: ${rel} points outside the archive`);
  }
  return real;
}

async function exists(path: string): Promise<boolean> {
  return lstat(path).then(
    () => true,
    () => false,
  );
}

/** Loads every image in the archive or layout at `path`; resolves with them, tags applied. */
export async function loadArchive(store: ImageStore, path: string, opts: LoadOptions = {}): Promise<ImageInfo[]> {
  if ((await lstat(path)).isDirectory()) {
    return loadExtracted(store, path, opts);
  }
  const tmp = join(
    store.root,
    'tmp',
    `load-${process.pid}-${sha256Digest(path + String(performance.now())).slice(7, 19)}`,
  );
  await mkdir(tmp, { recursive: true, mode: 0o700 });
  try {
    try {
      await unpackLayer(createReadStream(path), tmp, { chown: false, marks: NO_MARKS });
    } catch (e) {
      throw new Error(`${path}: not a docker-save or OCI archive: ${e instanceof Error ? e.message : String(e)}`);
    }
    return await loadExtracted(store, tmp, opts);
  } finally {
    await rm(tmp, { recursive: true, force: true });
  }
}

async function loadExtracted(store: ImageStore, root: string, opts: LoadOptions): Promise<ImageInfo[]> {
  if (await exists(join(root, 'manifest.json'))) {
    return loadDockerSave(store, root);
  }
  if (await exists(join(root, 'index.json'))) {
    return loadOciLayout(store, root, opts.platform ?? hostPlatform());
  }
  throw new Error('not a docker-save or OCI archive: it has neither manifest.json nor index.json');
}

interface DockerSaveEntry {
  Config: string;
  RepoTags?: string[] | null;
  Layers: string[];
}

async function loadDockerSave(store: ImageStore, root: string): Promise<ImageInfo[]> {
  const doc = JSON.parse(await readFile(join(root, 'manifest.json'), 'utf8')) as unknown;
  if (!Array.isArray(doc)) {
    throw new Error('invalid docker-save archive: manifest.json is not a list');
  }
  const out: ImageInfo[] = [];
  for (const entry of doc as DockerSaveEntry[]) {
    if (typeof entry.Config !== 'string' || !Array.isArray(entry.Layers)) {
      throw new Error('invalid docker-save archive: an entry lacks Config or Layers');
    }
    const configBytes = await readFile(await archiveFile(root, entry.Config));
    const config = parseImageConfig(configBytes);
    if (config.rootfs.diff_ids.length !== entry.Layers.length) {
      throw new Error(
        `invalid docker-save archive: ${entry.Config} lists ${config.rootfs.diff_ids.length} layers, manifest.json ${entry.Layers.length}`,
      );
    }
    const layers: LayerSource[] = [];
    for (const [i, rel] of entry.Layers.entries()) {
      const diffId = config.rootfs.diff_ids[i]!;
      if (!isDigest(diffId)) {
        throw new Error(`invalid image config: diff_id ${diffId}`);
      }
      const file = await archiveFile(root, rel);
      layers.push({ diffId, open: () => Promise.resolve(createReadStream(file)) });
    }
    for (const tag of entry.RepoTags ?? []) {
      parseImageReference(tag); // a bad tag fails the load before anything is stored
    }
    out.push(await store.addImage({ configBytes, layers, repoTags: entry.RepoTags ?? [], repoDigests: [] }));
  }
  return out;
}

/** Names an OCI layout gives a manifest: containerd's full name, or a ref.name that is a full reference. */
function layoutNames(d: Descriptor): string[] {
  const a = d.annotations ?? {};
  const full = a['io.containerd.image.name'];
  if (full !== undefined) {
    return [full];
  }
  const ref = a['org.opencontainers.image.ref.name'];
  // A bare tag ("latest", skopeo's default) names no repository: the image loads untagged.
  if (ref !== undefined && /[/:]/.test(ref)) {
    try {
      parseImageReference(ref);
      return [ref];
    } catch {
      return [];
    }
  }
  return [];
}

async function loadOciLayout(store: ImageStore, root: string, platform: Platform): Promise<ImageInfo[]> {
  const blob = async (digest: string): Promise<string> => archiveFile(root, join('blobs', 'sha256', digestHex(digest)));
  const readVerified = async (d: Descriptor): Promise<Buffer> => {
    const bytes = await readFile(await blob(d.digest));
    if (sha256Digest(bytes) !== d.digest) {
      throw new Error(`invalid OCI layout: blob ${d.digest} does not match its digest`);
    }
    return bytes;
  };
  const top = parseManifestDocument(await readFile(join(root, 'index.json')));
  if (top.kind !== 'index') {
    throw new Error('invalid OCI layout: index.json is not an image index');
  }
  // Top-level manifests may carry platforms (one per platform of an image, or attestations
  // as unknown/unknown): load the one for `platform`, as an index entry would be chosen.
  const wanted = top.index.manifests.filter((d) => d.platform === undefined || choosePlatformManifest([d], platform));
  if (wanted.length === 0 && top.index.manifests.length > 0) {
    throw new Error(`no image for platform ${formatPlatform(platform)} in this archive`);
  }
  const out: ImageInfo[] = [];
  for (const d of wanted) {
    const names = layoutNames(d);
    let desc = d;
    let doc = parseManifestDocument(await readVerified(d), d.mediaType);
    if (doc.kind === 'index') {
      const chosen = choosePlatformManifest(doc.index.manifests, platform);
      if (!chosen) {
        throw new Error(`no image for platform ${formatPlatform(platform)} in ${d.digest}`);
      }
      desc = chosen;
      doc = parseManifestDocument(await readVerified(chosen), chosen.mediaType);
      if (doc.kind !== 'manifest') {
        throw new Error(`invalid OCI layout: ${chosen.digest} is not an image manifest`);
      }
    }
    const manifest: ImageManifest = doc.manifest;
    const configBytes = await readVerified(manifest.config);
    const config = parseImageConfig(configBytes);
    const layers: LayerSource[] = manifest.layers.map((l, i) => {
      const diffId = config.rootfs.diff_ids[i];
      if (diffId === undefined || !isDigest(diffId) || !isDigest(l.digest)) {
        throw new Error(`invalid image: layer ${i} has no valid digest or diff_id`);
      }
      return {
        diffId,
        digest: l.digest,
        size: l.size,
        mediaType: l.mediaType,
        open: async () => createReadStream(await blob(l.digest)),
      };
    });
    out.push(
      await store.addImage({
        configBytes,
        configDigest: manifest.config.digest as Digest,
        layers,
        manifestBytes: await readVerified(desc),
        repoTags: names,
        repoDigests: [],
      }),
    );
  }
  return out;
}
