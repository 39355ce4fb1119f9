// Small images built in memory for tests: layer tars, config, manifest, optional index,
// every blob keyed by digest, ready to serve from a fake registry, push to a real one,
// or write as a docker-save / OCI archive.
import { gzipSync } from 'node:zlib';
import { sha256Digest, type Digest } from '../digest.js';
import type { ContainerConfig, Descriptor, ImageConfig, Platform } from '../image-spec.js';
import { MEDIA_TYPE } from '../image-spec.js';
import { buildTar, type TarInputEntry } from '../tar-writer.js';

export type TestCompression = 'none' | 'gzip' | 'zstd';

/**
 * A zstd frame holding `data` in raw (stored) blocks (RFC 8878 §3.1.1): valid zstd
 * that any decoder reads, made without a compressor.
 */
export function zstdRawFrame(data: Buffer): Buffer {
  const parts: Buffer[] = [Buffer.from([0x28, 0xb5, 0x2f, 0xfd])];
  // Frame header: Single_Segment_Flag with a 4-byte Frame_Content_Size.
  const fhd = Buffer.alloc(5);
  fhd[0] = 0xa0;
  fhd.writeUInt32LE(data.length, 1);
  parts.push(fhd);
  const MAX = 128 * 1024;
  let off = 0;
  do {
    const n = Math.min(MAX, data.length - off);
    const last = off + n >= data.length ? 1 : 0;
    const h = (n << 3) | last; // block type 0 = Raw
    parts.push(Buffer.from([h & 0xff, (h >> 8) & 0xff, (h >> 16) & 0xff]), data.subarray(off, off + n));
    off += n;
  } while (off < data.length);
  return Buffer.concat(parts);
}

export function compress(data: Buffer, c: TestCompression): Buffer {
  return c === 'gzip' ? gzipSync(data) : c === 'zstd' ? zstdRawFrame(data) : data;
}

const LAYER_MEDIA_TYPE: Record<TestCompression, string> = {
  none: MEDIA_TYPE.ociLayer,
  gzip: MEDIA_TYPE.ociLayerGzip,
  zstd: MEDIA_TYPE.ociLayerZstd,
};

export interface TestImage {
  manifest: Buffer;
  manifestDigest: Digest;
  config: Buffer;
  configDigest: Digest;
  /** Uncompressed layer tars, lowest first. */
  layerTars: Buffer[];
  diffIds: Digest[];
  layerDigests: Digest[];
  /** Every blob (config and layers) by digest. */
  blobs: Map<string, Buffer>;
  manifestMediaType: string;
}

export interface TestImageOptions {
  layers: TarInputEntry[][];
  compression?: TestCompression;
  config?: ContainerConfig;
  platform?: Platform;
  /** Docker schema2 media types instead of OCI. */
  docker?: boolean;
}

export function buildTestImage(o: TestImageOptions): TestImage {
  const compression = o.compression ?? 'gzip';
  const platform = o.platform ?? { os: 'linux', architecture: 'amd64' };
  const layerTars = o.layers.map((entries) => buildTar(entries));
  const diffIds = layerTars.map((t) => sha256Digest(t));
  const layerBlobs = layerTars.map((t) => compress(t, compression));
  const layerDigests = layerBlobs.map((b) => sha256Digest(b));
  const configDoc: ImageConfig = {
    architecture: platform.architecture,
    os: platform.os,
    ...(platform.variant ? { variant: platform.variant } : {}),
    config: o.config ?? { Env: ['PATH=/bin'], Cmd: ['sh'] },
    rootfs: { type: 'layers', diff_ids: diffIds },
  };
  const config = Buffer.from(JSON.stringify(configDoc));
  const configDigest = sha256Digest(config);
  const manifestMediaType = o.docker ? MEDIA_TYPE.dockerManifest : MEDIA_TYPE.ociManifest;
  const manifest = Buffer.from(
    JSON.stringify({
      schemaVersion: 2,
      mediaType: manifestMediaType,
      config: {
        mediaType: o.docker ? MEDIA_TYPE.dockerConfig : MEDIA_TYPE.ociConfig,
        digest: configDigest,
        size: config.length,
      },
      layers: layerBlobs.map((b, i): Descriptor => ({
        mediaType: o.docker ? MEDIA_TYPE.dockerLayerGzip : LAYER_MEDIA_TYPE[compression],
        digest: layerDigests[i]!,
        size: b.length,
      })),
    }),
  );
  const blobs = new Map<string, Buffer>([[configDigest, config]]);
  layerBlobs.forEach((b, i) => blobs.set(layerDigests[i]!, b));
  return {
    manifest,
    manifestDigest: sha256Digest(manifest),
    config,
    configDigest,
    layerTars,
    diffIds,
    layerDigests,
    blobs,
    manifestMediaType,
  };
}

/** An OCI index (or Docker manifest list) over images, each with its config's platform. */
export function buildTestIndex(
  images: { image: TestImage; platform: Platform }[],
  docker = false,
): { index: Buffer; digest: Digest; mediaType: string } {
  const mediaType = docker ? MEDIA_TYPE.dockerManifestList : MEDIA_TYPE.ociIndex;
  const index = Buffer.from(
    JSON.stringify({
      schemaVersion: 2,
      mediaType,
      manifests: images.map(({ image, platform }) => ({
        mediaType: image.manifestMediaType,
        digest: image.manifestDigest,
        size: image.manifest.length,
        platform,
      })),
    }),
  );
  return { index, digest: sha256Digest(index), mediaType };
}
