// The behaviours every Runtime must show, run against SimRuntime (every
// `make test`, fake clock) and OciRuntime (root, real time) — STYLE.md §11
// "Conformance suites, one per seam", after containerd's SnapshotterSuite and
// the CRI validation suite (kubernetes-sigs/cri-tools pkg/validate), from
// which the cases are taken: sandbox lifecycle, container lifecycle, exit
// codes, stop with grace, attempts, logs, exec, filters, idempotence.
//
// Workloads are real busybox shell commands that the sim's shell also
// understands (src/runtime/sim/sim-shell.ts), so the same test means the same
// thing on both runtimes.
//
// Time: a test never sleeps by itself. It calls `advance(ms)`: with a
// FakeClock that steps the clock timer by timer (letting promises settle in
// between); without one it really waits (oci). Budgets are generous for real
// time, and cost nothing on a fake clock.
import { describe, test } from 'node:test';
import * as assert from 'node:assert/strict';
import { RealClock } from '../../lib/clock.js';
import type { FakeClock } from '../../lib/testing/fake-clock.js';
import { isNotFound, isRuntimeError } from '../runtime.js';
import type { ByteSink, ContainerEvent, ContainerStatus, PodSandboxConfig, Runtime } from '../runtime.js';
import { containerConfigFor, sandboxConfigFor } from './runtime-builders.js';

export interface RuntimeUnderTest {
  runtime: Runtime;
  /** An image present or pullable, with busybox's sh, echo, sleep and trap. */
  image: string;
  /** Directory under which sandboxes get their logDirectory. */
  logRoot: string;
  /** The FakeClock driving the runtime, if any; then advance() steps it. */
  clock?: FakeClock;
  /** Overrides how time passes (default: step `clock`, or really wait). */
  advance?: (ms: number) => Promise<void>;
  /**
   * Another Runtime over the same state, as the agent sees it after a
   * restart (oci: a new instance on the same data dir; sim: the same object,
   * since the sim lives as long as the process that hosts the agents).
   */
  reopen: () => Promise<Runtime>;
  /** Removes everything the runtime created (sandboxes, processes, dirs). */
  cleanup(): Promise<void>;
}

/** Runs until SIGTERM, then exits 0 (its trap). */
export const CMD_OBEYS_SIGTERM = ['sh', '-c', "trap 'exit 0' TERM; sleep 3600 & wait"];
/** Runs until SIGKILL. */
export const CMD_IGNORES_SIGTERM = ['sh', '-c', "trap '' TERM; sleep 3600"];
export const CMD_EXIT_3 = ['sh', '-c', 'exit 3'];
export const CMD_ECHO = ['sh', '-c', 'echo hello; echo oops >&2'];
export const CMD_SLEEP_1 = ['sh', '-c', 'sleep 1'];

