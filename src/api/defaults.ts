// API-server defaulting: what a v1 object looks like after `create`.
//
// Sources: k8s pkg/apis/core/v1/defaults.go (SetDefaults_*) and the generated
// zz_generated.defaults.go that walks every nested struct; the declarative
// `+default` tags of k8s.io/api/core/v1/types.go (ports' protocol, grpc service);
// the admission plugins that mutate pods on create (plugin/pkg/admission/
// serviceaccount, defaulttolerationseconds, priority); and a few fields Go's JSON
// encoding always writes because they are non-pointer structs (`resources: {}`,
// `divisor: "0"`, Event timestamps as null), so the objects read back the same.
//
// Every function returns a defaulted deep copy and never throws: a quantity that
// does not parse is left as it is for validation to report.
import { Quantity } from './quantity.js';
import { defaultImagePullPolicy } from './image-ref.js';
import type {
  Container,
  Event,
  HTTPGetAction,
  KubeObject,
  Lease,
  Namespace,
  Node,
  ObjectFieldSelector,
  Pod,
  Probe,
  ResourceList,
  Secret,
  Toleration,
  Volume,
} from './types/index.js';

/** v1.DefaultTerminationGracePeriodSeconds */
export const DEFAULT_TERMINATION_GRACE_PERIOD_SECONDS = 30;
/** v1.DefaultSchedulerName */
export const DEFAULT_SCHEDULER_NAME = 'default-scheduler';
/** v1.TerminationMessagePathDefault */
export const DEFAULT_TERMINATION_MESSAGE_PATH = '/dev/termination-log';
/** Secret/ConfigMap/DownwardAPI/Projected VolumeSourceDefaultMode: 0644. */
export const DEFAULT_VOLUME_MODE = 0o644;
/** kube-apiserver --default-not-ready-toleration-seconds / --default-unreachable-toleration-seconds. */
export const DEFAULT_TOLERATION_SECONDS = 300;
export const TAINT_NODE_NOT_READY = 'node.kubernetes.io/not-ready';
export const TAINT_NODE_UNREACHABLE = 'node.kubernetes.io/unreachable';
/** serviceaccount admission: DefaultServiceAccountName */
export const DEFAULT_SERVICE_ACCOUNT_NAME = 'default';
/** v1.LabelMetadataName: every named namespace carries its name as this label. */
export const LABEL_METADATA_NAME = 'kubernetes.io/metadata.name';

/** SetDefaults_ResourceList: every value rounded up to milli precision, written as its canonical string. */
export function defaultResourceList(list: ResourceList | undefined): ResourceList | undefined {
  if (!list) {
    return list;
  }
  const out: ResourceList = {};
  for (const [k, v] of Object.entries(list)) {
    try {
      out[k] = Quantity.parse(v).roundUpToMilli().toString();
    } catch {
      out[k] = v; // validation reports it
    }
  }
  return out;
}

function defaultProbe(p: Probe | undefined): void {
  if (!p) {
    return;
  }
  // SetDefaults_Probe: zero means unset
  p.timeoutSeconds ||= 1;
  p.periodSeconds ||= 10;
  p.successThreshold ||= 1;
  p.failureThreshold ||= 3;
  defaultHTTPGet(p.httpGet);
  if (p.grpc && p.grpc.service === undefined) {
    p.grpc.service = ''; // types.go GRPCAction.Service +default=""
  }
}

function defaultHTTPGet(h: HTTPGetAction | undefined): void {
  if (!h) {
    return;
  }
  h.path ||= '/';
  h.scheme ||= 'HTTP';
}

function defaultFieldRef(f: ObjectFieldSelector | undefined): void {
  if (f) {
    f.apiVersion ||= 'v1'; // SetDefaults_ObjectFieldSelector
  }
}

function defaultContainer(c: Container, hostNetwork: boolean, copyLimits: boolean): void {
  // SetDefaults_Container
  c.imagePullPolicy ||= defaultImagePullPolicy(c.image);
  c.terminationMessagePath ||= DEFAULT_TERMINATION_MESSAGE_PATH;
  c.terminationMessagePolicy ||= 'File';
  c.resources ??= {};
  // SetDefaults_Pod: a missing request takes the limit (containers and initContainers only)
  if (copyLimits && c.resources.limits) {
    c.resources.requests ??= {};
    for (const [k, v] of Object.entries(c.resources.limits)) {
      if (!(k in c.resources.requests)) {
        c.resources.requests[k] = v;
      }
    }
  }
  const limits = defaultResourceList(c.resources.limits);
  const requests = defaultResourceList(c.resources.requests);
  if (limits) {
    c.resources.limits = limits;
  }
  if (requests) {
    c.resources.requests = requests;
  }
  for (const port of c.ports ?? []) {
    port.protocol ||= 'TCP';
    // defaultHostNetworkPorts
    if (hostNetwork && copyLimits && !port.hostPort) {
      port.hostPort = port.containerPort;
    }
  }
  for (const env of c.env ?? []) {
    defaultFieldRef(env.valueFrom?.fieldRef);
    const rf = env.valueFrom?.resourceFieldRef;
    if (rf && rf.divisor === undefined) {
      rf.divisor = '0'; // a zero resource.Quantity is always encoded
    }
  }
  defaultProbe(c.livenessProbe);
  defaultProbe(c.readinessProbe);
  defaultProbe(c.startupProbe);
  defaultHTTPGet(c.lifecycle?.postStart?.httpGet);
  defaultHTTPGet(c.lifecycle?.preStop?.httpGet);
}

