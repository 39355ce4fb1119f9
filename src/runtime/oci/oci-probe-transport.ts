// How the prober reaches real pods: straight from the host to the pod IP
// (the pod network is routed to the node, as the kubelet's prober dials it),
// and exec through the runtime's execSync. One attempt per call, no
// interpretation (src/runtime/runtime.ts ProbeTransport); errors are
// 'Unavailable' (refused/reset) or 'DeadlineExceeded'.
import * as http from 'node:http';
import * as http2 from 'node:http2';
import * as https from 'node:https';
import * as net from 'node:net';
import { RuntimeError } from '../runtime.js';
import type {
  ExecSyncResult,
  GrpcServingStatus,
  HttpProbeRequest,
  HttpProbeResponse,
  ProbeTarget,
  ProbeTransport,
} from '../runtime.js';

/** k8s pkg/probe/http/http.go maxRespBodyLength. */
const MAX_BODY_BYTES = 10 * 1024;

function networkError(e: unknown, what: string): RuntimeError {
  // http2 reports a refused connection as a cancelled stream whose cause is the socket error.
  const err = e as { code?: string; cause?: { code?: string } };
  const code = `${err.code ?? ''} ${err.cause?.code ?? ''}`;
  const msg = e instanceof Error ? e.message : String(e);
  return new RuntimeError(
    /ECONNREFUSED|ECONNRESET|EHOSTUNREACH|ENETUNREACH|EPIPE/.test(code) ? 'Unavailable' : 'Unknown',
    `${what}: ${msg}`,
  );
}

function timeoutError(what: string, ms: number): RuntimeError {
  return new RuntimeError('DeadlineExceeded', `${what}: timed out after ${ms}ms`);
}

const GRPC_STATUS: GrpcServingStatus[] = ['UNKNOWN', 'SERVING', 'NOT_SERVING', 'SERVICE_UNKNOWN'];

/** grpc.health.v1.HealthCheckRequest { string service = 1; } framed as one gRPC message. */
function healthCheckRequest(service: string): Uint8Array {
  const name = new TextEncoder().encode(service);
  const body = service === '' ? new Uint8Array(0) : new Uint8Array([0x0a, name.length, ...name]);
  const frame = new Uint8Array(5 + body.length);
  new DataView(frame.buffer).setUint32(1, body.length);
  frame.set(body, 5);
  return frame;
}

/** HealthCheckResponse { ServingStatus status = 1; } from the first gRPC message. */
function parseHealthCheckResponse(data: Uint8Array): GrpcServingStatus {
  const msg = data.subarray(5);
  for (let i = 0; i + 1 < msg.length; i += 2) {
    if (msg[i] === 0x08) {
      return GRPC_STATUS[msg[i + 1]!] ?? 'UNKNOWN';
    }
  }
  return 'UNKNOWN';
}

export class OciProbeTransport implements ProbeTransport {
  constructor(
    private readonly execSync: (containerId: string, cmd: string[], timeoutMs: number) => Promise<ExecSyncResult>,
  ) {}

  exec(target: ProbeTarget, cmd: string[], timeoutMs: number): Promise<ExecSyncResult> {
    return this.execSync(target.containerId, cmd, timeoutMs);
  }

  http(_target: ProbeTarget, req: HttpProbeRequest, timeoutMs: number): Promise<HttpProbeResponse> {
    const what = `${req.scheme} GET ${req.host}:${req.port}${req.path}`;
    const headers: Record<string, string> = {};
    for (const [k, v] of req.headers) {
      headers[k] = v;
    }
    return new Promise((resolve, reject) => {
      const options: https.RequestOptions = {
        host: req.host,
        port: req.port,
        path: req.path,
        method: 'GET',
        headers,
        // The kubelet's prober skips TLS verification (pkg/probe/http/http.go InsecureSkipVerify).
        rejectUnauthorized: false,
        agent: false,
      };
      const r = (req.scheme === 'HTTPS' ? https : http).request(options, (res) => {
        const chunks: Uint8Array[] = [];
        let size = 0;
        res.on('data', (b: Uint8Array) => {
          if (size < MAX_BODY_BYTES) {
            chunks.push(b.subarray(0, MAX_BODY_BYTES - size));
            size += b.length;
          }
        });
        res.on('end', () => {
          clearTimeout(timer);
          const out: Record<string, string> = {};
          for (const [k, v] of Object.entries(res.headers)) {
            if (v !== undefined) {
              out[k.toLowerCase()] = Array.isArray(v) ? v.join(', ') : v;
            }
          }
          const body = new TextDecoder().decode(Uint8Array.from(chunks.flatMap((c) => [...c])));
          resolve({ statusCode: res.statusCode ?? 0, headers: out, body });
        });
        res.on('error', (e) => {
          clearTimeout(timer);
          reject(networkError(e, what));
        });
      });
      const timer = setTimeout(() => {
        r.destroy();
        reject(timeoutError(what, timeoutMs));
      }, timeoutMs);
      r.on('error', (e) => {
        clearTimeout(timer);
        reject(networkError(e, what));
      });
      r.end();
    });
  }

  tcp(_target: ProbeTarget, host: string, port: number, timeoutMs: number): Promise<void> {
    const what = `TCP ${host}:${port}`;
    return new Promise((resolve, reject) => {
      const s = net.connect({ host, port });
      const timer = setTimeout(() => {
        s.destroy();
        reject(timeoutError(what, timeoutMs));
      }, timeoutMs);
      s.on('connect', () => {
        clearTimeout(timer);
        s.destroy();
        resolve();
      });
      s.on('error', (e) => {
        clearTimeout(timer);
        reject(networkError(e, what));
      });
    });
  }

  grpc(
    _target: ProbeTarget,
    host: string,
    port: number,
    service: string,
    timeoutMs: number,
  ): Promise<GrpcServingStatus> {
    const what = `gRPC health ${host}:${port}`;
    return new Promise((resolve, reject) => {
      const session = http2.connect(`http://${host.includes(':') ? `[${host}]` : host}:${port}`);
      let done = false;
      const finish = (err: RuntimeError | undefined, status?: GrpcServingStatus): void => {
        if (done) {
          return;
        }
        done = true;
        clearTimeout(timer);
        session.close();
        session.destroy();
        if (err) {
          reject(err);
        } else {
          resolve(status!);
        }
      };
      const timer = setTimeout(() => finish(timeoutError(what, timeoutMs)), timeoutMs);
      session.on('error', (e) => finish(networkError(e, what)));
      const stream = session.request({
        ':method': 'POST',
        ':path': '/grpc.health.v1.Health/Check',
        'content-type': 'application/grpc',
        te: 'trailers',
      });
      const chunks: number[] = [];
      let grpcStatus: string | undefined;
      stream.on('response', (h: http2.IncomingHttpHeaders) => {
        if (h['grpc-status'] !== undefined) {
          grpcStatus = String(h['grpc-status']);
        }
      });
      stream.on('trailers', (h: http2.IncomingHttpHeaders) => {
        grpcStatus = String(h['grpc-status'] ?? grpcStatus ?? '0');
      });
      stream.on('data', (b: Uint8Array) => chunks.push(...b));
      stream.on('end', () => {
        if (grpcStatus !== undefined && grpcStatus !== '0') {
          finish(new RuntimeError('Unknown', `${what}: rpc error: grpc-status ${grpcStatus}`));
        } else {
          finish(undefined, parseHealthCheckResponse(Uint8Array.from(chunks)));
        }
      });
      stream.on('error', (e) => finish(networkError(e, what)));
      stream.end(healthCheckRequest(service));
    });
  }
}
