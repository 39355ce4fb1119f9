// The sim runtime's behaviour language: annotations on the Pod (passed to the
// runtime in PodSandboxConfig.annotations, as CRI passes them), in the spirit
// of kwok's stages — behaviour as data, documented in docs/sim-runtime.md.
//
// Per-container keys are `sim.podbay.io/<field>.<container>`; list-valued
// fields take one entry per start attempt ("1,1,0": the first two runs exit 1,
// the third and every later one exits 0 — the last entry repeats). Durations
// are Go durations ("1m30s") or bare seconds ("30").
import { RuntimeError } from '../runtime.js';
import type { HookType, ProbeType } from '../runtime.js';
import { parseDuration } from '../../api/parse-duration.js';
import type { PlannedOutput } from './sim-shell.js';

export const SIM_ANNOTATION_PREFIX = 'sim.podbay.io/';

/** Per-container fields (key `sim.podbay.io/<field>.<container>`); `probe` and `hook` have a further `.<type>`. */
export const CONTAINER_FIELDS = [
  'run-seconds',
  'exit-code',
  'stop-seconds',
  'term-exit-code',
  'memory',
  'cpu',
  'probe',
  'hook',
  'start-error',
  'create-error',
  'logs',
  'exec',
  'termination-message',
] as const;

/** Pod-wide fields (key `sim.podbay.io/<field>`), and `port.<number>`. */
export const POD_FIELDS = ['pull-error', 'pull-seconds'] as const;

export type ProbeAnswer = 'ok' | 'fail' | 'timeout';

/** A probe's answers over the life of one container instance: `answer` from `fromMs` after start. */
export type ProbeTimeline = { fromMs: number; answer: ProbeAnswer }[];

export interface ExecRule {
  /** Matched against the argv joined with spaces, and against SCRIPT of `sh -c SCRIPT`. */
  command: string;
  exitCode: number;
  stdout: string;
}

/** What one instance (attempt) of a container does. Unset fields fall back to its command, then to defaults. */
export interface ContainerBehaviour {
  /** Exits this long after start (undefined: as its command says, else runs until stopped). */
  runMs: number | undefined;
  /** Exit code of that exit (undefined: the command's, else 0). */
  exitCode: number | undefined;
  /** Time from SIGTERM to exit; Infinity = ignores SIGTERM; undefined = as its command says (0). */
  stopMs: number | undefined;
  /** Exit code after a SIGTERM it obeys (undefined: its command's `trap 'exit N' TERM`, else 143 = 128+15). */
  termExitCode: number | undefined;
  /** Memory the process reaches, and when; above the memory limit → OOMKilled. */
  memoryBytes: number | undefined;
  memoryAtMs: number;
  /** CPU it burns, in millicores. */
  cpuMillis: number;
  /** Answers of probes and of lifecycle hooks (same timeline syntax). */
  probes: Partial<Record<ProbeType | HookType, ProbeTimeline>>;
  startError: string | undefined;
  createError: string | undefined;
  logs: PlannedOutput[];
  exec: ExecRule[];
  terminationMessage: string | undefined;
}

export type PortAnswer = { kind: 'echo' } | { kind: 'http'; statusCode: number; body: string };

export interface PullBehaviour {
  /** Failure reason for this image, if it must fail. */
  error: string | undefined;
  delayMs: number;
}

function invalid(key: string, value: string, why: string): RuntimeError {
  return new RuntimeError('InvalidArgument', `annotation ${key}=${JSON.stringify(value)}: ${why}`);
}

/**
 * Rejects unknown `sim.podbay.io/` keys, so a typo fails the sandbox
 * (FailedCreatePodSandBox) instead of being silently ignored. Values are
 * checked when used (createContainer, pullImage, portForward).
 */
