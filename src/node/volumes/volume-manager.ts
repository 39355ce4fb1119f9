// The agent's volume manager: kubelet's pkg/kubelet/volumemanager (desired
// state → reconciler → mounted volumes) folded into calls the pod worker makes
// at the points kubelet does, plus the slice of the eviction manager that
// enforces emptyDir sizeLimit.
//
//   pod worker SyncPod ──setUpPod(pod)──► every volume of the pod set up once
//        │                               (FailedMount + retry back-off while one
//        │                                cannot: the pod stays ContainerCreating)
//        ├──containerMounts(pod, c, env)─► CRI Mount[] (subPath resolved safely;
//        │                                 errors → CreateContainerConfigError)
//   SyncTerminatedPod ──tearDownPod(uid)─► unmount, delete the pod's volume dirs
//
//   housekeeping every 10 s (clock): configMap/secret/projected volumes
//   re-projected every 60 s (kubelet syncFrequency), emptyDir usage against
//   sizeLimit → onEvict(uid, `Usage of EmptyDir volume "x" exceeds the limit "y". `)
//
// On disk, kubelet's layout (pkg/kubelet/kubelet_getters.go#getPodVolumeDir):
//   <podsDir>/<uid>/volumes/kubernetes.io~empty-dir/<name>
//   <podsDir>/<uid>/volumes/kubernetes.io~configmap/<name>     (atomic writer)
//   <podsDir>/<uid>/volumes/kubernetes.io~secret/<name>        (tmpfs)
//   <podsDir>/<uid>/volumes/kubernetes.io~downward-api/<name>  (tmpfs)
//   <podsDir>/<uid>/volumes/kubernetes.io~projected/<name>     (tmpfs)
//   <podsDir>/<uid>/volume-subpaths/<volume>/<container>/<i>   (subPath binds)
// hostPath volumes are the host's path itself and are never created or removed
// here beyond DirectoryOrCreate / FileOrCreate.
//
// Concurrency: all work for one pod is serialized (a per-UID chain), so a
// re-projection never swaps `..data` under a subPath being resolved, and a
// teardown never races a set-up. Different pods proceed in parallel.
import { chmod, mkdir, readdir, rmdir, stat } from 'node:fs/promises';
import { totalmem } from 'node:os';
import { posix } from 'node:path';
import { parseQuantity } from '../../api/quantity.js';
import type { Container, Pod, ResourceList, Volume } from '../../api/types/index.js';
import type { Clock, Timer } from '../../lib/clock.js';
import type { Mount, MountPropagation } from '../../runtime/runtime.js';
import { REASON_CREATE_CONTAINER_CONFIG_ERROR } from '../env/container-env.js';
import type { EventRecorderLike } from '../prober/event-recorder-like.js';
import { writeAtomic } from './atomic-writer.js';
import { diskUsageBytes } from './disk-usage.js';
import { setUpHostPath } from './host-path.js';
import {
  collectDownwardAPIData,
  collectProjectedData,
  fetchConfigMap,
  fetchSecret,
  makeConfigMapPayload,
  makeSecretPayload,
} from './projection-payloads.js';
import type { ObjectLookups, Payload } from './projection-payloads.js';
import { removeAllOneFilesystem } from './safe-remove.js';
import { SUBPATH_DIR_NAME, prepareSubPath, subPathOf } from './sub-path.js';
import { memoryBackedSizeBytes } from './tmpfs-size.js';
import type { VolumeHost } from './volume-host.js';
import { setVolumeOwnership } from './volume-ownership.js';

/** Volume plugin directory names (plugin name with `/` escaped as `~`, utilstrings.EscapeQualifiedName). */
export const PLUGIN_DIRS = {
  emptyDir: 'kubernetes.io~empty-dir',
  configMap: 'kubernetes.io~configmap',
  secret: 'kubernetes.io~secret',
  downwardAPI: 'kubernetes.io~downward-api',
  projected: 'kubernetes.io~projected',
} as const;

export const EVENT_FAILED_MOUNT = 'FailedMount';
/** eviction manager: event reason and pod status.reason (pkg/kubelet/eviction/eviction_manager.go). */
export const EVENT_EVICTED = 'Evicted';
export const REASON_EVICTED = 'Evicted';

