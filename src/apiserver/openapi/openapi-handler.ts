// /openapi/v3 (the index with a hash per group-version, as
// k8s.io/kube-openapi/pkg/handler3 serves it) and /openapi/v3/<gv-path>. /openapi/v2 is
// not served: kubectl then uses the v3 documents (kubectl-contract.md §3).
import { createHash } from 'node:crypto';
import type { OpenApiSource } from './openapi-source.js';

export interface OpenApiAnswer {
  code: number;
  body: object;
}

export class OpenApiHandler {
  private readonly hashes = new Map<string, string>();
  constructor(private readonly source: OpenApiSource) {}

  private hash(path: string, doc: object): string {
    let h = this.hashes.get(path);
    if (!h) {
      h = createHash('sha512').update(JSON.stringify(doc)).digest('hex').toUpperCase().slice(0, 128);
      this.hashes.set(path, h);
    }
    return h;
  }

  /** The index document. */
  index(): object {
    const paths: Record<string, { serverRelativeURL: string }> = {};
    for (const p of this.source.groupVersionPaths()) {
      const doc = this.source.document(p);
      if (doc) {
        paths[p] = { serverRelativeURL: `/openapi/v3/${p}?hash=${this.hash(p, doc)}` };
      }
    }
    return { paths };
  }

  /** The document of a group-version path (`api/v1`), or undefined. */
  document(path: string): object | undefined {
    return this.source.document(path);
  }
}
