// Pull failures, worded as containerd's CRI plugin words them so the kubelet's
// ErrImagePull message reads as on a real cluster:
//
//   failed to pull and unpack image "docker.io/library/x:1": failed to resolve reference
//   "docker.io/library/x:1": docker.io/library/x:1: not found
//
// (containerd internal/cri/server/images/image_pull.go "failed to pull and unpack
// image %q: %w"; core/remotes/docker/resolver.go "%v: not found", "failed to do
// request: %w", "pull access denied, repository does not exist or may require
// authorization: ..."). The code follows the gRPC code containerd answers with; the
// oci runtime turns this into its RuntimeError (src/images cannot import src/runtime).

/** gRPC-style kinds, the subset a pull can fail with (runtime.ts RuntimeErrorCode). */
export type ImagePullErrorCode = 'NotFound' | 'Unavailable' | 'InvalidArgument' | 'Unknown';

export class ImagePullError extends Error {
  constructor(
    readonly code: ImagePullErrorCode,
    message: string,
    /** kubelet's dedicated reason (images/types.go ErrRegistryUnavailable) when the registry cannot be reached. */
    readonly pullReason?: 'RegistryUnavailable',
  ) {
    super(message);
    this.name = 'ImagePullError';
  }
}

/** A registry answered with an error (or could not be reached) while a reference or blob was fetched. */
export class RegistryError extends Error {
  constructor(
    readonly code: ImagePullErrorCode,
    message: string,
    readonly status?: number,
    readonly pullReason?: 'RegistryUnavailable',
  ) {
    super(message);
    this.name = 'RegistryError';
  }
}

export function isImagePullError(e: unknown): e is ImagePullError {
  return e instanceof ImagePullError;
}