/** nestedpendingoperations.go initialDurationBeforeRetry / maxDurationBeforeRetry (2m2s). */
export const MOUNT_RETRY_INITIAL_MS = 500;
export const MOUNT_RETRY_MAX_MS = 122_000;
/** kubelet syncFrequency default: how often remountable volumes pick up ConfigMap/Secret changes. */
export const REMOUNT_PERIOD_MS = 60_000;
/** kubelet.go evictionMonitoringPeriod. */
export const EVICTION_MONITORING_PERIOD_MS = 10_000;
/** empty_dir.go perm */
const EMPTY_DIR_MODE = 0o777;

type VolumeKind = 'emptyDir' | 'hostPath' | 'configMap' | 'secret' | 'downwardAPI' | 'projected';

/** Which plugin serves a volume; a volume with no source is an emptyDir (API defaulting). */
export function volumeKind(v: Volume): VolumeKind | undefined {
  if (v.hostPath) {
    return 'hostPath';
  }
  if (v.configMap) {
    return 'configMap';
  }
  if (v.secret) {
    return 'secret';
  }
  if (v.downwardAPI) {
    return 'downwardAPI';
  }
  if (v.projected) {
    return 'projected';
  }
  if (v.emptyDir) {
    return 'emptyDir';
  }
  const other = Object.keys(v).filter((k) => k !== 'name');
  return other.length === 0 ? 'emptyDir' : undefined;
}

/** Mounter attributes ReadOnly: true for the projections (their GetAttributes). */
function alwaysReadOnly(kind: VolumeKind): boolean {
  return kind === 'configMap' || kind === 'secret' || kind === 'downwardAPI' || kind === 'projected';
}

/** Plugins whose RequiresRemount is true: their content follows the API. */
function remountable(kind: VolumeKind): boolean {
  return alwaysReadOnly(kind);
}

/** kubelet_pods.go#translateMountPropagation */
export function translateMountPropagation(mode: string | undefined): MountPropagation {
  switch (mode) {
    case undefined:
    case 'None':
      return 'PRIVATE';
    case 'HostToContainer':
      return 'HOST_TO_CONTAINER';
    case 'Bidirectional':
      return 'BIDIRECTIONAL';
    default:
      throw new Error(`invalid MountPropagation mode: "${mode}"`);
  }
}

export interface VolumeManagerOptions {
  host: VolumeHost;
  /** `<data-dir>/pods`: each pod's volumes live under `<podsDir>/<uid>`. */
  podsDir: string;
  clock: Clock;
  recorder: EventRecorderLike;
  /** ConfigMap and Secret reads (the agent's API client); default: none exist. */
  lookups?: ObjectLookups;
  /**
   * Node allocatable: `memory` sizes memory-backed volumes; cpu/memory/ephemeral-storage
   * stand in for missing limits in downward API resourceFieldRef. Default: memory = os.totalmem().
   */
  nodeAllocatable?: ResourceList;
  /** An emptyDir went over its sizeLimit: the pod must be evicted with this message. */
  onEvict?(uid: string, message: string): void;
  /** Errors housekeeping recovers from (a failed re-projection is also a FailedMount event). */
  onError?(e: unknown): void;
  housekeepingPeriodMs?: number;
  remountPeriodMs?: number;
  /**
   * The UIDs of every pod the agent still has (workers), or undefined while it
   * does not know yet (before the first list). Housekeeping tears down the
   * volumes of any other pod directory: pods deleted while the agent was down
   * (kubelet_volumes.go#cleanupOrphanedPodDirs). Unset: no orphan cleanup.
   */
  activePods?(): ReadonlySet<string> | undefined;
}

export type PodVolumesResult = { ready: true } | { ready: false; retryInMs: number; message: string };

export type ContainerMountsResult =
  { mounts: Mount[] } | { error: { reason: typeof REASON_CREATE_CONTAINER_CONFIG_ERROR; message: string } };

interface VolumeState {
  kind: VolumeKind;
  /** Host path the runtime mounts (for hostPath: the host's path). */
  path: string;
  /** Set up successfully at least once (kubelet: in the actual state of world). */
  mounted: boolean;
  lastSetUpAt: number;
  retryAt: number;
  retryMs: number;
}

interface PodState {
  uid: string;
  pod: Pod;
  volumes: Map<string, VolumeState>;
  evicted: boolean;
}

export class VolumeManager {
  private readonly pods = new Map<string, PodState>();
  private readonly chains = new Map<string, Promise<unknown>>();
  private readonly host: VolumeHost;
  private readonly clock: Clock;
  private timer: Timer | undefined;
  private housekeepingRun: Promise<void> | undefined;
  private stopped = false;

