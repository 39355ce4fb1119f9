// Discovery documents built from the resource table: the legacy forms (/api APIVersions,
// /apis APIGroupList, /api/v1 and /apis/<g>/<v> APIResourceList) and the aggregated
// form (apidiscovery.k8s.io/v2 APIGroupDiscoveryList) that kubectl asks for first
// (kubectl-contract.md §2; k8s.io/apiserver/pkg/endpoints/discovery/aggregated).
import { RESOURCES, apiGroups } from '../registry/resources.js';
import type { ResourceInfo } from '../registry/resource-info.js';

export const AGGREGATED_CONTENT_TYPE = (v: 'v2' | 'v2beta1'): string =>
  `application/json;g=apidiscovery.k8s.io;v=${v};as=APIGroupDiscoveryList`;

function resourcesOf(group: string, version: string): ResourceInfo[] {
  return RESOURCES.filter((r) => r.group === group && r.version === version);
}

export function apiVersions(serverAddress: string): object {
  return {
    kind: 'APIVersions',
    versions: ['v1'],
    serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress }],
  };
}

function groupDoc(name: string, versions: string[]): object {
  const vs = versions.map((v) => ({ groupVersion: `${name}/${v}`, version: v }));
  return { name, versions: vs, preferredVersion: vs[0] };
}

export function apiGroupList(): object {
  return { kind: 'APIGroupList', apiVersion: 'v1', groups: apiGroups().map((g) => groupDoc(g.name, g.versions)) };
}

/** GET /apis/<group>: the APIGroup, or undefined for an unknown group. */
export function apiGroup(name: string): object | undefined {
  const g = apiGroups().find((x) => x.name === name);
  return g ? { kind: 'APIGroup', apiVersion: 'v1', ...groupDoc(g.name, g.versions) } : undefined;
}

/** GET /api/v1 or /apis/<g>/<v>: the APIResourceList, or undefined for an unknown group/version. */
export function apiResourceList(group: string, version: string): object | undefined {
  const rs = resourcesOf(group, version);
  if (rs.length === 0) {
    return undefined;
  }
  const resources: object[] = [];
  for (const r of rs) {
    const main: Record<string, unknown> = {
      name: r.plural,
      singularName: r.singular,
      namespaced: r.namespaced,
      kind: r.kind,
      verbs: r.verbs,
    };
    if (r.shortNames.length) {
      main.shortNames = r.shortNames;
    }
    if (r.categories.length) {
      main.categories = r.categories;
    }
    resources.push(main);
    for (const s of r.subresources) {
      resources.push({
        name: `${r.plural}/${s.name}`,
        singularName: '',
        namespaced: r.namespaced,
        kind: s.kind,
        verbs: s.verbs,
      });
    }
  }
  return {
    kind: 'APIResourceList',
    apiVersion: 'v1',
    groupVersion: group ? `${group}/${version}` : version,
    resources,
  };
}

function discoveryResource(r: ResourceInfo): object {
  const out: Record<string, unknown> = {
    resource: r.plural,
    responseKind: { group: r.group, version: r.version, kind: r.kind },
    scope: r.namespaced ? 'Namespaced' : 'Cluster',
    singularResource: r.singular,
    verbs: r.verbs,
  };
  if (r.shortNames.length) {
    out.shortNames = r.shortNames;
  }
  if (r.categories.length) {
    out.categories = r.categories;
  }
  if (r.subresources.length) {
    out.subresources = r.subresources.map((s) => ({
      subresource: s.name,
      responseKind: { group: r.group, version: r.version, kind: s.kind },
      verbs: s.verbs,
    }));
  }
  return out;
}

function discoveryGroup(name: string, versions: string[]): object {
  const metadata: Record<string, unknown> = { creationTimestamp: null };
  if (name) {
    metadata.name = name;
  }
  return {
    metadata,
    versions: versions.map((version) => ({
      version,
      resources: resourcesOf(name, version).map(discoveryResource),
      freshness: 'Current',
    })),
  };
}

/** GET /api (aggregated): one item for the core group. */
export function aggregatedCore(v: 'v2' | 'v2beta1'): object {
  return {
    kind: 'APIGroupDiscoveryList',
    apiVersion: `apidiscovery.k8s.io/${v}`,
    metadata: {},
    items: [discoveryGroup('', ['v1'])],
  };
}

/** GET /apis (aggregated): one item per named group. */
export function aggregatedGroups(v: 'v2' | 'v2beta1'): object {
  return {
    kind: 'APIGroupDiscoveryList',
    apiVersion: `apidiscovery.k8s.io/${v}`,
    metadata: {},
    items: apiGroups().map((g) => discoveryGroup(g.name, g.versions)),
  };
}
