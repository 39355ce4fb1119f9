// Containers of a pod: pkg/apis/core/validation/validation.go (validateContainerCommon,
// validateContainers, validateInitContainers, validateEphemeralContainers,
// validateContainerPorts, AccumulateUniqueHostPorts, probes and handlers, lifecycle,
// validatePullPolicy, ValidateSecurityContext), as of v1.33 (native sidecars GA,
// ContainerRestartRules not yet there).
import { field, type FieldError } from '../errors.js';
import type {
  Container,
  ContainerPort,
  EphemeralContainer,
  HTTPGetAction,
  Lifecycle,
  Probe,
  SeccompProfile,
  SecurityContext,
  Volume,
} from '../types/index.js';
import { validateEnv, validateEnvFrom } from './env.js';
import { child, index } from './field-path.js';
import {
  IS_NEGATIVE_ERROR_MSG,
  isDNS1123Label,
  isHTTPHeaderName,
  isValidGroupID,
  isValidPortName,
  isValidPortNum,
  isValidUserID,
} from './names.js';
import { validateContainerResourceRequirements } from './resources.js';
import { validateLocalDescendingPath, validateVolumeMounts } from './volumes.js';

/** What every container check needs from the pod. */
export interface ContainerContext {
  volumes: ReadonlyMap<string, Volume>;
  podClaimNames: ReadonlySet<string>;
  gracePeriod: number | undefined;
  podRestartPolicy: string | undefined;
  hostUsers: boolean;
}

const PROTOCOLS = ['SCTP', 'TCP', 'UDP'];
const PULL_POLICIES = ['Always', 'IfNotPresent', 'Never'];
const TERMINATION_MESSAGE_POLICIES = ['File', 'FallbackToLogsOnError'];
const HTTP_SCHEMES = ['HTTP', 'HTTPS'];
const NOT_FOR_INIT = 'may not be set for init containers without restartPolicy=Always';

/** validateContainerPorts. */
function validateContainerPorts(ports: ContainerPort[] | undefined, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const names = new Set<string>();
  (ports ?? []).forEach((port, i) => {
    const idxPath = index(path, i);
    if (port.name) {
      const msgs = isValidPortName(port.name);
      if (msgs.length > 0) {
        errs.push(...msgs.map((m) => field.invalid(child(idxPath, 'name'), port.name, m)));
      } else if (names.has(port.name)) {
        errs.push(field.duplicate(child(idxPath, 'name'), port.name));
      } else {
        names.add(port.name);
      }
    }
    if (!port.containerPort) {
      errs.push(field.required(child(idxPath, 'containerPort')));
    } else {
      errs.push(
        ...isValidPortNum(port.containerPort).map((m) =>
          field.invalid(child(idxPath, 'containerPort'), port.containerPort, m),
        ),
      );
    }
    if (port.hostPort) {
      errs.push(
        ...isValidPortNum(port.hostPort).map((m) => field.invalid(child(idxPath, 'hostPort'), port.hostPort, m)),
      );
    }
    if (!port.protocol) {
      errs.push(field.required(child(idxPath, 'protocol')));
    } else if (!PROTOCOLS.includes(port.protocol)) {
      errs.push(field.notSupported(child(idxPath, 'protocol'), port.protocol, PROTOCOLS));
    }
  });
  return errs;
}

/** AccumulateUniqueHostPorts: the key is `protocol/hostIP/hostPort`, so an empty hostIP gives `TCP//8080`. */
export function accumulateUniqueHostPorts(containers: Container[], seen: Set<string>, path: string): FieldError[] {
  const errs: FieldError[] = [];
  containers.forEach((ctr, ci) => {
    (ctr.ports ?? []).forEach((port, pi) => {
      if (!port.hostPort) {
        return;
      }
      const k = `${port.protocol ?? ''}/${port.hostIP ?? ''}/${port.hostPort}`;
      if (seen.has(k)) {
        errs.push(field.duplicate(child(index(child(index(path, ci), 'ports'), pi), 'hostPort'), k));
      } else {
        seen.add(k);
      }
    });
  });
  return errs;
}

/** ValidatePortNumOrName: a number is a port, a string an IANA port name. */
function validatePortNumOrName(port: number | string | undefined, path: string): FieldError[] {
  if (typeof port === 'string') {
    return isValidPortName(port).map((m) => field.invalid(path, port, m));
  }
  const n = port ?? 0;
  return isValidPortNum(n).map((m) => field.invalid(path, n, m));
}

