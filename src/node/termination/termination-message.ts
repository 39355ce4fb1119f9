// A terminated container's message: k8s pkg/kubelet/kuberuntime/kuberuntime_container.go
// (#getTerminationMessage, #readLastStringFromContainerLogs, and its use in
// #toKubeContainerStatus) with the limits of pkg/kubelet/container/runtime.go.
//
//   File (default)          the terminationMessagePath file, ≤ 4096 bytes (the
//                           runtime reads it when the container exits and reports
//                           ContainerStatus.terminationMessage)
//   FallbackToLogsOnError   the file if it is not empty; else, if the container
//                           failed (exit ≠ 0), the tail of its log: the last 80
//                           lines, of which the last 2048 bytes
//
// The agent puts the result in state.terminated.message, after the runtime's
// own message and ": " when that is not empty (composeTerminatedMessage).
import { Buffer } from 'node:buffer';
import type { Container } from '../../api/types/index.js';
import type { LogEntry, Runtime } from '../../runtime/runtime.js';

/** MaxContainerTerminationMessageLength: the file is read up to 4 KiB (by the runtime). */
export const MAX_TERMINATION_MESSAGE_BYTES = 4 * 1024;
/** MaxContainerTerminationMessageLogLength: at most the last 2 KiB of log. */
export const MAX_TERMINATION_MESSAGE_LOG_BYTES = 2 * 1024;
/** MaxContainerTerminationMessageLogLines: from at most the last 80 lines. */
export const MAX_TERMINATION_MESSAGE_LOG_LINES = 80;

/**
 * The termination message of an EXITED container, or undefined (not exited,
 * gone, or nothing to say). Never throws: a log that cannot be read gives
 * upstream's `Error on reading termination message from logs: <err>`.
 */
export async function readTerminationMessage(
  runtime: Pick<Runtime, 'containerStatus' | 'readContainerLog'>,
  containerId: string,
  container: Pick<Container, 'terminationMessagePolicy'>,
): Promise<string | undefined> {
  let status;
  try {
    status = await runtime.containerStatus(containerId);
  } catch {
    return undefined;
  }
  if (status.state !== 'CONTAINER_EXITED') {
    return undefined;
  }
  // A container that never ran has no logs worth reading (upstream checks
  // docker's "ContainerCannotRun"; containerd's equivalent is StartError).
  const fallbackToLogs =
    container.terminationMessagePolicy === 'FallbackToLogsOnError' &&
    status.exitCode !== 0 &&
    status.reason !== 'ContainerCannotRun' &&
    status.reason !== 'StartError';
  const fromFile = status.terminationMessage ?? '';
  if (fromFile !== '' || !fallbackToLogs) {
    return fromFile === '' ? undefined : truncateBytesFromStart(fromFile, MAX_TERMINATION_MESSAGE_BYTES);
  }
  let entries: LogEntry[];
  try {
    entries = await runtime.readContainerLog(containerId, { tailLines: MAX_TERMINATION_MESSAGE_LOG_LINES });
  } catch (e) {
    return `Error on reading termination message from logs: ${e instanceof Error ? e.message : String(e)}`;
  }
  const text = logTail(entries);
  return text === '' ? undefined : text;
}

/**
 * What kubelet's ReadLogs writes for the last 80 lines (content, a newline
 * after each full line), kept in a 2 KiB circular buffer: the last 2048 bytes.
 */
export function logTail(entries: readonly LogEntry[]): string {
  const lines = countLines(entries);
  let text = entries
    .slice(-lines.keepFrom)
    .map((e) => e.content + (e.partial ? '' : '\n'))
    .join('');
  const bytes = Buffer.from(text, 'utf8');
  if (bytes.length > MAX_TERMINATION_MESSAGE_LOG_BYTES) {
    text = bytes.subarray(bytes.length - MAX_TERMINATION_MESSAGE_LOG_BYTES).toString('utf8');
  }
  return text;
}

/** tailLines counts full lines; partial entries belong to the line they continue. */
function countLines(entries: readonly LogEntry[]): { keepFrom: number } {
  let lines = 0;
  let i = entries.length;
  while (i > 0) {
    const e = entries[i - 1]!;
    if (!e.partial) {
      if (lines === MAX_TERMINATION_MESSAGE_LOG_LINES) {
        break;
      }
      lines++;
    }
    i--;
  }
  return { keepFrom: entries.length - i };
}

function truncateBytesFromStart(s: string, max: number): string {
  const b = Buffer.from(s, 'utf8');
  return b.length <= max ? s : b.subarray(0, max).toString('utf8');
}

/** state.terminated.message: the runtime's message, then ": " and the termination message. */
export function composeTerminatedMessage(runtimeMessage: string, terminationMessage: string | undefined): string {
  if (!terminationMessage) {
    return runtimeMessage;
  }
  return runtimeMessage ? `${runtimeMessage}: ${terminationMessage}` : terminationMessage;
}
