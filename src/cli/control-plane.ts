// The seam between the CLI and the components it starts. The CLI must not import the
// store, apiserver, node or runtime (STYLE.md §8), so main.ts (the composition root)
// implements these functions and passes them in; the commands only parse, print and wait.
import type { ImageWiring } from './image-wiring.js';

/**
 * Which container runtime a node agent drives: `oci` (runc, conmon, CNI, cgroups; Linux
 * as root), `sim` (in memory, no root, any OS: docs/sim-runtime.md), or, for `up` only,
 * `none` (a control plane without a node of its own; nodes join with `podbay node join`).
 */
export type RuntimeKind = 'oci' | 'sim' | 'none';
export const RUNTIME_KINDS: readonly RuntimeKind[] = ['oci', 'sim', 'none'];

/** What `podbay up` asks the composition root to start. */
export interface ControlPlaneOptions {
  /** Absolute data dir: state.db, pki/ and kubeconfig live here (ARCHITECTURE.md "On disk"). */
  dataDir: string;
  host: string;
  port: number;
  runtime: RuntimeKind;
  /** Simulated nodes run in this process (runtime sim only; ≥ 1). */
  simNodes: number;
  /** kube-controller-manager --node-monitor-grace-period (default 40 s). */
  nodeMonitorGracePeriodMs: number;
  /** oci: the pod CIDR of the node's CNI network (default 10.85.0.0/16). */
  podCidr?: string;
}

/** A started control plane. */
export interface RunningControlPlane {
  /** https://host:port */
  url: string;
  /** PEM of the CA that signed the serving certificate. */
  caCertPem: string;
  /** Absolute path of the CA certificate file (for `podbay node join --ca-file`). */
  caCertPath: string;
  /** The admin bearer token. */
  token: string;
  /** Names of the nodes running in this process (empty with runtime none). */
  nodeNames: string[];
  /** Stops every component and closes the store; resolves when all is released. */
  close(): Promise<void>;
}

/** What `podbay node join` asks the composition root to start. */
export interface NodeJoinOptions {
  /** https://host:port of the apiserver. */
  server: string;
  token: string;
  /** PEM of the CA to trust for the apiserver. */
  caCertPem: string;
  nodeName: string;
  runtime: Exclude<RuntimeKind, 'none'>;
  /** This agent's own data dir (pod logs, volumes, runtime state); one agent per dir. */
  dataDir: string;
  /** oci: this node's pod CIDR (its own bridge too); required, as it must not overlap other nodes'. */
  podCidr?: string;
}

/** A started node agent. */
export interface RunningNode {
  nodeName: string;
  /** Stops the agent (its containers keep running on oci; sim containers end with it). */
  close(): Promise<void>;
}

/** Version facts main.ts reads from the build (package.json and the served /version). */
export interface VersionInfo {
  podbay: string;
  kubernetes: string;
  node: string;
}

/** The functions main.ts hands to the commands. */
export interface CliWiring {
  startControlPlane(opts: ControlPlaneOptions): Promise<RunningControlPlane>;
  joinNode(opts: NodeJoinOptions): Promise<RunningNode>;
  /** The runtime `up` and `node join` use without --runtime: oci on Linux as root, else sim. */
  defaultRuntime: Exclude<RuntimeKind, 'none'>;
  version: VersionInfo;
  /** `podbay image …`: the image store of a data dir (src/images, adapted in main.ts). */
  images?: ImageWiring;
}