function validateHTTPGetAction(http: HTTPGetAction, path: string): FieldError[] {
  const errs: FieldError[] = [];
  if (!http.path) {
    errs.push(field.required(child(path, 'path')));
  }
  errs.push(...validatePortNumOrName(http.port, child(path, 'port')));
  if (!HTTP_SCHEMES.includes(http.scheme ?? '')) {
    errs.push(field.notSupported(child(path, 'scheme'), http.scheme ?? '', HTTP_SCHEMES));
  }
  for (const h of http.httpHeaders ?? []) {
    errs.push(...isHTTPHeaderName(h.name ?? '').map((m) => field.invalid(child(path, 'httpHeaders'), h.name ?? '', m)));
  }
  return errs;
}

interface CommonHandler {
  exec?: { command?: string[] };
  httpGet?: HTTPGetAction;
  tcpSocket?: { port: number | string };
  grpc?: { port: number };
  sleep?: { seconds: number };
}

/**
 * validateHandler: exactly one of exec, httpGet, tcpSocket, grpc (probes) or sleep
 * (lifecycle hooks). The sleep rule is v1.33's with PodLifecycleSleepActionAllowZero on.
 */
function validateHandler(handler: CommonHandler, gracePeriod: number | undefined, path: string): FieldError[] {
  const errs: FieldError[] = [];
  let num = 0;
  const one = (kind: keyof CommonHandler, check: () => FieldError[]): void => {
    if (handler[kind] === undefined || handler[kind] === null) {
      return;
    }
    if (num > 0) {
      errs.push(field.forbidden(child(path, kind), 'may not specify more than 1 handler type'));
      return;
    }
    num++;
    errs.push(...check());
  };
  one('exec', () =>
    (handler.exec?.command ?? []).length === 0 ? [field.required(child(path, 'exec', 'command'))] : [],
  );
  one('httpGet', () => validateHTTPGetAction(handler.httpGet!, child(path, 'httpGet')));
  one('tcpSocket', () => validatePortNumOrName(handler.tcpSocket!.port, child(path, 'tcpSocket', 'port')));
  one('grpc', () => validatePortNumOrName(handler.grpc!.port ?? 0, child(path, 'grpc', 'port')));
  one('sleep', () => {
    const s = handler.sleep!.seconds ?? 0;
    if (gracePeriod !== undefined && (s < 0 || s > gracePeriod)) {
      return [
        field.invalid(
          child(path, 'sleep'),
          s,
          `must be non-negative and less than terminationGracePeriodSeconds (${gracePeriod})`,
        ),
      ];
    }
    return [];
  });
  if (num === 0) {
    errs.push(field.required(path, 'must specify a handler type'));
  }
  return errs;
}

function validateProbe(probe: Probe, gracePeriod: number | undefined, path: string): FieldError[] {
  const { exec, httpGet, tcpSocket, grpc } = probe;
  const errs = validateHandler({ exec, httpGet, tcpSocket, grpc }, gracePeriod, path);
  for (const f of [
    'initialDelaySeconds',
    'timeoutSeconds',
    'periodSeconds',
    'successThreshold',
    'failureThreshold',
  ] as const) {
    const v = probe[f] ?? 0;
    if (v < 0) {
      errs.push(field.invalid(child(path, f), v, IS_NEGATIVE_ERROR_MSG));
    }
  }
  const tgp = probe.terminationGracePeriodSeconds;
  if (tgp !== undefined && tgp !== null && tgp <= 0) {
    errs.push(field.invalid(child(path, 'terminationGracePeriodSeconds'), tgp, 'must be greater than 0'));
  }
  return errs;
}

/** validateLivenessProbe / validateStartupProbe: successThreshold must be 1. */
function validateLivenessOrStartupProbe(
  probe: Probe | undefined,
  gracePeriod: number | undefined,
  path: string,
): FieldError[] {
  if (!probe) {
    return [];
  }
  const errs = validateProbe(probe, gracePeriod, path);
  if ((probe.successThreshold ?? 0) !== 1) {
    errs.push(field.invalid(child(path, 'successThreshold'), probe.successThreshold ?? 0, 'must be 1'));
  }
  return errs;
}

function validateReadinessProbe(probe: Probe | undefined, gracePeriod: number | undefined, path: string): FieldError[] {
  if (!probe) {
    return [];
  }
  const errs = validateProbe(probe, gracePeriod, path);
  if (probe.terminationGracePeriodSeconds !== undefined && probe.terminationGracePeriodSeconds !== null) {
    errs.push(
      field.invalid(
        child(path, 'terminationGracePeriodSeconds'),
        probe.terminationGracePeriodSeconds,
        'must not be set for readinessProbes',
      ),
    );
  }
  return errs;
}