  constructor(private readonly opts: VolumeManagerOptions) {
    this.host = opts.host;
    this.clock = opts.clock;
  }

  /** `<podsDir>/<uid>` */
  podDir(uid: string): string {
    // UIDs come from the apiserver; still, a name that is not one path element never becomes a path.
    if (uid === '' || uid === '.' || uid === '..' || uid.includes('/')) {
      throw new Error(`invalid pod UID ${JSON.stringify(uid)}`);
    }
    return posix.join(this.opts.podsDir, uid);
  }

  /** The host path of a volume of a pod (kubelet getPodVolumeDir); hostPath volumes: their path. */
  volumePath(uid: string, v: Volume): string | undefined {
    const kind = volumeKind(v);
    if (kind === undefined) {
      return undefined;
    }
    if (kind === 'hostPath') {
      return v.hostPath!.path;
    }
    return posix.join(this.podDir(uid), 'volumes', PLUGIN_DIRS[kind], v.name);
  }

  /**
   * Sets up every volume of the pod that is not set up yet (and re-projects
   * the API-backed ones whose remount period passed). Idempotent; called by the
   * pod worker on every sync before it creates a sandbox or containers.
   * `ready: false` while a volume has never been set up: the caller creates
   * nothing and syncs again after `retryInMs`. A failed attempt records
   * FailedMount `MountVolume.SetUp failed for volume "x" : <error>` and backs
   * off exponentially per volume (0.5 s doubling to 2m2s, kubelet's
   * nestedpendingoperations); a volume that was set up once and fails to
   * refresh keeps its old content (and the event) without blocking the pod.
   */
  setUpPod(pod: Pod): Promise<PodVolumesResult> {
    const uid = pod.metadata.uid ?? '';
    return this.serialize(uid, () => this.doSetUpPod(uid, pod, false));
  }

  /**
   * The CRI mounts of one container (kubelet_pods.go#makeMounts without the
   * /etc/hosts mount): each volumeMount's volume path or its subPath, readonly
   * when the mount asks or the volume is a projection, with its propagation.
   * `env` is the container's resolved environment (for subPathExpr). An error
   * is the container's CreateContainerConfigError message.
   */
  containerMounts(
    pod: Pod,
    container: Container,
    env: readonly { key: string; value: string }[],
  ): Promise<ContainerMountsResult> {
    const uid = pod.metadata.uid ?? '';
    return this.serialize(uid, async (): Promise<ContainerMountsResult> => {
      try {
        return { mounts: await this.makeMounts(uid, pod, container, env) };
      } catch (e) {
        return { error: { reason: REASON_CREATE_CONTAINER_CONFIG_ERROR, message: (e as Error).message } };
      }
    });
  }

  /**
   * After the pod terminated and its containers stopped: unmounts everything
   * mounted under the pod's directory (tmpfs volumes, subPath binds), then
   * deletes its volume directories on their own filesystem only (symlinks
   * unlinked, never followed; a remaining mount stops the deletion). The
   * pod's directory itself goes when nothing else (logs) is left in it.
   * Idempotent; rejects when something could not be unmounted (retry later).
   */
  tearDownPod(uid: string): Promise<void> {
    return this.serialize(uid, async () => {
      this.pods.delete(uid);
      const podDir = this.podDir(uid);
      if (!(await existsDir(podDir))) {
        return;
      }
      for (const m of await this.host.mountPointsUnder(podDir)) {
        await this.host.unmount(m);
      }
      const left = await this.host.mountPointsUnder(podDir);
      if (left.length > 0) {
        throw new Error(`pod ${uid}: still mounted after unmount, not removing volumes: ${left.join(', ')}`);
      }
      await removeAllOneFilesystem(posix.join(podDir, 'volumes'));
      await removeAllOneFilesystem(posix.join(podDir, SUBPATH_DIR_NAME));
      try {
        if ((await readdir(podDir)).length === 0) {
          await rmdir(podDir);
        }
      } catch {
        // Gone already, or the runtime wrote logs meanwhile: both fine.
      }
    });
  }

