// Exec probes: k8s pkg/probe/exec/exec.go#Probe over the runtime's ExecSync
// (pkg/kubelet/cri/remote/remote_runtime.go#ExecSync). Exit 0 is success, any
// other exit a failure with the combined output; a timeout is a failure whose
// output is `command "<cmd>" timed out` (ExecProbeTimeout, GA since 1.20); any
// other runtime error (container gone, not running) is a probe error.
import { Buffer } from 'node:buffer';
import { isRuntimeError } from '../../../runtime/runtime.js';
import type { ProbeTarget, ProbeTransport } from '../../../runtime/runtime.js';
import type { ProbeOutcome } from '../probe-outcome.js';

/** pkg/probe/exec/exec.go maxReadLength: output beyond 10 KiB is dropped. */
export const MAX_EXEC_OUTPUT_BYTES = 10 * 1024;

export async function runExecProbe(
  transport: ProbeTransport,
  target: ProbeTarget,
  command: string[],
  timeoutMs: number,
): Promise<ProbeOutcome> {
  try {
    const r = await transport.exec(target, command, timeoutMs);
    const output = truncateBytes(r.stdout + r.stderr, MAX_EXEC_OUTPUT_BYTES);
    return r.exitCode === 0 ? { result: 'success', output } : { result: 'failure', output };
  } catch (e) {
    if (isRuntimeError(e, 'DeadlineExceeded')) {
      return { result: 'failure', output: `command ${JSON.stringify(command.join(' '))} timed out` };
    }
    return { result: 'unknown', output: '', error: e instanceof Error ? e.message : String(e) };
  }
}

export function truncateBytes(s: string, max: number): string {
  const b = Buffer.from(s, 'utf8');
  return b.length <= max ? s : b.subarray(0, max).toString('utf8');
}