function validateLifecycle(lifecycle: Lifecycle, gracePeriod: number | undefined, path: string): FieldError[] {
  const errs: FieldError[] = [];
  for (const hook of ['postStart', 'preStop'] as const) {
    const h = lifecycle[hook];
    if (h) {
      const { exec, httpGet, tcpSocket, sleep } = h;
      errs.push(...validateHandler({ exec, httpGet, tcpSocket, sleep }, gracePeriod, child(path, hook)));
    }
  }
  return errs;
}

/** The probes and hooks allowed on regular containers and sidecars, in upstream order. */
function validateProbesAndLifecycle(ctr: Container, gracePeriod: number | undefined, path: string): FieldError[] {
  return [
    ...(ctr.lifecycle ? validateLifecycle(ctr.lifecycle, gracePeriod, child(path, 'lifecycle')) : []),
    ...validateLivenessOrStartupProbe(ctr.livenessProbe, gracePeriod, child(path, 'livenessProbe')),
    ...validateReadinessProbe(ctr.readinessProbe, gracePeriod, child(path, 'readinessProbe')),
    ...validateLivenessOrStartupProbe(ctr.startupProbe, gracePeriod, child(path, 'startupProbe')),
  ];
}

const SECCOMP_TYPES = ['Localhost', 'RuntimeDefault', 'Unconfined'];

/** validateSeccompProfileField. */
export function validateSeccompProfile(sp: SeccompProfile | undefined, path: string): FieldError[] {
  if (!sp) {
    return [];
  }
  const errs: FieldError[] = [];
  const type: string = sp.type ?? '';
  if (type === '') {
    errs.push(field.required(child(path, 'type'), 'type is required when seccompProfile is set'));
  } else if (!SECCOMP_TYPES.includes(type)) {
    errs.push(field.notSupported(child(path, 'type'), type, SECCOMP_TYPES));
  }
  if (type === 'Localhost') {
    if (sp.localhostProfile === undefined) {
      errs.push(field.required(child(path, 'localhostProfile'), 'must be set when seccomp type is Localhost'));
    } else {
      errs.push(...validateLocalDescendingPath(sp.localhostProfile, child(path, 'localhostProfile')));
    }
  } else if (sp.localhostProfile !== undefined) {
    errs.push(field.invalid(child(path, 'localhostProfile'), sp, 'can only be set when seccomp type is Localhost'));
  }
  return errs;
}

/**
 * ValidateSecurityContext. Privileged containers are allowed (kube-apiserver
 * --allow-privileged=true, as kubeadm and kind set it). Upstream prints the whole
 * SecurityContext with %#v in the conflict errors; podbay prints it as JSON.
 */
function validateSecurityContext(sc: SecurityContext | undefined, path: string, hostUsers: boolean): FieldError[] {
  if (!sc) {
    return [];
  }
  const errs: FieldError[] = [];
  if (sc.runAsUser !== undefined) {
    errs.push(...isValidUserID(sc.runAsUser).map((m) => field.invalid(child(path, 'runAsUser'), sc.runAsUser, m)));
  }
  if (sc.runAsGroup !== undefined) {
    errs.push(...isValidGroupID(sc.runAsGroup).map((m) => field.invalid(child(path, 'runAsGroup'), sc.runAsGroup, m)));
  }
  if (sc.procMount !== undefined) {
    if (sc.procMount !== 'Default' && sc.procMount !== 'Unmasked') {
      errs.push(field.notSupported(child(path, 'procMount'), sc.procMount, ['Default', 'Unmasked']));
    }
    if (hostUsers && sc.procMount === 'Unmasked') {
      errs.push(field.invalid(child(path, 'procMount'), sc.procMount, '`hostUsers` must be false to use `Unmasked`'));
    }
  }
  errs.push(...validateSeccompProfile(sc.seccompProfile, child(path, 'seccompProfile')));
  if (sc.allowPrivilegeEscalation === false) {
    if (sc.privileged === true) {
      errs.push(field.invalid(path, sc, 'cannot set `allowPrivilegeEscalation` to false and `privileged` to true'));
    }
    for (const cap of sc.capabilities?.add ?? []) {
      if (cap === 'CAP_SYS_ADMIN') {
        errs.push(
          field.invalid(
            path,
            sc,
            'cannot set `allowPrivilegeEscalation` to false and `capabilities.Add` CAP_SYS_ADMIN',
          ),
        );
      }
    }
  }
  return errs;
}

