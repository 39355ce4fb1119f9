// GET of one object, list and watch (handlers/get.go), each as JSON or as a Table.
import { newBadRequest } from '../../api/errors.js';
import type { KubeObject } from '../../api/types/index.js';
import { isTrue } from '../request/request-info.js';
import { acceptsTable } from '../http/negotiate.js';
import { writeJson } from '../http/respond.js';
import { compileListFilter } from '../registry/api-rules.js';
import { apiVersionOf, type ResourceInfo } from '../registry/resource-info.js';
import { parseIncludeObject, toTable } from '../table/table-convert.js';
import { serveWatch } from '../watch/watch-stream.js';
import { watchTriggerFor } from '../watch/watch-trigger.js';
import { intParam } from './query-options.js';
import type { RequestScope } from './request-scope.js';

/** events.k8s.io/v1 field labels map onto the stored core/v1 fields (events/v1 conversion). */
function storedFieldSelector(info: ResourceInfo, selector: string | null): string | undefined {
  if (!selector) {
    return undefined;
  }
  if (!info.view) {
    return selector;
  }
  return selector
    .replace(/\bregarding\./g, 'involvedObject.')
    .replace(/\breportingController\b/g, 'reportingComponent')
    .replace(/\bdeprecatedSource\./g, 'source.');
}

/** The selectors of a list/watch/deletecollection as a predicate over stored objects (400 when malformed). */
export function listFilter(scope: RequestScope): ((obj: KubeObject) => boolean) | undefined {
  const label = scope.query.get('labelSelector') || undefined;
  const fieldSel = storedFieldSelector(scope.info, scope.query.get('fieldSelector'));
  if (!label && !fieldSel) {
    return undefined;
  }
  return compileListFilter(scope.info.selectorResource, label, fieldSel);
}

function printable(info: ResourceInfo, served: KubeObject): KubeObject {
  return info.view ? info.view.fromServed(structuredClone(served)) : served;
}

export async function handleGet(scope: RequestScope): Promise<void> {
  const { info, parts } = scope;
  const obj = await parts.registry.get(info, scope.namespace, scope.name);
  const tableVersion = acceptsTable(scope.req.headers.accept);
  if (tableVersion) {
    writeJson(
      scope.res,
      200,
      toTable(info, [printable(info, obj)], [obj], {
        version: tableVersion,
        nowMs: parts.clock.now(),
        includeObject: parseIncludeObject(scope.query.get('includeObject')),
        resourceVersion: obj.metadata.resourceVersion,
      }),
    );
    return;
  }
  writeJson(scope.res, 200, obj);
}

export async function handleList(scope: RequestScope): Promise<void> {
  const { info, parts, query } = scope;
  const filter = listFilter(scope);
  const rv = query.get('resourceVersion');
  if (rv && !/^\d+$/.test(rv)) {
    throw newBadRequest(`invalid resource version: ${rv}`);
  }
  const limit = intParam(query, 'limit');
  const result = await parts.registry.list(info, scope.namespace, {
    filter,
    limit: limit && limit > 0 ? limit : undefined,
    continue: query.get('continue') || undefined,
  });
  const tableVersion = acceptsTable(scope.req.headers.accept);
  const resourceVersion = String(result.revision);
  if (tableVersion) {
    writeJson(
      scope.res,
      200,
      toTable(
        info,
        result.items.map((o) => printable(info, o)),
        result.items,
        {
          version: tableVersion,
          nowMs: parts.clock.now(),
          includeObject: parseIncludeObject(query.get('includeObject')),
          resourceVersion,
          continue: result.continue,
          remainingItemCount: result.remainingItemCount,
        },
      ),
    );
    return;
  }
  const metadata: Record<string, unknown> = { resourceVersion };
  if (result.continue) {
    metadata.continue = result.continue;
  }
  if (result.remainingItemCount !== undefined && result.continue) {
    metadata.remainingItemCount = result.remainingItemCount;
  }
  writeJson(scope.res, 200, { kind: info.listKind, apiVersion: apiVersionOf(info), metadata, items: result.items });
}

export async function handleWatch(scope: RequestScope): Promise<void> {
  const { info, parts, query } = scope;
  let filter = listFilter(scope);
  if (scope.name) {
    // GET .../pods/x?watch=true watches the one object (handlers/get.go adds metadata.name).
    const byName = (o: KubeObject): boolean => o.metadata.name === scope.name;
    const f = filter;
    filter = f ? (o) => byName(o) && f(o) : byName;
  }
  const tableVersion = acceptsTable(scope.req.headers.accept);
  const sendInitial = query.get('sendInitialEvents');
  await serveWatch(
    {
      store: parts.store,
      registry: parts.registry,
      clock: parts.clock,
      bookmarkIntervalMs: parts.bookmarkIntervalMs,
      track: parts.track,
    },
    scope.res,
    {
      info,
      namespace: scope.namespace,
      filter,
      trigger: watchTriggerFor(info.selectorResource, storedFieldSelector(info, query.get('fieldSelector'))),
      resourceVersion: query.get('resourceVersion'),
      allowBookmarks: isTrue(query.get('allowWatchBookmarks')),
      sendInitialEvents: sendInitial === null ? undefined : isTrue(sendInitial),
      timeoutSeconds: intParam(query, 'timeoutSeconds'),
      table: tableVersion
        ? { version: tableVersion, includeObject: parseIncludeObject(query.get('includeObject')) }
        : undefined,
    },
  );
}