export function checkSimAnnotationKeys(annotations: Record<string, string>): void {
  for (const key of Object.keys(annotations)) {
    if (!key.startsWith(SIM_ANNOTATION_PREFIX)) {
      continue;
    }
    const rest = key.slice(SIM_ANNOTATION_PREFIX.length);
    if ((POD_FIELDS as readonly string[]).includes(rest) || /^port\.\d+$/.test(rest)) {
      continue;
    }
    const dot = rest.indexOf('.');
    const fieldName = dot < 0 ? rest : rest.slice(0, dot);
    const target = dot < 0 ? '' : rest.slice(dot + 1);
    const known = (CONTAINER_FIELDS as readonly string[]).includes(fieldName);
    const ok =
      known &&
      target !== '' &&
      (fieldName !== 'probe' || /^[^.]+\.(liveness|readiness|startup)$/.test(target)) &&
      (fieldName !== 'hook' || /^[^.]+\.(postStart|preStop)$/.test(target)) &&
      (fieldName === 'probe' || fieldName === 'hook' || !target.includes('.'));
    if (!ok) {
      throw new RuntimeError(
        'InvalidArgument',
        `unknown sim annotation ${JSON.stringify(key)} (see docs/sim-runtime.md: ` +
          `sim.podbay.io/<${CONTAINER_FIELDS.join('|')}>.<container>, probe.<container>.<liveness|readiness|startup>, ` +
          `hook.<container>.<postStart|preStop>, ` +
          `${POD_FIELDS.join(', ')}, port.<number>)`,
      );
    }
  }
}

/** Picks the entry for `attempt` from a comma list; the last entry repeats. */
function perAttempt(value: string, attempt: number): string {
  const parts = value.split(',').map((p) => p.trim());
  return parts[Math.min(attempt, parts.length - 1)]!;
}

function durationOf(key: string, raw: string, text: string): number {
  const ms = parseDuration(text);
  if (ms === undefined) {
    throw invalid(key, raw, `${JSON.stringify(text)} is not a duration (e.g. 30s, 1m30s, 500ms, 30)`);
  }
  return ms;
}

function intOf(key: string, raw: string, text: string, min: number, max: number): number {
  const n = Number(text);
  if (!/^-?\d+$/.test(text) || n < min || n > max) {
    throw invalid(key, raw, `${JSON.stringify(text)} is not an integer in [${min}, ${max}]`);
  }
  return n;
}

const BINARY: Record<string, number> = { Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40, Pi: 2 ** 50, Ei: 2 ** 60 };
const DECIMAL: Record<string, number> = { '': 1, k: 1e3, M: 1e6, G: 1e9, T: 1e12, P: 1e15, E: 1e18 };

/** A resource.Quantity in bytes, rounded up (pod-semantics.md §9). Undefined if not a quantity. */
export function quantityBytes(text: string): number | undefined {
  const m = /^(\d+(?:\.\d+)?|\.\d+)(Ki|Mi|Gi|Ti|Pi|Ei|k|M|G|T|P|E)?$/.exec(text.trim());
  if (!m) {
    return undefined;
  }
  const unit = m[2] ?? '';
  return Math.ceil(Number(m[1]) * (BINARY[unit] ?? DECIMAL[unit]!));
}

/** A CPU quantity in millicores ("250m" → 250, "1.5" → 1500). */
function cpuMillis(text: string): number | undefined {
  const m = /^(\d+(?:\.\d+)?|\.\d+)(m?)$/.exec(text.trim());
  if (!m) {
    return undefined;
  }
  return m[2] === 'm' ? Number(m[1]) : Number(m[1]) * 1000;
}

/**
 * A probe timeline: `ok`, `fail`, `timeout`; `ok-after:10s` (fails, then
 * answers ok from 10 s after the container started); `fail-after:30s`; or the
 * general `fail;ok@10s;fail@1m`.
 */
