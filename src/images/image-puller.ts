// `podbay image pull` and the runtime's PullImage: resolve a reference on its registry,
// pick the platform's manifest from an index, fetch config and layers with every blob's
// digest (and size) verified before it is stored, and unpack each layer once (a layer
// already unpacked, from any image, is not downloaded again).
import { normalizeImageReference, parseImageReference, type ImageRef } from '../api/image-ref.js';
import { DigestMismatchError, isDigest, sha256Digest, type Digest } from './digest.js';
import { ImagePullError, RegistryError } from './image-pull-error.js';
import type { ImageManifest, Platform } from './image-spec.js';
import { INDEX_MEDIA_TYPES, MANIFEST_MEDIA_TYPES, parseImageConfig, parseManifestDocument } from './image-spec.js';
import type { ImageInfo, ImageStore, LayerEvent } from './image-store.js';
import { choosePlatformManifest, formatPlatform, hostPlatform, parsePlatform } from './platform.js';
import { RegistryClient, type FetchFn, type RegistryAuth } from './registry-client.js';

/** What a pull reports as it goes (the CLI draws progress from it). */
export type PullProgress =
  | { kind: 'resolved'; ref: string; digest: string; platform: string; layers: { digest: string; size: number }[] }
  | ({ kind: 'layer' } & LayerEvent)
  | { kind: 'done'; id: string };

export interface PullOptions {
  auth?: RegistryAuth;
  onProgress?: (p: PullProgress) => void;
  /** "linux/arm64" or a Platform; default: the host's. */
  platform?: Platform | string;
  /** For tests: the fetch implementation. */
  fetch?: FetchFn;
}

const ACCEPT = [...MANIFEST_MEDIA_TYPES, ...INDEX_MEDIA_TYPES];

/** Pulls `ref` into `store`; rejects with an ImagePullError worded as containerd's. */
export async function pullImage(store: ImageStore, ref: string, opts: PullOptions = {}): Promise<ImageInfo> {
  let normalized: string;
  let parsed: ImageRef;
  try {
    normalized = normalizeImageReference(ref);
    parsed = parseImageReference(normalized);
  } catch (e) {
    throw new ImagePullError('InvalidArgument', `failed to pull and unpack image "${ref}": ${(e as Error).message}`);
  }
  try {
    return await pullParsed(store, normalized, parsed, opts);
  } catch (e) {
    if (e instanceof ImagePullError) {
      throw e;
    }
    const prefix = `failed to pull and unpack image "${normalized}": `;
    if (e instanceof RegistryError) {
      throw new ImagePullError(e.code, prefix + e.message, e.pullReason);
    }
    throw new ImagePullError('Unknown', prefix + (e instanceof Error ? e.message : String(e)));
  }
}

async function pullParsed(
  store: ImageStore,
  normalized: string,
  parsed: ImageRef,
  opts: PullOptions,
): Promise<ImageInfo> {
  const platform = typeof opts.platform === 'string' ? parsePlatform(opts.platform) : (opts.platform ?? hostPlatform());
  const client = new RegistryClient(parsed, { auth: opts.auth, fetch: opts.fetch, userAgent: 'podbay' });
  const reference = parsed.digest ?? parsed.tag ?? 'latest';

  // Resolve: containerd's "failed to resolve reference" covers the top-level manifest fetch.
  let top: { bytes: Buffer; mediaType: string; digestHeader?: string };
  try {
    top = await client.getManifest(reference, ACCEPT);
  } catch (e) {
    if (e instanceof RegistryError) {
      const why = e.code === 'NotFound' ? `${normalized}: not found: ${e.message}` : e.message;
      throw new RegistryError(e.code, `failed to resolve reference "${normalized}": ${why}`, e.status, e.pullReason);
    }
    throw e;
  }
  const topDigest = sha256Digest(top.bytes);
  verifyManifestDigest(topDigest, parsed.digest, top.digestHeader);

  let doc = parseManifestDocument(top.bytes, top.mediaType);
  let manifestBytes = top.bytes;
  if (doc.kind === 'index') {
    const chosen = choosePlatformManifest(doc.index.manifests, platform);
    if (!chosen) {
      const have = doc.index.manifests.flatMap((m) => (m.platform ? [formatPlatform(m.platform)] : [])).join(', ');
      throw new RegistryError(
        'NotFound',
        `no match for platform ${formatPlatform(platform)} in manifest ${topDigest}${have ? ` (it has ${have})` : ''}`,
      );
    }
    const m = await client.getManifest(chosen.digest, ACCEPT);
    manifestBytes = m.bytes;
    verifyManifestDigest(sha256Digest(m.bytes), chosen.digest, m.digestHeader);
    doc = parseManifestDocument(m.bytes, m.mediaType);
    if (doc.kind !== 'manifest') {
      throw new Error(`manifest ${chosen.digest} for ${formatPlatform(platform)} is an index, not an image manifest`);
    }
  }
  const manifest: ImageManifest = doc.manifest;
  opts.onProgress?.({
    kind: 'resolved',
    ref: normalized,
    digest: topDigest,
    platform: formatPlatform(platform),
    layers: manifest.layers.map((l) => ({ digest: l.digest, size: l.size })),
  });

  if (!isDigest(manifest.config.digest)) {
    throw new Error(`unsupported config digest ${manifest.config.digest}`);
  }
  const configBytes = await readAll(await client.getBlob(manifest.config.digest));
  const configDigest = sha256Digest(configBytes);
  if (configBytes.length !== manifest.config.size) {
    throw new Error(
      `config ${manifest.config.digest} is ${configBytes.length} bytes, its descriptor says ${manifest.config.size}`,
    );
  }
  if (configDigest !== manifest.config.digest) {
    throw new DigestMismatchError(manifest.config.digest, configDigest, 'config');
  }
  const config = parseImageConfig(configBytes);
  if (config.rootfs.diff_ids.length !== manifest.layers.length) {
    throw new Error(
      `image config lists ${config.rootfs.diff_ids.length} layers, the manifest ${manifest.layers.length}`,
    );
  }
  const info = await store.addImage({
    configBytes,
    configDigest,
    manifestBytes,
    layers: manifest.layers.map((l, i) => {
      const diffId = config.rootfs.diff_ids[i]!;
      if (!isDigest(l.digest) || !isDigest(diffId)) {
        throw new Error(`unsupported layer digest ${l.digest} (diff_id ${diffId})`);
      }
      return { diffId, digest: l.digest, size: l.size, mediaType: l.mediaType, open: () => client.getBlob(l.digest) };
    }),
    // A digest wins over a tag given with it, and names no tag (containerd CRI does the same).
    repoTags: parsed.digest === undefined ? [normalized] : [],
    repoDigests: [`${parsed.name}@${topDigest}`],
    onLayer: (e) => opts.onProgress?.({ kind: 'layer', ...e }),
  });
  opts.onProgress?.({ kind: 'done', id: info.id });
  return info;
}

/** A manifest fetched by digest must hash to it; a tag's Docker-Content-Digest header must match too. */
function verifyManifestDigest(actual: Digest, byDigest: string | undefined, header: string | undefined): void {
  if (byDigest !== undefined && actual !== byDigest) {
    throw new DigestMismatchError(byDigest, actual, 'manifest');
  }
  if (header !== undefined && isDigest(header) && header !== actual) {
    throw new DigestMismatchError(header, actual, 'manifest (Docker-Content-Digest)');
  }
}

async function readAll(source: AsyncIterable<Uint8Array>): Promise<Buffer> {
  const parts: Uint8Array[] = [];
  for await (const c of source) {
    parts.push(c);
  }
  return Buffer.concat(parts);
}
