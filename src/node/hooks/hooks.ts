// Container lifecycle hooks: k8s pkg/kubelet/lifecycle/handlers.go
// (handlerRunner.Run, runHTTPHandler, runSleepHandler) and
// pkg/kubelet/kuberuntime/kuberuntime_container.go (startContainer step 4,
// executePreStopHook, killContainer).
//
// postStart runs right after StartContainer, while the entrypoint already
// runs; the pod worker waits for it before it goes on. If it fails: event
// FailedPostStartHook `PostStartHook failed` (details are kept out of the
// event on purpose: they may hold secrets), then the CALLER kills the
// container with the Killing message `FailedPostStartHook`
// (KILLING_MESSAGE_POST_START) and reports PostStartHookError with the
// returned message; the restart policy decides what happens next.
//
// preStop runs only when the agent kills a container (deletion, a probe
// failure, a failed postStart…), never when it exits by itself, and only with
// a grace period > 0. It may take the whole grace period and no more:
//
//   t=0 preStop starts            t=grace
//   ├──────────── hook ───────────┤ runPreStop returns (the hook may still run;
//   │  hook done → returns early   │ its failure is still reported)
//
// The caller subtracts the time spent from the grace period before
// StopContainer (minimum 2 s, killContainer). A failure records
// FailedPreStopHook `PreStopHook failed`.
//
// Handler semantics (handlers.go):
//   exec     ExecSync without timeout; exit ≠ 0 fails
//   httpGet  GET to httpGet.host or the pod IP (User-Agent kube-lifecycle/1.32);
//            only a transport error fails, the status code is not looked at
//   sleep    waits `seconds` on the clock
//   other    (tcpSocket) fails: `Cannot run handler: invalid handler: …`
import type { Container, LifecycleHandler, Pod } from '../../api/types/index.js';
import type { Clock, Timer } from '../../lib/clock.js';
import type { HookType, ProbeTarget, ProbeTransport } from '../../runtime/runtime.js';
import type { EventRecorderLike } from '../prober/event-recorder-like.js';
import { containerRef } from '../prober/event-recorder-like.js';
import { newHttpGetRequest } from '../prober/runners/http-request.js';
import { doHttpGet } from '../prober/runners/http-runner.js';

export const REASON_FAILED_POST_START_HOOK = 'FailedPostStartHook';
export const REASON_FAILED_PRE_STOP_HOOK = 'FailedPreStopHook';
/** The Killing event message for the kill that follows a failed postStart. */
export const KILLING_MESSAGE_POST_START = 'FailedPostStartHook';
/** The sync error (and waiting reason) a failed postStart leaves (kuberuntime ErrPostStartHook). */
export const REASON_POST_START_HOOK_ERROR = 'PostStartHookError';

/**
 * An httpGet hook has no timeout upstream (the kubelet's http.Client has
 * none); podbay bounds a postStart GET so a hung server cannot block a pod
 * worker forever. preStop GETs are bounded by the grace period instead.
 */
export const POST_START_HTTP_TIMEOUT_MS = 120_000;

export interface HookContext {
  /** runtime.probeTransport(): hooks reach containers the way probes do. */
  transport: ProbeTransport;
  clock: Clock;
  recorder: EventRecorderLike;
  podSandboxId: string;
  /** The pod IP httpGet hooks go to when they name no host. */
  podIP?: string;
}

export type HookResult = { ok: true } | { ok: false; message: string };

/** Runs the container's postStart hook, if any (see the file comment for what the caller does on failure). */
export async function runPostStart(
  pod: Pod,
  container: Container,
  containerId: string,
  ctx: HookContext,
): Promise<HookResult> {
  const handler = container.lifecycle?.postStart;
  if (!handler) {
    return { ok: true };
  }
  const r = await runLifecycleHandler(
    'postStart',
    handler,
    pod,
    container,
    containerId,
    ctx,
    POST_START_HTTP_TIMEOUT_MS,
  );
  if (!r.ok) {
    ctx.recorder.event(
      containerRef(pod, container.name),
      'Warning',
      REASON_FAILED_POST_START_HOOK,
      'PostStartHook failed',
    );
  }
  return r;
}

/**
 * Runs the container's preStop hook, if any and if gracePeriodMs > 0, and
 * resolves when it is done or the grace period is over, whichever is first.
 */