export function parseProbeTimeline(key: string, raw: string, text: string): ProbeTimeline {
  const after = /^(ok|fail)-after:(.+)$/.exec(text);
  if (after) {
    const at = durationOf(key, raw, after[2]!);
    const then = after[1] as ProbeAnswer;
    return [
      { fromMs: 0, answer: then === 'ok' ? 'fail' : 'ok' },
      { fromMs: at, answer: then },
    ];
  }
  const timeline: ProbeTimeline = [];
  for (const [i, part] of text.split(';').entries()) {
    const m = /^(ok|fail|timeout)(?:@(.+))?$/.exec(part.trim());
    if (!m || (i === 0 && m[2] !== undefined && durationOf(key, raw, m[2]) !== 0) || (i > 0 && m[2] === undefined)) {
      throw invalid(
        key,
        raw,
        `${JSON.stringify(part)}: want ok | fail | timeout | ok-after:<d> | fail-after:<d> | <answer>;<answer>@<d>…`,
      );
    }
    timeline.push({ fromMs: m[2] === undefined ? 0 : durationOf(key, raw, m[2]), answer: m[1] as ProbeAnswer });
  }
  return timeline.sort((a, b) => a.fromMs - b.fromMs);
}

/** The answer of a timeline `sinceStartMs` after the container started. */
export function probeAnswerAt(timeline: ProbeTimeline, sinceStartMs: number): ProbeAnswer {
  let answer: ProbeAnswer = 'ok';
  for (const step of timeline) {
    if (step.fromMs <= sinceStartMs) {
      answer = step.answer;
    }
  }
  return answer;
}

/**
 * Log lines: one per line of the value; `@<duration> ` in front writes it that
 * long after start (else at start), then `stderr: ` sends it to stderr.
 */
function parseLogs(key: string, raw: string): PlannedOutput[] {
  const out: PlannedOutput[] = [];
  for (const line of raw.split('\n')) {
    let text = line;
    let atMs = 0;
    const timed = /^@(\S+) (.*)$/.exec(text);
    if (timed) {
      atMs = durationOf(key, raw, timed[1]!);
      text = timed[2]!;
    }
    let stream: 'stdout' | 'stderr' = 'stdout';
    if (text.startsWith('stderr: ')) {
      stream = 'stderr';
      text = text.slice('stderr: '.length);
    }
    if (line === '' && !timed) {
      continue;
    }
    out.push({ atMs, stream, text: text + '\n' });
  }
  return out.sort((a, b) => a.atMs - b.atMs);
}

/** Exec rules: lines `<command> => <exit code>[ <stdout>]`. */
function parseExec(key: string, raw: string): ExecRule[] {
  const rules: ExecRule[] = [];
  for (const line of raw.split('\n')) {
    if (line.trim() === '') {
      continue;
    }
    const m = /^(.*?)\s*=>\s*(\d+)(?: (.*))?$/.exec(line);
    if (!m || m[1]!.trim() === '') {
      throw invalid(key, raw, `line ${JSON.stringify(line)}: want "<command> => <exit code> [<stdout>]"`);
    }
    rules.push({
      command: m[1]!.trim(),
      exitCode: intOf(key, raw, m[2]!, 0, 255),
      stdout: m[3] === undefined ? '' : m[3] + '\n',
    });
  }
  return rules;
}

