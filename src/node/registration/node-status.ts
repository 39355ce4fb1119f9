// The Node's status as the kubelet computes it: k8s pkg/kubelet/nodestatus/setters.go
// (MachineInfo, NodeAddress, VersionInfo, DaemonEndpoints, the pressure
// conditions and ReadyCondition) and pkg/kubelet/kubelet_node_status.go
// (#initialNode, #nodeStatusHasChanged). Pure: inputs in, NodeStatus out.
import type {
  Node,
  NodeAddress,
  NodeCondition,
  NodeStatus,
  NodeSystemInfo,
  ResourceList,
} from '../../api/types/index.js';
import { rfc3339 } from '../../lib/clock.js';
import type { RuntimeStatus, VersionInfo } from '../../runtime/runtime.js';

export const KUBELET_VERSION = 'v1.32.0-podbay';
/** kubelet --max-pods default. */
export const DEFAULT_MAX_PODS = 110;
/** Default hard eviction threshold memory.available<100Mi, taken out of allocatable (kubelet eviction defaults). */
export const EVICTION_HARD_MEMORY_BYTES = 100 * 1024 * 1024;
/** Default hard eviction threshold nodefs.available<10%. */
export const EVICTION_HARD_NODEFS_FRACTION = 0.1;

/** What the machine has; the composition root measures it (os.cpus(), os.totalmem(), statfs). */
export interface NodeCapacity {
  cpuCores: number;
  memoryBytes: number;
  ephemeralStorageBytes: number;
  /** Default 110. */
  pods?: number;
}

/** A simulated node's machine (sim runtime, or when no capacity is given). */
export const SIM_NODE_CAPACITY: NodeCapacity = {
  cpuCores: 4,
  memoryBytes: 16 * 1024 ** 3,
  ephemeralStorageBytes: 100 * 1024 ** 3,
};

export interface NodeStatusInput {
  nodeName: string;
  capacity: NodeCapacity;
  addresses: NodeAddress[];
  /** What the composition root knows about the host; defaults describe a podbay sim node. */
  systemInfo?: Partial<NodeSystemInfo>;
  runtimeVersion: VersionInfo | undefined;
  /** undefined: the runtime did not answer (→ `container runtime is down`). */
  runtimeStatus: RuntimeStatus | undefined;
  streamPort: number;
  images?: { names: string[]; sizeBytes: number }[];
}

/** Quantity text as the kubelet prints bytes: Ki when whole (cadvisor's BinarySI), else plain. */
export function bytesQuantity(bytes: number): string {
  const b = Math.max(0, Math.floor(bytes));
  return b % 1024 === 0 && b > 0 ? `${b / 1024}Ki` : String(b);
}

export function capacityList(c: NodeCapacity): ResourceList {
  return {
    cpu: String(c.cpuCores),
    'ephemeral-storage': bytesQuantity(c.ephemeralStorageBytes),
    'hugepages-1Gi': '0',
    'hugepages-2Mi': '0',
    memory: bytesQuantity(c.memoryBytes),
    pods: String(c.pods ?? DEFAULT_MAX_PODS),
  };
}

/**
 * capacity − reserved − hard eviction thresholds (pkg/kubelet/cm
 * GetNodeAllocatableAbsolute): no kube/system reservation by default, so
 * memory − 100Mi and ephemeral-storage − 10 %.
 */
export function allocatableList(c: NodeCapacity): ResourceList {
  return {
    cpu: String(c.cpuCores),
    'ephemeral-storage': String(Math.floor(c.ephemeralStorageBytes * (1 - EVICTION_HARD_NODEFS_FRACTION))),
    'hugepages-1Gi': '0',
    'hugepages-2Mi': '0',
    memory: bytesQuantity(c.memoryBytes - EVICTION_HARD_MEMORY_BYTES),
    pods: String(c.pods ?? DEFAULT_MAX_PODS),
  };
}

/** The errors that make Ready False (setters.go ReadyCondition: runtimeErrors, networkErrors). */
export function readyErrors(runtimeStatus: RuntimeStatus | undefined): string[] {
  if (!runtimeStatus) {
    return ['container runtime is down'];
  }
  const errs: string[] = [];
  for (const type of ['RuntimeReady', 'NetworkReady'] as const) {
    const c = runtimeStatus.conditions.find((x) => x.type === type);
    if (!c) {
      errs.push(
        type === 'RuntimeReady'
          ? 'container runtime status check may not have completed yet'
          : 'container runtime network not ready: NetworkReady=false reason: message:',
      );
    } else if (!c.status) {
      const what = type === 'RuntimeReady' ? 'container runtime not ready' : 'container runtime network not ready';
      errs.push(`${what}: ${type}=false reason:${c.reason ?? ''} message:${c.message ?? ''}`);
    }
  }
  return errs;
}

