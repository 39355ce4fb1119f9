// The port the oci runtime drives (src/runtime/oci/ports.ts OciImageSource), implemented
// over the image service. The types are declared here, structurally identical to the
// runtime's, because src/images must not import src/runtime (STYLE.md §8: runtime →
// images, never back); main.ts passes the result where an OciImageSource is wanted.
import { ImagePullError } from './image-pull-error.js';
import type { ImageService } from './image-service.js';
import type { ImageInfo } from './image-store.js';
import type { RegistryAuth } from './registry-client.js';

/** ports.ts OciImage. */
export interface OciImageView {
  id: string;
  repoTags: string[];
  repoDigests: string[];
  size: number;
  config: { User?: string; Env?: string[]; Entrypoint?: string[]; Cmd?: string[]; WorkingDir?: string };
  layerDirs: string[];
}

/** ports.ts OciImageSource. */
export interface OciImageSourceView {
  get(refOrId: string): Promise<OciImageView | undefined>;
  /** Rejects with an ImagePullError: `code` ('NotFound' | 'Unavailable' | 'InvalidArgument' | 'Unknown'), `pullReason`, containerd's wording. */
  pull(ref: string, auth?: RegistryAuth): Promise<string>;
  list(): Promise<OciImageView[]>;
  remove(refOrId: string): Promise<void>;
}

function view(i: ImageInfo): OciImageView {
  const config: OciImageView['config'] = {};
  const c = i.config;
  if (c.User !== undefined) {
    config.User = c.User;
  }
  if (c.Env !== undefined) {
    config.Env = c.Env;
  }
  if (c.Entrypoint !== undefined) {
    config.Entrypoint = c.Entrypoint;
  }
  if (c.Cmd !== undefined) {
    config.Cmd = c.Cmd;
  }
  if (c.WorkingDir !== undefined) {
    config.WorkingDir = c.WorkingDir;
  }
  return { id: i.id, repoTags: i.repoTags, repoDigests: i.repoDigests, size: i.size, config, layerDirs: i.layerDirs };
}

export interface OciImageSourceOptions {
  /**
   * Turns a pull failure into the runtime's error (main.ts passes
   * `(e) => new RuntimeError(e.code, e.message, e.pullReason)`, as ports.ts asks);
   * without it the ImagePullError itself is thrown.
   */
  mapPullError?: (e: ImagePullError) => Error;
}

export function createOciImageSource(images: ImageService, opts: OciImageSourceOptions = {}): OciImageSourceView {
  return {
    async get(refOrId) {
      const i = await images.get(refOrId);
      return i ? view(i) : undefined;
    },
    async pull(ref, auth) {
      try {
        return (await images.pull(ref, auth ? { auth } : {})).id;
      } catch (e) {
        throw e instanceof ImagePullError && opts.mapPullError ? opts.mapPullError(e) : e;
      }
    },
    async list() {
      return (await images.list()).map(view);
    },
    async remove(refOrId) {
      await images.remove(refOrId);
    },
  };
}
