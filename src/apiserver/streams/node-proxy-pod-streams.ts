// PodStreams by proxy to the node agent of the pod's node, as kube-apiserver
// does for pods/log, exec, attach and portforward
// (pkg/registry/core/pod/rest/log.go + subresources.go, the locations of
// pkg/registry/core/pod/strategy.go, and k8s.io/apimachinery
// pkg/util/proxy/upgradeaware.go):
//
//   log          GET /containerLogs/{ns}/{pod}/{container}?<PodLogOptions>, streamed back;
//                a non-2xx answer becomes a Status (GenericHttpResponseChecker: 400 →
//                BadRequest with the agent's text, 500 → InternalError, else generic)
//   exec/attach  /exec|attach/{ns}/{pod}/{uid}/{container}?command=…&input=1&output=1&error=1&tty=1
//   portforward  /portForward/{ns}/{pod}/{uid}?port=…
//                The upgrade request is sent on a new connection to the agent with the
//                client's Upgrade / Sec-WebSocket-* / X-Stream-Protocol-Version headers;
//                from then on bytes are piped both ways untouched, including a refusal,
//                which reaches the client as the agent wrote it.
import { request as httpRequest } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { connect } from 'node:net';
import type { Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { connect as tlsConnect } from 'node:tls';
import { StatusError, newBadRequest, newInternalError } from '../../api/errors.js';
import { podLogOptionsOrThrow } from '../../api/pod-log-options.js';
import type { Node, Pod, Status } from '../../api/types/index.js';
import type { Store } from '../../store/store.js';
import { nodeStreamEndpoint } from './node-endpoint.js';
import type { NodeEndpoint } from './node-endpoint.js';
import type { PodStreamRequest, PodStreams } from './pod-streams.js';

export interface NodeProxyPodStreamsOptions {
  /** The Node object (with status) of a name; undefined if there is none. */
  getNode(name: string): Promise<Node | undefined>;
  /** The bearer token node agents accept on their stream servers. */
  token: string;
  /** Longest wait for an agent's connection or answer headers (default 30 s). */
  dialTimeoutMs?: number;
  /**
   * Agents serve HTTPS with certificates from this CA (checked against the node
   * address dialled), as kube-apiserver's --kubelet-certificate-authority; default
   * plain HTTP.
   */
  tls?: { caPem: string };
}

/** How long the agent's log body may be when it answers with an error (GenericHttpResponseChecker maxReadLength). */
const MAX_ERROR_BODY = 50_000;

/** streamParams (strategy.go): the kubelet's names for the exec/attach flags. */
export function agentStreamQuery(r: PodStreamRequest): URLSearchParams {
  const q = r.query;
  const out = new URLSearchParams();
  if (r.subresource === 'portforward') {
    for (const p of q.getAll('ports')) {
      for (const one of p.split(',')) {
        if (one.trim() !== '') {
          out.append('port', one.trim());
        }
      }
    }
    return out;
  }
  if (r.subresource === 'log') {
    for (const [k, v] of q) {
      if (k !== 'container' && k !== 'pretty') {
        out.append(k, v);
      }
    }
    return out;
  }
  const on = (name: string): boolean => ['true', '1', 't', 'T', 'TRUE', 'True'].includes(q.get(name) ?? '');
  if (on('stdin')) {
    out.append('input', '1');
  }
  if (on('stdout')) {
    out.append('output', '1');
  }
  if (on('stderr')) {
    out.append('error', '1');
  }
  if (on('tty')) {
    out.append('tty', '1');
  }
  for (const c of q.getAll('command')) {
    out.append('command', c);
  }
  return out;
}

/** The agent path for a request (without query). */
export function agentStreamPath(r: PodStreamRequest): string {
  const ns = encodeURIComponent(r.pod.metadata.namespace ?? 'default');
  const name = encodeURIComponent(r.pod.metadata.name ?? '');
  const uid = encodeURIComponent(r.pod.metadata.uid ?? '');
  const container = encodeURIComponent(r.container);
  switch (r.subresource) {
    case 'log':
      return `/containerLogs/${ns}/${name}/${container}`;
    case 'exec':
    case 'attach':
      return `/${r.subresource}/${ns}/${name}/${uid}/${container}`;
    case 'portforward':
      return `/portForward/${ns}/${name}/${uid}`;
  }
}

function withQuery(path: string, q: URLSearchParams): string {
  const s = q.toString();
  return s ? `${path}?${s}` : path;
}

/** GenericHttpResponseChecker.Check: the Status for an agent's non-2xx answer. */
export function statusFromAgentAnswer(code: number, body: string, pod: string): StatusError {
  // podbay's agent answers with a Status; keep it as it is.
  try {
    const parsed = JSON.parse(body) as Partial<Status>;
    if (parsed.kind === 'Status' && typeof parsed.message === 'string') {
      return new StatusError({ ...parsed, kind: 'Status', apiVersion: 'v1', metadata: {}, code: parsed.code ?? code });
    }
  } catch {
    // plain text, as the kubelet writes it
  }
  if (code === 400) {
    return newBadRequest(body);
  }
  if (code === 500) {
    return newInternalError(body);
  }
  const reason =
    code === 404 ? 'NotFound' : code === 401 ? 'Unauthorized' : code === 403 ? 'Forbidden' : 'InternalError';
  return new StatusError({
    kind: 'Status',
    apiVersion: 'v1',
    metadata: {},
    status: 'Failure',
    message: body || `an error on the server ("") has prevented the request from succeeding (get pods/log ${pod})`,
    reason,
    details: { name: pod, kind: 'pods/log' },
    code,
  });
}

/** getNode reading the apiserver's own store (key `/nodes/<name>`). */
export function storeNodeGetter(store: Pick<Store, 'get'>): (name: string) => Promise<Node | undefined> {
  return async (name) => (await store.get(`/nodes/${name}`)) as Node | undefined;
}

export function createNodeProxyPodStreams(o: NodeProxyPodStreamsOptions): PodStreams {
  const timeoutMs = o.dialTimeoutMs ?? 30_000;

  async function endpointOf(pod: Pod): Promise<NodeEndpoint> {
    const nodeName = pod.spec.nodeName ?? '';
    const node = await o.getNode(nodeName);
    if (!node) {
      throw new StatusError({
        kind: 'Status',
        apiVersion: 'v1',
        metadata: {},
        status: 'Failure',
        message: `nodes "${nodeName}" not found`,
        reason: 'NotFound',
        details: { name: nodeName, kind: 'nodes' },
        code: 404,
      });
    }
    return nodeStreamEndpoint(node);
  }

  return {
    async serve(r: PodStreamRequest, _req: IncomingMessage, res: ServerResponse): Promise<void> {
      const podName = r.pod.metadata.name ?? '';
      podLogOptionsOrThrow(r.query, podName);
      const ep = await endpointOf(r.pod);
      const upstream = await new Promise<IncomingMessage>((resolve, reject) => {
        const request = o.tls ? httpsRequest : httpRequest;
        const req = request({
          ...(o.tls ? { ca: o.tls.caPem } : {}),
          host: ep.host,
          port: ep.port,
          method: 'GET',
          path: withQuery(agentStreamPath(r), agentStreamQuery(r)),
          headers: { Authorization: `Bearer ${o.token}` },
          timeout: timeoutMs,
        });
        req.once('response', resolve);
        req.once('timeout', () => req.destroy(new Error(`timed out after ${timeoutMs} ms`)));
        req.once('error', (e) => reject(newInternalError(`error dialing backend: ${e.message}`)));
        res.once('close', () => req.destroy());
        req.end();
      });
      upstream.socket?.setTimeout(0);
      const code = upstream.statusCode ?? 500;
      if (code < 200 || code > 206) {
        let body = '';
        upstream.setEncoding('utf8');
        for await (const chunk of upstream) {
          body += chunk as string;
          if (body.length > MAX_ERROR_BODY) {
            break;
          }
        }
        throw statusFromAgentAnswer(code, body.slice(0, MAX_ERROR_BODY), podName);
      }
      res.writeHead(200, { 'Content-Type': 'text/plain', 'Transfer-Encoding': 'chunked' });
      res.flushHeaders();
      await new Promise<void>((resolve) => {
        upstream.pipe(res);
        upstream.once('end', resolve);
        // The agent went away mid-stream: the client sees the body cut, as with a dead kubelet.
        upstream.once('error', () => {
          res.destroy();
          resolve();
        });
        upstream.once('close', () => {
          if (!upstream.complete) {
            res.destroy();
          }
          resolve();
        });
        res.once('close', () => {
          upstream.destroy();
          resolve();
        });
      });
    },

    async upgrade(r: PodStreamRequest, req: IncomingMessage, socket: Duplex, head: Buffer): Promise<void> {
      const ep = await endpointOf(r.pod);
      const upstream = await new Promise<Socket>((resolve, reject) => {
        const s = o.tls
          ? tlsConnect({ host: ep.host, port: ep.port, ca: o.tls.caPem, timeout: timeoutMs })
          : connect({ host: ep.host, port: ep.port, timeout: timeoutMs });
        s.once(o.tls ? 'secureConnect' : 'connect', () => {
          s.setTimeout(0);
          resolve(s);
        });
        s.once('timeout', () => s.destroy(new Error(`timed out after ${timeoutMs} ms`)));
        s.once('error', (e: Error) => reject(newInternalError(`error dialing backend: ${e.message}`)));
      });
      const lines = [`${req.method ?? 'GET'} ${withQuery(agentStreamPath(r), agentStreamQuery(r))} HTTP/1.1`];
      lines.push(`Host: ${ep.host.includes(':') ? `[${ep.host}]` : ep.host}:${ep.port}`);
      lines.push(`Authorization: Bearer ${o.token}`);
      const raw = req.rawHeaders;
      for (let i = 0; i + 1 < raw.length; i += 2) {
        const name = raw[i]!;
        const lower = name.toLowerCase();
        if (lower === 'host' || lower === 'authorization' || lower === 'content-length') {
          continue;
        }
        lines.push(`${name}: ${raw[i + 1]!}`);
      }
      upstream.write(lines.join('\r\n') + '\r\n\r\n');
      if (head.length > 0) {
        upstream.write(head);
      }
      const done = new Promise<void>((resolve) => {
        let closed = 0;
        const one = (): void => {
          closed += 1;
          if (closed === 2) {
            resolve();
          }
        };
        upstream.once('close', () => {
          socket.destroy();
          one();
        });
        socket.once('close', () => {
          upstream.destroy();
          one();
        });
      });
      upstream.on('error', () => upstream.destroy());
      socket.on('error', () => socket.destroy());
      upstream.pipe(socket);
      socket.pipe(upstream);
      await done;
    },
  };
}