/** Reads the behaviour of instance `attempt` of container `name`; throws InvalidArgument on a bad value. */
export function readContainerBehaviour(
  annotations: Record<string, string>,
  name: string,
  attempt: number,
): ContainerBehaviour {
  const b: ContainerBehaviour = {
    runMs: undefined,
    exitCode: undefined,
    stopMs: undefined,
    termExitCode: undefined,
    memoryBytes: undefined,
    memoryAtMs: 0,
    cpuMillis: 0,
    probes: {},
    startError: undefined,
    createError: undefined,
    logs: [],
    exec: [],
    terminationMessage: undefined,
  };
  const get = (fieldName: string): [string, string] | undefined => {
    const key = `${SIM_ANNOTATION_PREFIX}${fieldName}.${name}`;
    const v = annotations[key];
    return v === undefined ? undefined : [key, v];
  };
  let kv = get('run-seconds');
  if (kv) {
    b.runMs = durationOf(kv[0], kv[1], perAttempt(kv[1], attempt));
  }
  kv = get('exit-code');
  if (kv) {
    b.exitCode = intOf(kv[0], kv[1], perAttempt(kv[1], attempt), 0, 255);
  }
  kv = get('stop-seconds');
  if (kv) {
    const v = perAttempt(kv[1], attempt);
    b.stopMs = v === 'ignore' ? Infinity : durationOf(kv[0], kv[1], v);
  }
  kv = get('term-exit-code');
  if (kv) {
    b.termExitCode = intOf(kv[0], kv[1], perAttempt(kv[1], attempt), 0, 255);
  }
  kv = get('memory');
  if (kv) {
    const [q, at] = perAttempt(kv[1], attempt).split('@');
    const bytes = quantityBytes(q ?? '');
    if (bytes === undefined) {
      throw invalid(kv[0], kv[1], `${JSON.stringify(q)} is not a memory quantity (e.g. 300Mi, 1G)`);
    }
    b.memoryBytes = bytes;
    b.memoryAtMs = at === undefined ? 0 : durationOf(kv[0], kv[1], at);
  }
  kv = get('cpu');
  if (kv) {
    const m = cpuMillis(perAttempt(kv[1], attempt));
    if (m === undefined) {
      throw invalid(kv[0], kv[1], 'not a CPU quantity (e.g. 250m, 1.5)');
    }
    b.cpuMillis = m;
  }
  for (const [fieldName, type] of [
    ['probe', 'liveness'],
    ['probe', 'readiness'],
    ['probe', 'startup'],
    ['hook', 'postStart'],
    ['hook', 'preStop'],
  ] as const) {
    const key = `${SIM_ANNOTATION_PREFIX}${fieldName}.${name}.${type}`;
    const v = annotations[key];
    if (v !== undefined) {
      b.probes[type] = parseProbeTimeline(key, v, perAttempt(v, attempt));
    }
  }
  b.startError = get('start-error')?.[1];
  b.createError = get('create-error')?.[1];
  kv = get('logs');
  if (kv) {
    b.logs = parseLogs(kv[0], kv[1]);
  }
  kv = get('exec');
  if (kv) {
    b.exec = parseExec(kv[0], kv[1]);
  }
  b.terminationMessage = get('termination-message')?.[1];
  return b;
}

/** Normalises a reference the way the pull-error matcher compares them (see sim-images.ts). */
export type RefNormaliser = (ref: string) => string;

/**
 * `sim.podbay.io/pull-error`: one rule per line, `<image>=<reason>` for one
 * image (compared after normalisation, so `busybox` matches
 * `docker.io/library/busybox:latest`), `*=<reason>` or a bare `<reason>` for
 * every image of the pod. `sim.podbay.io/pull-seconds`: how long each pull takes.
 */
export function readPullBehaviour(
  annotations: Record<string, string>,
  normalisedImage: string,
  normalise: RefNormaliser,
): PullBehaviour {
  const delayKey = `${SIM_ANNOTATION_PREFIX}pull-seconds`;
  const delay = annotations[delayKey];
  const result: PullBehaviour = {
    error: undefined,
    delayMs: delay === undefined ? 0 : durationOf(delayKey, delay, delay),
  };
  const rules = annotations[`${SIM_ANNOTATION_PREFIX}pull-error`];
  if (rules === undefined) {
    return result;
  }
  for (const line of rules.split('\n')) {
    const text = line.trim();
    if (text === '') {
      continue;
    }
    const m = /^(\S+?)=(.*)$/.exec(text);
    if (!m) {
      result.error ??= text;
    } else if (m[1] === '*' || normalise(m[1]!) === normalisedImage) {
      result.error ??= m[2]!.trim();
    }
  }
  return result;
}

/** `sim.podbay.io/port.<port>`: `echo` or `http:<code>[:<body>]`; undefined = nothing listens. */
export function readPortAnswer(annotations: Record<string, string>, port: number): PortAnswer | undefined {
  const key = `${SIM_ANNOTATION_PREFIX}port.${port}`;
  const v = annotations[key];
  if (v === undefined) {
    return undefined;
  }
  if (v.trim() === 'echo') {
    return { kind: 'echo' };
  }
  const m = /^http:(\d{3})(?::([\s\S]*))?$/.exec(v.trim());
  if (!m) {
    throw invalid(key, v, 'want echo | http:<status code>[:<body>]');
  }
  return { kind: 'http', statusCode: Number(m[1]), body: m[2] ?? '' };
}
