// Test doubles and helpers for the oci runtime's root tests: a busybox image
// built from Debian's busybox-static, an in-test OciImageSource over it, the real
// CNI network (a bridge and pod CIDR per test bed) and CgroupDriver, plus the leftover checks every test ends with.
import { execFileSync } from 'node:child_process';
import { createHash, randomInt } from 'node:crypto';
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmdirSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RealClock } from '../../src/lib/clock.js';
import { RuntimeError } from '../../src/runtime/runtime.js';
import { newCgroupDriver } from '../../src/runtime/oci/cgroups/new-cgroup-driver.js';
import { OciRuntime } from '../../src/runtime/oci/oci-runtime.js';
import { CniNetwork } from '../../src/runtime/oci/network/cni-network.js';
import type { CgroupDriver, OciImage, OciImageSource } from '../../src/runtime/oci/ports.js';
import { runCommand } from '../../src/runtime/oci/run-command.js';

export const TEST_PREFIX = 'podbay-test';
export const BUSYBOX_REF = 'localhost/busybox:latest';

/** A one-layer busybox root filesystem (busybox --install -s style symlinks) in `dir`. */
export function buildBusyboxLayer(dir: string): void {
  mkdirSync(join(dir, 'bin'), { recursive: true });
  for (const d of ['etc', 'tmp', 'root', 'home/app', 'proc', 'sys', 'dev', 'var/www']) {
    mkdirSync(join(dir, d), { recursive: true });
  }
  copyFileSync('/bin/busybox', join(dir, 'bin/busybox'));
  execFileSync('chmod', ['755', join(dir, 'bin/busybox')]);
  const applets = execFileSync('/bin/busybox', ['--list']).toString().split('\n').filter(Boolean);
  for (const a of applets) {
    if (a !== 'busybox' && !existsSync(join(dir, 'bin', a))) {
      symlinkSync('busybox', join(dir, 'bin', a));
    }
  }
  writeFileSync(
    join(dir, 'etc/passwd'),
    'root:x:0:0:root:/root:/bin/sh\napp:x:1000:1000:app:/home/app:/bin/sh\nnobody:x:65534:65534:nobody:/:/bin/false\n',
  );
  writeFileSync(join(dir, 'etc/group'), 'root:x:0:\napp:x:1000:\nextra:x:2000:app\nnogroup:x:65534:\n');
  execFileSync('chmod', ['1777', join(dir, 'tmp')]);
}

/** An OciImageSource holding one busybox image (ENV PATH=/bin, CMD sh). */
export class FakeImageSource implements OciImageSource {
  private readonly images = new Map<string, OciImage>();

  constructor(layerDir: string) {
    const id = `sha256:${createHash('sha256').update(layerDir).digest('hex')}`;
    this.images.set(id, {
      id,
      repoTags: [BUSYBOX_REF],
      repoDigests: [],
      size: 1_000_000,
      config: { Env: ['PATH=/bin'], Cmd: ['sh'] },
      layerDirs: [layerDir],
    });
  }

  get(refOrId: string): Promise<OciImage | undefined> {
    return Promise.resolve([...this.images.values()].find((i) => i.id === refOrId || i.repoTags.includes(refOrId)));
  }

  async pull(ref: string): Promise<string> {
    const i = await this.get(ref);
    if (!i) {
      throw new RuntimeError('NotFound', `image ${ref} not found`);
    }
    return i.id;
  }

  list(): Promise<OciImage[]> {
    return Promise.resolve([...this.images.values()]);
  }

  remove(refOrId: string): Promise<void> {
    for (const [id, i] of this.images) {
      if (id === refOrId || i.repoTags.includes(refOrId)) {
        this.images.delete(id);
      }
    }
    return Promise.resolve();
  }
}

function removeCgroupTree(dir: string): void {
  if (!existsSync(dir)) {
    return;
  }
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    if (e.isDirectory()) {
      removeCgroupTree(join(dir, e.name));
    }
  }
  rmdirSync(dir);
}

/** Everything one test's runtime lives in. */
export interface OciTestBed {
  dir: string;
  dataDir: string;
  logRoot: string;
  cgroupRoot: string;
  netnsPrefix: string;
  images: OciImageSource;
  /** The busybox root filesystem the fake image source serves (also importable into a real store). */
  layerDir: string;
  network: CniNetwork;
  cgroups: CgroupDriver;
  open(): Promise<OciRuntime>;
  /** Removes every sandbox, closes the runtimes, and returns what was left behind (empty = clean). */
  cleanup(): Promise<string[]>;
}

let bedSeq = 0;

export interface TestBedOptions {
  /** The image source (default: a FakeImageSource over the busybox layer). */
  images?: (dataDir: string, layerDir: string) => Promise<OciImageSource>;
}

