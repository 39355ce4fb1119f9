// The image store: content-addressed blobs, layers unpacked once and shared, and an
// index of images with their references (ARCHITECTURE.md "On disk"):
//
//   <dataDir>/images/blobs/sha256/<hex>     manifests, configs, layer blobs (as fetched)
//   <dataDir>/images/layers/<diffID hex>/   one unpacked layer, overlay form, read-only
//   <dataDir>/images/index.json             images: id, refs, layers (replaced atomically)
//   <dataDir>/images/lock                   held while index.json is rewritten (file-lock.ts)
//   <dataDir>/images/tmp/                   downloads and unpacks in progress
//
// Several processes use one store (`podbay image …` beside a running `podbay up`).
// Blobs and layers are written under temp names and renamed into place, so a name in
// blobs/ or layers/ is always complete; index.json is only ever replaced by rename,
// so readers need no lock and never see half-written state. Writers take the lock for
// the read-modify-write of the index and for deletions, and check under it that
// every layer an image needs still exists (a concurrent rm may have removed it).
import { randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { lstat, mkdir, readFile, readdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { normalizeImageReference, parseImageReference } from '../api/image-ref.js';
import { detectCompression } from './decompress.js';
import { DigestCounter, DigestMismatchError, digestHex, sha256Digest, type Digest } from './digest.js';
import { isAlive, withFileLock } from './file-lock.js';
import type { ContainerConfig, Descriptor, ImageConfig, ImageManifest } from './image-spec.js';
import { MEDIA_TYPE, parseImageConfig } from './image-spec.js';
import { unpackLayer, type UnpackOptions } from './layer-unpacker.js';
import { mountedLowerDirs } from './overlay-mounts.js';
import { formatPlatform } from './platform.js';

/** One image as the store describes it; a superset of the oci runtime's OciImage. */
export interface ImageInfo {
  /** "sha256:<config digest hex>". */
  id: string;
  /** Normalised references, e.g. "docker.io/library/busybox:latest". */
  repoTags: string[];
  /** "<name>@sha256:<manifest digest>" for pulled images. */
  repoDigests: string[];
  /** Sum of the layer blobs' sizes (compressed, as containerd reports). */
  size: number;
  config: ContainerConfig;
  /** Absolute unpacked layer directories, lowest first. */
  layerDirs: string[];
  /** The config's `created`, if it has one (RFC 3339). */
  created?: string;
  /** "os/arch[/variant]". */
  platform: string;
  /** Digest of the image manifest this store holds for it. */
  manifestDigest: string;
}

/** A layer as the index records it. */
interface StoredLayer {
  /** The blob's digest (compressed form, as in the manifest). */
  digest: Digest;
  diffId: Digest;
  size: number;
}

/** One image in index.json. */
interface StoredImage {
  id: Digest;
  manifestDigest: Digest;
  repoTags: string[];
  repoDigests: string[];
  layers: StoredLayer[];
  config: ContainerConfig;
  created?: string;
  platform: string;
}

interface IndexFile {
  version: 1;
  images: StoredImage[];
}

/** A layer to add: its DiffID (from the config) and how to read its blob. */
export interface LayerSource {
  diffId: Digest;
  /** The blob's digest when known (a manifest); verified while it is written. */
  digest?: Digest;
  size?: number;
  mediaType?: string;
  open(): Promise<AsyncIterable<Uint8Array>>;
}

/** Everything addImage needs to store one image. */
export interface NewImage {
  configBytes: Buffer;
  /** Verified against configBytes when given (a manifest's config descriptor). */
  configDigest?: Digest;
  layers: LayerSource[];
  /** The manifest exactly as received (pull, OCI layout); synthesized when absent. */
  manifestBytes?: Buffer;
  repoTags: string[];
  repoDigests: string[];
  onLayer?: (event: LayerEvent) => void;
}

/** Progress of one layer while an image is added. */
export type LayerEvent =
  | { phase: 'exists'; diffId: string; digest?: string }
  | { phase: 'downloading'; digest?: string; current: number; total?: number }
  | { phase: 'extracted'; diffId: string; digest: string; size: number };

/** What remove() did. */
export interface RemoveResult {
  untagged: string[];
  deleted: string[];
}

/** Thrown when a reference or id names no image (CLI: "No such image"). */
export class ImageNotFoundError extends Error {
  constructor(readonly refOrId: string) {
    super(`image not known: ${refOrId}`);
    this.name = 'ImageNotFoundError';
  }
}

/** Thrown when an image to remove has a layer mounted under a container (docker: "image is being used by running container"). */
export class ImageInUseError extends Error {
  constructor(
    readonly refOrId: string,
    readonly layerDir: string,
  ) {
    super(`image ${refOrId} is in use by a running container: its layer ${layerDir} is mounted`);
    this.name = 'ImageInUseError';
  }
}

/** Thrown when a short id matches more than one image. */
export class AmbiguousImageError extends Error {
  constructor(readonly refOrId: string) {
    super(`short id ${refOrId} is ambiguous: it matches more than one image`);
    this.name = 'AmbiguousImageError';
  }
}

const SHORT_ID_RE = /^(?:sha256:)?([a-f0-9]{4,64})$/;
const LAYER_RACE_RETRIES = 3;
/** Layers fetched and unpacked at once (containerd CRI max_concurrent_downloads default). */
const MAX_PARALLEL_LAYERS = 3;

export interface ImageStoreOptions {
  /** Options for unpacking layers (tests inject FsMarks). */
  unpack?: UnpackOptions;
}

export class ImageStore {
  /** <dataDir>/images */
  readonly root: string;
  private readonly unpackOptions: UnpackOptions;
  private ready = false;

  constructor(dataDir: string, opts: ImageStoreOptions = {}) {
    this.root = join(dataDir, 'images');
    this.unpackOptions = opts.unpack ?? {};
  }

  private get indexPath(): string {
    return join(this.root, 'index.json');
  }

  private get tmpDir(): string {
    return join(this.root, 'tmp');
  }

  blobPath(digest: string): string {
    return join(this.root, 'blobs', 'sha256', digestHex(digest));
  }

  layerDir(diffId: string): string {
    return join(this.root, 'layers', digestHex(diffId));
  }

  private async ensureDirs(): Promise<void> {
    if (this.ready) {
      return;
    }
    await mkdir(join(this.root, 'blobs', 'sha256'), { recursive: true });
    await mkdir(join(this.root, 'layers'), { recursive: true });
    await mkdir(this.tmpDir, { recursive: true });
    await this.removeStaleTemps();
    this.ready = true;
  }

  /**
   * Temp names carry their writer's pid (tmpName); what a dead process left behind (a
   * pull killed mid-layer) is removed the first time a store is written to.
   */
  private async removeStaleTemps(): Promise<void> {
    for (const name of await readdir(this.tmpDir)) {
      const pid = Number(/^[a-z]+-(\d+)-/.exec(name)?.[1]);
      if (Number.isInteger(pid) && pid !== process.pid && !isAlive(pid)) {
        await rm(join(this.tmpDir, name), { recursive: true, force: true });
      }
    }
  }

  private tmpName(kind: string): string {
    return join(this.tmpDir, `${kind}-${process.pid}-${randomBytes(6).toString('hex')}`);
  }

  // ---------------------------------------------------------------- index

  private async readIndex(): Promise<IndexFile> {
    let text: string;
    try {
      text = await readFile(this.indexPath, 'utf8');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') {
        return { version: 1, images: [] };
      }
      throw e;
    }
    const doc = JSON.parse(text) as IndexFile;
    if (doc.version !== 1 || !Array.isArray(doc.images)) {
      throw new Error(`${this.indexPath}: unknown index format`);
    }
    return doc;
  }

  private async writeIndex(index: IndexFile): Promise<void> {
    const tmp = this.tmpName('index');
    await writeFile(tmp, JSON.stringify(index, null, 1) + '\n', { mode: 0o644 });
    await rename(tmp, this.indexPath);
  }

  /** Read-modify-write of the index under the store lock. */
  private async updateIndex<T>(fn: (index: IndexFile) => Promise<T> | T): Promise<T> {
    await this.ensureDirs();
    return withFileLock(join(this.root, 'lock'), async () => {
      const index = await this.readIndex();
      const result = await fn(index);
      await this.writeIndex(index);
      return result;
    });
  }

  private info(img: StoredImage): ImageInfo {
    const out: ImageInfo = {
      id: img.id,
      repoTags: [...img.repoTags],
      repoDigests: [...img.repoDigests],
      size: img.layers.reduce((n, l) => n + l.size, 0),
      config: structuredClone(img.config),
      layerDirs: img.layers.map((l) => this.layerDir(l.diffId)),
      platform: img.platform,
      manifestDigest: img.manifestDigest,
    };
    if (img.created !== undefined) {
      out.created = img.created;
    }
    return out;
  }

  /** The stored image a reference or (short) id names; throws AmbiguousImageError. */
  private find(index: IndexFile, refOrId: string): StoredImage | undefined {
    const idMatch = SHORT_ID_RE.exec(refOrId);
    if (idMatch && idMatch[1]!.length === 64) {
      return index.images.find((i) => i.id === `sha256:${idMatch[1]}`);
    }
    let ref: string | undefined;
    try {
      ref = normalizeImageReference(refOrId);
    } catch {
      ref = undefined;
    }
    if (ref !== undefined) {
      const parsed = parseImageReference(ref);
      const byRef =
        parsed.digest !== undefined
          ? index.images.find((i) => i.repoDigests.includes(`${parsed.name}@${parsed.digest}`))
          : index.images.find((i) => i.repoTags.includes(ref));
      if (byRef) {
        return byRef;
      }
    }
    if (idMatch) {
      const hits = index.images.filter((i) => i.id.startsWith(`sha256:${idMatch[1]}`));
      if (hits.length > 1) {
        throw new AmbiguousImageError(refOrId);
      }
      return hits[0];
    }
    return undefined;
  }

  // ---------------------------------------------------------------- reads

  async list(): Promise<ImageInfo[]> {
    const index = await this.readIndex();
    return index.images.map((i) => this.info(i));
  }

  /** The image named by a reference ("busybox", "localhost/x:v1", "name@sha256:…") or an id (full or ≥ 4 hex). */
  async get(refOrId: string): Promise<ImageInfo | undefined> {
    const img = this.find(await this.readIndex(), refOrId);
    return img ? this.info(img) : undefined;
  }

  async readBlob(digest: string): Promise<Buffer> {
    return readFile(this.blobPath(digest));
  }

  async hasBlob(digest: string): Promise<boolean> {
    return exists(this.blobPath(digest));
  }

  // ---------------------------------------------------------------- writes

  /**
   * Writes a blob from `source`, verifying `expected` (digest and, when given, size)
   * before it becomes visible. Idempotent: an existing blob is kept.
   */
  async writeBlob(
    source: AsyncIterable<Uint8Array>,
    expected?: { digest?: Digest; size?: number },
    onBytes?: (n: number) => void,
  ): Promise<{ digest: Digest; size: number }> {
    await this.ensureDirs();
    const tmp = this.tmpName('blob');
    const counter = new DigestCounter();
    try {
      await pipeline(
        source,
        async function* (src: AsyncIterable<Uint8Array>) {
          for await (const c of src) {
            counter.update(c);
            onBytes?.(counter.size);
            if (expected?.size !== undefined && counter.size > expected.size) {
              throw new Error(`blob ${expected.digest ?? ''} is larger than its descriptor's ${expected.size} bytes`);
            }
            yield c;
          }
        },
        createWriteStream(tmp, { mode: 0o644 }),
      );
      const digest = counter.digest();
      if (expected?.digest !== undefined && digest !== expected.digest) {
        throw new DigestMismatchError(expected.digest, digest, 'blob');
      }
      if (expected?.size !== undefined && counter.size !== expected.size) {
        throw new Error(`blob ${digest} is ${counter.size} bytes, its descriptor says ${expected.size}`);
      }
      await rename(tmp, this.blobPath(digest));
      return { digest, size: counter.size };
    } catch (e) {
      await rm(tmp, { force: true });
      throw e;
    }
  }

  async writeBlobBytes(bytes: Buffer, expected?: Digest): Promise<Digest> {
    const digest = sha256Digest(bytes);
    if (expected !== undefined && digest !== expected) {
      throw new DigestMismatchError(expected, digest, 'blob');
    }
    if (!(await this.hasBlob(digest))) {
      await this.writeBlob(oneChunk(bytes));
    }
    return digest;
  }

  async hasLayer(diffId: string): Promise<boolean> {
    return exists(this.layerDir(diffId));
  }

  /**
   * Unpacks the blob `digest` into layers/<diffID> unless it is there; verifies the
   * DiffID against `expectedDiffId`. Another process unpacking the same layer at the
   * same time is fine: the first rename wins and the other copy is dropped.
   */
  async ensureLayer(digest: Digest, expectedDiffId?: Digest): Promise<Digest> {
    if (expectedDiffId !== undefined && (await this.hasLayer(expectedDiffId))) {
      return expectedDiffId;
    }
    await this.ensureDirs();
    const tmp = this.tmpName('layer');
    await mkdir(tmp, { mode: 0o755 });
    try {
      const { diffId } = await unpackLayer(createReadStream(this.blobPath(digest)), tmp, this.unpackOptions);
      if (expectedDiffId !== undefined && diffId !== expectedDiffId) {
        throw new DigestMismatchError(expectedDiffId, diffId, `layer ${digest} diff_id`);
      }
      try {
        await rename(tmp, this.layerDir(diffId));
      } catch (e) {
        const code = (e as NodeJS.ErrnoException).code;
        if (code !== 'ENOTEMPTY' && code !== 'EEXIST') {
          throw e;
        }
        await rm(tmp, { recursive: true, force: true });
      }
      return diffId;
    } catch (e) {
      await rm(tmp, { recursive: true, force: true });
      throw e;
    }
  }

  /**
   * Stores an image: config, layer blobs (skipped when the layer is already
   * unpacked), unpacked layers, manifest, then the index entry. References in
   * repoTags move to this image from any other image that had them.
   */
  async addImage(img: NewImage): Promise<ImageInfo> {
    const config: ImageConfig = parseImageConfig(img.configBytes);
    const configDigest = await this.writeBlobBytes(img.configBytes, img.configDigest);
    const diffIds = config.rootfs.diff_ids;
    if (diffIds.length !== img.layers.length) {
      throw new Error(`image config lists ${diffIds.length} layers, the manifest ${img.layers.length}`);
    }
    img.layers.forEach((l, i) => {
      if (l.diffId !== diffIds[i]) {
        throw new Error(`layer ${i} diff_id ${l.diffId} does not match the config's ${diffIds[i]}`);
      }
    });
    const tags = img.repoTags.map((t) => normalizeImageReference(t));
    for (let attempt = 1; ; attempt++) {
      const layers = await this.ensureLayers(img);
      const manifestBytes = img.manifestBytes ?? synthesizeManifest(configDigest, img.configBytes.length, layers);
      const manifestDigest = await this.writeBlobBytes(manifestBytes);
      const stored: StoredImage = {
        id: configDigest,
        manifestDigest,
        repoTags: tags,
        repoDigests: [...img.repoDigests],
        layers: layers.map(({ digest, diffId, size }) => ({ digest, diffId, size })),
        config: config.config ?? {},
        platform: formatPlatform({ os: config.os, architecture: config.architecture, variant: config.variant }),
      };
      if (config.created !== undefined) {
        stored.created = config.created;
      }
      const committed = await this.updateIndex(async (index) => {
        // A concurrent rm of another image may have taken what this one shares with it.
        for (const l of stored.layers) {
          if (!(await this.hasLayer(l.diffId))) {
            return undefined; // unpack again
          }
        }
        if (!(await this.hasBlob(configDigest)) || !(await this.hasBlob(manifestDigest))) {
          return undefined; // write them again
        }
        return this.commit(index, stored);
      });
      if (committed) {
        return this.info(committed);
      }
      if (attempt >= LAYER_RACE_RETRIES) {
        throw new Error('image layers kept disappearing while the image was added (concurrent image rm?)');
      }
    }
  }

  /**
   * Fetches and unpacks the layers an image lacks, MAX_PARALLEL_LAYERS at a time
   * (containerd's max_concurrent_downloads is 3); resolves in layer order once every
   * layer is done, or rejects with the first failure after the others have settled (so
   * no download is left running behind a failed pull).
   */
  private async ensureLayers(img: NewImage): Promise<(StoredLayer & { mediaType: string })[]> {
    const results = new Array<PromiseSettledResult<StoredLayer & { mediaType: string }>>(img.layers.length);
    let next = 0;
    const worker = async (): Promise<void> => {
      while (next < img.layers.length) {
        const i = next++;
        try {
          results[i] = { status: 'fulfilled', value: await this.ensureOneLayer(img, img.layers[i]!) };
        } catch (e) {
          results[i] = { status: 'rejected', reason: e };
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(MAX_PARALLEL_LAYERS, img.layers.length) }, worker));
    const failed = results.find((r) => r.status === 'rejected');
    if (failed) {
      throw failed.reason;
    }
    return results.map((r) => (r as PromiseFulfilledResult<StoredLayer & { mediaType: string }>).value);
  }

  private async ensureOneLayer(img: NewImage, l: LayerSource): Promise<StoredLayer & { mediaType: string }> {
    if (l.digest !== undefined && l.size !== undefined && (await this.hasLayer(l.diffId))) {
      img.onLayer?.({ phase: 'exists', diffId: l.diffId, digest: l.digest });
      return { digest: l.digest, diffId: l.diffId, size: l.size, mediaType: l.mediaType ?? MEDIA_TYPE.ociLayer };
    }
    let digest = l.digest;
    let size = l.size;
    if (digest === undefined || !(await this.hasBlob(digest))) {
      const w = await this.writeBlob(await l.open(), { digest: l.digest, size: l.size }, (current) =>
        img.onLayer?.({ phase: 'downloading', digest: l.digest, current, total: l.size }),
      );
      digest = w.digest;
      size = w.size;
    }
    size ??= (await stat(this.blobPath(digest))).size;
    await this.ensureLayer(digest, l.diffId);
    img.onLayer?.({ phase: 'extracted', diffId: l.diffId, digest, size });
    return { digest, diffId: l.diffId, size, mediaType: l.mediaType ?? (await this.layerMediaType(digest)) };
  }

  private async layerMediaType(digest: Digest): Promise<string> {
    const fh = createReadStream(this.blobPath(digest), { start: 0, end: 3 });
    let head = Buffer.alloc(0);
    for await (const c of fh) {
      head = Buffer.concat([head, c as Buffer]);
    }
    const compression = detectCompression(head);
    return compression === 'gzip'
      ? MEDIA_TYPE.ociLayerGzip
      : compression === 'zstd'
        ? MEDIA_TYPE.ociLayerZstd
        : MEDIA_TYPE.ociLayer;
  }

  /** Puts `img` in the index (replacing an entry with the same id), moving its tags to it. */
  private commit(index: IndexFile, img: StoredImage): StoredImage {
    const existing = index.images.find((i) => i.id === img.id);
    for (const other of index.images) {
      if (other !== existing) {
        other.repoTags = other.repoTags.filter((t) => !img.repoTags.includes(t));
      }
    }
    if (existing) {
      existing.repoTags = union(existing.repoTags, img.repoTags);
      existing.repoDigests = union(existing.repoDigests, img.repoDigests);
      existing.layers = img.layers;
      existing.manifestDigest = img.manifestDigest;
      return existing;
    }
    index.images.push(img);
    return img;
  }

  /** Adds the reference `dst` to the image `src` names (moving it from any other image). */
  async tag(src: string, dst: string): Promise<ImageInfo> {
    const ref = normalizeImageReference(dst);
    if (parseImageReference(ref).digest !== undefined) {
      throw new Error(`refusing to create a tag with a digest reference: ${dst}`);
    }
    return this.updateIndex((index) => {
      const img = this.find(index, src);
      if (!img) {
        throw new ImageNotFoundError(src);
      }
      for (const other of index.images) {
        other.repoTags = other.repoTags.filter((t) => t !== ref);
      }
      img.repoTags.push(ref);
      return this.info(img);
    });
  }

  /**
   * docker rmi: removes a reference, and the image once nothing names it; by id, the
   * image and every reference go. Rejects ImageNotFoundError when nothing matches.
   */
  async untag(ref: string): Promise<RemoveResult> {
    let normalized: string | undefined;
    try {
      normalized = normalizeImageReference(ref);
    } catch {
      normalized = undefined; // an id
    }
    const { result, trash } = await this.updateIndex((index) => {
      const img = this.find(index, ref);
      if (!img) {
        throw new ImageNotFoundError(ref);
      }
      if (normalized !== undefined && img.repoTags.includes(normalized) && img.repoTags.length > 1) {
        img.repoTags = img.repoTags.filter((t) => t !== normalized);
        return { result: { untagged: [normalized], deleted: [] }, trash: [] };
      }
      return this.drop(index, img);
    });
    await this.emptyTrash(trash);
    return result;
  }

  /** CRI RemoveImage: the image and all its references; unused blobs and layers go too. Idempotent. */
  async remove(refOrId: string): Promise<RemoveResult> {
    const { result, trash } = await this.updateIndex((index) => {
      const img = this.find(index, refOrId);
      if (!img) {
        return { result: { untagged: [], deleted: [] }, trash: [] };
      }
      return this.drop(index, img);
    });
    await this.emptyTrash(trash);
    return result;
  }

  /** Takes `img` out of the index and moves its unshared blobs and layers to tmp/ (under the lock). */
  private async drop(index: IndexFile, img: StoredImage): Promise<{ result: RemoveResult; trash: string[] }> {
    index.images = index.images.filter((i) => i !== img);
    const usedBlobs = new Set<string>();
    const usedLayers = new Set<string>();
    for (const other of index.images) {
      usedBlobs.add(other.id).add(other.manifestDigest);
      for (const l of other.layers) {
        usedBlobs.add(l.digest);
        usedLayers.add(l.diffId);
      }
    }
    // Layers other images keep stay, mounted or not; one only this image has must not be
    // pulled out from under a container (the index is left as it was: fn throws first).
    const mounted = await mountedLowerDirs();
    const busy = img.layers
      .filter((l) => !usedLayers.has(l.diffId))
      .map((l) => this.layerDir(l.diffId))
      .find((d) => mounted.has(d));
    if (busy !== undefined) {
      throw new ImageInUseError(img.repoTags[0] ?? img.id, busy);
    }
    const trash: string[] = [];
    const move = async (path: string): Promise<void> => {
      const to = this.tmpName('trash');
      try {
        await rename(path, to);
        trash.push(to);
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'ENOENT') {
          throw e;
        }
      }
    };
    for (const b of [img.id, img.manifestDigest, ...img.layers.map((l) => l.digest)]) {
      if (!usedBlobs.has(b)) {
        await move(this.blobPath(b));
      }
    }
    for (const l of img.layers) {
      if (!usedLayers.has(l.diffId)) {
        await move(this.layerDir(l.diffId));
      }
    }
    return { result: { untagged: [...img.repoTags, ...img.repoDigests], deleted: [img.id] }, trash };
  }

  /** Deletes what drop() moved aside, outside the lock (a big layer takes a while). */
  private async emptyTrash(paths: string[]): Promise<void> {
    for (const p of paths) {
      await rm(p, { recursive: true, force: true });
    }
  }
}

/** An OCI manifest for an image that came without one (docker save, a rootfs import). */
function synthesizeManifest(
  configDigest: Digest,
  configSize: number,
  layers: readonly { digest: Digest; size: number; mediaType: string }[],
): Buffer {
  const manifest: ImageManifest & { mediaType: string } = {
    schemaVersion: 2,
    mediaType: MEDIA_TYPE.ociManifest,
    config: { mediaType: MEDIA_TYPE.ociConfig, digest: configDigest, size: configSize },
    layers: layers.map((l): Descriptor => ({ mediaType: l.mediaType, digest: l.digest, size: l.size })),
  };
  return Buffer.from(JSON.stringify(manifest));
}

async function* oneChunk(b: Buffer): AsyncGenerator<Buffer> {
  yield b;
}

function union(a: readonly string[], b: readonly string[]): string[] {
  return [...new Set([...a, ...b])];
}

async function exists(path: string): Promise<boolean> {
  try {
    await lstat(path);
    return true;
  } catch {
    return false;
  }
}
