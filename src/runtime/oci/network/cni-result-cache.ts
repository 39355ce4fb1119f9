// What an ADD produced, kept on disk until the matching DEL (libcni's
// "cniCacheV1" files under <cacheDir>/results): DEL must be given the same
// configuration, runtime arguments (port mappings) and prevResult as ADD,
// even after the agent restarted or the node's CNI options changed.
import { mkdir, readFile, readdir, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { CniConflist } from './cni-conflist.js';
import type { CniResult } from './cni-result.js';

/** A portmap runtimeConfig entry (CNI CONVENTIONS "portMappings"). */
export interface CniPortMapping {
  hostPort: number;
  containerPort: number;
  protocol: 'tcp' | 'udp' | 'sctp';
  hostIP?: string;
}

export interface CniCacheEntry {
  kind: 'cniCacheV1';
  containerId: string;
  ifName: string;
  networkName: string;
  netns: string;
  /** The network configuration list ADD ran with. */
  config: CniConflist;
  portMappings: CniPortMapping[];
  result: CniResult;
}

export class CniResultCache {
  readonly dir: string;

  constructor(cacheDir: string) {
    this.dir = join(cacheDir, 'results');
  }

  private file(networkName: string, containerId: string, ifName: string): string {
    return join(this.dir, `${networkName}-${containerId}-${ifName}`);
  }

  async load(networkName: string, containerId: string, ifName: string): Promise<CniCacheEntry | undefined> {
    let text: string;
    try {
      text = await readFile(this.file(networkName, containerId, ifName), 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') {
        return undefined;
      }
      throw err;
    }
    try {
      const e = JSON.parse(text) as CniCacheEntry;
      return e.kind === 'cniCacheV1' ? e : undefined;
    } catch {
      return undefined; // a torn write from a crash: DEL falls back to the current config
    }
  }

  /** Written to a temp file and renamed, so a reader never sees half an entry. */
  async save(e: CniCacheEntry): Promise<void> {
    await mkdir(this.dir, { recursive: true });
    const file = this.file(e.networkName, e.containerId, e.ifName);
    await writeFile(`${file}.tmp`, JSON.stringify(e));
    await rename(`${file}.tmp`, file);
  }

  /** Every cached entry of `networkName` (sandboxes set up and not yet torn down). */
  async list(networkName: string): Promise<CniCacheEntry[]> {
    let names: string[];
    try {
      names = await readdir(this.dir);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') {
        return [];
      }
      throw err;
    }
    const out: CniCacheEntry[] = [];
    for (const name of names) {
      if (!name.startsWith(`${networkName}-`) || name.endsWith('.tmp')) {
        continue;
      }
      try {
        const e = JSON.parse(await readFile(join(this.dir, name), 'utf8')) as CniCacheEntry;
        if (e.kind === 'cniCacheV1' && e.networkName === networkName) {
          out.push(e);
        }
      } catch {
        // gone meanwhile, or torn: not a sandbox we can name
      }
    }
    return out;
  }

  async remove(networkName: string, containerId: string, ifName: string): Promise<void> {
    await rm(this.file(networkName, containerId, ifName), { force: true });
  }
}
