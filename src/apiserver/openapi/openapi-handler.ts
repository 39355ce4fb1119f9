// /openapi/v3 (the index with a hash per group-version) and /openapi/v3/<gv-path>, answered
// as k8s.io/kube-openapi/pkg/handler3/handler.go does: an ETag that is the upper-case hex
// SHA-512 of the JSON body, `?hash=` equal to it makes the answer immutable for a year,
// a stale hash is redirected (301) to the current one, If-None-Match gives 304, and the
// Accept header picks the encoding (JSON here; a request that accepts only protobuf gets
// 406, since podbay does not encode the gnostic protobuf form). /openapi/v2 is not served:
// kubectl then uses the v3 documents (kubectl-contract.md §3).
import { createHash } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { newMethodNotAllowed, newRouteNotFound } from '../handlers/resource-router.js';
import type { OpenApiSource } from './openapi-source.js';

const INDEX_PATH = '/openapi/v3';
const PREFIX = '/openapi/v3/';
const YEAR_MS = 365 * 24 * 3600 * 1000;

interface Encoded {
  body: Buffer;
  etag: string;
}

/** Upper-case hex SHA-512, as handler3.computeETag formats it (`%X`). */
export function computeETag(json: string): string {
  return createHash('sha512').update(json, 'utf8').digest('hex').toUpperCase();
}

/**
 * Whether an Accept header admits `application/json` (the only encoding served). Mirrors
 * the clause matching of handler3.HandleGroupVersion: `*` matches any type or subtype; a
 * missing header means `*\/*`; q=0 clauses refuse.
 */
export function acceptsJson(accept: string | undefined): boolean {
  const header = accept === undefined || accept.trim() === '' ? '*/*' : accept;
  return header.split(',').some((clause) => {
    const [range = '', ...params] = clause.split(';').map((s) => s.trim());
    const q = params.find((p) => p.startsWith('q='));
    if (q !== undefined && Number(q.slice(2)) === 0) {
      return false;
    }
    const [type = '', subtype = ''] = range.toLowerCase().split('/');
    return (type === 'application' || type === '*') && (subtype === 'json' || subtype === '*');
  });
}

function etagMatches(ifNoneMatch: string | undefined, etag: string): boolean {
  if (ifNoneMatch === undefined) {
    return false;
  }
  const quoted = `"${etag}"`;
  return ifNoneMatch.split(',').some((t) => {
    const tag = t.trim().replace(/^W\//, '');
    return tag === '*' || tag === quoted;
  });
}

export class OpenApiHandler {
  private readonly docs = new Map<string, Encoded | undefined>();
  private index: Encoded | undefined;
  /** Last-Modified of every answer: when this handler (and so its documents) came to be. */
  private readonly lastModified: Date;

  constructor(
    private readonly source: OpenApiSource,
    private readonly now: () => Date = () => new Date(),
  ) {
    this.lastModified = now();
  }

  /** The group-version paths served and the hash of each, as the index lists them. */
  hashOf(path: string): string | undefined {
    return this.encoded(path)?.etag;
  }

  private encoded(path: string): Encoded | undefined {
    // Only served group-versions are remembered: any other path a client makes up is not.
    if (!this.docs.has(path) && this.source.groupVersionPaths().includes(path)) {
      const doc = this.source.document(path);
      let enc: Encoded | undefined;
      if (doc !== undefined) {
        const json = JSON.stringify(doc);
        enc = { body: Buffer.from(json), etag: computeETag(json) };
      }
      this.docs.set(path, enc);
    }
    return this.docs.get(path);
  }

  private encodedIndex(): Encoded {
    if (!this.index) {
      const paths: Record<string, { serverRelativeURL: string }> = {};
      for (const p of [...this.source.groupVersionPaths()].sort()) {
        const etag = this.hashOf(p);
        if (etag !== undefined) {
          paths[p] = { serverRelativeURL: `${INDEX_PATH}/${p}?hash=${etag}` };
        }
      }
      const json = JSON.stringify({ paths });
      this.index = { body: Buffer.from(json), etag: computeETag(json) };
    }
    return this.index;
  }

  /** True when `path` is an OpenAPI v3 path (the answer is written); throws a StatusError for 404/405. */
  serve(req: IncomingMessage, res: ServerResponse, path: string): boolean {
    if (path !== INDEX_PATH && !path.startsWith(PREFIX)) {
      return false;
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      throw newMethodNotAllowed();
    }
    if (path === INDEX_PATH) {
      const idx = this.encodedIndex();
      this.write(req, res, idx, { 'Content-Type': 'application/json' });
      return true;
    }
    const gv = path.slice(PREFIX.length);
    const doc = this.encoded(gv);
    if (!doc) {
      throw newRouteNotFound();
    }
    const headers: Record<string, string> = { Vary: 'Accept' };
    if (!acceptsJson(req.headers.accept)) {
      res.writeHead(406, headers);
      res.end();
      return true;
    }
    headers['Content-Type'] = 'application/json';
    const hash = new URL(req.url ?? '/', 'http://localhost').searchParams.get('hash');
    if (hash !== null && hash !== '') {
      if (hash !== doc.etag) {
        const location = `${INDEX_PATH}/${gv}?hash=${doc.etag}`;
        res.writeHead(301, { ...headers, ETag: `"${doc.etag}"`, Location: location });
        res.end();
        return true;
      }
      headers['Cache-Control'] = 'public, immutable';
      headers.Expires = new Date(this.now().getTime() + YEAR_MS).toUTCString();
    }
    this.write(req, res, doc, headers);
    return true;
  }

  private write(req: IncomingMessage, res: ServerResponse, enc: Encoded, headers: Record<string, string>): void {
    const all: Record<string, string | number> = {
      ...headers,
      ETag: `"${enc.etag}"`,
      'Last-Modified': this.lastModified.toUTCString(),
    };
    if (etagMatches(req.headers['if-none-match'], enc.etag)) {
      res.writeHead(304, all);
      res.end();
      return;
    }
    all['Content-Length'] = enc.body.length;
    res.writeHead(200, all);
    res.end(req.method === 'HEAD' ? undefined : enc.body);
  }
}
