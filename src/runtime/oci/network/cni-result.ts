// The CNI 1.0.0 result a plugin chain hands back (CNI SPEC "Success"): the
// interfaces it made and the addresses on them.

export interface CniInterface {
  name: string;
  mac?: string;
  /** The netns path for interfaces inside the sandbox; absent on the host side (bridge, veth peer). */
  sandbox?: string;
}

export interface CniIpConfig {
  /** CIDR notation: "10.85.0.2/16". */
  address: string;
  gateway?: string;
  /** Index into interfaces. */
  interface?: number;
}

export interface CniResult {
  cniVersion: string;
  interfaces?: CniInterface[];
  ips?: CniIpConfig[];
  routes?: { dst: string; gw?: string }[];
  dns?: Record<string, unknown>;
}

/** Parses a plugin's stdout as a result. */
export function parseCniResult(plugin: string, stdout: string): CniResult {
  let v: unknown;
  try {
    v = JSON.parse(stdout);
  } catch {
    throw new Error(`plugin type="${plugin}" printed no JSON result: ${stdout.slice(0, 200)}`);
  }
  if (typeof v !== 'object' || v === null || typeof (v as { cniVersion?: unknown }).cniVersion !== 'string') {
    throw new Error(`plugin type="${plugin}" printed a result without cniVersion: ${stdout.slice(0, 200)}`);
  }
  return v as CniResult;
}

/** The pod's IPv4 address (without prefix length): the first IPv4 on an interface inside the sandbox. */
export function primaryIPv4(result: CniResult): string | undefined {
  const inSandbox = (ip: CniIpConfig): boolean => {
    const i = ip.interface;
    return i === undefined || result.interfaces?.[i]?.sandbox !== undefined;
  };
  const ips = (result.ips ?? []).filter((ip) => !ip.address.includes(':'));
  const pick = ips.find(inSandbox) ?? ips[0];
  return pick?.address.split('/')[0];
}