/** Lets promises chained on fired timers run before the next step. */
export async function settleMicrotasks(): Promise<void> {
  for (let i = 0; i < 3; i++) {
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
}

/**
 * Advances a FakeClock by `ms`, stopping at each due timer and letting
 * promises settle, so work scheduled by a timer's continuation lands at the
 * right time.
 */
export async function stepFakeClock(clock: FakeClock, ms: number): Promise<void> {
  const end = clock.now() + ms;
  await settleMicrotasks();
  for (;;) {
    const next = clock.nextTimerAt();
    if (next === undefined || next > end) {
      break;
    }
    clock.step(Math.max(0, next - clock.now()));
    await settleMicrotasks();
  }
  clock.step(Math.max(0, end - clock.now()));
  await settleMicrotasks();
}

const STEP_MS = 50;

export function describeRuntimeConformance(name: string, makeRuntime: () => Promise<RuntimeUnderTest>): void {
  const realClock = new RealClock();

  async function withRuntime(fn: (h: Harness) => Promise<void>): Promise<void> {
    const under = await makeRuntime();
    const advance =
      under.advance ??
      (under.clock ? (ms: number) => stepFakeClock(under.clock!, ms) : (ms: number) => realClock.sleep(ms));
    const h = new Harness(under, advance);
    try {
      await fn(h);
    } finally {
      await under.cleanup();
    }
  }

  describe(`Runtime conformance: ${name}`, () => {
    test('reports its name and the v1 interface version', () =>
      withRuntime(async (h) => {
        const v = await h.runtime.version();
        assert.equal(v.runtimeApiVersion, 'v1');
        assert.ok(v.runtimeName.length > 0);
        assert.ok(v.runtimeVersion.length > 0);
      }));

    test('reports the runtime and the network ready', () =>
      withRuntime(async (h) => {
        const s = await h.runtime.status();
        for (const type of ['RuntimeReady', 'NetworkReady'] as const) {
          assert.equal(s.conditions.find((c) => c.type === type)?.status, true, type);
        }
      }));

    test('runs a sandbox that is READY and has a pod IP', () =>
      withRuntime(async (h) => {
        const config = h.sandboxConfig('ready');
        const id = await h.runtime.runPodSandbox(config);
        const s = await h.runtime.podSandboxStatus(id);
        assert.equal(s.state, 'SANDBOX_READY');
        assert.match(s.network.ip ?? '', /^\d+\.\d+\.\d+\.\d+$/);
        assert.deepEqual(s.metadata, config.metadata);
        assert.equal(s.labels['io.kubernetes.pod.name'], config.metadata.name);
        assert.ok(s.createdAt > 0);
      }));

    test('gives two sandboxes distinct IPs', () =>
      withRuntime(async (h) => {
        const a = await h.runtime.runPodSandbox(h.sandboxConfig('a'));
        const b = await h.runtime.runPodSandbox(h.sandboxConfig('b'));
        assert.notEqual(a, b);
        const [ipA, ipB] = [
          (await h.runtime.podSandboxStatus(a)).network.ip,
          (await h.runtime.podSandboxStatus(b)).network.ip,
        ];
        assert.notEqual(ipA, ipB);
      }));

    test('refuses a second sandbox with the same metadata while the first exists', () =>
      withRuntime(async (h) => {
        const config = h.sandboxConfig('dup');
        await h.runtime.runPodSandbox(config);
        await assert.rejects(h.runtime.runPodSandbox(config), (e) => isRuntimeError(e, 'AlreadyExists'));
        const next = { ...config, metadata: { ...config.metadata, attempt: 1 } };
        assert.ok(await h.runtime.runPodSandbox(next));
      }));

    test('stops a sandbox to NOTREADY, idempotently', () =>
      withRuntime(async (h) => {
        const id = await h.runtime.runPodSandbox(h.sandboxConfig('stop'));
        await h.runtime.stopPodSandbox(id);
        await h.runtime.stopPodSandbox(id);
        assert.equal((await h.runtime.podSandboxStatus(id)).state, 'SANDBOX_NOTREADY');
      }));

    test('stopping a sandbox kills its running containers', () =>
      withRuntime(async (h) => {
        const { sandboxId, containerId } = await h.runContainer('app', CMD_IGNORES_SIGTERM);
        await h.within(h.runtime.stopPodSandbox(sandboxId), 10_000);
        const s = await h.runtime.containerStatus(containerId);
        assert.equal(s.state, 'CONTAINER_EXITED');
        assert.equal(s.exitCode, 137);
      }));

    test('removes a sandbox and its containers, idempotently', () =>
      withRuntime(async (h) => {
        const { sandboxId, containerId } = await h.runContainer('app', CMD_OBEYS_SIGTERM);
        await h.within(h.runtime.removePodSandbox(sandboxId), 10_000);
        await h.runtime.removePodSandbox(sandboxId);
        await assert.rejects(h.runtime.podSandboxStatus(sandboxId), isNotFound);
        await assert.rejects(h.runtime.containerStatus(containerId), isNotFound);
        assert.deepEqual(await h.runtime.listPodSandboxes({ id: sandboxId }), []);
        assert.deepEqual(await h.runtime.listContainers({ id: containerId }), []);
      }));

    test('answers NotFound for the status of unknown ids', () =>
      withRuntime(async (h) => {
        const unknown = 'f'.repeat(64);
        await assert.rejects(h.runtime.podSandboxStatus(unknown), isNotFound);
        await assert.rejects(h.runtime.containerStatus(unknown), isNotFound);
        await assert.rejects(h.runtime.stopContainer(unknown, 1), isNotFound);
        await assert.rejects(h.runtime.stopPodSandbox(unknown), isNotFound);
        await h.runtime.removeContainer(unknown);
        await h.runtime.removePodSandbox(unknown);
      }));

    test('lists sandboxes by id, state and labels', () =>
      withRuntime(async (h) => {
        const a = await h.runtime.runPodSandbox(h.sandboxConfig('a', { labels: { app: 'web' } }));
        const b = await h.runtime.runPodSandbox(h.sandboxConfig('b', { labels: { app: 'db' } }));
        await h.runtime.stopPodSandbox(b);
        const ids = async (f: Parameters<Runtime['listPodSandboxes']>[0]): Promise<string[]> =>
          (await h.runtime.listPodSandboxes(f)).map((s) => s.id).filter((id) => id === a || id === b);
        assert.deepEqual(await ids({}), [a, b]);
        assert.deepEqual(await ids({ id: b }), [b]);
        assert.deepEqual(await ids({ state: 'SANDBOX_READY' }), [a]);
        assert.deepEqual(await ids({ labelSelector: { app: 'db' } }), [b]);
        assert.deepEqual(await ids({ labelSelector: { app: 'db' }, state: 'SANDBOX_READY' }), []);
      }));

    test('pulls an image and reports its id, tags and config', () =>
      withRuntime(async (h) => {
        const ref = await h.runtime.pullImage({ image: h.image });
        assert.match(ref, /^sha256:[0-9a-f]{64}$/);
        const img = await h.runtime.imageStatus({ image: h.image });
        assert.equal(img?.id, ref);
        assert.ok(img.repoTags.length + img.repoDigests.length > 0);
        assert.equal((await h.runtime.imageStatus({ image: ref }))?.id, ref, 'image status by id');
        assert.ok((await h.runtime.listImages()).some((i) => i.id === ref));
        assert.equal(await h.runtime.imageStatus({ image: 'localhost/podbay-conformance-absent:v0' }), undefined);
      }));

    test('creates a container in CREATED state with the status fields the agent reads', () =>
      withRuntime(async (h) => {
        const imageRef = await h.runtime.pullImage({ image: h.image });
        const sc = h.sandboxConfig('created');
        const sandboxId = await h.runtime.runPodSandbox(sc);
        const cc = containerConfigFor('app', h.image, CMD_OBEYS_SIGTERM, {
          labels: { 'io.kubernetes.container.name': 'app', tier: 'x' },
          annotations: { 'io.kubernetes.container.restartCount': '0' },
        });
        const id = await h.runtime.createContainer(sandboxId, cc, sc);
        const s = await h.runtime.containerStatus(id);
        assert.equal(s.state, 'CONTAINER_CREATED');
        assert.equal(s.id, id);
        assert.equal(s.podSandboxId, sandboxId);
        assert.deepEqual(s.metadata, { name: 'app', attempt: 0 });
        const image = await h.runtime.imageStatus({ image: imageRef });
        assert.ok(
          s.imageRef === imageRef || image?.repoDigests.includes(s.imageRef),
          `status imageRef ${s.imageRef} is the image's id or a repo digest of it`,
        );
        assert.equal((await h.runtime.listContainers({ id }))[0]?.imageRef, imageRef, 'list shows the image id');
        assert.equal(s.labels.tier, 'x');
        assert.equal(s.annotations['io.kubernetes.container.restartCount'], '0');
        assert.equal(s.logPath, `${sc.logDirectory}/app/0.log`);
        assert.equal(s.startedAt, undefined);
        assert.ok(s.createdAt > 0);
      }));

    test('starts a container to RUNNING and refuses to start it twice', () =>
      withRuntime(async (h) => {
        const { containerId } = await h.runContainer('app', CMD_OBEYS_SIGTERM);
        const s = await h.runtime.containerStatus(containerId);
        assert.equal(s.state, 'CONTAINER_RUNNING');
        assert.ok(s.startedAt !== undefined && s.startedAt >= s.createdAt);
        await assert.rejects(h.runtime.startContainer(containerId), (e) => isRuntimeError(e, 'FailedPrecondition'));
      }));

    test('records a non-zero exit code with reason Error', () =>
      withRuntime(async (h) => {
        const { containerId } = await h.runContainer('app', CMD_EXIT_3);
        const s = await h.waitExited(containerId);
        assert.equal(s.exitCode, 3);
        assert.equal(s.reason, 'Error');
        assert.ok(s.finishedAt !== undefined && s.finishedAt >= s.startedAt!);
      }));

    test('records exit code 0 with reason Completed after the command ran its time', () =>
      withRuntime(async (h) => {
        const { containerId } = await h.runContainer('app', CMD_SLEEP_1);
        await h.advance(500);
        assert.equal((await h.runtime.containerStatus(containerId)).state, 'CONTAINER_RUNNING');
        const s = await h.waitExited(containerId);
        assert.equal(s.exitCode, 0);
        assert.equal(s.reason, 'Completed');
        assert.ok(s.finishedAt! - s.startedAt! >= 1000);
      }));

    test('stop sends SIGTERM first: a container that handles it exits with its own code', () =>
      withRuntime(async (h) => {
        const { containerId } = await h.runContainer('app', CMD_OBEYS_SIGTERM);
        await h.advance(200);
        await h.within(h.runtime.stopContainer(containerId, 30), 10_000);
        const s = await h.runtime.containerStatus(containerId);
        assert.equal(s.state, 'CONTAINER_EXITED');
        assert.equal(s.exitCode, 0);
        assert.ok(s.finishedAt! - s.startedAt! < 30_000, 'exited before the grace period ended');
      }));

    test('stop sends SIGKILL when the grace period ends: exit code 137', () =>
      withRuntime(async (h) => {
        const { containerId } = await h.runContainer('app', CMD_IGNORES_SIGTERM);
        await h.advance(200);
        const stopping = h.runtime.stopContainer(containerId, 3);
        await h.advance(1500);
        assert.equal((await h.runtime.containerStatus(containerId)).state, 'CONTAINER_RUNNING', 'SIGTERM is ignored');
        await h.within(stopping, 10_000);
        const s = await h.runtime.containerStatus(containerId);
        assert.equal(s.state, 'CONTAINER_EXITED');
        assert.equal(s.exitCode, 137);
        assert.equal(s.reason, 'Error');
        assert.ok(s.finishedAt! - s.startedAt! >= 3000);
      }));

    test('concurrent stops resolve together on the same exit; the shorter timeout wins', () =>
      withRuntime(async (h) => {
        const { containerId } = await h.runContainer('app', CMD_IGNORES_SIGTERM);
        await h.advance(200);
        const long = h.runtime.stopContainer(containerId, 60);
        await h.advance(200);
        const short = h.runtime.stopContainer(containerId, 2);
        await h.within(Promise.all([long, short]), 10_000);
        const s = await h.runtime.containerStatus(containerId);
        assert.equal(s.exitCode, 137);
        assert.ok(s.finishedAt! - s.startedAt! < 30_000, 'killed at the 2 s deadline, not the 60 s one');
      }));

    test('stop with timeout 0 kills at once', () =>
      withRuntime(async (h) => {
        const { containerId } = await h.runContainer('app', CMD_IGNORES_SIGTERM);
        await h.within(h.runtime.stopContainer(containerId, 0), 5_000);
        assert.equal((await h.runtime.containerStatus(containerId)).exitCode, 137);
      }));

    test('stop is idempotent on exited and never-started containers', () =>
      withRuntime(async (h) => {
        const { containerId } = await h.runContainer('app', CMD_EXIT_3);
        await h.waitExited(containerId);
        await h.runtime.stopContainer(containerId, 10);
        await h.runtime.stopContainer(containerId, 10);
        assert.equal((await h.runtime.containerStatus(containerId)).exitCode, 3);
        const created = await h.createContainer('idle', CMD_OBEYS_SIGTERM);
        await h.runtime.stopContainer(created.containerId, 10);
        assert.equal((await h.runtime.containerStatus(created.containerId)).state, 'CONTAINER_CREATED');
      }));

    test('removes containers, running or not, idempotently', () =>
      withRuntime(async (h) => {
        const { containerId } = await h.runContainer('app', CMD_IGNORES_SIGTERM);
        await h.within(h.runtime.removeContainer(containerId), 10_000);
        await h.runtime.removeContainer(containerId);
        await assert.rejects(h.runtime.containerStatus(containerId), isNotFound);
        await assert.rejects(h.runtime.readContainerLog(containerId), isNotFound);
      }));

    test('gives each restart attempt its own id and log path, and reserves name+attempt', () =>
      withRuntime(async (h) => {
        const first = await h.runContainer('app', CMD_EXIT_3);
        await h.waitExited(first.containerId);
        const cc1 = containerConfigFor('app', h.image, CMD_EXIT_3, {
          metadata: { name: 'app', attempt: 1 },
          logPath: 'app/1.log',
        });
        const second = await h.runtime.createContainer(first.sandboxId, cc1, first.sandboxConfig);
        assert.notEqual(second, first.containerId);
        const [s0, s1] = [await h.runtime.containerStatus(first.containerId), await h.runtime.containerStatus(second)];
        assert.equal(s0.logPath, `${first.sandboxConfig.logDirectory}/app/0.log`);
        assert.equal(s1.logPath, `${first.sandboxConfig.logDirectory}/app/1.log`);
        assert.equal(s1.metadata.attempt, 1);
        await assert.rejects(h.runtime.createContainer(first.sandboxId, cc1, first.sandboxConfig), (e) =>
          isRuntimeError(e, 'AlreadyExists'),
        );
        await h.runtime.removeContainer(second);
        assert.ok(await h.runtime.createContainer(first.sandboxId, cc1, first.sandboxConfig), 'name free again');
      }));

    test('refuses to create a container in a stopped sandbox', () =>
      withRuntime(async (h) => {
        await h.runtime.pullImage({ image: h.image });
        const sc = h.sandboxConfig('stopped');
        const sandboxId = await h.runtime.runPodSandbox(sc);
        await h.runtime.stopPodSandbox(sandboxId);
        await assert.rejects(
          h.runtime.createContainer(sandboxId, containerConfigFor('app', h.image, CMD_EXIT_3), sc),
          (e) => isRuntimeError(e, 'FailedPrecondition'),
        );
      }));

    test('writes stdout and stderr to the container log, per attempt', () =>
      withRuntime(async (h) => {
        const { containerId } = await h.runContainer('app', CMD_ECHO);
        await h.waitExited(containerId);
        const log = await h.runtime.readContainerLog(containerId);
        assert.deepEqual(
          log.map((e) => [e.stream, e.content, e.partial]),
          [
            ['stdout', 'hello', false],
            ['stderr', 'oops', false],
          ],
        );
        assert.deepEqual(
          (await h.runtime.readContainerLog(containerId, { tailLines: 1 })).map((e) => e.content),
          ['oops'],
        );
      }));

    test('follows a log until the container exits', () =>
      withRuntime(async (h) => {
        const { containerId } = await h.runContainer('app', ['sh', '-c', 'echo one; sleep 1; echo two']);
        const seen: string[] = [];
        const follower = h.runtime.followContainerLog(containerId, {}, (e) => seen.push(e.content));
        await h.within(follower.done, 10_000);
        assert.deepEqual(seen, ['one', 'two']);
      }));

    test('execSync returns output and any exit code', () =>
      withRuntime(async (h) => {
        const { containerId } = await h.runContainer('app', CMD_OBEYS_SIGTERM);
        assert.deepEqual(await h.within(h.runtime.execSync(containerId, ['sh', '-c', 'exit 3'], 5000), 10_000), {
          stdout: '',
          stderr: '',
          exitCode: 3,
        });
        const r = await h.within(h.runtime.execSync(containerId, ['echo', 'hi'], 5000), 10_000);
        assert.equal(r.stdout, 'hi\n');
        assert.equal(r.exitCode, 0);
        assert.equal((await h.within(h.runtime.execSync(containerId, ['false'], 5000), 10_000)).exitCode, 1);
      }));

    test('execSync times out with DeadlineExceeded', () =>
      withRuntime(async (h) => {
        const { containerId } = await h.runContainer('app', CMD_OBEYS_SIGTERM);
        await assert.rejects(h.within(h.runtime.execSync(containerId, ['sleep', '30'], 1000), 10_000), (e) =>
          isRuntimeError(e, 'DeadlineExceeded'),
        );
      }));

    test('execSync refuses a container that is not running', () =>
      withRuntime(async (h) => {
        const { containerId } = await h.runContainer('app', CMD_EXIT_3);
        await h.waitExited(containerId);
        await assert.rejects(h.runtime.execSync(containerId, ['true'], 1000), (e) =>
          isRuntimeError(e, 'FailedPrecondition'),
        );
      }));

    test('streams an exec’s output and exit code', () =>
      withRuntime(async (h) => {
        const { containerId } = await h.runContainer('app', CMD_OBEYS_SIGTERM);
        const out = collectingSink();
        const session = await h.runtime.exec(containerId, ['sh', '-c', 'echo streamed; exit 4'], {
          stdin: false,
          tty: false,
          stdout: out,
        });
        assert.equal(await h.within(session.exit, 10_000), 4);
        assert.equal(out.text(), 'streamed\n');
        assert.equal(out.ended, true);
      }));

    test('lists containers by sandbox, state, id and labels', () =>
      withRuntime(async (h) => {
        const a = await h.runContainer('a', CMD_OBEYS_SIGTERM, {
          labels: { 'io.kubernetes.container.name': 'a', role: 'x' },
        });
        const b = await h.runContainer('b', CMD_EXIT_3);
        await h.waitExited(b.containerId);
        const ids = async (f: Parameters<Runtime['listContainers']>[0]): Promise<string[]> =>
          (await h.runtime.listContainers(f))
            .map((c) => c.id)
            .filter((id) => id === a.containerId || id === b.containerId);
        assert.deepEqual(await ids({}), [a.containerId, b.containerId]);
        assert.deepEqual(await ids({ podSandboxId: b.sandboxId }), [b.containerId]);
        assert.deepEqual(await ids({ state: 'CONTAINER_RUNNING' }), [a.containerId]);
        assert.deepEqual(await ids({ state: 'CONTAINER_EXITED' }), [b.containerId]);
        assert.deepEqual(await ids({ id: b.containerId }), [b.containerId]);
        assert.deepEqual(await ids({ labelSelector: { role: 'x' } }), [a.containerId]);
        const listed = (await h.runtime.listContainers({ id: a.containerId }))[0]!;
        assert.equal(listed.podSandboxId, a.sandboxId);
        assert.deepEqual(listed.metadata, { name: 'a', attempt: 0 });
      }));

    test('delivers container lifecycle events in order', () =>
      withRuntime(async (h) => {
        const events: ContainerEvent[] = [];
        const unsubscribe = h.runtime.watchContainerEvents((e) => events.push(e));
        const { containerId, sandboxId } = await h.runContainer('app', CMD_EXIT_3);
        await h.waitExited(containerId);
        await h.runtime.removeContainer(containerId);
        unsubscribe();
        await h.runtime.removePodSandbox(sandboxId);
        assert.deepEqual(
          events.filter((e) => e.containerId === containerId).map((e) => e.type),
          ['CONTAINER_CREATED_EVENT', 'CONTAINER_STARTED_EVENT', 'CONTAINER_STOPPED_EVENT', 'CONTAINER_DELETED_EVENT'],
        );
        assert.ok(events.every((e) => e.podSandboxId === sandboxId));
        assert.ok(
          !events.some((e) => e.type === 'CONTAINER_DELETED_EVENT' && e.containerId === sandboxId),
          'unsubscribed',
        );
      }));

    test('reports usage stats for a container and its sandbox', () =>
      withRuntime(async (h) => {
        const { containerId, sandboxId } = await h.runContainer('app', CMD_OBEYS_SIGTERM);
        await h.advance(500);
        const s = await h.runtime.containerStats(containerId);
        assert.equal(s.containerId, containerId);
        assert.ok(s.cpuUsageCoreNanoSeconds >= 0);
        assert.ok(s.memoryWorkingSetBytes > 0);
        const p = await h.runtime.podSandboxStats(sandboxId);
        assert.equal(p.podSandboxId, sandboxId);
        assert.deepEqual(
          p.containers.map((c) => c.containerId),
          [containerId],
        );
        await assert.rejects(h.runtime.containerStats('f'.repeat(64)), isNotFound);
      }));

    test('keeps containers running across a reopen of the runtime (agent restart)', () =>
      withRuntime(async (h) => {
        const { containerId } = await h.runContainer('app', CMD_OBEYS_SIGTERM);
        const again = await h.under.reopen();
        const s = await again.containerStatus(containerId);
        assert.equal(s.state, 'CONTAINER_RUNNING');
        assert.deepEqual(s.metadata, { name: 'app', attempt: 0 });
      }));
  });
}

/** Test-side view of a RuntimeUnderTest with the helpers the cases share. */
class Harness {
  readonly runtime: Runtime;
  private seq = 0;
  constructor(
    readonly under: RuntimeUnderTest,
    readonly advance: (ms: number) => Promise<void>,
  ) {
    this.runtime = under.runtime;
  }

  get image(): string {
    return this.under.image;
  }

  sandboxConfig(name: string, patch: Partial<PodSandboxConfig> = {}): PodSandboxConfig {
    return sandboxConfigFor(`${name}-${++this.seq}`, { logRoot: this.under.logRoot, ...patch });
  }

  async createContainer(
    name: string,
    command: string[],
    patch: Parameters<typeof containerConfigFor>[3] = {},
  ): Promise<{ sandboxId: string; containerId: string; sandboxConfig: PodSandboxConfig }> {
    await this.runtime.pullImage({ image: this.image });
    const sandboxConfig = this.sandboxConfig(name);
    const sandboxId = await this.runtime.runPodSandbox(sandboxConfig);
    const containerId = await this.runtime.createContainer(
      sandboxId,
      containerConfigFor(name, this.image, command, patch),
      sandboxConfig,
    );
    return { sandboxId, containerId, sandboxConfig };
  }

  async runContainer(
    name: string,
    command: string[],
    patch: Parameters<typeof containerConfigFor>[3] = {},
  ): Promise<{ sandboxId: string; containerId: string; sandboxConfig: PodSandboxConfig }> {
    const created = await this.createContainer(name, command, patch);
    await this.runtime.startContainer(created.containerId);
    return created;
  }

  /** Lets time pass until `p` settles, at most budgetMs; then returns its outcome. */
  async within<T>(p: Promise<T>, budgetMs: number): Promise<T> {
    let settled = false;
    p.then(
      () => (settled = true),
      () => (settled = true),
    );
    await settleMicrotasks();
    for (let spent = 0; !settled && spent < budgetMs; spent += STEP_MS) {
      await this.advance(STEP_MS);
    }
    if (!settled) {
      assert.fail(`still pending after ${budgetMs}ms`);
    }
    return p;
  }

  /** Lets time pass until the container has EXITED (at most 10 s). */
  async waitExited(containerId: string, budgetMs = 10_000): Promise<ContainerStatus> {
    for (let spent = 0; spent <= budgetMs; spent += STEP_MS) {
      const s = await this.runtime.containerStatus(containerId);
      if (s.state === 'CONTAINER_EXITED') {
        return s;
      }
      await this.advance(STEP_MS);
    }
    return assert.fail(`container ${containerId} did not exit within ${budgetMs}ms`);
  }
}

function collectingSink(): ByteSink & { text(): string; ended: boolean } {
  const chunks: Uint8Array[] = [];
  const sink = {
    ended: false,
    write: (chunk: Uint8Array) => {
      chunks.push(chunk.slice());
    },
    end: () => {
      sink.ended = true;
    },
    text: () => chunks.map((c) => new TextDecoder().decode(c)).join(''),
  };
  return sink;
}
