// Pod IPs for the sim, allocated the way the CNI host-local IPAM plugin does
// (containernetworking/plugins plugins/ipam/host-local/backend/allocator):
// the network address, the gateway (first host, taken by the bridge) and the
// broadcast address are never handed out, and allocation continues
// round-robin after the last address reserved, so an address freed a moment
// ago is the last to be reused.

export class IpAllocator {
  private readonly first: number; // first assignable address (gateway + 1)
  private readonly last: number; // last assignable address (broadcast - 1)
  private readonly used = new Set<number>();
  private cursor: number; // last reserved address

  /** `cidr` is IPv4, e.g. "10.88.0.0/16"; prefixes longer than /30 leave nothing to assign. */
  constructor(readonly cidr: string) {
    const m = /^(\d+)\.(\d+)\.(\d+)\.(\d+)\/(\d+)$/.exec(cidr);
    const bits = m ? Number(m[5]) : NaN;
    const octets = m ? m.slice(1, 5).map(Number) : [];
    if (!m || bits > 30 || bits < 8 || octets.some((o) => o > 255)) {
      throw new Error(`invalid pod CIDR ${JSON.stringify(cidr)}: want IPv4 a.b.c.d/8..30`);
    }
    const size = 2 ** (32 - bits);
    const base = toNumber(octets) - (toNumber(octets) % size);
    this.first = base + 2;
    this.last = base + size - 2;
    this.cursor = this.first - 1;
  }

  /** The bridge gateway address (the first host), which pods never get. */
  gateway(): string {
    return toDotted(this.first - 1);
  }

  /** Number of addresses currently allocated. */
  inUse(): number {
    return this.used.size;
  }

  /** Reserves the next free address; throws when the range is exhausted. */
  allocate(): string {
    const span = this.last - this.first + 1;
    for (let i = 0; i < span; i++) {
      this.cursor = this.cursor >= this.last ? this.first : this.cursor + 1;
      if (!this.used.has(this.cursor)) {
        this.used.add(this.cursor);
        return toDotted(this.cursor);
      }
    }
    throw new Error(`no IP addresses available in range set: ${this.cidr}`);
  }

  /** Returns an address to the pool; releasing a free or foreign address does nothing. */
  release(ip: string): void {
    const m = /^(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(ip);
    if (m) {
      this.used.delete(toNumber(m.slice(1, 5).map(Number)));
    }
  }
}

function toNumber(o: number[]): number {
  return ((o[0]! * 256 + o[1]!) * 256 + o[2]!) * 256 + o[3]!;
}

function toDotted(n: number): string {
  return [(n >>> 24) & 255, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join('.');
}
