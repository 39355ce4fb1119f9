// The seam between the CLI and the components it starts. The CLI must not import the
// store, apiserver, node or runtime (STYLE.md §8), so main.ts (the composition root)
// implements these functions and passes them in; the commands only parse, print and wait.

/** What `podbay up` asks the composition root to start. */
export interface ControlPlaneOptions {
  /** Absolute data dir: state.db, pki/ and kubeconfig live here (ARCHITECTURE.md "On disk"). */
  dataDir: string;
  host: string;
  port: number;
  // Issue 3 adds here: runtime ('sim' | 'oci') and simNodes, read by `up`'s flag table.
}

/** A started control plane. */
export interface RunningControlPlane {
  /** https://host:port */
  url: string;
  /** PEM of the CA that signed the serving certificate. */
  caCertPem: string;
  /** The admin bearer token. */
  token: string;
  /** Stops every component and closes the store; resolves when all is released. */
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
  version: VersionInfo;
}