const RESIZE_RESOURCES = ['cpu', 'memory'];
const RESIZE_POLICIES = ['NotRequired', 'RestartContainer'];

/** validateResizePolicy. */
function validateResizePolicy(
  list: { resourceName: string; restartPolicy: string }[] | undefined,
  path: string,
  podRestartPolicy: string | undefined,
): FieldError[] {
  const errs: FieldError[] = [];
  const seen = new Set<string>();
  (list ?? []).forEach((p, i) => {
    if (seen.has(p.resourceName)) {
      errs.push(field.duplicate(index(path, i), p.resourceName));
    }
    seen.add(p.resourceName);
    if (!p.resourceName) {
      errs.push(field.required(path));
    } else if (!RESIZE_RESOURCES.includes(p.resourceName)) {
      errs.push(field.notSupported(path, p.resourceName, RESIZE_RESOURCES));
    }
    if (!p.restartPolicy) {
      errs.push(field.required(path));
    } else if (!RESIZE_POLICIES.includes(p.restartPolicy)) {
      errs.push(field.notSupported(path, p.restartPolicy, RESIZE_POLICIES));
    }
    if (podRestartPolicy === 'Never' && p.restartPolicy !== 'NotRequired') {
      errs.push(field.invalid(path, p.restartPolicy, "must be 'NotRequired' when `restartPolicy` is 'Never'"));
    }
  });
  return errs;
}

/** validateContainerCommon: what regular, init and ephemeral containers share. */
function validateContainerCommon(ctr: Container, ctx: ContainerContext, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const namePath = child(path, 'name');
  if (!ctr.name) {
    errs.push(field.required(namePath));
  } else {
    errs.push(...isDNS1123Label(ctr.name).map((m) => field.invalid(namePath, ctr.name, m)));
  }
  if (!ctr.image) {
    errs.push(field.required(child(path, 'image')));
  }
  const tmp = ctr.terminationMessagePolicy ?? '';
  if (tmp === '') {
    errs.push(field.required(child(path, 'terminationMessagePolicy')));
  } else if (!TERMINATION_MESSAGE_POLICIES.includes(tmp)) {
    errs.push(field.notSupported(child(path, 'terminationMessagePolicy'), tmp, TERMINATION_MESSAGE_POLICIES));
  }
  errs.push(...validateContainerPorts(ctr.ports, child(path, 'ports')));
  errs.push(...validateEnv(ctr.env, child(path, 'env')));
  errs.push(...validateEnvFrom(ctr.envFrom, child(path, 'envFrom')));
  errs.push(...validateVolumeMounts(ctr.volumeMounts, ctx.volumes, ctr, child(path, 'volumeMounts')));
  const pull = ctr.imagePullPolicy ?? '';
  if (pull === '') {
    errs.push(field.required(child(path, 'imagePullPolicy')));
  } else if (!PULL_POLICIES.includes(pull)) {
    errs.push(field.notSupported(child(path, 'imagePullPolicy'), pull, PULL_POLICIES));
  }
  errs.push(...validateContainerResourceRequirements(ctr.resources, ctx.podClaimNames, child(path, 'resources')));
  errs.push(...validateResizePolicy(ctr.resizePolicy, child(path, 'resizePolicy'), ctx.podRestartPolicy));
  errs.push(...validateSecurityContext(ctr.securityContext, child(path, 'securityContext'), ctx.hostUsers));
  return errs;
}

/**
 * validateContainers: at least one; names unique among regular containers (init and
 * ephemeral containers are checked against these later); hostPorts unique across all.
 */
export function validateContainers(
  containers: Container[] | undefined,
  ctx: ContainerContext,
  path: string,
): FieldError[] {
  if (!containers || containers.length === 0) {
    return [field.required(path)];
  }
  const errs: FieldError[] = [];
  const names = new Set<string>();
  containers.forEach((ctr, i) => {
    const p = index(path, i);
    errs.push(...validateContainerCommon(ctr, ctx, p));
    if (names.has(ctr.name)) {
      errs.push(field.duplicate(child(p, 'name'), ctr.name));
    } else {
      names.add(ctr.name);
    }
    errs.push(...validateProbesAndLifecycle(ctr, ctx.gracePeriod, p));
    if (ctr.restartPolicy !== undefined && ctr.restartPolicy !== null) {
      errs.push(field.forbidden(child(p, 'restartPolicy'), 'may not be set for non-init containers'));
    }
  });
  errs.push(...accumulateUniqueHostPorts(containers, new Set(), path));
  return errs;
}

