// Image references as Kubernetes reads them: k8s pkg/util/parsers/parsers.go
// ParseImageName over github.com/distribution/reference ParseNormalizedNamed
// (normalize.go splitDockerDomain, regexp.go grammar, reference.go errors).
//
//   reference := name [ ":" tag ] [ "@" digest ]
//   name      := [domain "/"] path-component ["/" path-component]*
//
// A name without a domain is on docker.io, and a one-component path there is
// under library/ ("nginx" → "docker.io/library/nginx"). Kubernetes then treats a
// reference with neither tag nor digest as ":latest".
import type { PullPolicy } from './types/index.js';

export const DEFAULT_DOMAIN = 'docker.io';
const LEGACY_DEFAULT_DOMAIN = 'index.docker.io';
const OFFICIAL_REPO_PREFIX = 'library/';
export const DEFAULT_IMAGE_TAG = 'latest';
const NAME_TOTAL_LENGTH_MAX = 255;

const ALNUM = '[a-z0-9]+';
const SEPARATOR = '(?:[._]|__|[-]+)';
const PATH_COMPONENT = `${ALNUM}(?:${SEPARATOR}${ALNUM})*`;
const DOMAIN_COMPONENT = '(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])';
const DOMAIN_NAME = `${DOMAIN_COMPONENT}(?:\\.${DOMAIN_COMPONENT})*`;
const IPV6 = '\\[(?:[a-fA-F0-9:]+)\\]';
const DOMAIN = `(?:${DOMAIN_NAME}|${IPV6})(?::[0-9]+)?`;
const TAG = '[\\w][\\w.-]{0,127}';
const DIGEST = '[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*[:][0-9a-fA-F]{32,}';
const NAME = `(?:${DOMAIN}/)?${PATH_COMPONENT}(?:/${PATH_COMPONENT})*`;
const REFERENCE_RE = new RegExp(`^(${NAME})(?::(${TAG}))?(?:@(${DIGEST}))?$`);
const ANCHORED_DOMAIN_RE = new RegExp(`^(${DOMAIN})/(.*)$`);
const IDENTIFIER_RE = /^[a-f0-9]{64}$/;

/** A reference that does not parse; messages follow distribution/reference. */
export class ImageRefParseError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ImageRefParseError';
  }
}

export interface ImageRef {
  /** Registry host[:port], e.g. `docker.io`, `localhost:5000`. */
  domain: string;
  /** Repository path on that registry, e.g. `library/nginx`. */
  path: string;
  /** `domain/path`: Named.Name(). */
  name: string;
  tag?: string;
  /** `algorithm:hex`, e.g. `sha256:…`. */
  digest?: string;
}

/** splitDockerDomain (normalize.go). */
function splitDockerDomain(name: string): { domain: string; remainder: string } {
  const i = name.indexOf('/');
  let domain: string;
  let remainder: string;
  const first = i === -1 ? '' : name.slice(0, i);
  if (i === -1 || (!/[.:]/.test(first) && first !== 'localhost' && first.toLowerCase() === first)) {
    domain = DEFAULT_DOMAIN;
    remainder = name;
  } else {
    domain = first;
    remainder = name.slice(i + 1);
  }
  if (domain === LEGACY_DEFAULT_DOMAIN) {
    domain = DEFAULT_DOMAIN;
  }
  if (domain === DEFAULT_DOMAIN && !remainder.includes('/')) {
    remainder = OFFICIAL_REPO_PREFIX + remainder;
  }
  return { domain, remainder };
}

