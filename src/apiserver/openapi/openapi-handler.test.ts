import assert from 'node:assert/strict';
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { isStatusError } from '../../api/errors.js';
import { acceptsJson, computeETag, OpenApiHandler } from './openapi-handler.js';
import type { OpenApiSource } from './openapi-source.js';

const DOCS: Record<string, object> = {
  'api/v1': { openapi: '3.0.0', components: { schemas: { a: { type: 'object' } } } },
  'apis/coordination.k8s.io/v1': { openapi: '3.0.0', components: { schemas: {} } },
};

const source: OpenApiSource = {
  groupVersionPaths: () => Object.keys(DOCS),
  document: (p) => DOCS[p] ?? (p === 'api' ? { unlisted: true } : undefined),
};

const NOW = new Date('2026-01-01T00:00:00Z');

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

describe('OpenApiHandler', () => {
  let server: Server;
  let port = 0;
  before(async () => {
    const handler = new OpenApiHandler(source, () => NOW);
    server = createServer((req, res) => {
      const path = new URL(req.url ?? '/', 'http://x').pathname;
      try {
        if (!handler.serve(req, res, path)) {
          res.writeHead(418).end();
        }
      } catch (e) {
        res.writeHead(isStatusError(e) ? e.code : 500).end();
      }
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });
  after(() => new Promise<void>((resolve) => server.close(() => resolve())));

  function get(path: string, headers: Record<string, string> = {}, method = 'GET'): Promise<Answer> {
    return new Promise((resolve, reject) => {
      const req = request({ host: '127.0.0.1', port, path, method, headers }, (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => (body += c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
      });
      req.on('error', reject);
      req.end();
    });
  }

  const hashOf = (p: string): string => computeETag(JSON.stringify(DOCS[p]));

  test('the index lists every group-version with the SHA-512 of its document as hash', async () => {
    const r = await get('/openapi/v3');
    assert.equal(r.status, 200);
    assert.equal(r.headers['content-type'], 'application/json');
    assert.deepEqual(JSON.parse(r.body), {
      paths: {
        'api/v1': { serverRelativeURL: `/openapi/v3/api/v1?hash=${hashOf('api/v1')}` },
        'apis/coordination.k8s.io/v1': {
          serverRelativeURL: `/openapi/v3/apis/coordination.k8s.io/v1?hash=${hashOf('apis/coordination.k8s.io/v1')}`,
        },
      },
    });
    assert.match(hashOf('api/v1'), /^[0-9A-F]{128}$/);
    assert.equal(r.headers.etag, `"${computeETag(r.body)}"`);
  });

  test('a document fetched with its current hash is immutable for a year', async () => {
    const r = await get(`/openapi/v3/api/v1?hash=${hashOf('api/v1')}`, { accept: 'application/json' });
    assert.equal(r.status, 200);
    assert.deepEqual(JSON.parse(r.body), DOCS['api/v1']);
    assert.equal(r.headers.etag, `"${hashOf('api/v1')}"`);
    assert.equal(r.headers['cache-control'], 'public, immutable');
    assert.equal(r.headers.expires, 'Fri, 01 Jan 2027 00:00:00 GMT');
    assert.equal(r.headers.vary, 'Accept');
    assert.equal(r.headers['last-modified'], NOW.toUTCString());
  });

  test('a document fetched without a hash carries its ETag but no caching headers', async () => {
    const r = await get('/openapi/v3/api/v1');
    assert.equal(r.status, 200);
    assert.equal(r.headers.etag, `"${hashOf('api/v1')}"`);
    assert.equal(r.headers['cache-control'], undefined);
    assert.equal(r.headers.expires, undefined);
  });

  test('a stale hash is redirected to the current one', async () => {
    const r = await get('/openapi/v3/api/v1?hash=ABC');
    assert.equal(r.status, 301);
    assert.equal(r.headers.location, `/openapi/v3/api/v1?hash=${hashOf('api/v1')}`);
  });

  test('If-None-Match with the current ETag is answered 304 without a body', async () => {
    const r = await get('/openapi/v3/api/v1', { 'if-none-match': `"${hashOf('api/v1')}"` });
    assert.equal(r.status, 304);
    assert.equal(r.body, '');
    const index = await get('/openapi/v3');
    const again = await get('/openapi/v3', { 'if-none-match': index.headers.etag as string });
    assert.equal(again.status, 304);
  });

  test('HEAD answers the headers of GET without the body', async () => {
    const r = await get('/openapi/v3/api/v1', {}, 'HEAD');
    assert.equal(r.status, 200);
    assert.equal(r.body, '');
    assert.equal(r.headers['content-length'], String(Buffer.byteLength(JSON.stringify(DOCS['api/v1']))));
  });

  test('a path that is no served group-version is answered 404 even when the source has a document there', async () => {
    assert.equal((await get('/openapi/v3/api')).status, 404);
  });

  const notServed: [string, string, number][] = [
    ['an unknown group-version', '/openapi/v3/apis/apps/v1', 404],
    ['a write', '/openapi/v3/api/v1', 405],
  ];
  for (const [what, path, code] of notServed) {
    test(`${what} is answered ${code}`, async () => {
      const r = await get(path, {}, code === 405 ? 'POST' : 'GET');
      assert.equal(r.status, code);
    });
  }

  test('paths outside /openapi/v3 are left to other handlers', async () => {
    assert.equal((await get('/openapi/v2')).status, 418);
    assert.equal((await get('/openapi/v3x')).status, 418);
  });

  test('a request that accepts only protobuf gets 406; one that also accepts JSON gets JSON', async () => {
    const pb = 'application/com.github.proto-openapi.spec.v3@v1.0+protobuf';
    assert.equal((await get('/openapi/v3/api/v1', { accept: pb })).status, 406);
    const both = await get('/openapi/v3/api/v1', { accept: `${pb}, application/json` });
    assert.equal(both.status, 200);
    assert.equal(both.headers['content-type'], 'application/json');
  });
});

describe('acceptsJson', () => {
  const cases: [string | undefined, boolean][] = [
    [undefined, true],
    ['', true],
    ['application/json', true],
    ['application/json, */*', true],
    ['*/*', true],
    ['application/*', true],
    ['text/plain', false],
    ['application/com.github.proto-openapi.spec.v3@v1.0+protobuf', false],
    ['application/json;q=0', false],
    ['application/yaml, application/json;q=0.5', true],
  ];
  for (const [accept, want] of cases) {
    test(`Accept ${JSON.stringify(accept)} ${want ? 'admits' : 'refuses'} JSON`, () => {
      assert.equal(acceptsJson(accept), want);
    });
  }
});
