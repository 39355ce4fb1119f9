// The sim's images: which references are "present" on the node and their
// configs. Nothing is downloaded; ids are derived from the reference so they
// are stable across runs (goldens) and distinct per image.
import { createHash } from 'node:crypto';
import type { Image } from '../runtime.js';

/** The config of an image the sim knows; unknown images get DEFAULT_SIM_IMAGE_CONFIG. */
export type SimImageConfig = Pick<Image, 'user' | 'env' | 'entrypoint' | 'cmd' | 'workingDir' | 'size'>;

/**
 * Sim images have no ENTRYPOINT/CMD, so a container without `command`/`args`
 * runs until stopped (the sim's default behaviour); env as busybox has it.
 */
export const DEFAULT_SIM_IMAGE_CONFIG: SimImageConfig = {
  user: '',
  env: ['PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin'],
  entrypoint: [],
  cmd: [],
  workingDir: '',
  size: 4_194_304,
};

/**
 * Docker reference normalisation (distribution/reference ParseNormalizedNamed):
 * no domain → docker.io, a single docker.io path component → library/, no tag
 * and no digest → :latest. Ids ("sha256:…") are returned unchanged.
 */
export function normaliseImageRef(ref: string): string {
  if (/^sha256:[0-9a-f]{64}$/.test(ref)) {
    return ref;
  }
  let name = ref;
  let suffix = '';
  const at = name.indexOf('@');
  if (at >= 0) {
    suffix = name.slice(at);
    name = name.slice(0, at);
  }
  const slash = name.lastIndexOf('/');
  const colon = name.lastIndexOf(':');
  if (colon > slash) {
    suffix = name.slice(colon) + suffix;
    name = name.slice(0, colon);
  } else if (suffix === '') {
    suffix = ':latest';
  }
  const first = name.split('/')[0]!;
  const hasDomain = name.includes('/') && (first.includes('.') || first.includes(':') || first === 'localhost');
  if (!hasDomain) {
    name = `docker.io/${name}`;
  }
  if (/^docker\.io\/[^/]+$/.test(name)) {
    name = name.replace('docker.io/', 'docker.io/library/');
  }
  return name + suffix;
}

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

export class SimImageStore {
  private readonly byId = new Map<string, Image>();
  private readonly byRef = new Map<string, Image>();

  constructor(private readonly configs: Record<string, Partial<SimImageConfig>> = {}) {}

  /** The present image a reference or id names. */
  get(refOrId: string): Image | undefined {
    const n = normaliseImageRef(refOrId);
    return this.byId.get(n) ?? this.byRef.get(n);
  }

  /** Makes `ref` present (a pull finished) and returns the image. */
  add(ref: string): Image {
    const n = normaliseImageRef(ref);
    const existing = this.byRef.get(n) ?? this.byId.get(n);
    if (existing) {
      return existing;
    }
    const repo = n.replace(/(@.*|:[^/:]*)$/, '');
    const config: SimImageConfig = { ...DEFAULT_SIM_IMAGE_CONFIG, ...(this.configs[ref] ?? this.configs[n] ?? {}) };
    const image: Image = {
      id: `sha256:${sha256(`config:${n}`)}`,
      repoTags: n.includes('@') ? [] : [n],
      repoDigests: [n.includes('@') ? n : `${repo}@sha256:${sha256(`manifest:${n}`)}`],
      user: config.user,
      env: [...config.env],
      entrypoint: [...config.entrypoint],
      cmd: [...config.cmd],
      workingDir: config.workingDir,
      size: config.size,
      pinned: false,
    };
    this.byId.set(image.id, image);
    this.byRef.set(n, image);
    return image;
  }

  list(): Image[] {
    return [...this.byId.values()];
  }

  /** Forgets the image and every reference to it; returns whether it was present. */
  remove(refOrId: string): Image | undefined {
    const image = this.get(refOrId);
    if (!image) {
      return undefined;
    }
    this.byId.delete(image.id);
    for (const [ref, img] of this.byRef) {
      if (img === image) {
        this.byRef.delete(ref);
      }
    }
    return image;
  }
}