/**
 * validateInitContainers: names unique against regular containers too; hostPorts checked
 * per container (init containers run one by one); probes and lifecycle only on sidecars
 * (restartPolicy: Always).
 */
export function validateInitContainers(
  containers: Container[] | undefined,
  regular: Container[] | undefined,
  ctx: ContainerContext,
  path: string,
): FieldError[] {
  const errs: FieldError[] = [];
  const names = new Set((regular ?? []).map((c) => c.name));
  (containers ?? []).forEach((ctr, i) => {
    const p = index(path, i);
    errs.push(...validateContainerCommon(ctr, ctx, p));
    let restartAlways = false;
    if (ctr.restartPolicy !== undefined && ctr.restartPolicy !== null) {
      if (ctr.restartPolicy !== 'Always') {
        errs.push(field.notSupported(child(p, 'restartPolicy'), ctr.restartPolicy, ['Always']));
      }
      restartAlways = ctr.restartPolicy === 'Always';
    }
    if (names.has(ctr.name)) {
      errs.push(field.duplicate(child(p, 'name'), ctr.name));
    } else if (ctr.name) {
      names.add(ctr.name);
    }
    errs.push(...accumulateUniqueHostPorts([ctr], new Set(), path));
    if (restartAlways) {
      errs.push(...validateProbesAndLifecycle(ctr, ctx.gracePeriod, p));
    } else {
      for (const f of ['lifecycle', 'livenessProbe', 'readinessProbe', 'startupProbe'] as const) {
        if (ctr[f]) {
          errs.push(field.forbidden(child(p, f), NOT_FOR_INIT));
        }
      }
    }
  });
  return errs;
}

/**
 * The EphemeralContainerCommon fields an ephemeral container may not set, in struct order
 * (validateFieldAllowList over allowedEphemeralContainerFields).
 */
const EPHEMERAL_FORBIDDEN: (keyof EphemeralContainer)[] = [
  'ports',
  'resources',
  'resizePolicy',
  'restartPolicy',
  'livenessProbe',
  'readinessProbe',
  'startupProbe',
  'lifecycle',
];

function isZero(v: unknown): boolean {
  if (v === undefined || v === null) {
    return true;
  }
  if (Array.isArray(v)) {
    return v.length === 0;
  }
  if (typeof v === 'object') {
    return Object.values(v).every(isZero);
  }
  return false;
}

/** validateEphemeralContainers. */
export function validateEphemeralContainers(
  ephemeral: EphemeralContainer[] | undefined,
  containers: Container[] | undefined,
  initContainers: Container[] | undefined,
  ctx: ContainerContext,
  path: string,
): FieldError[] {
  if (!ephemeral || ephemeral.length === 0) {
    return [];
  }
  const errs: FieldError[] = [];
  const others = new Set([...(containers ?? []), ...(initContainers ?? [])].map((c) => c.name));
  const all = new Set(others);
  ephemeral.forEach((ec, i) => {
    const p = index(path, i);
    errs.push(...validateContainerCommon(ec, ctx, p));
    errs.push(...validateImageWhitespace(ec, p));
    if (all.has(ec.name)) {
      errs.push(field.duplicate(child(p, 'name'), ec.name));
    } else {
      all.add(ec.name);
    }
    if (ec.targetContainerName && !others.has(ec.targetContainerName)) {
      errs.push(field.notFound(child(p, 'targetContainerName'), ec.targetContainerName));
    }
    for (const f of EPHEMERAL_FORBIDDEN) {
      if (!isZero(ec[f])) {
        errs.push(field.forbidden(child(p, f), 'cannot be set for an Ephemeral Container'));
      }
    }
    (ec.volumeMounts ?? []).forEach((vm, j) => {
      const mp = index(child(p, 'volumeMounts'), j);
      if (vm.subPath) {
        errs.push(field.forbidden(child(mp, 'subPath'), 'cannot be set for an Ephemeral Container'));
      }
      if (vm.subPathExpr) {
        errs.push(field.forbidden(child(mp, 'subPathExpr'), 'cannot be set for an Ephemeral Container'));
      }
    });
  });
  return errs;
}

/** validateContainerOnlyForPod: an image may not carry leading or trailing whitespace. */
export function validateImageWhitespace(ctr: Container, path: string): FieldError[] {
  const image = ctr.image ?? '';
  return image.length !== image.trim().length
    ? [field.invalid(child(path, 'image'), image, 'must not have leading or trailing whitespace')]
    : [];
}
