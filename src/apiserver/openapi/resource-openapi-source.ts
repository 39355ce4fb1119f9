// The OpenAPI v3 document of each served group-version, as kube-apiserver publishes it
// (k8s.io/apiserver/pkg/endpoints/openapi + kube-openapi builder3): every resource's paths
// and operations, each tagged with x-kubernetes-group-version-kind, the writes listing
// dryRun/fieldManager/fieldValidation (kubectl sends fieldValidation=Strict when PATCH of
// the kind lists it: cli-runtime query_param_verifier_v3.go), and the component schemas of
// the group-version's kinds and all they reference. kubectl explain reads the schemas; client-side
// apply computes its strategic merge patch from their x-kubernetes-patch-* extensions.
import { RESOURCES } from '../registry/resources.js';
import type { ResourceInfo } from '../registry/resource-info.js';
import { VERSION_INFO } from '../discovery/version-info.js';
import { k8sSchemas, schemaClosure, schemaNameOf, schemaRef, type SchemaTable } from './k8s-schemas.js';
import type { OpenApiSource } from './openapi-source.js';

const META = 'io.k8s.apimachinery.pkg.apis.meta.v1';
/** Meta schemas every group-version document carries (its operations answer or take them). */
const META_ROOTS = [`${META}.Status`, `${META}.DeleteOptions`, `${META}.WatchEvent`, `${META}.APIResourceList`];

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

/** `application/json` content of a schema (by name), or of any object when the kind has none. */
function json(schemaName: string | undefined): object {
  return { 'application/json': { schema: schemaName ? { $ref: schemaRef(schemaName) } : { type: 'object' } } };
}

function operations(r: ResourceInfo, table: SchemaTable): Record<string, object> {
  const gvk = { group: r.group, version: r.version, kind: r.kind };
  const kind = schemaNameOf(table, gvk);
  const list = schemaNameOf(table, { ...gvk, kind: `${r.kind}List` });
  const status = `${META}.Status`;
  const op = (action: string, verb: string, params: object[], answer: string | undefined): object => ({
    operationId: `${action}${r.namespaced ? 'Namespaced' : ''}${r.kind}`,
    'x-kubernetes-action': verb,
    'x-kubernetes-group-version-kind': gvk,
    parameters: params,
    responses: { '200': { description: 'OK', content: json(answer) } },
  });
  const writeParams = [q('dryRun'), q('fieldManager'), q('fieldValidation')];
  const base = r.namespaced ? `/${gvPath(r)}/namespaces/{namespace}/${r.plural}` : `/${gvPath(r)}/${r.plural}`;
  const nsParams = r.namespaced ? [PATH_PARAM('namespace')] : [];
  const patchBody = {
    content: {
      'application/json-patch+json': { schema: { type: 'object' } },
      'application/merge-patch+json': { schema: { type: 'object' } },
      'application/strategic-merge-patch+json': { schema: { type: 'object' } },
      'application/apply-patch+yaml': { schema: { type: 'object' } },
    },
    required: true,
  };
  const paths: Record<string, object> = {
    [base]: {
      parameters: nsParams,
      get: op(
        'list',
        'list',
        [q('labelSelector'), q('fieldSelector'), q('limit', 'integer'), q('continue'), q('watch', 'boolean')],
        list,
      ),
      post: { ...op('create', 'post', writeParams, kind), requestBody: { content: json(kind), required: true } },
      delete: op('deletecollection', 'deletecollection', [q('labelSelector'), q('fieldSelector')], status),
    },
    [`${base}/{name}`]: {
      parameters: [PATH_PARAM('name'), ...nsParams],
      get: op('read', 'get', [], kind),
      put: { ...op('replace', 'put', writeParams, kind), requestBody: { content: json(kind), required: true } },
      patch: { ...op('patch', 'patch', [...writeParams, q('force', 'boolean')], kind), requestBody: patchBody },
      delete: op('delete', 'delete', [q('dryRun'), q('gracePeriodSeconds', 'integer'), q('propagationPolicy')], kind),
    },
  };
  for (const s of r.subresources.filter((x) => x.name === 'status')) {
    paths[`${base}/{name}/${s.name}`] = {
      parameters: [PATH_PARAM('name'), ...nsParams],
      get: op(`read${s.name}`, 'get', [], kind),
      put: {
        ...op(`replace${s.name}`, 'put', writeParams, kind),
        requestBody: { content: json(kind), required: true },
      },
      patch: {
        ...op(`patch${s.name}`, 'patch', [...writeParams, q('force', 'boolean')], kind),
        requestBody: patchBody,
      },
    };
  }
  return paths;
}

function buildDocument(path: string, table: SchemaTable): object | undefined {
  const rs = RESOURCES.filter((r) => gvPath(r) === path);
  if (rs.length === 0) {
    return undefined;
  }
  const paths: Record<string, object> = {};
  const roots = [...META_ROOTS];
  for (const r of rs) {
    Object.assign(paths, operations(r, table));
    for (const kind of [r.kind, `${r.kind}List`, ...r.subresources.map((s) => s.kind)]) {
      const name = schemaNameOf(table, { group: r.group, version: r.version, kind });
      if (name) {
        roots.push(name);
      }
    }
  }
  return {
    openapi: '3.0.0',
    info: { title: 'Kubernetes', version: VERSION_INFO.gitVersion },
    paths,
    components: { schemas: schemaClosure(table, roots) },
  };
}

export class ResourceOpenApiSource implements OpenApiSource {
  private readonly cache = new Map<string, object | undefined>();

  /** `table` defaults to the generated schemas of k8s-schemas.json. */
  constructor(private readonly table: () => SchemaTable = k8sSchemas) {}

  groupVersionPaths(): string[] {
    return [...new Set(RESOURCES.map(gvPath))];
  }

  document(path: string): object | undefined {
    if (!this.cache.has(path)) {
      this.cache.set(path, buildDocument(path, this.table()));
    }
    return this.cache.get(path);
  }
}
