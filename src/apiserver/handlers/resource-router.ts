// Dispatch of a resource request to its handler by verb and subresource, with the 404s
// and 405s kube-apiserver's route table gives (endpoints/installer.go registers, per
// resource, only the verbs and subresources it supports).
import { StatusError } from '../../api/errors.js';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ResourceRequestInfo } from '../request/request-info.js';
import { findResource } from '../registry/resources.js';
import { handleGet, handleList, handleWatch } from './read-handlers.js';
import { handleCreate, handleDelete, handleDeleteCollection, handlePatch, handleUpdate } from './write-handlers.js';
import { handleBinding, handleLog, handleStreamWithoutUpgrade } from './pod-subresources.js';
import type { RequestScope, ServerParts } from './request-scope.js';

/** 404 for a path no route serves (the message of apiserver's NotFoundHandler). */
export function newRouteNotFound(): StatusError {
  return new StatusError({
    kind: 'Status',
    apiVersion: 'v1',
    metadata: {},
    status: 'Failure',
    message: 'the server could not find the requested resource',
    reason: 'NotFound',
    details: {},
    code: 404,
  });
}

/** 405 for a method the route does not serve. */
export function newMethodNotAllowed(): StatusError {
  return new StatusError({
    kind: 'Status',
    apiVersion: 'v1',
    metadata: {},
    status: 'Failure',
    message: 'the server does not allow this method on the requested resource',
    reason: 'MethodNotAllowed',
    details: {},
    code: 405,
  });
}

/** Builds the scope of a resource request, or throws the 404 for paths no resource serves. */
export function resolveScope(
  ri: ResourceRequestInfo,
  req: IncomingMessage,
  res: ServerResponse,
  query: URLSearchParams,
  parts: ServerParts,
): RequestScope {
  const info = findResource(ri.group, ri.version, ri.resource);
  if (!info) {
    throw newRouteNotFound();
  }
  if (!info.namespaced && ri.namespace) {
    throw newRouteNotFound();
  }
  if (info.namespaced && !ri.namespace && ri.name) {
    throw newRouteNotFound();
  }
  if (ri.subresource && !info.subresources.some((s) => s.name === ri.subresource)) {
    throw newRouteNotFound();
  }
  return {
    req,
    res,
    query,
    info,
    namespace: ri.namespace,
    name: ri.name,
    subresource: ri.subresource,
    warnings: [],
    parts,
  };
}

export async function routeResource(ri: ResourceRequestInfo, scope: RequestScope): Promise<void> {
  const { info } = scope;
  const verb = ri.verb;
  if (verb === 'unsupported') {
    throw newMethodNotAllowed();
  }
  const allowed = (v: string): boolean => info.verbs.includes(v);
  switch (scope.subresource) {
    case '':
      switch (verb) {
        case 'get':
          return handleGet(scope);
        case 'list':
          return handleList(scope);
        case 'watch':
          return handleWatch(scope);
        case 'create':
          if (scope.name || (info.namespaced && !scope.namespace)) {
            throw newMethodNotAllowed();
          }
          return handleCreate(scope);
        case 'update':
          if (!scope.name) {
            throw newMethodNotAllowed();
          }
          return handleUpdate(scope);
        case 'patch':
          if (!scope.name) {
            throw newMethodNotAllowed();
          }
          return handlePatch(scope);
        case 'delete':
          return handleDelete(scope);
        case 'deletecollection':
          if (!allowed('deletecollection')) {
            throw newMethodNotAllowed();
          }
          return handleDeleteCollection(scope);
      }
      break;
    case 'status':
    case 'finalize':
      if (verb === 'get' && scope.subresource === 'status') {
        return handleGet(scope);
      }
      if (verb === 'update') {
        await handleUpdate(scope);
        if (scope.subresource === 'finalize') {
          // A terminating namespace whose finalizers were cleared may go now.
          scope.parts.namespaces.resume(scope.name);
        }
        return;
      }
      if (verb === 'patch' && scope.subresource === 'status') {
        return handlePatch(scope);
      }
      throw newMethodNotAllowed();
    case 'binding':
      if (verb === 'create') {
        return handleBinding(scope);
      }
      throw newMethodNotAllowed();
    case 'log':
      if (verb === 'get') {
        return handleLog(scope);
      }
      throw newMethodNotAllowed();
    case 'exec':
    case 'attach':
    case 'portforward':
      if (verb === 'get' || verb === 'create') {
        handleStreamWithoutUpgrade();
      }
      throw newMethodNotAllowed();
  }
  throw newRouteNotFound();
}