function defaultVolume(v: Volume): void {
  // SetDefaults_Volume: a volume with no source is an emptyDir. Any other key than
  // name counts as a source (volume types podbay does not type are opaque objects).
  const keys = Object.keys(v).filter((k) => k !== 'name');
  if (keys.length === 0 || keys.every((k) => (v as unknown as Record<string, unknown>)[k] == null)) {
    v.emptyDir = {};
  }
  if (v.secret) {
    v.secret.defaultMode ??= DEFAULT_VOLUME_MODE;
  }
  if (v.configMap) {
    v.configMap.defaultMode ??= DEFAULT_VOLUME_MODE;
  }
  if (v.downwardAPI) {
    v.downwardAPI.defaultMode ??= DEFAULT_VOLUME_MODE;
    for (const item of v.downwardAPI.items ?? []) {
      defaultFieldRef(item.fieldRef);
      if (item.resourceFieldRef && item.resourceFieldRef.divisor === undefined) {
        item.resourceFieldRef.divisor = '0';
      }
    }
  }
  if (v.projected) {
    v.projected.defaultMode ??= DEFAULT_VOLUME_MODE;
    for (const src of v.projected.sources ?? []) {
      for (const item of src.downwardAPI?.items ?? []) {
        defaultFieldRef(item.fieldRef);
        if (item.resourceFieldRef && item.resourceFieldRef.divisor === undefined) {
          item.resourceFieldRef.divisor = '0';
        }
      }
      if (src.serviceAccountToken) {
        src.serviceAccountToken.expirationSeconds ??= 3600; // SetDefaults_ServiceAccountTokenProjection
      }
    }
  }
  if (v.hostPath) {
    v.hostPath.type ??= ''; // SetDefaults_HostPathVolumeSource: HostPathUnset
  }
}

/**
 * DefaultTolerationSeconds admission (plugin/pkg/admission/defaulttolerationseconds):
 * a pod that does not already tolerate the not-ready / unreachable NoExecute taints
 * (an empty key or effect counts as tolerating) gets them for 300s.
 */
function addDefaultTolerations(tolerations: Toleration[]): Toleration[] {
  const tolerates = (key: string): boolean =>
    tolerations.some((t) => (t.key === key || !t.key) && (t.effect === 'NoExecute' || !t.effect));
  const out = [...tolerations];
  for (const key of [TAINT_NODE_NOT_READY, TAINT_NODE_UNREACHABLE]) {
    if (!tolerates(key)) {
      out.push({ key, operator: 'Exists', effect: 'NoExecute', tolerationSeconds: DEFAULT_TOLERATION_SECONDS });
    }
  }
  return out;
}

export interface DefaultPodOptions {
  /**
   * Also apply the create-time admission mutations (ServiceAccount name,
   * DefaultTolerationSeconds, Priority). Default true. The projected
   * kube-api-access volume of the ServiceAccount plugin is not added: podbay has
   * no service account tokens.
   */
  admission?: boolean;
}

