// One probe attempt with its events: k8s pkg/kubelet/prober/prober.go
// (#probe, #runProbeWithRetries, #runProbe).
//   - exec → ExecSync in the container with the command `$(VAR)`-expanded from
//     static env only; httpGet → GET to httpGet.host or the pod IP; tcpSocket →
//     connect to tcpSocket.host or the pod IP; grpc → Health/Check on the pod IP.
//   - A probe *error* is retried up to 3 times at once (maxProbeRetries); if it
//     persists, event `Unhealthy` `<Type> probe errored and resulted in
//     unknown state: <err>` and the result is thrown away by the worker.
//   - Failure → event `Unhealthy` `<Type> probe failed: <output>` on every
//     failing attempt (not only when the threshold is crossed).
//   - Warning (an unfollowed redirect) → event `ProbeWarning`
//     `<Type> probe warning: <output>`, and counts as success.
import type { Container, Pod, Probe } from '../../api/types/index.js';
import type { Clock } from '../../lib/clock.js';
import type { ProbeTarget, ProbeTransport, ProbeType } from '../../runtime/runtime.js';
import { expandCommandOnlyStatic } from '../env/expand.js';
import type { EventRecorderLike } from './event-recorder-like.js';
import { containerRef } from './event-recorder-like.js';
import type { ProbeOutcome } from './probe-outcome.js';
import { probeTypeTitle } from './probe-outcome.js';
import { probeSettings } from './probe-settings.js';
import { resolveContainerPort } from './resolve-port.js';
import { runExecProbe } from './runners/exec-runner.js';
import { runGrpcProbe } from './runners/grpc-runner.js';
import { newHttpGetRequest } from './runners/http-request.js';
import { runHttpProbe } from './runners/http-runner.js';
import { runTcpProbe } from './runners/tcp-runner.js';

export const REASON_UNHEALTHY = 'Unhealthy';
export const REASON_PROBE_WARNING = 'ProbeWarning';

/** prober.go maxProbeRetries. */
export const MAX_PROBE_RETRIES = 3;

export interface ProbeContext {
  transport: ProbeTransport;
  clock: Clock;
  recorder: EventRecorderLike;
  podSandboxId: string;
  /** The pod IP (status.podIP); '' when not known yet. */
  podIP: string;
}

/** 'success' | 'failure' for the worker's counters, or 'error' to be discarded. */
export type AttemptResult = 'success' | 'failure' | 'error';

export async function probeOnce(
  probeType: ProbeType,
  probe: Probe,
  pod: Pod,
  container: Container,
  containerId: string,
  ctx: ProbeContext,
): Promise<AttemptResult> {
  let outcome: ProbeOutcome = { result: 'unknown', output: '', error: 'no attempt' };
  for (let i = 0; i < MAX_PROBE_RETRIES; i++) {
    outcome = await runProbe(probeType, probe, pod, container, containerId, ctx);
    if (outcome.result !== 'unknown') {
      break;
    }
  }
  const title = probeTypeTitle(probeType);
  const ref = containerRef(pod, container.name);
  switch (outcome.result) {
    case 'success':
      return 'success';
    case 'warning':
      ctx.recorder.event(ref, 'Warning', REASON_PROBE_WARNING, `${title} probe warning: ${outcome.output}`);
      return 'success';
    case 'failure':
      ctx.recorder.event(ref, 'Warning', REASON_UNHEALTHY, `${title} probe failed: ${outcome.output}`);
      return 'failure';
    case 'unknown':
      ctx.recorder.event(
        ref,
        'Warning',
        REASON_UNHEALTHY,
        `${title} probe errored and resulted in unknown state: ${outcome.error}`,
      );
      return 'error';
  }
}

/** prober.go#runProbe: one attempt, no events. */
export async function runProbe(
  probeType: ProbeType,
  probe: Probe,
  pod: Pod,
  container: Container,
  containerId: string,
  ctx: ProbeContext,
): Promise<ProbeOutcome> {
  const timeoutMs = probeSettings(probe).timeoutSeconds * 1000;
  const target: ProbeTarget = {
    podSandboxId: ctx.podSandboxId,
    containerId,
    containerName: container.name,
    probeType,
  };
  if (probe.exec) {
    const command = expandCommandOnlyStatic(probe.exec.command ?? [], container.env);
    return runExecProbe(ctx.transport, target, command, timeoutMs);
  }
  if (probe.httpGet) {
    const built = newHttpGetRequest(probe.httpGet, container, ctx.podIP, 'probe');
    if ('error' in built) {
      return { result: 'unknown', output: '', error: built.error };
    }
    return runHttpProbe(ctx.transport, target, built, timeoutMs, ctx.clock);
  }
  if (probe.tcpSocket) {
    const port = resolveContainerPort(probe.tcpSocket.port, container);
    if ('error' in port) {
      return { result: 'unknown', output: '', error: port.error };
    }
    return runTcpProbe(ctx.transport, target, probe.tcpSocket.host || ctx.podIP, port.port, timeoutMs);
  }
  if (probe.grpc) {
    return runGrpcProbe(ctx.transport, target, ctx.podIP, probe.grpc.port, probe.grpc.service ?? '', timeoutMs);
  }
  const podName = `${pod.metadata.name ?? ''}_${pod.metadata.namespace ?? ''}(${pod.metadata.uid ?? ''})`;
  return { result: 'unknown', output: '', error: `missing probe handler for ${podName}:${container.name}` };
}