  /**
   * Tears down the volumes of pod directories under podsDir whose pod is not
   * in `active` and not known here. Returns the UIDs cleaned. Directories
   * without volumes (only logs) are left to whoever owns the logs.
   */
  async cleanupOrphanedPods(active: ReadonlySet<string>): Promise<string[]> {
    let names: string[];
    try {
      names = await readdir(this.opts.podsDir);
    } catch {
      return [];
    }
    const cleaned: string[] = [];
    for (const uid of names) {
      if (active.has(uid) || this.pods.has(uid)) {
        continue;
      }
      const podDir = this.podDir(uid);
      const has = async (sub: string): Promise<boolean> => existsDir(posix.join(podDir, sub));
      if (
        (await has('volumes')) ||
        (await has(SUBPATH_DIR_NAME)) ||
        (await this.host.mountPointsUnder(podDir)).length > 0
      ) {
        await this.tearDownPod(uid);
        cleaned.push(uid);
      }
    }
    return cleaned;
  }

  /** Pods with volumes set up (or being set up). */
  podUids(): string[] {
    return [...this.pods.keys()];
  }

  /** Starts the periodic housekeeping on the clock (remounts, emptyDir usage). */
  start(): void {
    if (this.timer || this.stopped) {
      return;
    }
    const period = this.opts.housekeepingPeriodMs ?? EVICTION_MONITORING_PERIOD_MS;
    const tick = (): void => {
      this.timer = this.clock.setTimer(period, () => {
        this.housekeepingRun = this.housekeeping()
          .catch((e: unknown) => this.opts.onError?.(e))
          .finally(() => {
            this.housekeepingRun = undefined;
            if (!this.stopped) {
              tick();
            }
          });
      });
    };
    tick();
  }

  stop(): void {
    this.stopped = true;
    this.timer?.cancel();
    this.timer = undefined;
  }

  /** Resolves when no pod has volume work queued and housekeeping is idle. */
  async settle(): Promise<void> {
    for (;;) {
      const pending = [...this.chains.values(), ...(this.housekeepingRun ? [this.housekeepingRun] : [])];
      if (pending.length === 0) {
        return;
      }
      await Promise.allSettled(pending);
    }
  }

  /**
   * One housekeeping pass: remountable volumes whose period passed are
   * re-projected, and each emptyDir with a sizeLimit is measured; over the
   * limit → onEvict once per pod (eviction_manager.go#localStorageEviction →
   * emptyDirLimitEviction: `used > sizeLimit`). Then orphaned pod directories
   * are cleaned when activePods is known.
   */
  async housekeeping(): Promise<void> {
    await this.housekeepPods();
    const active = this.opts.activePods?.();
    if (active) {
      await this.cleanupOrphanedPods(active);
    }
  }

  private async housekeepPods(): Promise<void> {
    for (const uid of [...this.pods.keys()]) {
      await this.serialize(uid, async () => {
        const st = this.pods.get(uid);
        if (!st) {
          return;
        }
        await this.doSetUpPod(uid, st.pod, true);
        await this.checkEmptyDirLimits(st);
      });
    }
  }

  // ---- internals -------------------------------------------------------------

  private serialize<T>(uid: string, fn: () => Promise<T>): Promise<T> {
    const prev = this.chains.get(uid) ?? Promise.resolve();
    const next = prev.then(fn, fn);
    const tail = next.then(
      () => undefined,
      () => undefined,
    );
    this.chains.set(uid, tail);
    void tail.then(() => {
      if (this.chains.get(uid) === tail) {
        this.chains.delete(uid);
      }
    });
    return next;
  }

