// pods/binding, pods/log and the streaming subresources (exec, attach, portforward):
// pkg/registry/core/pod/storage/storage.go (BindingREST, LogREST) and
// pkg/registry/core/pod/strategy.go (LogLocation, ExecLocation, validateContainer).
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { StatusError, isStatusError, newBadRequest, newConflict, newInvalid } from '../../api/errors.js';
import type { Binding, Pod, PodCondition, Status } from '../../api/types/index.js';
import { rfc3339 } from '../../lib/clock.js';
import { checkFields } from '../admission/field-validation.js';
import { writeJson } from '../http/respond.js';
import { validatePodBinding } from '../registry/api-rules.js';
import { readBody } from '../request/read-body.js';
import { bodyFormat, decodeBody, mediaType, newUnsupportedBodyType, requireObject } from '../request/decode-body.js';
import type { PodStreamSubresource } from '../streams/pod-streams.js';
import { parseDryRun, parseFieldValidation } from './query-options.js';
import type { RequestScope, ServerParts } from './request-scope.js';

const MAX_BIND_RETRIES = 8;

/** POST pods/<name>/binding: assigns the pod to a node (the scheduler's write). */
export async function handleBinding(scope: RequestScope): Promise<void> {
  const dryRun = parseDryRun(scope.query.getAll('dryRun'), 'CreateOptions');
  const mode = parseFieldValidation(scope.query.get('fieldValidation'), 'CreateOptions');
  const body = await readBody(scope.req, scope.parts.maxBodyBytes);
  const ct = scope.req.headers['content-type'];
  const fmt = bodyFormat(ct);
  if (!fmt) {
    throw newUnsupportedBodyType(mediaType(ct));
  }
  const decoded = decodeBody(body, fmt);
  const binding = requireObject(
    decoded.value,
    'Binding in version "v1" cannot be handled as a Binding',
  ) as unknown as Binding;
  checkFields(binding, {
    apiVersion: 'v1',
    kind: 'Binding',
    mode,
    duplicateFields: decoded.duplicateFields,
    warnings: scope.warnings,
    wholeObject: true,
  });
  binding.metadata ??= {};
  const name = scope.name;
  if ((binding.metadata.name ?? '') !== name) {
    throw newBadRequest('name in URL does not match name in Binding object');
  }
  const errs = validatePodBinding(binding);
  if (errs.length > 0) {
    throw newInvalid('Binding', name, errs);
  }
  const { registry } = scope.parts;
  const info = scope.info;
  const key = registry.key(info, scope.namespace, name);
  for (let attempt = 1; ; attempt++) {
    const pod = structuredClone((await registry.getStored(info, scope.namespace, name)) as Pod);
    // setPodNodeAndMetadata.
    const conflict = (why: string): StatusError => newConflict('pods/binding', name, why);
    if (binding.metadata.uid && binding.metadata.uid !== pod.metadata.uid) {
      throw conflict(
        `Precondition failed: UID in precondition: ${binding.metadata.uid}, UID in object meta: ${pod.metadata.uid ?? ''}`,
      );
    }
    if (pod.metadata.deletionTimestamp) {
      throw conflict(`pod ${name} is being deleted, cannot be assigned to a host`);
    }
    if (pod.spec.nodeName) {
      throw conflict(`pod ${name} is already assigned to node "${pod.spec.nodeName}"`);
    }
    if ((pod.spec.schedulingGates ?? []).length > 0) {
      throw conflict(`pod ${name} has non-empty .spec.schedulingGates`);
    }
    pod.spec.nodeName = binding.target.name;
    if (binding.metadata.annotations) {
      pod.metadata.annotations = { ...pod.metadata.annotations, ...binding.metadata.annotations };
    }
    setPodScheduled(pod, rfc3339(scope.parts.clock.now()));
    if (dryRun) {
      break;
    }
    try {
      await scope.parts.store.update(key, pod, Number(pod.metadata.resourceVersion));
      break;
    } catch (e) {
      if (isStatusError(e, 'Conflict') && attempt < MAX_BIND_RETRIES) {
        continue;
      }
      throw e;
    }
  }
  const status: Status = { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', code: 201 };
  writeJson(scope.res, 201, status);
}

/** podutil.UpdatePodCondition(PodScheduled=True): lastTransitionTime moves only on a change. */
function setPodScheduled(pod: Pod, nowIso: string): void {
  pod.status ??= {};
  const conditions = pod.status.conditions ?? [];
  const i = conditions.findIndex((c) => c.type === 'PodScheduled');
  const next: PodCondition = { type: 'PodScheduled', status: 'True', lastProbeTime: null, lastTransitionTime: nowIso };
  if (i < 0) {
    conditions.push(next);
  } else {
    const cur = conditions[i]!;
    conditions[i] = {
      ...next,
      lastTransitionTime: cur.status === 'True' ? (cur.lastTransitionTime ?? nowIso) : nowIso,
    };
  }
  pod.status.conditions = conditions;
}

function allContainerNames(pod: Pod): string[] {
  return [
    ...(pod.spec.initContainers ?? []).map((c) => c.name),
    ...pod.spec.containers.map((c) => c.name),
    ...(pod.spec.ephemeralContainers ?? []).map((c) => c.name),
  ];
}

/** strategy.go validateContainer: the container the request is for. */
export function resolveContainer(pod: Pod, requested: string | null): string {
  const name = pod.metadata.name ?? '';
  if (!requested) {
    if (pod.spec.containers.length === 1) {
      return pod.spec.containers[0]!.name;
    }
    if (pod.spec.containers.length === 0) {
      throw newBadRequest(`a container name must be specified for pod ${name}`);
    }
    throw newBadRequest(
      `a container name must be specified for pod ${name}, choose one of: [${allContainerNames(pod).join(' ')}]`,
    );
  }
  if (!allContainerNames(pod).includes(requested)) {
    throw newBadRequest(`container ${requested} is not valid for pod ${name}`);
  }
  return requested;
}

function noStreams(subresource: string): StatusError {
  return new StatusError({
    kind: 'Status',
    apiVersion: 'v1',
    metadata: {},
    status: 'Failure',
    message: `pods/${subresource} is not available: this apiserver has no connection to node agents`,
    reason: 'ServiceUnavailable',
    code: 503,
  });
}

/** GET pods/<name>/log. */
export async function handleLog(scope: RequestScope): Promise<void> {
  const pod = (await scope.parts.registry.get(scope.info, scope.namespace, scope.name)) as Pod;
  const container = resolveContainer(pod, scope.query.get('container'));
  if (!pod.spec.nodeName) {
    // LogLocation: a pod with no node has no logs yet; the answer is empty.
    scope.res.writeHead(200, { 'Content-Type': 'text/plain', 'Content-Length': 0 });
    scope.res.end();
    return;
  }
  if (!scope.parts.podStreams) {
    throw noStreams('log');
  }
  await scope.parts.podStreams.serve({ pod, subresource: 'log', container, query: scope.query }, scope.req, scope.res);
}

/**
 * Checks an exec/attach/portforward request and returns the pod and container, or
 * throws the Status to answer (both for the WebSocket attempt and kubectl's SPDY retry).
 */
export async function prepareStream(
  parts: ServerParts,
  scope: Pick<RequestScope, 'info' | 'namespace' | 'name' | 'query'>,
  subresource: PodStreamSubresource,
): Promise<{ pod: Pod; container: string }> {
  const pod = (await parts.registry.get(scope.info, scope.namespace, scope.name)) as Pod;
  const container = subresource === 'portforward' ? '' : resolveContainer(pod, scope.query.get('container'));
  if (!pod.spec.nodeName) {
    throw newBadRequest(`pod ${scope.name} does not have a host assigned`);
  }
  if (!parts.podStreams) {
    throw noStreams(subresource);
  }
  return { pod, container };
}

/** exec/attach/portforward without an Upgrade header. */
export function handleStreamWithoutUpgrade(): never {
  throw newBadRequest('Upgrade request required');
}

/** Runs an upgrade through the PodStreams seam. */
export async function handleStreamUpgrade(
  parts: ServerParts,
  scope: Pick<RequestScope, 'info' | 'namespace' | 'name' | 'query'>,
  subresource: PodStreamSubresource,
  req: IncomingMessage,
  socket: Duplex,
  head: Buffer,
): Promise<void> {
  const { pod, container } = await prepareStream(parts, scope, subresource);
  await parts.podStreams!.upgrade({ pod, subresource, container, query: scope.query }, req, socket, head);
}
