// gRPC probes: k8s pkg/probe/grpc/grpc.go#Probe (grpc.health.v1.Health/Check).
// SERVING is success; any other status or error is a failure with upstream's
// output text.
import { isRuntimeError } from '../../../runtime/runtime.js';
import type { ProbeTarget, ProbeTransport } from '../../../runtime/runtime.js';
import type { ProbeOutcome } from '../probe-outcome.js';
import { joinHostPort } from '../resolve-port.js';

export async function runGrpcProbe(
  transport: ProbeTransport,
  target: ProbeTarget,
  host: string,
  port: number,
  service: string,
  timeoutMs: number,
): Promise<ProbeOutcome> {
  const addr = joinHostPort(host, port);
  try {
    const status = await transport.grpc(target, host, port, service, timeoutMs);
    if (status !== 'SERVING') {
      return { result: 'failure', output: `service unhealthy (responded with ${JSON.stringify(status)})` };
    }
    return { result: 'success', output: 'service healthy' };
  } catch (e) {
    const msg = e instanceof Error ? e.message : String(e);
    if (isRuntimeError(e, 'DeadlineExceeded')) {
      return {
        result: 'failure',
        output: `timeout: failed to connect service ${JSON.stringify(addr)} within ${timeoutMs / 1000}s: context deadline exceeded`,
      };
    }
    if (isRuntimeError(e, 'Unavailable')) {
      return { result: 'failure', output: `error: failed to connect service at ${JSON.stringify(addr)}: ${msg}` };
    }
    return { result: 'failure', output: `error: health rpc probe failed: ${msg}` };
  }
}
