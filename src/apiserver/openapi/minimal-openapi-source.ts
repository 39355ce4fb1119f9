// The minimal OpenAPI v3 documents built from the resource table: every resource's paths
// with their operations, each tagged with x-kubernetes-group-version-kind, PATCH and
// the writes listing the fieldValidation/dryRun/fieldManager parameters. Enough for
// kubectl apply/create/replace/edit to send fieldValidation=Strict (kubectl-contract.md
// §3). No component schemas: a schema tagged with a kind but without its properties makes
// client-side apply warn `error calculating patch from openapi v3 spec`, while no schema
// at all makes it use its built-in types quietly.
import { RESOURCES } from '../registry/resources.js';
import type { ResourceInfo } from '../registry/resource-info.js';
import { VERSION_INFO } from '../discovery/version-info.js';
import type { OpenApiSource } from './openapi-source.js';

function gvPath(r: Pick<ResourceInfo, 'group' | 'version'>): string {
  return r.group ? `apis/${r.group}/${r.version}` : `api/${r.version}`;
}

const q = (name: string, type = 'string'): object => ({ name, in: 'query', schema: { type, uniqueItems: true } });
const PATH_PARAM = (name: string): object => ({
  name,
  in: 'path',
  required: true,
  schema: { type: 'string', uniqueItems: true },
});

function operations(r: ResourceInfo): Record<string, object> {
  const gvk = { group: r.group, version: r.version, kind: r.kind };
  const content = { 'application/json': { schema: { type: 'object' } } };
  const op = (action: string, verb: string, params: object[]): object => ({
    operationId: `${action}${r.namespaced ? 'Namespaced' : ''}${r.kind}`,
    'x-kubernetes-action': verb,
    'x-kubernetes-group-version-kind': gvk,
    parameters: params,
    responses: { '200': { description: 'OK', content } },
  });
  const writeParams = [q('dryRun'), q('fieldManager'), q('fieldValidation')];
  const base = r.namespaced ? `/${gvPath(r)}/namespaces/{namespace}/${r.plural}` : `/${gvPath(r)}/${r.plural}`;
  const nsParams = r.namespaced ? [PATH_PARAM('namespace')] : [];
  const paths: Record<string, object> = {
    [base]: {
      parameters: nsParams,
      get: op('list', 'list', [
        q('labelSelector'),
        q('fieldSelector'),
        q('limit', 'integer'),
        q('continue'),
        q('watch', 'boolean'),
      ]),
      post: { ...op('create', 'post', writeParams), requestBody: { content, required: true } },
      delete: op('deletecollection', 'deletecollection', [q('labelSelector'), q('fieldSelector')]),
    },
    [`${base}/{name}`]: {
      parameters: [PATH_PARAM('name'), ...nsParams],
      get: op('read', 'get', []),
      put: { ...op('replace', 'put', writeParams), requestBody: { content, required: true } },
      patch: {
        ...op('patch', 'patch', [...writeParams, q('force', 'boolean')]),
        requestBody: {
          content: {
            'application/json-patch+json': { schema: { type: 'object' } },
            'application/merge-patch+json': { schema: { type: 'object' } },
            'application/strategic-merge-patch+json': { schema: { type: 'object' } },
            'application/apply-patch+yaml': { schema: { type: 'object' } },
          },
          required: true,
        },
      },
      delete: op('delete', 'delete', [q('dryRun'), q('gracePeriodSeconds', 'integer'), q('propagationPolicy')]),
    },
  };
  for (const s of r.subresources.filter((x) => x.name === 'status')) {
    paths[`${base}/{name}/${s.name}`] = {
      parameters: [PATH_PARAM('name'), ...nsParams],
      get: op(`read${s.name}`, 'get', []),
      put: op(`replace${s.name}`, 'put', writeParams),
      patch: op(`patch${s.name}`, 'patch', [...writeParams, q('force', 'boolean')]),
    };
  }
  return paths;
}

function buildDocument(path: string): object | undefined {
  const rs = RESOURCES.filter((r) => gvPath(r) === path);
  if (rs.length === 0) {
    return undefined;
  }
  const paths: Record<string, object> = {};
  for (const r of rs) {
    Object.assign(paths, operations(r));
  }
  return {
    openapi: '3.0.0',
    info: { title: 'Kubernetes', version: VERSION_INFO.gitVersion },
    paths,
    components: { schemas: {} },
  };
}

export class MinimalOpenApiSource implements OpenApiSource {
  private readonly cache = new Map<string, object | undefined>();

  groupVersionPaths(): string[] {
    return [...new Set(RESOURCES.map(gvPath))];
  }

  document(path: string): object | undefined {
    if (!this.cache.has(path)) {
      this.cache.set(path, buildDocument(path));
    }
    return this.cache.get(path);
  }
}
