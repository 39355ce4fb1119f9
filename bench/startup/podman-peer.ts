// The peer of bench/startup: Debian's podman 4.3 running the same manifests with
// `podman kube play` / `podman kube down`, with the settings MACHINE-NOTES.md found to
// work here — runtime runc, cgroup_manager cgroupfs, events_logger file, default_ulimits
// clamped to this machine's hard limits, its own storage root (in the bench's temp dir,
// so the host's podman storage is untouched) — and busybox imported as
// localhost/busybox:latest from the same rootfs layout podbay imports.
import { writeFileSync, mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { timedCommand, type TimedResult } from './timed-command.js';

export class PodmanPeer {
  readonly root: string;
  private readonly env: NodeJS.ProcessEnv;

  constructor(private readonly dir: string) {
    this.root = join(dir, 'storage');
    mkdirSync(dir, { recursive: true });
    const conf = join(dir, 'containers.conf');
    const storage = join(dir, 'storage.conf');
    writeFileSync(
      conf,
      [
        '[containers]',
        // soft = hard: podman 4.3 swaps soft and hard in the infra container's rlimits
        // (seen here: nofile 1024:20000 became soft 20000 > hard 1024, runc EINVAL).
        'default_ulimits = ["nofile=20000:20000", "nproc=32768:32768"]',
        '[engine]',
        'runtime = "runc"',
        'cgroup_manager = "cgroupfs"',
        'events_logger = "file"',
        `events_logfile_path = "${join(dir, 'events.log')}"`,
        `tmp_dir = "${join(dir, 'tmp')}"`,
        '',
      ].join('\n'),
    );
    writeFileSync(
      storage,
      ['[storage]', 'driver = "overlay"', `graphroot = "${this.root}"`, `runroot = "${join(dir, 'run')}"`, ''].join(
        '\n',
      ),
    );
    this.env = { ...process.env, CONTAINERS_CONF: conf, CONTAINERS_STORAGE_CONF: storage };
  }

  podman(args: string[], opts: { stdin?: string; check?: boolean } = {}): Promise<TimedResult> {
    return timedCommand('podman', args, { env: this.env, ...opts });
  }

  /** Imports a busybox rootfs tar (made by the caller) as localhost/busybox:latest. */
  async importBusybox(rootfsDir: string): Promise<void> {
    await timedCommand(
      'sh',
      [
        '-c',
        `tar -C '${rootfsDir}' -c . | podman import --change 'ENV PATH=/bin' - localhost/busybox:latest >/dev/null`,
      ],
      { env: this.env },
    );
  }

  /** `podman kube play FILE`: returns once the Pod's containers are started. */
  play(file: string): Promise<TimedResult> {
    return this.podman(['kube', 'play', file]);
  }

  down(file: string): Promise<TimedResult> {
    return this.podman(['kube', 'down', file]);
  }

  /** Removes every pod and container of this storage root, then the root itself. */
  async dispose(): Promise<void> {
    await this.podman(['pod', 'rm', '-a', '-f', '-t', '0'], { check: false });
    await this.podman(['rm', '-a', '-f', '-t', '0'], { check: false });
    await this.podman(['system', 'reset', '-f'], { check: false });
    rmSync(this.dir, { recursive: true, force: true });
  }
}
