// What a URL asks for, as k8s.io/apiserver/pkg/endpoints/request/requestinfo.go reads it:
//   /api/v1/namespaces/{ns}/{resource}[/{name}[/{subresource}]]
//   /apis/{group}/{version}/namespaces/{ns}/{resource}[/{name}[/{subresource}]]
//   /api/v1/{resource}[/{name}[/{subresource}]]   (cluster-scoped, or all namespaces)
//   /api/v1/namespaces/{name}[/status|/finalize]   (namespaces themselves)
//   /api/v1/watch/...                                (deprecated watch prefix)
export type Verb = 'get' | 'list' | 'watch' | 'create' | 'update' | 'patch' | 'delete' | 'deletecollection';

/** 'unsupported' for methods no verb maps to (OPTIONS, CONNECT, …): answered 405. */
export type RequestVerb = Verb | 'unsupported';

export interface ResourceRequestInfo {
  group: string;
  version: string;
  /** '' for cluster-scoped requests and all-namespace lists. */
  namespace: string;
  resource: string;
  name: string;
  subresource: string;
  verb: RequestVerb;
}

/** Namespace subresources that stay on the namespace (requestinfo.go namespaceSubresources). */
const NAMESPACE_SUBRESOURCES = new Set(['status', 'finalize']);

/**
 * Parses a resource path, or returns undefined when the path is not a resource request
 * (discovery documents, /version, /openapi, unknown prefixes). Path segments are
 * percent-decoded.
 */
export function parseResourceRequest(
  method: string,
  path: string,
  query: URLSearchParams,
): ResourceRequestInfo | undefined {
  const parts = path
    .split('/')
    .filter((p) => p !== '')
    .map((p) => {
      try {
        return decodeURIComponent(p);
      } catch {
        return p;
      }
    });
  let rest: string[];
  let group: string;
  let version: string;
  if (parts[0] === 'api' && parts.length >= 3) {
    group = '';
    version = parts[1]!;
    rest = parts.slice(2);
  } else if (parts[0] === 'apis' && parts.length >= 4) {
    group = parts[1]!;
    version = parts[2]!;
    rest = parts.slice(3);
  } else {
    return undefined;
  }
  let watchPrefix = false;
  if (rest[0] === 'watch') {
    watchPrefix = true;
    rest = rest.slice(1);
    if (rest.length === 0) {
      return undefined;
    }
  }
  let namespace = '';
  if (rest[0] === 'namespaces' && rest.length > 1) {
    namespace = rest[1]!;
    if (rest.length > 2 && !NAMESPACE_SUBRESOURCES.has(rest[2]!)) {
      rest = rest.slice(2);
    }
  }
  const resource = rest[0]!;
  const name = rest[1] ?? '';
  const subresource = rest[2] ?? '';
  if (rest.length > 3) {
    return undefined;
  }
  if (resource === 'namespaces' && name !== '') {
    // The namespace of a namespace is itself in requestinfo.go; the registry treats
    // namespaces as cluster-scoped, so drop it.
    namespace = '';
  }
  let verb: RequestVerb;
  switch (method) {
    case 'GET':
    case 'HEAD':
      if (watchPrefix || isTrue(query.get('watch'))) {
        verb = 'watch';
      } else {
        verb = name ? 'get' : 'list';
      }
      break;
    case 'POST':
      verb = 'create';
      break;
    case 'PUT':
      verb = 'update';
      break;
    case 'PATCH':
      verb = 'patch';
      break;
    case 'DELETE':
      verb = name ? 'delete' : 'deletecollection';
      break;
    default:
      verb = 'unsupported';
  }
  return { group, version, namespace, resource, name, subresource, verb };
}

/** Query booleans as strconv.ParseBool reads them. */
export function isTrue(v: string | null | undefined): boolean {
  return v === 'true' || v === '1' || v === 'True' || v === 'TRUE' || v === 't' || v === 'T';
}
