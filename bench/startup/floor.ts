// The floor of bench/startup: the raw steps one Pod needs, with nothing around them —
// `ip netns add`, one CNI bridge ADD (Debian's /usr/lib/cni/bridge + host-local, run
// directly with the CNI environment and a network config on stdin), and `runc run -d`
// per container of one prepared busybox bundle (read-only rootfs shared by all, config
// from `runc spec`, the netns joined by path). Teardown: runc delete -f, CNI DEL,
// ip netns del. Every name starts with "sb-floor-" so leftovers are recognisable.
import { chmodSync, mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync, copyFileSync } from 'node:fs';
import { join } from 'node:path';
import { SLEEPER } from './manifests.js';
import { timedCommand } from './timed-command.js';

const CNI_PATH = '/usr/lib/cni';
const BRIDGE = 'sbfloor0';
const SUBNET = '10.251.0.0/24';

export interface FloorSample {
  /** netns + CNI ADD + every runc run -d. */
  startMs: number;
  netnsMs: number;
  cniAddMs: number;
  runcMs: number[];
  /** runc delete -f of every container + CNI DEL + netns del. */
  deleteMs: number;
}

export class Floor {
  private readonly bundle: string;
  private readonly ipamDir: string;
  private readonly live = new Set<string>();

  constructor(private readonly dir: string) {
    this.bundle = join(dir, 'bundle');
    this.ipamDir = join(dir, 'ipam');
  }

  private netConf(): string {
    return JSON.stringify({
      cniVersion: '1.0.0',
      name: 'sb-floor',
      type: 'bridge',
      bridge: BRIDGE,
      isGateway: true,
      ipMasq: false,
      hairpinMode: true,
      ipam: { type: 'host-local', ranges: [[{ subnet: SUBNET }]], dataDir: this.ipamDir },
    });
  }

  /** A busybox rootfs (busybox + sh/sleep links) and a config.json made by `runc spec`. */
  async prepare(): Promise<void> {
    const rootfs = join(this.bundle, 'rootfs');
    mkdirSync(join(rootfs, 'bin'), { recursive: true });
    for (const d of ['proc', 'dev', 'sys', 'tmp', 'etc']) {
      mkdirSync(join(rootfs, d), { recursive: true });
    }
    copyFileSync('/bin/busybox', join(rootfs, 'bin', 'busybox'));
    chmodSync(join(rootfs, 'bin', 'busybox'), 0o755);
    for (const applet of ['sh', 'sleep']) {
      symlinkSync('busybox', join(rootfs, 'bin', applet));
    }
    mkdirSync(this.ipamDir, { recursive: true });
    await timedCommand('runc', ['spec', '--bundle', this.bundle]);
  }

  private writeConfig(id: string, netnsPath: string): string {
    const base = JSON.parse(readFileSync(join(this.bundle, 'config.json'), 'utf8')) as {
      process: { terminal: boolean; args: string[]; env: string[]; rlimits?: unknown };
      root: { path: string; readonly: boolean };
      linux: { namespaces: { type: string; path?: string }[] };
    };
    base.process.terminal = false;
    base.process.args = SLEEPER;
    // runc spec asks for RLIMIT_NOFILE 1024 soft/hard, within this machine's limits.
    base.root = { path: join(this.bundle, 'rootfs'), readonly: true };
    base.linux.namespaces = base.linux.namespaces.map((n) =>
      n.type === 'network' ? { type: 'network', path: netnsPath } : n,
    );
    const b = join(this.dir, `b-${id}`);
    mkdirSync(b, { recursive: true });
    writeFileSync(join(b, 'config.json'), JSON.stringify(base));
    return b;
  }

  private cniEnv(command: string, id: string): NodeJS.ProcessEnv {
    return {
      ...process.env,
      CNI_COMMAND: command,
      CNI_CONTAINERID: id,
      CNI_NETNS: `/var/run/netns/${id}`,
      CNI_IFNAME: 'eth0',
      CNI_PATH,
    };
  }

  /** One Pod's raw start and teardown, each timed. */
  async runOnce(id: string, containers: number): Promise<FloorSample> {
    const name = `sb-floor-${id}`;
    const ids = Array.from({ length: containers }, (_, i) => `${name}-c${i}`);
    // Bundles are written before the clock starts: a runtime prepares them from its image store too.
    const bundles = ids.map((cid) => this.writeConfig(cid, `/var/run/netns/${name}`));
    this.live.add(name);
    const netns = await timedCommand('ip', ['netns', 'add', name]);
    const add = await timedCommand(join(CNI_PATH, 'bridge'), [], {
      stdin: this.netConf(),
      env: this.cniEnv('ADD', name),
    });
    const runcMs: number[] = [];
    for (let i = 0; i < ids.length; i++) {
      const r = await timedCommand('runc', ['run', '-d', '--bundle', bundles[i]!, ids[i]!], { ignoreOutput: true });
      runcMs.push(r.ms);
    }
    const t0 = performance.now();
    await this.teardown(name, ids);
    const deleteMs = performance.now() - t0;
    return {
      startMs: netns.ms + add.ms + runcMs.reduce((a, b) => a + b, 0),
      netnsMs: netns.ms,
      cniAddMs: add.ms,
      runcMs,
      deleteMs,
    };
  }

  private async teardown(name: string, ids: string[]): Promise<void> {
    for (const cid of ids) {
      await timedCommand('runc', ['delete', '-f', cid], { check: false });
    }
    await timedCommand(join(CNI_PATH, 'bridge'), [], {
      stdin: this.netConf(),
      env: this.cniEnv('DEL', name),
      check: false,
    });
    await timedCommand('ip', ['netns', 'del', name], { check: false });
    this.live.delete(name);
  }

  /** Removes whatever a failed run left (containers, netns, lease files), the bridge and the dir. */
  async dispose(): Promise<void> {
    for (const name of [...this.live]) {
      const list = await timedCommand('runc', ['list', '-q'], { check: false });
      const ids = list.stdout.split('\n').filter((l) => l.startsWith(`${name}-`));
      await this.teardown(name, ids);
    }
    await timedCommand('ip', ['link', 'del', BRIDGE], { check: false });
    rmSync(this.dir, { recursive: true, force: true });
  }
}
