// TCP probes: k8s pkg/probe/tcp/tcp.go#DoTCPProbe. A connect within the
// timeout is success with no output; every dial error is a failure whose
// output is Go's dial error (`dial tcp 10.88.0.5:8080: connect: connection
// refused`, `dial tcp 10.88.0.5:8080: i/o timeout`).
import { isRuntimeError } from '../../../runtime/runtime.js';
import type { ProbeTarget, ProbeTransport } from '../../../runtime/runtime.js';
import type { ProbeOutcome } from '../probe-outcome.js';
import { joinHostPort } from '../resolve-port.js';

export async function runTcpProbe(
  transport: ProbeTransport,
  target: ProbeTarget,
  host: string,
  port: number,
  timeoutMs: number,
): Promise<ProbeOutcome> {
  try {
    await transport.tcp(target, host, port, timeoutMs);
    return { result: 'success', output: '' };
  } catch (e) {
    if (isRuntimeError(e, 'DeadlineExceeded')) {
      return { result: 'failure', output: `dial tcp ${joinHostPort(host, port)}: i/o timeout` };
    }
    return { result: 'failure', output: e instanceof Error ? e.message : String(e) };
  }
}
