// The JSON documents of OCI images and their Docker schema2 twins (image-spec
// manifest.md, image-index.md, config.md; distribution's manifest/schema2 and
// manifestlist). Only the fields podbay reads or writes are typed.

export const MEDIA_TYPE = {
  ociManifest: 'application/vnd.oci.image.manifest.v1+json',
  ociIndex: 'application/vnd.oci.image.index.v1+json',
  ociConfig: 'application/vnd.oci.image.config.v1+json',
  ociLayer: 'application/vnd.oci.image.layer.v1.tar',
  ociLayerGzip: 'application/vnd.oci.image.layer.v1.tar+gzip',
  ociLayerZstd: 'application/vnd.oci.image.layer.v1.tar+zstd',
  dockerManifest: 'application/vnd.docker.distribution.manifest.v2+json',
  dockerManifestList: 'application/vnd.docker.distribution.manifest.list.v2+json',
  dockerConfig: 'application/vnd.docker.container.image.v1+json',
  dockerLayerGzip: 'application/vnd.docker.image.rootfs.diff.tar.gzip',
  dockerForeignLayerGzip: 'application/vnd.docker.image.rootfs.foreign.diff.tar.gzip',
} as const;

export const MANIFEST_MEDIA_TYPES: readonly string[] = [MEDIA_TYPE.ociManifest, MEDIA_TYPE.dockerManifest];
export const INDEX_MEDIA_TYPES: readonly string[] = [MEDIA_TYPE.ociIndex, MEDIA_TYPE.dockerManifestList];

export interface Platform {
  architecture: string;
  os: string;
  variant?: string;
  'os.version'?: string;
}

export interface Descriptor {
  mediaType: string;
  digest: string;
  size: number;
  platform?: Platform;
  annotations?: Record<string, string>;
}

export interface ImageManifest {
  schemaVersion: 2;
  mediaType?: string;
  config: Descriptor;
  layers: Descriptor[];
}

export interface ImageIndex {
  schemaVersion: 2;
  mediaType?: string;
  manifests: Descriptor[];
}

/** The `config` object inside an image config (what a container starts from). */
export interface ContainerConfig {
  User?: string;
  Env?: string[];
  Entrypoint?: string[];
  Cmd?: string[];
  WorkingDir?: string;
  ExposedPorts?: Record<string, object>;
  Labels?: Record<string, string>;
  StopSignal?: string;
}

export interface ImageConfig {
  architecture: string;
  os: string;
  variant?: string;
  created?: string;
  config?: ContainerConfig;
  rootfs: { type: 'layers'; diff_ids: string[] };
  history?: { created?: string; created_by?: string; comment?: string; empty_layer?: boolean }[];
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function isDescriptor(v: unknown): v is Descriptor {
  return isObject(v) && typeof v.digest === 'string' && typeof v.size === 'number';
}

/** An image manifest or index, told apart by mediaType (or shape, when it has none). */
export function parseManifestDocument(
  bytes: Buffer | string,
  mediaTypeHint?: string,
): { kind: 'manifest'; manifest: ImageManifest } | { kind: 'index'; index: ImageIndex } {
  let doc: unknown;
  try {
    doc = JSON.parse(bytes.toString());
  } catch {
    throw new Error('invalid manifest: not JSON');
  }
  if (!isObject(doc)) {
    throw new Error('invalid manifest: not an object');
  }
  const mt = typeof doc.mediaType === 'string' ? doc.mediaType : mediaTypeHint?.split(';')[0]?.trim();
  if (Array.isArray(doc.manifests) && (mt === undefined || INDEX_MEDIA_TYPES.includes(mt))) {
    if (!doc.manifests.every(isDescriptor)) {
      throw new Error('invalid image index: bad descriptor');
    }
    return { kind: 'index', index: doc as unknown as ImageIndex };
  }
  if (isDescriptor(doc.config) && Array.isArray(doc.layers)) {
    if (!doc.layers.every(isDescriptor)) {
      throw new Error('invalid manifest: bad layer descriptor');
    }
    return { kind: 'manifest', manifest: doc as unknown as ImageManifest };
  }
  throw new Error(`unsupported manifest media type ${mt ?? '(none)'} (schema 1 manifests are not supported)`);
}

export function parseImageConfig(bytes: Buffer | string): ImageConfig {
  let doc: unknown;
  try {
    doc = JSON.parse(bytes.toString());
  } catch {
    throw new Error('invalid image config: not JSON');
  }
  if (!isObject(doc) || !isObject(doc.rootfs) || !Array.isArray(doc.rootfs.diff_ids)) {
    throw new Error('invalid image config: no rootfs.diff_ids');
  }
  return doc as unknown as ImageConfig;
}