  private async doSetUpPod(uid: string, pod: Pod, refreshOnly: boolean): Promise<PodVolumesResult> {
    let st = this.pods.get(uid);
    if (!st) {
      // Nothing to track for a pod without volumes (most pods of a large sim cluster).
      if (refreshOnly || (pod.spec.volumes ?? []).length === 0) {
        return { ready: true };
      }
      st = { uid, pod, volumes: new Map(), evicted: false };
      this.pods.set(uid, st);
    }
    st.pod = pod;
    const now = this.clock.now();
    const remountMs = this.opts.remountPeriodMs ?? REMOUNT_PERIOD_MS;
    const waiting: { name: string; retryInMs: number; message: string }[] = [];
    for (const vol of pod.spec.volumes ?? []) {
      let vs = st.volumes.get(vol.name);
      const kind = volumeKind(vol);
      if (!vs) {
        vs = {
          kind: kind ?? 'emptyDir',
          path: this.volumePath(uid, vol) ?? '',
          mounted: false,
          lastSetUpAt: 0,
          retryAt: 0,
          retryMs: 0,
        };
        st.volumes.set(vol.name, vs);
      }
      if (vs.mounted) {
        // Only projections follow the API; downwardAPI is local and cheap, so it follows every sync.
        const due = vs.kind === 'downwardAPI' || now - vs.lastSetUpAt >= remountMs;
        if (!remountable(vs.kind) || !due) {
          continue;
        }
      } else if (refreshOnly) {
        continue;
      }
      if (now < vs.retryAt) {
        if (!vs.mounted) {
          waiting.push({ name: vol.name, retryInMs: vs.retryAt - now, message: 'waiting to retry' });
        }
        continue;
      }
      try {
        if (kind === undefined) {
          throw new Error('no volume plugin matched');
        }
        await this.setUpVolume(pod, vol, kind, vs.path);
        vs.mounted = true;
        vs.lastSetUpAt = now;
        vs.retryMs = 0;
        vs.retryAt = 0;
      } catch (e) {
        // operation_executor.go#generateVolumeMsg: `<prefix> for volume "<name>" <: err>` (the event's simple form).
        const message = `MountVolume.SetUp failed for volume "${vol.name}" : ${(e as Error).message}`;
        this.opts.recorder.event(pod, 'Warning', EVENT_FAILED_MOUNT, message);
        vs.retryMs = vs.retryMs === 0 ? MOUNT_RETRY_INITIAL_MS : Math.min(vs.retryMs * 2, MOUNT_RETRY_MAX_MS);
        vs.retryAt = now + vs.retryMs;
        if (!vs.mounted) {
          waiting.push({ name: vol.name, retryInMs: vs.retryMs, message });
        }
      }
    }
    if (waiting.length === 0) {
      return { ready: true };
    }
    const retryInMs = Math.min(...waiting.map((w) => w.retryInMs));
    const names = waiting.map((w) => w.name).sort();
    return { ready: false, retryInMs, message: `unmounted volumes=[${names.join(' ')}]` };
  }

  private nodeAllocatableMemoryBytes(): number {
    const m = this.opts.nodeAllocatable?.memory;
    return m === undefined ? totalmem() : parseQuantity(m).value();
  }

  /** The per-plugin SetUp. `dir` is the volume's directory (unused for hostPath). */
  private async setUpVolume(pod: Pod, vol: Volume, kind: VolumeKind, dir: string): Promise<void> {
    const ns = pod.metadata.namespace ?? 'default';
    const lookups: ObjectLookups = this.opts.lookups ?? {
      configMap: async () => undefined,
      secret: async () => undefined,
    };
    const allocatable = this.opts.nodeAllocatable ?? { memory: totalmem() };
    const now = this.clock.now();
    switch (kind) {
      case 'hostPath':
        return setUpHostPath(vol.hostPath!);
      case 'emptyDir': {
        const ed = vol.emptyDir ?? {};
        if (ed.medium === 'HugePages') {
          throw new Error('hugePages storage requested, but podbay does not support hugetlbfs volumes');
        }
        await this.makeVolumeDir(dir);
        if (ed.medium === 'Memory') {
          await this.ensureTmpfs(dir, memoryBackedSizeBytes(this.nodeAllocatableMemoryBytes(), pod, ed.sizeLimit));
        }
        await this.setOwnership(pod, dir, false);
        return;
      }
      case 'configMap': {
        // configMap wraps a disk emptyDir (configmap.go wrappedVolumeSpec).
        const src = vol.configMap!;
        const optional = src.optional === true;
        const cm = await fetchConfigMap(lookups, ns, src.name ?? '', optional);
        const payload = makeConfigMapPayload(src.items, cm, src.defaultMode, optional);
        await this.makeVolumeDir(dir);
        await writeAtomic(dir, payload, now, () => this.setOwnership(pod, dir, true));
        return;
      }
      case 'secret': {
        const src = vol.secret!;
        const optional = src.optional === true;
        const s = await fetchSecret(lookups, ns, src.secretName ?? '', optional);
        const payload = makeSecretPayload(src.items, s, src.defaultMode, optional);
        await this.writeMemoryProjection(pod, dir, payload, now);
        return;
      }
      case 'downwardAPI': {
        const src = vol.downwardAPI!;
        const payload = collectDownwardAPIData(src.items, pod, allocatable, src.defaultMode);
        await this.writeMemoryProjection(pod, dir, payload, now);
        return;
      }
      case 'projected': {
        const payload = await collectProjectedData(vol.projected!, pod, lookups, allocatable);
        await this.writeMemoryProjection(pod, dir, payload, now);
        return;
      }
    }
  }