export async function runPreStop(
  pod: Pod,
  container: Container,
  containerId: string,
  gracePeriodMs: number,
  ctx: HookContext,
): Promise<void> {
  const handler = container.lifecycle?.preStop;
  if (!handler || gracePeriodMs <= 0) {
    return;
  }
  const cancels: (() => void)[] = [];
  const hook = runLifecycleHandler('preStop', handler, pod, container, containerId, ctx, gracePeriodMs, cancels).then(
    (r) => {
      if (!r.ok) {
        ctx.recorder.event(
          containerRef(pod, container.name),
          'Warning',
          REASON_FAILED_PRE_STOP_HOOK,
          'PreStopHook failed',
        );
      }
    },
  );
  let timer: Timer | undefined;
  const graceOver = new Promise<void>((resolve) => {
    timer = ctx.clock.setTimer(gracePeriodMs, () => {
      // A sleep hook longer than the grace period is cut (the container is
      // being stopped anyway); exec and http hooks run on until they answer.
      for (const c of cancels) {
        c();
      }
      resolve();
    });
  });
  await Promise.race([hook, graceOver]);
  timer?.cancel();
}

/** handlers.go#Run: one handler, its error message in upstream's words. */
export async function runLifecycleHandler(
  hookType: HookType,
  handler: LifecycleHandler,
  pod: Pod,
  container: Container,
  containerId: string,
  ctx: HookContext,
  httpTimeoutMs: number,
  cancels: (() => void)[] = [],
): Promise<HookResult> {
  const podFull = `${pod.metadata.name ?? ''}_${pod.metadata.namespace ?? ''}(${pod.metadata.uid ?? ''})`;
  const target: ProbeTarget = {
    podSandboxId: ctx.podSandboxId,
    containerId,
    containerName: container.name,
    probeType: hookType,
  };
  if (handler.exec) {
    const cmd = handler.exec.command ?? [];
    let err: string | undefined;
    let output = '';
    try {
      const r = await ctx.transport.exec(target, cmd, 0);
      output = r.stdout + r.stderr;
      if (r.exitCode !== 0) {
        err = `command '${cmd.join(' ')}' exited with ${r.exitCode}: ${r.stderr}`;
      }
    } catch (e) {
      err = e instanceof Error ? e.message : String(e);
    }
    if (err === undefined) {
      return { ok: true };
    }
    return {
      ok: false,
      message: `Exec lifecycle hook ([${cmd.join(' ')}]) for Container ${JSON.stringify(container.name)} in Pod ${JSON.stringify(podFull)} failed - error: ${err}, message: ${JSON.stringify(output)}`,
    };
  }
  if (handler.httpGet) {
    const err = await runHttpHandler(handler, container, target, ctx, httpTimeoutMs);
    if (err === undefined) {
      return { ok: true };
    }
    return {
      ok: false,
      message: `HTTP lifecycle hook (${handler.httpGet.path ?? ''}) for Container ${JSON.stringify(container.name)} in Pod ${JSON.stringify(podFull)} failed - error: ${err}`,
    };
  }
  if (handler.sleep) {
    const seconds = handler.sleep.seconds;
    const finished = await new Promise<boolean>((resolve) => {
      const t = ctx.clock.setTimer(seconds * 1000, () => resolve(true));
      cancels.push(() => {
        t.cancel();
        resolve(false);
      });
    });
    if (finished) {
      return { ok: true };
    }
    return {
      ok: false,
      message: `Sleep lifecycle hook (${seconds}) for Container ${JSON.stringify(container.name)} in Pod ${JSON.stringify(podFull)} failed - error: container terminated before sleep hook finished`,
    };
  }
  const what = handler.tcpSocket ? 'tcpSocket is not supported in lifecycle hooks' : 'no handler given';
  return { ok: false, message: `Cannot run handler: invalid handler: ${what}` };
}

async function runHttpHandler(
  handler: LifecycleHandler,
  container: Container,
  target: ProbeTarget,
  ctx: HookContext,
  timeoutMs: number,
): Promise<string | undefined> {
  const httpGet = handler.httpGet!;
  const podIP = httpGet.host || ctx.podIP || '';
  if (!podIP) {
    return 'failed to find networking container: the pod has no IP';
  }
  const built = newHttpGetRequest(httpGet, container, podIP, 'lifecycle');
  if ('error' in built) {
    return built.error;
  }
  const r = await doHttpGet(ctx.transport, target, built, timeoutMs, ctx.clock);
  return 'error' in r ? r.error : undefined;
}