export async function makeTestBed(opts: TestBedOptions = {}): Promise<OciTestBed> {
  const dir = mkdtempSync(join(tmpdir(), `${TEST_PREFIX}-`));
  const layer = join(dir, 'layer');
  buildBusyboxLayer(layer);
  // Short: it names the bridge (≤ 15 characters).
  const tag = `${(process.pid % 0xffff).toString(16)}x${(++bedSeq).toString(16)}`;
  const subnet = randomInt(1024);
  const bed: OciTestBed = {
    dir,
    dataDir: join(dir, 'data'),
    logRoot: join(dir, 'data', 'pods'),
    cgroupRoot: `/${TEST_PREFIX}-${tag}`,
    netnsPrefix: `${TEST_PREFIX}-${tag}-`,
    images: opts.images ? await opts.images(join(dir, 'data'), layer) : new FakeImageSource(layer),
    layerDir: layer,
    network: new CniNetwork({
      dataDir: join(dir, 'data'),
      bridgeName: `pbo${tag}`,
      // A random /26 of 10.252.0.0/16: test files run in parallel processes, and two bridges must never share a subnet.
      podCidr: `10.252.${subnet >> 2}.${(subnet & 3) * 64}/26`,
      networkName: `podbay-test-${tag}`,
    }),
    cgroups: await newCgroupDriver(),
    open: async () => {
      const rt = await OciRuntime.open({
        dataDir: bed.dataDir,
        network: bed.network,
        cgroups: bed.cgroups,
        images: bed.images,
        clock: new RealClock(),
        cgroupRoot: bed.cgroupRoot,
        netnsPrefix: bed.netnsPrefix,
        exitPollMs: 250,
      });
      opened.push(rt);
      return rt;
    },
    cleanup: async () => {
      // The newest instance knows the current state (a closed one no longer watches exits).
      const rt = opened.at(-1) ?? (await bed.open());
      const errors: string[] = [];
      for (const s of await rt.listPodSandboxes()) {
        await rt.removePodSandbox(s.id).catch((e: unknown) => errors.push(`remove ${s.id}: ${String(e)}`));
      }
      for (const r of opened) {
        r.close();
      }
      await bed.cgroups.remove(bed.cgroupRoot).catch((e: unknown) => errors.push(`cgroup: ${String(e)}`));
      const left = [...errors, ...leftovers(bed)];
      await runCommand('ip', ['link', 'delete', bed.network.bridgeName]);
      forceClean(bed);
      return left;
    },
  };
  const opened: OciRuntime[] = [];
  return bed;
}

/** What a test bed left on the machine: runc containers, mounts, netns, cgroups, conmon processes. */
export function leftovers(bed: OciTestBed): string[] {
  const out: string[] = [];
  const runcRoot = join(bed.dataDir, 'run/oci/runc');
  if (existsSync(runcRoot)) {
    const list = execFileSync('runc', ['--root', runcRoot, 'list', '-q']).toString().trim();
    if (list) {
      out.push(`runc containers: ${list.replace(/\n/g, ' ')}`);
    }
  }
  for (const line of readFileSync('/proc/mounts', 'utf8').split('\n')) {
    if (line.includes(bed.dir)) {
      out.push(`mount: ${line}`);
    }
  }
  const bridgePorts = existsSync(`/sys/class/net/${bed.network.bridgeName}/brif`)
    ? readdirSync(`/sys/class/net/${bed.network.bridgeName}/brif`)
    : [];
  if (bridgePorts.length > 0) {
    out.push(`veth on ${bed.network.bridgeName}: ${bridgePorts.join(' ')}`);
  }
  const leases = existsSync(bed.network.ipamDataDir)
    ? readdirSync(bed.network.ipamDataDir, { recursive: true })
        .map(String)
        .filter((f) => /\d+\.\d+\.\d+\.\d+$/.test(f) && !f.endsWith('last_reserved_ip.0'))
    : [];
  if (leases.length > 0) {
    out.push(`IPAM leases: ${leases.join(' ')}`);
  }
  const netns = execFileSync('ip', ['netns', 'list']).toString();
  for (const line of netns.split('\n')) {
    if (line.startsWith(bed.netnsPrefix)) {
      out.push(`netns: ${line}`);
    }
  }
  for (const c of readdirSync('/sys/fs/cgroup')) {
    if (existsSync(join('/sys/fs/cgroup', c, bed.cgroupRoot))) {
      out.push(`cgroup: ${c}${bed.cgroupRoot}`);
    }
  }
  for (const pid of readdirSync('/proc').filter((p) => /^\d+$/.test(p))) {
    try {
      const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
      if (cmdline.startsWith('/usr/bin/conmon') && cmdline.includes(bed.dataDir)) {
        out.push(`conmon: pid ${pid}`);
      }
    } catch {
      // exited
    }
  }
  return out;
}

/** Best effort removal of anything left, so one failing test does not poison the machine. */
function forceClean(bed: OciTestBed): void {
  const runcRoot = join(bed.dataDir, 'run/oci/runc');
  try {
    for (const id of execFileSync('runc', ['--root', runcRoot, 'list', '-q']).toString().split('\n').filter(Boolean)) {
      execFileSync('runc', ['--root', runcRoot, 'delete', '--force', id], { stdio: 'ignore' });
    }
  } catch {
    // no runc root
  }
  const mounts = readFileSync('/proc/mounts', 'utf8')
    .split('\n')
    .map((l) => l.split(' ')[1] ?? '')
    .filter((m) => m.startsWith(bed.dir))
    .sort((a, b) => b.length - a.length);
  for (const m of mounts) {
    try {
      execFileSync('umount', ['-l', m], { stdio: 'ignore' });
    } catch {
      // already gone
    }
  }
  for (const line of execFileSync('ip', ['netns', 'list']).toString().split('\n')) {
    const name = line.split(' ')[0] ?? '';
    if (name.startsWith(bed.netnsPrefix)) {
      execFileSync('ip', ['netns', 'delete', name], { stdio: 'ignore' });
    }
  }
  for (const c of readdirSync('/sys/fs/cgroup')) {
    try {
      removeCgroupTree(join('/sys/fs/cgroup', c, bed.cgroupRoot));
    } catch {
      // busy
    }
  }
  rmSync(bed.dir, { recursive: true, force: true });
}