  /** secret, downwardAPI and projected wrap an emptyDir with medium Memory: a tmpfs, then the atomic writer. */
  private async writeMemoryProjection(pod: Pod, dir: string, payload: Payload, now: number): Promise<void> {
    await this.makeVolumeDir(dir);
    await this.ensureTmpfs(dir, memoryBackedSizeBytes(this.nodeAllocatableMemoryBytes(), pod, undefined));
    await writeAtomic(dir, payload, now, () => this.setOwnership(pod, dir, true));
  }

  /** The pod's fsGroup on a managed volume (SetVolumeOwnership; readOnly = the plugin's attribute). */
  private async setOwnership(pod: Pod, dir: string, readOnly: boolean): Promise<void> {
    const sc = pod.spec.securityContext;
    await setVolumeOwnership(dir, sc?.fsGroup, readOnly, sc?.fsGroupChangePolicy);
  }

  /** empty_dir.go#setupDir: the directory with mode 0777 whatever the umask. */
  private async makeVolumeDir(dir: string): Promise<void> {
    await mkdir(dir, { recursive: true, mode: EMPTY_DIR_MODE });
    const st = await stat(dir);
    if ((st.mode & 0o777) !== EMPTY_DIR_MODE) {
      await chmod(dir, EMPTY_DIR_MODE);
    }
  }

  /** empty_dir.go#setupTmpfs: idempotent — an existing mount (e.g. after an agent restart) is kept. */
  private async ensureTmpfs(dir: string, sizeBytes: number): Promise<void> {
    if (!this.host.mountsForReal || (await this.host.isMountPoint(dir))) {
      return;
    }
    await this.host.mountTmpfs(dir, { sizeBytes, mode: EMPTY_DIR_MODE });
  }

  private async makeMounts(
    uid: string,
    pod: Pod,
    container: Container,
    env: readonly { key: string; value: string }[],
  ): Promise<Mount[]> {
    const st = this.pods.get(uid);
    const envMap = new Map(env.map((e) => [e.key, e.value]));
    const mounts: Mount[] = [];
    const volumes = new Map((pod.spec.volumes ?? []).map((v) => [v.name, v]));
    for (const [i, vm] of (container.volumeMounts ?? []).entries()) {
      const vol = volumes.get(vm.name);
      const vs = st?.volumes.get(vm.name);
      if (!vol || !vs || !vs.mounted) {
        throw new Error(`cannot find volume "${vm.name}" to mount into container "${container.name}"`);
      }
      let hostPath = vs.path;
      const subPath = subPathOf(vm, envMap);
      if (subPath !== '') {
        hostPath = await prepareSubPath(this.host, {
          volumePath: vs.path,
          subPath,
          podDir: this.podDir(uid),
          volumeName: vm.name,
          containerName: container.name,
          mountIndex: i,
          mountName: vm.name,
        });
      }
      mounts.push({
        containerPath: vm.mountPath.startsWith('/') ? vm.mountPath : `/${vm.mountPath}`,
        hostPath,
        readonly: vm.readOnly === true || alwaysReadOnly(vs.kind),
        propagation: translateMountPropagation(vm.mountPropagation),
      });
    }
    return mounts;
  }

  private async checkEmptyDirLimits(st: PodState): Promise<void> {
    if (st.evicted) {
      return;
    }
    for (const vol of st.pod.spec.volumes ?? []) {
      const limit = vol.emptyDir?.sizeLimit;
      const vs = st.volumes.get(vol.name);
      if (limit === undefined || !vs?.mounted || vs.kind !== 'emptyDir') {
        continue;
      }
      const size = parseQuantity(limit);
      if (size.sign() !== 1) {
        continue;
      }
      const used = await diskUsageBytes(vs.path);
      if (used > size.value()) {
        st.evicted = true;
        this.opts.onEvict?.(st.uid, `Usage of EmptyDir volume "${vol.name}" exceeds the limit "${size.toString()}". `);
        return;
      }
    }
  }
}

async function existsDir(p: string): Promise<boolean> {
  try {
    return (await stat(p)).isDirectory();
  } catch {
    return false;
  }
}
