// The opaque `continue` token of a paged list. Like Kubernetes' (k8s.io/apiserver
// pkg/storage/continue.go EncodeContinue/DecodeContinue, base64url of JSON) it records
// the revision of the first page, so every page lists the same snapshot, and the key
// to start from.
import { newBadRequest } from '../api/errors.js';
import { inRange } from './key-range.js';
import type { KeyRange } from './log.js';

export interface ContinuePoint {
  /** Revision every page lists at; 0 = the latest (a token handed out after expiry). */
  rev: number;
  /** First key of the next page. */
  startKey: string;
  /**
   * Live keys from startKey on at rev, when the list is unfiltered: later pages of the
   * same snapshot derive remainingItemCount from it instead of counting again.
   */
  remaining?: number;
}

export function encodeContinue(point: ContinuePoint): string {
  return Buffer.from(JSON.stringify(point), 'utf8').toString('base64url');
}

/**
 * Decodes a token for a list of range. A token that is not ours, or that points
 * outside the range, is a 400 (etcd3 store.go GetList: "invalid continue token: …").
 */
export function decodeContinue(token: string, range: KeyRange): ContinuePoint {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
  } catch {
    throw invalid('malformed token');
  }
  if (
    typeof parsed !== 'object' ||
    parsed === null ||
    !('rev' in parsed) ||
    !('startKey' in parsed) ||
    typeof parsed.rev !== 'number' ||
    !Number.isSafeInteger(parsed.rev) ||
    parsed.rev < 0 ||
    typeof parsed.startKey !== 'string'
  ) {
    throw invalid('incorrect encoded start resourceVersion');
  }
  if (!inRange(range, parsed.startKey) && parsed.startKey !== range.end) {
    throw invalid('key is outside of the requested prefix');
  }
  const point: ContinuePoint = { rev: parsed.rev, startKey: parsed.startKey };
  if ('remaining' in parsed && typeof parsed.remaining === 'number' && Number.isSafeInteger(parsed.remaining)) {
    point.remaining = parsed.remaining;
  }
  return point;
}

function invalid(why: string): Error {
  return newBadRequest(`invalid continue token: continue key is not valid: ${why}`);
}
