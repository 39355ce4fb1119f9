// Pull by policy with a per-pod back-off: k8s pkg/kubelet/images/image_manager.go
// (#EnsureImageExists, #shouldPullImage, #evalCRIPullErr), events and messages
// as upstream (pod-semantics.md §4.4, §12):
//
//   policy Never, absent          ErrImageNeverPull   `Container image "x" is not present with pull policy of Never`
//   IfNotPresent/Never, present   Pulled              `Container image "x" already present on machine`
//   in back-off                   ImagePullBackOff    BackOff (Normal) `Back-off pulling image "x"`
//   pull                          Pulling             `Pulling image "x"`
//   pull failed                   ErrImagePull (or a specific reason), Failed (Warning) `Failed to pull image "x": <err>`
//   pulled                        Pulled              `Successfully pulled image "x" in 1.2s (1.2s including waiting). Image size: N bytes.`
import { defaultImagePullPolicy, parseImageReference } from '../../api/image-ref.js';
import type { Container, ObjectReference, Pod, Secret } from '../../api/types/index.js';
import { pullAuthFor } from './pull-secrets.js';
import type { Clock } from '../../lib/clock.js';
import type { PodSandboxConfig, Runtime } from '../../runtime/runtime.js';
import { isRuntimeError } from '../../runtime/runtime.js';
import { goDuration, newImagePullBackoff } from '../backoff/backoff.js';
import type { Backoff } from '../backoff/backoff.js';
import {
  EVENT_BACK_OFF,
  EVENT_ERR_IMAGE_NEVER_PULL,
  EVENT_FAILED,
  EVENT_INSPECT_FAILED,
  EVENT_PULLED_IMAGE,
  EVENT_PULLING_IMAGE,
  REASON_ERR_IMAGE_NEVER_PULL,
  REASON_ERR_IMAGE_PULL,
  REASON_IMAGE_INSPECT_ERROR,
  REASON_IMAGE_PULL_BACK_OFF,
  REASON_INVALID_IMAGE_NAME,
  REASON_REGISTRY_UNAVAILABLE,
  REASON_SIGNATURE_VALIDATION_FAILED,
} from '../events.js';
import type { EventRecorderLike } from '../prober/event-recorder-like.js';

export type EnsureImageResult =
  | { ok: true; imageRef: string }
  | {
      ok: false;
      reason: string;
      message: string;
      /** ms until the back-off ends, when in back-off */ retryInMs?: number;
    };

export interface ImageManagerOptions {
  runtime: Pick<Runtime, 'pullImage' | 'imageStatus'>;
  clock: Clock;
  recorder: EventRecorderLike;
  backoff?: Backoff;
  /** Secret lookup for imagePullSecrets (default: none). */
  secret?: (namespace: string, name: string) => Promise<Secret | undefined>;
}

export class ImageManager {
  readonly backoff: Backoff;

  constructor(private readonly opts: ImageManagerOptions) {
    this.backoff = opts.backoff ?? newImagePullBackoff(opts.clock);
  }

  /** Makes sure the container's image is present, pulling it when the policy says so. */
  async ensureImageExists(
    pod: Pod,
    container: Container,
    ref: ObjectReference,
    sandboxConfig: PodSandboxConfig,
  ): Promise<EnsureImageResult> {
    const requested = container.image ?? '';
    const event = (type: 'Normal' | 'Warning', reason: string, message: string): void =>
      this.opts.recorder.event(ref, type, reason, message);
    let image: string;
    try {
      // applyDefaultImageTag: a reference without tag or digest means :latest.
      const r = parseImageReference(requested);
      image = r.tag || r.digest ? requested : `${requested}:latest`;
    } catch (e) {
      const msg = `Failed to apply default image tag "${requested}": ${(e as Error).message}`;
      event('Warning', EVENT_INSPECT_FAILED, msg);
      return { ok: false, reason: REASON_INVALID_IMAGE_NAME, message: msg };
    }
    let present: string | undefined;
    try {
      present = (await this.opts.runtime.imageStatus({ image, userSpecifiedImage: requested }))?.id;
    } catch (e) {
      const msg = `Failed to inspect image "${image}": ${(e as Error).message}`;
      event('Warning', EVENT_INSPECT_FAILED, msg);
      return { ok: false, reason: REASON_IMAGE_INSPECT_ERROR, message: msg };
    }
    // The API server defaults it; a pod built elsewhere gets the same default (pod-semantics.md §10).
    const policy = container.imagePullPolicy ?? defaultImagePullPolicy(requested);
    const shouldPull = policy === 'Always' || (policy === 'IfNotPresent' && !present);
    if (!shouldPull) {
      if (present) {
        event('Normal', EVENT_PULLED_IMAGE, `Container image "${requested}" already present on machine`);
        return { ok: true, imageRef: present };
      }
      const msg = `Container image "${requested}" is not present with pull policy of Never`;
      event('Warning', EVENT_ERR_IMAGE_NEVER_PULL, msg);
      return { ok: false, reason: REASON_ERR_IMAGE_NEVER_PULL, message: msg };
    }
    const key = `${pod.metadata.uid ?? ''}_${image}`;
    const now = this.opts.clock.now();
    const left = this.backoff.remainingSinceUpdate(key, now);
    if (left > 0) {
      const msg = `Back-off pulling image "${requested}"`;
      event('Normal', EVENT_BACK_OFF, msg);
      return { ok: false, reason: REASON_IMAGE_PULL_BACK_OFF, message: msg, retryInMs: left };
    }
    event('Normal', EVENT_PULLING_IMAGE, `Pulling image "${requested}"`);
    const start = this.opts.clock.now();
    let imageRef: string;
    try {
      const auth = this.opts.secret ? await pullAuthFor(pod, image, this.opts.secret) : undefined;
      imageRef = await this.opts.runtime.pullImage({ image, userSpecifiedImage: requested }, auth, sandboxConfig);
    } catch (e) {
      const err = (e as Error).message;
      event('Warning', EVENT_FAILED, `Failed to pull image "${requested}": ${err}`);
      this.backoff.next(key, this.opts.clock.now());
      return { ok: false, ...evalPullError(requested, e), retryInMs: this.backoff.get(key) };
    }
    const took = goDuration(this.opts.clock.now() - start);
    const size = (await this.opts.runtime.imageStatus({ image: imageRef }).catch(() => undefined))?.size ?? 0;
    event(
      'Normal',
      EVENT_PULLED_IMAGE,
      `Successfully pulled image "${requested}" in ${took} (${took} including waiting). Image size: ${size} bytes.`,
    );
    this.backoff.reset(key);
    return { ok: true, imageRef };
  }

  /** Forgets the pod's pull back-offs (it left the node). */
  forgetPod(uid: string): void {
    this.backoff.resetPrefix(`${uid}_`);
  }
}

/** image_manager.go#evalCRIPullErr */
function evalPullError(image: string, e: unknown): { reason: string; message: string } {
  const err = (e as Error).message;
  if (isRuntimeError(e) && e.pullReason === 'RegistryUnavailable') {
    return {
      reason: REASON_REGISTRY_UNAVAILABLE,
      message: `image pull failed for ${image} because the registry is unavailable: ${err}`,
    };
  }
  if (isRuntimeError(e) && e.pullReason === 'SignatureValidationFailed') {
    return {
      reason: REASON_SIGNATURE_VALIDATION_FAILED,
      message: `image pull failed for ${image} because the signature validation failed: ${err}`,
    };
  }
  return { reason: REASON_ERR_IMAGE_PULL, message: err };
}
