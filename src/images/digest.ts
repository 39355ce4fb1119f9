// Content addresses as the OCI image spec defines them (image-spec descriptor.md
// "Digests"): `algorithm:encoded`. The store only writes sha256, the algorithm every
// registry and `docker save` uses; anything else is rejected before it reaches disk.
import { createHash, type Hash } from 'node:crypto';

const SHA256_RE = /^sha256:([a-f0-9]{64})$/;

/** A content digest "sha256:<64 hex>". */
export type Digest = `sha256:${string}`;

export function isDigest(s: string): s is Digest {
  return SHA256_RE.test(s);
}

/** The hex part of a sha256 digest; throws on anything that is not one (so it never builds a path from junk). */
export function digestHex(d: string): string {
  const m = SHA256_RE.exec(d);
  if (!m) {
    throw new Error(`invalid digest ${JSON.stringify(d)}: only sha256:<64 hex> is supported`);
  }
  return m[1]!;
}

export function sha256Digest(data: Uint8Array | string): Digest {
  return `sha256:${createHash('sha256').update(data).digest('hex')}`;
}

/** A running sha256 plus byte count over bytes as they stream past. */
export class DigestCounter {
  private readonly hash: Hash = createHash('sha256');
  size = 0;

  update(chunk: Uint8Array): void {
    this.hash.update(chunk);
    this.size += chunk.length;
  }

  digest(): Digest {
    return `sha256:${this.hash.digest('hex')}`;
  }
}

/** Thrown when content does not hash to the digest that named it. */
export class DigestMismatchError extends Error {
  constructor(
    readonly expected: string,
    readonly actual: string,
    what = 'content',
  ) {
    super(`${what} digest mismatch: expected ${expected}, got ${actual}`);
    this.name = 'DigestMismatchError';
  }
}