/** ParseNormalizedNamed: the fully-qualified reference. */
export function parseImageReference(image: string): ImageRef {
  if (IDENTIFIER_RE.test(image)) {
    throw new ImageRefParseError(`invalid repository name (${image}), cannot specify 64-byte hexadecimal strings`);
  }
  const { domain, remainder } = splitDockerDomain(image);
  const tagSep = remainder.indexOf(':');
  const remoteName = tagSep > -1 ? remainder.slice(0, tagSep) : remainder;
  if (remoteName.toLowerCase() !== remoteName) {
    throw new ImageRefParseError(`invalid reference format: repository name (${remoteName}) must be lowercase`);
  }
  const full = `${domain}/${remainder}`;
  const m = REFERENCE_RE.exec(full);
  if (!m) {
    if (image === '') {
      throw new ImageRefParseError('repository name must have at least one component');
    }
    throw new ImageRefParseError('invalid reference format');
  }
  const name = m[1]!;
  if (name.length > NAME_TOTAL_LENGTH_MAX) {
    throw new ImageRefParseError(`repository name must not be more than ${NAME_TOTAL_LENGTH_MAX} characters`);
  }
  const dm = ANCHORED_DOMAIN_RE.exec(name);
  const ref: ImageRef = { domain: dm?.[1] ?? '', path: dm?.[2] ?? name, name };
  if (m[2] !== undefined) {
    ref.tag = m[2];
  }
  if (m[3] !== undefined) {
    const digest = m[3];
    const [algorithm, hex] = digest.split(':') as [string, string];
    const lengths: Record<string, number> = { sha256: 64, sha384: 96, sha512: 128 };
    const want = lengths[algorithm];
    if (want === undefined) {
      throw new ImageRefParseError('unsupported digest algorithm');
    }
    if (hex.length !== want) {
      throw new ImageRefParseError('invalid checksum digest length');
    }
    if (!/^[a-f0-9]+$/.test(hex)) {
      throw new ImageRefParseError('invalid checksum digest format');
    }
    ref.digest = digest;
  }
  return ref;
}

/**
 * parsers.ParseImageName: repository, tag and digest, with "latest" as the tag
 * when the reference has neither. Throws `couldn't parse image name "X": <why>`.
 */
export function parseImageName(image: string): { repository: string; tag: string; digest: string } {
  let ref: ImageRef;
  try {
    ref = parseImageReference(image);
  } catch (e) {
    const why = e instanceof Error ? e.message : String(e);
    throw new ImageRefParseError(`couldn't parse image name ${JSON.stringify(image)}: ${why}`);
  }
  const tag = ref.tag ?? (ref.digest === undefined ? DEFAULT_IMAGE_TAG : '');
  return { repository: ref.name, tag, digest: ref.digest ?? '' };
}

/**
 * SetDefaults_Container's imagePullPolicy: Always when the tag is "latest"
 * (including no tag and no digest), else IfNotPresent; an unparseable image
 * counts as IfNotPresent (the error is left to validation).
 */
export function defaultImagePullPolicy(image: string | undefined): PullPolicy {
  try {
    return parseImageName(image ?? '').tag === DEFAULT_IMAGE_TAG ? 'Always' : 'IfNotPresent';
  } catch {
    return 'IfNotPresent';
  }
}

/** Reference.String(): `name[:tag][@digest]`. */
export function imageRefString(ref: ImageRef): string {
  return `${ref.name}${ref.tag !== undefined ? `:${ref.tag}` : ''}${ref.digest !== undefined ? `@${ref.digest}` : ''}`;
}

/** FamiliarString: the short form docker prints (`nginx:1.25`, `user/app`, `quay.io/x/y:1`). */
export function familiarImageString(ref: ImageRef): string {
  let name = ref.name;
  if (ref.domain === DEFAULT_DOMAIN) {
    name =
      ref.path.startsWith(OFFICIAL_REPO_PREFIX) && ref.path.split('/').length === 2
        ? ref.path.slice(OFFICIAL_REPO_PREFIX.length)
        : ref.path;
  }
  return imageRefString({ ...ref, name });
}

/** The reference with Kubernetes' implicit ":latest" added when it has neither tag nor digest. */
export function normalizeImageReference(image: string): string {
  const ref = parseImageReference(image);
  if (ref.tag === undefined && ref.digest === undefined) {
    ref.tag = DEFAULT_IMAGE_TAG;
  }
  return imageRefString(ref);
}
