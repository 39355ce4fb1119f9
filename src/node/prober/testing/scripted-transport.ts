// A ProbeTransport whose every answer a test scripts, with the requests it got.
import type {
  ExecSyncResult,
  GrpcServingStatus,
  HttpProbeRequest,
  HttpProbeResponse,
  ProbeTarget,
  ProbeTransport,
} from '../../../runtime/runtime.js';

export type Answer<T> = T | Error | ((...args: unknown[]) => T | Promise<T>);

export class ScriptedTransport implements ProbeTransport {
  readonly execs: { target: ProbeTarget; cmd: string[]; timeoutMs: number }[] = [];
  readonly https: { target: ProbeTarget; req: HttpProbeRequest; timeoutMs: number }[] = [];
  readonly tcps: { host: string; port: number; timeoutMs: number }[] = [];
  readonly grpcs: { host: string; port: number; service: string; timeoutMs: number }[] = [];
  execAnswers: Answer<ExecSyncResult>[] = [];
  httpAnswers: Answer<HttpProbeResponse>[] = [];
  tcpAnswers: Answer<void>[] = [];
  grpcAnswers: Answer<GrpcServingStatus>[] = [];

  async exec(target: ProbeTarget, cmd: string[], timeoutMs: number): Promise<ExecSyncResult> {
    this.execs.push({ target, cmd, timeoutMs });
    return next(this.execAnswers, { stdout: '', stderr: '', exitCode: 0 });
  }
  async http(target: ProbeTarget, req: HttpProbeRequest, timeoutMs: number): Promise<HttpProbeResponse> {
    this.https.push({ target, req, timeoutMs });
    return next(this.httpAnswers, { statusCode: 200, headers: {}, body: 'ok' });
  }
  async tcp(_target: ProbeTarget, host: string, port: number, timeoutMs: number): Promise<void> {
    this.tcps.push({ host, port, timeoutMs });
    return next(this.tcpAnswers, undefined);
  }
  async grpc(
    _t: ProbeTarget,
    host: string,
    port: number,
    service: string,
    timeoutMs: number,
  ): Promise<GrpcServingStatus> {
    this.grpcs.push({ host, port, service, timeoutMs });
    return next(this.grpcAnswers, 'SERVING');
  }
}

async function next<T>(answers: Answer<T>[], dflt: T): Promise<T> {
  const a = answers.length > 1 ? answers.shift()! : answers[0];
  if (a === undefined) {
    return dflt;
  }
  if (a instanceof Error) {
    throw a;
  }
  if (typeof a === 'function') {
    return (a as () => T | Promise<T>)();
  }
  return a;
}