type ConditionCore = Pick<NodeCondition, 'type' | 'status' | 'reason' | 'message'>;

/** The four conditions in the kubelet's order: MemoryPressure, DiskPressure, PIDPressure, Ready. */
export function nodeConditions(runtimeStatus: RuntimeStatus | undefined): ConditionCore[] {
  const errs = readyErrors(runtimeStatus);
  return [
    {
      type: 'MemoryPressure',
      status: 'False',
      reason: 'KubeletHasSufficientMemory',
      message: 'kubelet has sufficient memory available',
    },
    {
      type: 'DiskPressure',
      status: 'False',
      reason: 'KubeletHasNoDiskPressure',
      message: 'kubelet has no disk pressure',
    },
    {
      type: 'PIDPressure',
      status: 'False',
      reason: 'KubeletHasSufficientPID',
      message: 'kubelet has sufficient PID available',
    },
    errs.length === 0
      ? { type: 'Ready', status: 'True', reason: 'KubeletReady', message: 'kubelet is posting ready status' }
      : {
          type: 'Ready',
          status: 'False',
          reason: 'KubeletNotReady',
          message: errs.length === 1 ? errs[0]! : `[${errs.join(', ')}]`,
        },
  ];
}

/**
 * The full status at `nowMs`. Conditions get lastHeartbeatTime = now;
 * lastTransitionTime is kept from `previous` while the status value is
 * unchanged, else now (setters.go).
 */
export function computeNodeStatus(input: NodeStatusInput, previous: NodeStatus | undefined, nowMs: number): NodeStatus {
  const now = rfc3339(nowMs);
  const conditions: NodeCondition[] = nodeConditions(input.runtimeStatus).map((c) => {
    const old = previous?.conditions?.find((p) => p.type === c.type);
    const lastTransitionTime = old && old.status === c.status && old.lastTransitionTime ? old.lastTransitionTime : now;
    return { ...c, lastHeartbeatTime: now, lastTransitionTime };
  });
  const v = input.runtimeVersion;
  const nodeInfo: NodeSystemInfo = {
    machineID: '',
    systemUUID: '',
    bootID: '',
    kernelVersion: '',
    osImage: 'podbay',
    containerRuntimeVersion: v ? `${v.runtimeName}://${v.runtimeVersion}` : '',
    kubeletVersion: KUBELET_VERSION,
    kubeProxyVersion: '',
    operatingSystem: 'linux',
    architecture: 'amd64',
    ...input.systemInfo,
  };
  const status: NodeStatus = {
    capacity: capacityList(input.capacity),
    allocatable: allocatableList(input.capacity),
    conditions,
    addresses: input.addresses,
    daemonEndpoints: { kubeletEndpoint: { Port: input.streamPort } },
    nodeInfo,
  };
  if (input.images && input.images.length > 0) {
    status.images = input.images;
  }
  return status;
}

/**
 * kubelet_node_status.go#nodeStatusHasChanged: equal but for the conditions'
 * lastHeartbeatTime (which changes on every computation).
 */
export function nodeStatusHasChanged(a: NodeStatus | undefined, b: NodeStatus | undefined): boolean {
  const strip = (s: NodeStatus | undefined) =>
    canonicalJson({
      ...s,
      conditions: (s?.conditions ?? []).map(({ lastHeartbeatTime: _h, ...rest }) => rest),
    });
  return strip(a) !== strip(b);
}

/** JSON with object keys sorted, so a status read back from the server compares equal to ours. */
function canonicalJson(v: unknown): string {
  if (Array.isArray(v)) {
    return `[${v.map(canonicalJson).join(',')}]`;
  }
  if (v && typeof v === 'object') {
    const entries = Object.entries(v as Record<string, unknown>)
      .filter(([, x]) => x !== undefined)
      .sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0));
    return `{${entries.map(([k, x]) => `${JSON.stringify(k)}:${canonicalJson(x)}`).join(',')}}`;
  }
  return JSON.stringify(v);
}

/** The Node the kubelet registers (kubelet_node_status.go#initialNode): well-known labels, no spec. */
export function initialNode(nodeName: string, status: NodeStatus, arch = 'amd64', os = 'linux'): Node {
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: {
      name: nodeName,
      labels: {
        'beta.kubernetes.io/arch': arch,
        'beta.kubernetes.io/os': os,
        'kubernetes.io/arch': arch,
        'kubernetes.io/hostname': nodeName,
        'kubernetes.io/os': os,
      },
    },
    spec: {},
    status,
  };
}
