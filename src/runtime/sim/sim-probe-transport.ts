// Probes (and lifecycle hooks) in the sim are answered from data: the
// container's `sim.podbay.io/probe.<container>.<type>` or
// `hook.<container>.<postStart|preStop>` timeline (sim-annotations.ts),
// evaluated at the time since the container started. Without one, every probe
// succeeds; exec probes without one run like any execSync (exec rules, then
// the sim shell). A container that is not running refuses connections, as a
// real pod's IP would.
import type { Clock } from '../../lib/clock.js';
import { RuntimeError } from '../runtime.js';
import type {
  ExecSyncResult,
  GrpcServingStatus,
  HttpProbeRequest,
  HttpProbeResponse,
  ProbeTarget,
  ProbeTransport,
} from '../runtime.js';
import { probeAnswerAt } from './sim-annotations.js';
import type { ProbeAnswer, ProbeTimeline } from './sim-annotations.js';

/** What the transport needs to know about a container, from the SimRuntime. */
export interface SimProbeSubject {
  running: boolean;
  startedAt: number;
  timeline: ProbeTimeline | undefined;
}

export interface SimProbeHost {
  clock: Clock;
  /** The container's probe data; throws RuntimeError 'NotFound' for an unknown id. */
  probeSubject(containerId: string, probeType: ProbeTarget['probeType']): SimProbeSubject;
  execSync(containerId: string, cmd: string[], timeoutMs: number): Promise<ExecSyncResult>;
}

export class SimProbeTransport implements ProbeTransport {
  constructor(private readonly host: SimProbeHost) {}

  async exec(target: ProbeTarget, cmd: string[], timeoutMs: number): Promise<ExecSyncResult> {
    const subject = this.host.probeSubject(target.containerId, target.probeType);
    if (!subject.timeline) {
      return this.host.execSync(target.containerId, cmd, timeoutMs);
    }
    if (!subject.running) {
      throw new RuntimeError('FailedPrecondition', `container ${target.containerId} is not running`);
    }
    const answer = await this.answer(subject, timeoutMs);
    return answer === 'ok'
      ? { stdout: '', stderr: '', exitCode: 0 }
      : { stdout: '', stderr: `sim: ${target.probeType} fails\n`, exitCode: 1 };
  }

  async http(target: ProbeTarget, req: HttpProbeRequest, timeoutMs: number): Promise<HttpProbeResponse> {
    const answer = await this.connect(target, req.host, req.port, timeoutMs);
    return answer === 'ok'
      ? { statusCode: 200, headers: { 'content-type': 'text/plain' }, body: 'ok' }
      : { statusCode: 500, headers: { 'content-type': 'text/plain' }, body: `sim: ${target.probeType} fails` };
  }

  async tcp(target: ProbeTarget, host: string, port: number, timeoutMs: number): Promise<void> {
    const answer = await this.connect(target, host, port, timeoutMs);
    if (answer !== 'ok') {
      throw refused(host, port);
    }
  }

  async grpc(
    target: ProbeTarget,
    host: string,
    port: number,
    _service: string,
    timeoutMs: number,
  ): Promise<GrpcServingStatus> {
    const answer = await this.connect(target, host, port, timeoutMs);
    return answer === 'ok' ? 'SERVING' : 'NOT_SERVING';
  }

  private async connect(target: ProbeTarget, host: string, port: number, timeoutMs: number): Promise<ProbeAnswer> {
    const subject = this.host.probeSubject(target.containerId, target.probeType);
    if (!subject.running) {
      throw refused(host, port);
    }
    return this.answer(subject, timeoutMs);
  }

  /** The answer now; `timeout` waits out timeoutMs on the clock and rejects, like a hung server. */
  private async answer(subject: SimProbeSubject, timeoutMs: number): Promise<ProbeAnswer> {
    const answer = subject.timeline ? probeAnswerAt(subject.timeline, this.host.clock.now() - subject.startedAt) : 'ok';
    if (answer === 'timeout') {
      await this.host.clock.sleep(timeoutMs);
      throw new RuntimeError('DeadlineExceeded', `context deadline exceeded (timeout ${timeoutMs}ms)`);
    }
    return answer;
  }
}

function refused(host: string, port: number): RuntimeError {
  return new RuntimeError('Unavailable', `dial tcp ${host}:${port}: connect: connection refused`);
}