/** The pod as the API server stores it after defaulting (and create-time admission). */
export function defaultPod(input: Pod, opts: DefaultPodOptions = {}): Pod {
  const pod = structuredClone(input);
  const spec = pod.spec;
  if (!spec) {
    return pod;
  }
  // SetDefaults_PodSpec
  spec.dnsPolicy ||= 'ClusterFirst';
  spec.restartPolicy ||= 'Always';
  spec.securityContext ??= {};
  spec.terminationGracePeriodSeconds ??= DEFAULT_TERMINATION_GRACE_PERIOD_SECONDS;
  spec.schedulerName ||= DEFAULT_SCHEDULER_NAME;
  // SetDefaults_Pod
  spec.enableServiceLinks ??= true;
  const hostNetwork = spec.hostNetwork === true;
  for (const c of spec.containers ?? []) {
    defaultContainer(c, hostNetwork, true);
  }
  for (const c of spec.initContainers ?? []) {
    defaultContainer(c, hostNetwork, true);
  }
  for (const c of spec.ephemeralContainers ?? []) {
    defaultContainer(c, hostNetwork, false);
  }
  for (const v of spec.volumes ?? []) {
    defaultVolume(v);
  }
  const overhead = defaultResourceList(spec.overhead);
  if (overhead) {
    spec.overhead = overhead;
  }
  if (spec.resources) {
    const limits = defaultResourceList(spec.resources.limits);
    const requests = defaultResourceList(spec.resources.requests);
    if (limits) {
      spec.resources.limits = limits;
    }
    if (requests) {
      spec.resources.requests = requests;
    }
  }
  for (const s of [
    ...(pod.status?.containerStatuses ?? []),
    ...(pod.status?.initContainerStatuses ?? []),
    ...(pod.status?.ephemeralContainerStatuses ?? []),
  ]) {
    const alloc = defaultResourceList(s.allocatedResources);
    if (alloc) {
      s.allocatedResources = alloc;
    }
    if (s.resources) {
      const limits = defaultResourceList(s.resources.limits);
      const requests = defaultResourceList(s.resources.requests);
      if (limits) {
        s.resources.limits = limits;
      }
      if (requests) {
        s.resources.requests = requests;
      }
    }
  }

  if (opts.admission !== false) {
    // ServiceAccount admission; the v1 conversion mirrors the name into the
    // deprecated serviceAccount field (Convert_core_PodSpec_To_v1_PodSpec).
    spec.serviceAccountName ||= spec.serviceAccount || DEFAULT_SERVICE_ACCOUNT_NAME;
    spec.serviceAccount = spec.serviceAccountName;
    spec.tolerations = addDefaultTolerations(spec.tolerations ?? []);
    // Priority admission without a priority class: no globalDefault class exists in podbay
    if (!spec.priorityClassName) {
      spec.priority ??= 0;
    }
    spec.preemptionPolicy ??= 'PreemptLowerPriority';
  }
  return pod;
}

/** SetDefaults_Namespace + SetDefaults_NamespaceStatus (finalizers are the create strategy's). */
export function defaultNamespace(input: Namespace): Namespace {
  const ns = structuredClone(input);
  if (ns.metadata.name) {
    ns.metadata.labels = { ...ns.metadata.labels, [LABEL_METADATA_NAME]: ns.metadata.name };
  }
  ns.spec ??= {};
  ns.status = { ...ns.status, phase: ns.status?.phase || 'Active' };
  return ns;
}

/** SetDefaults_Secret. */
export function defaultSecret(input: Secret): Secret {
  const s = structuredClone(input);
  s.type ||= 'Opaque';
  return s;
}

/** SetDefaults_NodeStatus (allocatable = capacity when unset) and ResourceList rounding. */
export function defaultNode(input: Node): Node {
  const node = structuredClone(input);
  node.spec ??= {};
  node.status ??= {};
  const capacity = defaultResourceList(node.status.capacity);
  if (capacity) {
    node.status.capacity = capacity;
  }
  const allocatable = defaultResourceList(node.status.allocatable);
  if (allocatable) {
    node.status.allocatable = allocatable;
  } else if (capacity) {
    node.status.allocatable = { ...capacity };
  }
  return node;
}

/** core/v1 Event: no SetDefaults, but Go always encodes these non-pointer fields. */
export function defaultEvent(input: Event): Event {
  const ev = structuredClone(input);
  ev.involvedObject ??= {};
  ev.source ??= {};
  ev.firstTimestamp ??= null;
  ev.lastTimestamp ??= null;
  ev.eventTime ??= null;
  ev.reportingComponent ??= '';
  ev.reportingInstance ??= '';
  return ev;
}

/** coordination/v1 Lease: spec is a non-pointer struct, always encoded. */
export function defaultLease(input: Lease): Lease {
  const lease = structuredClone(input);
  lease.spec ??= {};
  return lease;
}

/** Defaulting by resource (plural); kinds without rules come back as a copy. */
export function defaultObject(resource: string, obj: KubeObject): KubeObject {
  switch (resource) {
    case 'pods':
      return defaultPod(obj as Pod);
    case 'namespaces':
      return defaultNamespace(obj as Namespace);
    case 'secrets':
      return defaultSecret(obj as Secret);
    case 'nodes':
      return defaultNode(obj as Node);
    case 'events':
      return defaultEvent(obj as Event);
    case 'leases':
      return defaultLease(obj as Lease);
    default:
      return structuredClone(obj);
  }
}
