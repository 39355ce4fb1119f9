import { describe, test } from 'node:test';
import * as assert from 'node:assert/strict';
import { FakeClock } from '../../lib/testing/fake-clock.js';
import { isRuntimeError } from '../runtime.js';
import type { ByteSink, ContainerConfig, ContainerStatus, PodSandboxConfig, ProbeTarget } from '../runtime.js';
import { describeRuntimeConformance, stepFakeClock } from '../testing/conformance.js';
import { containerConfigFor, sandboxConfigFor } from '../testing/runtime-builders.js';
import { SimRuntime } from './sim-runtime.js';
import type { SimRuntimeOptions } from './sim-runtime.js';

const IMAGE = 'docker.io/library/busybox:1.36';

describeRuntimeConformance('sim', async () => {
  const clock = new FakeClock();
  const runtime = new SimRuntime({ clock });
  return {
    runtime,
    clock,
    image: IMAGE,
    logRoot: '/var/lib/podbay/pods',
    reopen: async () => runtime,
    cleanup: async () => {
      for (const s of await runtime.listPodSandboxes()) {
        await runtime.removePodSandbox(s.id);
      }
    },
  };
});

// ---- helpers for the sim-specific behaviours ---------------------------------

interface Sim {
  clock: FakeClock;
  runtime: SimRuntime;
  advance(ms: number): Promise<void>;
  /** Runs a sandbox with `annotations` and returns its id and config. */
  pod(annotations?: Record<string, string>, patch?: Partial<PodSandboxConfig>): Promise<Pod>;
}

interface Pod {
  sandboxId: string;
  config: PodSandboxConfig;
  /** Creates (and by default starts) container `name`, attempt `attempt`. */
  container(
    name: string,
    opts?: { attempt?: number; command?: string[]; start?: boolean; patch?: Partial<ContainerConfig> },
  ): Promise<string>;
}

function newSim(options: Partial<SimRuntimeOptions> = {}): Sim {
  const clock = new FakeClock();
  const runtime = new SimRuntime({ clock, preloadedImages: [IMAGE], ...options });
  const sim: Sim = {
    clock,
    runtime,
    advance: (ms) => stepFakeClock(clock, ms),
    pod: async (annotations = {}, patch = {}) => {
      const config = sandboxConfigFor('pod', { annotations, ...patch });
      const sandboxId = await runtime.runPodSandbox(config);
      return {
        sandboxId,
        config,
        container: async (name, opts = {}) => {
          const attempt = opts.attempt ?? 0;
          const cc = containerConfigFor(name, IMAGE, opts.command ?? [], {
            metadata: { name, attempt },
            logPath: `${name}/${attempt}.log`,
            ...opts.patch,
          });
          const id = await runtime.createContainer(sandboxId, cc, config);
          if (opts.start ?? true) {
            await runtime.startContainer(id);
          }
          return id;
        },
      };
    },
  };
  return sim;
}

async function status(sim: Sim, id: string): Promise<ContainerStatus> {
  return sim.runtime.containerStatus(id);
}

function target(
  sandboxId: string,
  containerId: string,
  containerName: string,
  probeType: ProbeTarget['probeType'],
): ProbeTarget {
  return { podSandboxId: sandboxId, containerId, containerName, probeType };
}

function sink(): ByteSink & { text: () => string; ended: boolean } {
  let text = '';
  const s = {
    ended: false,
    write: (chunk: Uint8Array) => {
      text += new TextDecoder().decode(chunk);
    },
    end: () => {
      s.ended = true;
    },
    text: () => text,
  };
  return s;
}

const P = 'sim.podbay.io/';

// ---- without annotations ---------------------------------------------------------

describe('sim: containers without annotations', () => {
  test('a container with no command runs until stopped and exits 143 on SIGTERM', async () => {
    const sim = newSim();
    const pod = await sim.pod();
    const id = await pod.container('app');
    await sim.advance(3_600_000);
    assert.equal((await status(sim, id)).state, 'CONTAINER_RUNNING');
    await sim.runtime.stopContainer(id, 30);
    const s = await status(sim, id);
    assert.equal(s.exitCode, 143);
    assert.equal(s.reason, 'Error');
    assert.equal(s.finishedAt, sim.clock.now(), 'exits at once on SIGTERM');
  });

  test('a `sleep` as PID 1 ignores SIGTERM and is killed when the grace period ends', async () => {
    const sim = newSim();
    const pod = await sim.pod();
    const id = await pod.container('app', { command: ['sleep', '3600'] });
    const stopping = sim.runtime.stopContainer(id, 30);
    await sim.advance(29_999);
    assert.equal((await status(sim, id)).state, 'CONTAINER_RUNNING');
    await sim.advance(1);
    await stopping;
    assert.equal((await status(sim, id)).exitCode, 137);
  });

  test('with a shared process namespace the same `sleep` is not PID 1 and dies of SIGTERM', async () => {
    const sim = newSim();
    const pod = await sim.pod();
    const id = await pod.container('app', {
      command: ['sleep', '3600'],
      patch: {
        linux: { resources: {}, securityContext: { namespaceOptions: { network: 'POD', pid: 'POD', ipc: 'POD' } } },
      },
    });
    await sim.runtime.stopContainer(id, 30);
    assert.equal((await status(sim, id)).exitCode, 143);
  });

  test('a command is interpreted: output, running time and exit code', async () => {
    const sim = newSim();
    const pod = await sim.pod();
    const id = await pod.container('app', {
      command: ['sh', '-c', 'echo start $HOSTNAME; sleep 5; echo failing >&2; exit 2'],
    });
    await sim.advance(4_999);
    assert.equal((await status(sim, id)).state, 'CONTAINER_RUNNING');
    await sim.advance(1);
    const s = await status(sim, id);
    assert.equal(s.exitCode, 2);
    assert.deepEqual(
      (await sim.runtime.readContainerLog(id)).map((e) => [e.time - s.startedAt!, e.stream, e.content]),
      [
        [0, 'stdout', `start ${pod.config.hostname}`],
        [5000, 'stderr', 'failing'],
      ],
    );
  });

  test('resolves args against the image ENTRYPOINT and CMD as Kubernetes defines', async () => {
    const clock = new FakeClock();
    const runtime = new SimRuntime({
      clock,
      imageConfigs: { 'example.com/tool:v1': { entrypoint: ['sh', '-c'], cmd: ['exit 7'] } },
    });
    await runtime.pullImage({ image: 'example.com/tool:v1' });
    const sc = sandboxConfigFor('p');
    const sandboxId = await runtime.runPodSandbox(sc);
    const run = async (name: string, command: string[], args: string[]): Promise<number> => {
      const id = await runtime.createContainer(
        sandboxId,
        { ...containerConfigFor(name, 'example.com/tool:v1', command), args },
        sc,
      );
      await runtime.startContainer(id);
      await stepFakeClock(clock, 0);
      return (await runtime.containerStatus(id)).exitCode;
    };
    assert.equal(await run('image-default', [], []), 7, 'ENTRYPOINT + CMD');
    assert.equal(await run('args-only', [], ['exit 8']), 8, 'ENTRYPOINT + args');
    assert.equal(await run('command', ['sh', '-c', 'exit 9'], []), 9, 'command replaces both');
  });

  test('pod IPs come from the configured CIDR and return to the pool when the sandbox stops', async () => {
    const sim = newSim({ podCidr: '10.244.1.0/24' });
    const a = await sim.pod();
    const b = await sim.pod();
    assert.equal((await sim.runtime.podSandboxStatus(a.sandboxId)).network.ip, '10.244.1.2');
    assert.equal((await sim.runtime.podSandboxStatus(b.sandboxId)).network.ip, '10.244.1.3');
    assert.equal(sim.runtime.podIpsInUse(), 2);
    await sim.runtime.stopPodSandbox(a.sandboxId);
    assert.equal(sim.runtime.podIpsInUse(), 1);
    await sim.runtime.removePodSandbox(b.sandboxId);
    assert.equal(sim.runtime.podIpsInUse(), 0);
  });

  test('a hostNetwork sandbox gets the node IP and holds no pod IP', async () => {
    const sim = newSim({ nodeIp: '192.168.1.20' });
    const pod = await sim.pod(
      {},
      {
        linux: { securityContext: { namespaceOptions: { network: 'NODE', pid: 'CONTAINER', ipc: 'POD' } } },
      },
    );
    const s = await sim.runtime.podSandboxStatus(pod.sandboxId);
    assert.equal(s.network.ip, '192.168.1.20');
    assert.equal(s.namespaceOptions.network, 'NODE');
    assert.equal(sim.runtime.podIpsInUse(), 0);
  });

  test('creating a container from an image that was never pulled fails with NotFound', async () => {
    const sim = newSim();
    const pod = await sim.pod();
    await assert.rejects(
      sim.runtime.createContainer(pod.sandboxId, containerConfigFor('app', 'example.com/absent:v1'), pod.config),
      (e) => isRuntimeError(e, 'NotFound'),
    );
  });

  test('an image in use cannot be removed; once its containers are gone it can', async () => {
    const sim = newSim();
    const pod = await sim.pod();
    const id = await pod.container('app');
    await assert.rejects(sim.runtime.removeImage({ image: IMAGE }), (e) => isRuntimeError(e, 'FailedPrecondition'));
    await sim.runtime.removeContainer(id);
    await sim.runtime.removeImage({ image: IMAGE });
    await sim.runtime.removeImage({ image: IMAGE });
    assert.equal(await sim.runtime.imageStatus({ image: IMAGE }), undefined);
  });

  test('container status reports the repo digest as imageRef, the list the image id', async () => {
    const sim = newSim();
    const pod = await sim.pod();
    const id = await pod.container('app');
    const image = await sim.runtime.imageStatus({ image: IMAGE });
    assert.match((await status(sim, id)).imageRef, /^docker\.io\/library\/busybox@sha256:[0-9a-f]{64}$/);
    assert.equal((await sim.runtime.listContainers({ id }))[0]?.imageRef, image?.id);
  });

  test('short and fully qualified image references name the same image', async () => {
    const sim = newSim();
    const id = await sim.runtime.pullImage({ image: 'nginx' });
    assert.equal((await sim.runtime.imageStatus({ image: 'docker.io/library/nginx:latest' }))?.id, id);
    assert.deepEqual((await sim.runtime.imageStatus({ image: 'nginx:latest' }))?.repoTags, [
      'docker.io/library/nginx:latest',
    ]);
  });

  test('status() reflects a condition set by the test hook', async () => {
    const sim = newSim();
    sim.runtime.setCondition('NetworkReady', false, 'NetworkPluginNotReady', 'cni config uninitialized');
    const c = (await sim.runtime.status()).conditions.find((x) => x.type === 'NetworkReady');
    assert.deepEqual(c, {
      type: 'NetworkReady',
      status: false,
      reason: 'NetworkPluginNotReady',
      message: 'cni config uninitialized',
    });
  });
});

// ---- annotations ---------------------------------------------------------------

describe('sim: run-seconds and exit-code', () => {
  test('run-seconds makes a container exit 0 after that long', async () => {
    const sim = newSim();
    const pod = await sim.pod({ [`${P}run-seconds.app`]: '5' });
    const id = await pod.container('app');
    await sim.advance(4_999);
    assert.equal((await status(sim, id)).state, 'CONTAINER_RUNNING');
    await sim.advance(1);
    const s = await status(sim, id);
    assert.deepEqual([s.state, s.exitCode, s.reason], ['CONTAINER_EXITED', 0, 'Completed']);
    assert.equal(s.finishedAt! - s.startedAt!, 5_000);
  });

  test('exit-code alone exits at once with that code', async () => {
    const sim = newSim();
    const pod = await sim.pod({ [`${P}exit-code.app`]: '1' });
    const id = await pod.container('app');
    await sim.advance(0);
    const s = await status(sim, id);
    assert.deepEqual([s.exitCode, s.reason, s.finishedAt], [1, 'Error', s.startedAt]);
  });

  test('exit-code overrides the exit code of the command but keeps its running time', async () => {
    const sim = newSim();
    const pod = await sim.pod({ [`${P}exit-code.app`]: '4' });
    const id = await pod.container('app', { command: ['sleep', '2'] });
    await sim.advance(2_000);
    const s = await status(sim, id);
    assert.deepEqual([s.exitCode, s.finishedAt! - s.startedAt!], [4, 2_000]);
  });

  test('per-attempt lists script successive runs; the last entry repeats', async () => {
    const sim = newSim();
    const pod = await sim.pod({ [`${P}exit-code.app`]: '1,1,0', [`${P}run-seconds.app`]: '1, 2' });
    const got: [number, number][] = [];
    for (let attempt = 0; attempt < 4; attempt++) {
      const id = await pod.container('app', { attempt });
      await sim.advance(10_000);
      const s = await status(sim, id);
      got.push([s.exitCode, s.finishedAt! - s.startedAt!]);
    }
    assert.deepEqual(got, [
      [1, 1000],
      [1, 2000],
      [0, 2000],
      [0, 2000],
    ]);
  });
});

describe('sim: stop-seconds and term-exit-code', () => {
  const cases: { name: string; annotations: Record<string, string>; grace: number; want: [number, number] }[] = [
    {
      name: 'a slow shutdown that fits in the grace period exits 143 when done',
      annotations: { 'stop-seconds.app': '5' },
      grace: 10,
      want: [5_000, 143],
    },
    {
      name: 'a slow shutdown longer than the grace period is SIGKILLed: 137',
      annotations: { 'stop-seconds.app': '20' },
      grace: 10,
      want: [10_000, 137],
    },
    {
      name: 'stop-seconds ignore waits for SIGKILL',
      annotations: { 'stop-seconds.app': 'ignore' },
      grace: 3,
      want: [3_000, 137],
    },
    {
      name: 'term-exit-code sets the code of an obeyed SIGTERM',
      annotations: { 'term-exit-code.app': '0' },
      grace: 10,
      want: [0, 0],
    },
    {
      name: 'per attempt: the second instance shuts down slowly',
      annotations: { 'stop-seconds.app': '0,4' },
      grace: 10,
      want: [4_000, 143],
    },
  ];
  for (const c of cases) {
    test(c.name, async () => {
      const sim = newSim();
      const annotations = Object.fromEntries(Object.entries(c.annotations).map(([k, v]) => [P + k, v]));
      const pod = await sim.pod(annotations);
      const attempt = c.name.startsWith('per attempt') ? 1 : 0;
      const id = await pod.container('app', { attempt });
      const t0 = sim.clock.now();
      const stopping = sim.runtime.stopContainer(id, c.grace);
      await sim.advance(60_000);
      await stopping;
      const s = await status(sim, id);
      assert.deepEqual([s.finishedAt! - t0, s.exitCode], c.want);
      assert.equal(s.reason, s.exitCode === 0 ? 'Completed' : 'Error');
    });
  }

  test('a second stop with a shorter timeout brings the SIGKILL forward', async () => {
    const sim = newSim();
    const pod = await sim.pod({ [`${P}stop-seconds.app`]: 'ignore' });
    const id = await pod.container('app');
    const t0 = sim.clock.now();
    const first = sim.runtime.stopContainer(id, 30);
    await sim.advance(1_000);
    const second = sim.runtime.stopContainer(id, 2);
    await sim.advance(2_000);
    await Promise.all([first, second]);
    assert.equal((await status(sim, id)).finishedAt! - t0, 3_000);
  });
});

describe('sim: memory and cpu', () => {
  test('memory above the limit is OOMKilled with exit code 137 when reached', async () => {
    const sim = newSim();
    const pod = await sim.pod({ [`${P}memory.app`]: '300Mi@20s' });
    const id = await pod.container('app', {
      patch: {
        linux: {
          resources: { memoryLimitInBytes: 256 * 2 ** 20 },
          securityContext: { namespaceOptions: { network: 'POD', pid: 'CONTAINER', ipc: 'POD' } },
        },
      },
    });
    await sim.advance(19_999);
    assert.equal((await status(sim, id)).state, 'CONTAINER_RUNNING');
    await sim.advance(1);
    const s = await status(sim, id);
    assert.deepEqual([s.exitCode, s.reason], [137, 'OOMKilled']);
  });

  test('memory under the limit, or with no limit, only shows in the working set', async () => {
    const sim = newSim();
    const pod = await sim.pod({ [`${P}memory.app`]: '300Mi@10s', [`${P}memory.nolimit`]: '8Gi' });
    const id = await pod.container('app', {
      patch: {
        linux: {
          resources: { memoryLimitInBytes: 2 ** 30 },
          securityContext: { namespaceOptions: { network: 'POD', pid: 'CONTAINER', ipc: 'POD' } },
        },
      },
    });
    const free = await pod.container('nolimit');
    assert.equal((await sim.runtime.containerStats(id)).memoryWorkingSetBytes, 2 ** 20, 'baseline before 10s');
    await sim.advance(10_000);
    assert.equal((await sim.runtime.containerStats(id)).memoryWorkingSetBytes, 300 * 2 ** 20);
    assert.equal((await sim.runtime.containerStats(free)).memoryWorkingSetBytes, 8 * 2 ** 30);
    assert.equal((await status(sim, free)).state, 'CONTAINER_RUNNING');
    const pod2 = await sim.runtime.podSandboxStats(pod.sandboxId);
    assert.equal(pod2.memoryWorkingSetBytes, 300 * 2 ** 20 + 8 * 2 ** 30);
  });

  test('cpu accumulates core-nanoseconds while running', async () => {
    const sim = newSim();
    const pod = await sim.pod({ [`${P}cpu.app`]: '250m' });
    const id = await pod.container('app');
    await sim.advance(4_000);
    assert.equal((await sim.runtime.containerStats(id)).cpuUsageCoreNanoSeconds, 1e9, '0.25 cores × 4 s');
    await sim.runtime.stopContainer(id, 0);
    await sim.advance(4_000);
    assert.equal((await sim.runtime.containerStats(id)).cpuUsageCoreNanoSeconds, 1e9, 'stops counting at exit');
    assert.equal((await sim.runtime.containerStats(id)).memoryWorkingSetBytes, 0);
  });
});

describe('sim: probes', () => {
  async function answers(
    annotation: string | undefined,
    at: number[],
    kind: 'http' | 'tcp' | 'grpc' | 'exec' = 'http',
  ): Promise<string[]> {
    const sim = newSim();
    const pod = await sim.pod(annotation === undefined ? {} : { [`${P}probe.app.liveness`]: annotation });
    const id = await pod.container('app');
    const transport = sim.runtime.probeTransport();
    const t = target(pod.sandboxId, id, 'app', 'liveness');
    const out: string[] = [];
    let now = 0;
    for (const ms of at) {
      await sim.advance(ms - now);
      now = ms;
      const call = async (): Promise<string> => {
        if (kind === 'http') {
          const req = { scheme: 'HTTP' as const, host: '10.88.0.2', port: 8080, path: '/healthz', headers: [] };
          return String((await transport.http(t, req, 1000)).statusCode);
        } else if (kind === 'tcp') {
          await transport.tcp(t, '10.88.0.2', 8080, 1000);
          return 'connected';
        } else if (kind === 'grpc') {
          return transport.grpc(t, '10.88.0.2', 9090, '', 1000);
        }
        return String((await transport.exec(t, ['cat', '/tmp/healthy'], 1000)).exitCode);
      };
      const answer = call().catch((e: unknown) => (isRuntimeError(e) ? e.code : 'other'));
      let settled = false;
      void answer.then(() => (settled = true));
      await sim.advance(0);
      if (!settled) {
        // A hanging probe: let its 1 s timeout pass.
        await sim.advance(1000);
        now += 1000;
      }
      out.push(await answer);
    }
    return out;
  }

  test('without an annotation every probe succeeds', async () => {
    assert.deepEqual(await answers(undefined, [0, 100_000]), ['200', '200']);
  });
  test('fail answers HTTP 500 from the start', async () => {
    assert.deepEqual(await answers('fail', [0, 100_000]), ['500', '500']);
  });
  test('ok-after:10s fails until 10 s after the start, then succeeds', async () => {
    assert.deepEqual(await answers('ok-after:10s', [0, 9_999, 10_000]), ['500', '500', '200']);
  });
  test('fail-after:30s succeeds, then fails from 30 s', async () => {
    assert.deepEqual(await answers('fail-after:30s', [0, 29_999, 30_000]), ['200', '200', '500']);
  });
  test('a general timeline switches at each step', async () => {
    assert.deepEqual(await answers('fail;ok@10s;fail@1m', [0, 10_000, 59_000, 60_000]), ['500', '200', '200', '500']);
  });
  test('timeout makes the probe fail with DeadlineExceeded after its timeout', async () => {
    assert.deepEqual(await answers('timeout', [0]), ['DeadlineExceeded']);
  });
  test('tcp probes connect or are refused', async () => {
    assert.deepEqual(await answers('ok-after:5s', [0, 5_000], 'tcp'), ['Unavailable', 'connected']);
  });
  test('grpc probes answer SERVING or NOT_SERVING', async () => {
    assert.deepEqual(await answers('fail-after:5s', [0, 5_000], 'grpc'), ['SERVING', 'NOT_SERVING']);
  });
  test('exec probes exit 0 or 1', async () => {
    assert.deepEqual(await answers('ok-after:5s', [0, 5_000], 'exec'), ['1', '0']);
  });

  test('probe timelines restart with each attempt and take per-attempt lists', async () => {
    const sim = newSim();
    const pod = await sim.pod({ [`${P}probe.app.readiness`]: 'fail-after:5s,ok' });
    const transport = sim.runtime.probeTransport();
    const code = async (id: string): Promise<number> =>
      (
        await transport.http(
          target(pod.sandboxId, id, 'app', 'readiness'),
          { scheme: 'HTTP', host: 'x', port: 1, path: '/', headers: [] },
          1000,
        )
      ).statusCode;
    const first = await pod.container('app');
    await sim.advance(5_000);
    assert.equal(await code(first), 500);
    await sim.runtime.stopContainer(first, 0);
    const second = await pod.container('app', { attempt: 1 });
    await sim.advance(60_000);
    assert.equal(await code(second), 200);
  });

  test('probes of one type do not affect the others', async () => {
    const sim = newSim();
    const pod = await sim.pod({ [`${P}probe.app.startup`]: 'fail' });
    const id = await pod.container('app');
    const transport = sim.runtime.probeTransport();
    await assert.rejects(transport.tcp(target(pod.sandboxId, id, 'app', 'startup'), 'x', 1, 1000));
    await transport.tcp(target(pod.sandboxId, id, 'app', 'liveness'), 'x', 1, 1000);
  });

  test('a container that is not running refuses connections', async () => {
    const sim = newSim();
    const pod = await sim.pod();
    const id = await pod.container('app', { start: false });
    await assert.rejects(
      sim.runtime.probeTransport().tcp(target(pod.sandboxId, id, 'app', 'liveness'), 'x', 1, 1000),
      (e) => isRuntimeError(e, 'Unavailable'),
    );
  });
});

describe('sim: lifecycle hooks', () => {
  test('hook.<c>.preStop: fail fails an httpGet and an exec preStop hook', async () => {
    const sim = newSim();
    const pod = await sim.pod({ [`${P}hook.app.preStop`]: 'fail' });
    const id = await pod.container('app');
    const transport = sim.runtime.probeTransport();
    const t = target(pod.sandboxId, id, 'app', 'preStop');
    const req = { scheme: 'HTTP' as const, host: '10.88.0.2', port: 8080, path: '/shutdown', headers: [] };
    assert.equal((await transport.http(t, req, 30_000)).statusCode, 500);
    assert.equal((await transport.exec(t, ['/bin/drain'], 30_000)).exitCode, 1);
    const postStart = target(pod.sandboxId, id, 'app', 'postStart');
    assert.equal((await transport.http(postStart, req, 30_000)).statusCode, 200, 'other hooks unaffected');
  });

  test('without a hook annotation an exec hook runs like any exec (exec rules, then the sim shell)', async () => {
    const sim = newSim();
    const pod = await sim.pod({ [`${P}exec.app`]: '/bin/register => 2' });
    const id = await pod.container('app');
    const t = target(pod.sandboxId, id, 'app', 'postStart');
    assert.equal((await sim.runtime.probeTransport().exec(t, ['/bin/register'], 1000)).exitCode, 2);
  });
});

describe('sim: image pulls', () => {
  const cases: { name: string; value: string; image: string; want: string | undefined; reason?: string }[] = [
    {
      name: 'image=reason fails that image',
      value: 'example.com/app:v2=manifest unknown',
      image: 'example.com/app:v2',
      want: 'NotFound',
    },
    {
      name: 'image=reason leaves other images alone',
      value: 'example.com/app:v2=manifest unknown',
      image: 'example.com/app:v1',
      want: undefined,
    },
    {
      name: 'short names match their normalised form',
      value: 'busybox=boom',
      image: 'docker.io/library/busybox:latest',
      want: 'Unknown',
    },
    {
      name: '*=reason fails every image',
      value: '*=unauthorized: authentication required',
      image: 'example.com/x:1',
      want: 'Unknown',
    },
    {
      name: 'a bare reason fails every image',
      value: 'toomanyrequests: rate limit',
      image: 'example.com/x:1',
      want: 'Unknown',
    },
    {
      name: 'RegistryUnavailable carries the pull reason',
      value: 'RegistryUnavailable: connection refused',
      image: 'example.com/x:1',
      want: 'Unavailable',
      reason: 'RegistryUnavailable',
    },
  ];
  for (const c of cases) {
    test(`pull-error: ${c.name}`, async () => {
      const sim = newSim();
      const sc = sandboxConfigFor('p', { annotations: { [`${P}pull-error`]: c.value } });
      try {
        const id = await sim.runtime.pullImage({ image: c.image }, undefined, sc);
        assert.equal(c.want, undefined, `pull succeeded with ${id}`);
      } catch (e) {
        assert.ok(isRuntimeError(e));
        assert.equal(e.code, c.want);
        assert.equal(e.pullReason, c.reason);
        assert.ok(c.value.endsWith(e.message), e.message);
        assert.equal(await sim.runtime.imageStatus({ image: c.image }), undefined, 'not present after a failed pull');
      }
    });
  }

  test('pull-seconds makes a pull take that long', async () => {
    const sim = newSim();
    const sc = sandboxConfigFor('p', { annotations: { [`${P}pull-seconds`]: '3' } });
    let done = false;
    const pulling = sim.runtime.pullImage({ image: 'example.com/big:v1' }, undefined, sc).then((id) => {
      done = true;
      return id;
    });
    await sim.advance(2_999);
    assert.equal(done, false);
    await sim.advance(1);
    assert.match(await pulling, /^sha256:/);
  });

  test('without a sandbox config a pull always succeeds', async () => {
    const sim = newSim();
    assert.match(await sim.runtime.pullImage({ image: 'anything/at:all' }), /^sha256:[0-9a-f]{64}$/);
  });
});

describe('sim: create-error and start-error', () => {
  test('create-error fails createContainer with the message', async () => {
    const sim = newSim();
    const pod = await sim.pod({ [`${P}create-error.app`]: 'no such file: /etc/app.conf' });
    await assert.rejects(
      pod.container('app'),
      (e) => isRuntimeError(e, 'Unknown') && e.message === 'no such file: /etc/app.conf',
    );
    assert.deepEqual(await sim.runtime.listContainers({ podSandboxId: pod.sandboxId }), []);
  });

  test('start-error leaves the container EXITED with 128/StartError and fails the start', async () => {
    const sim = newSim();
    const pod = await sim.pod({ [`${P}start-error.app`]: 'exec: "nope": executable file not found in $PATH' });
    const id = await pod.container('app', { start: false });
    await assert.rejects(sim.runtime.startContainer(id), (e) => isRuntimeError(e, 'Unknown'));
    const s = await status(sim, id);
    assert.deepEqual([s.state, s.exitCode, s.reason, s.startedAt], ['CONTAINER_EXITED', 128, 'StartError', undefined]);
    assert.match(s.message, /executable file not found/);
  });
});

describe('sim: logs', () => {
  test('log lines are written at start, at their @time, to stdout or stderr', async () => {
    const sim = newSim();
    const pod = await sim.pod({ [`${P}logs.app`]: 'starting\n@2s stderr: warming up\n@1m ready' });
    const id = await pod.container('app');
    const seen: string[] = [];
    const follower = sim.runtime.followContainerLog(id, {}, (e) => seen.push(`${e.stream}:${e.content}`));
    assert.deepEqual(seen, ['stdout:starting']);
    await sim.advance(2_000);
    assert.deepEqual(seen, ['stdout:starting', 'stderr:warming up']);
    await sim.advance(58_000);
    assert.equal(seen.length, 3);
    const log = await sim.runtime.readContainerLog(id, { sinceTime: sim.clock.now() - 30_000 });
    assert.deepEqual(
      log.map((e) => e.content),
      ['ready'],
    );
    await sim.runtime.stopContainer(id, 0);
    await follower.done;
  });

  test('lines due after the container exited are never written', async () => {
    const sim = newSim();
    const pod = await sim.pod({ [`${P}logs.app`]: 'a\n@10s b', [`${P}run-seconds.app`]: '5' });
    const id = await pod.container('app');
    await sim.advance(20_000);
    assert.deepEqual(
      (await sim.runtime.readContainerLog(id)).map((e) => e.content),
      ['a'],
    );
  });

  test('attach streams new output and resolves with the exit code', async () => {
    const sim = newSim();
    const pod = await sim.pod({
      [`${P}logs.app`]: '@1s tick',
      [`${P}run-seconds.app`]: '2',
      [`${P}exit-code.app`]: '6',
    });
    const id = await pod.container('app');
    const out = sink();
    const session = await sim.runtime.attach(id, { stdin: false, tty: false, stdout: out });
    await sim.advance(2_000);
    assert.equal(await session.exit, 6);
    assert.equal(out.text(), 'tick\n');
    assert.equal(out.ended, true);
  });
});

describe('sim: exec', () => {
  test('exec rules answer matching commands, directly or through sh -c', async () => {
    const sim = newSim();
    const pod = await sim.pod({ [`${P}exec.app`]: 'cat /tmp/healthy => 1\npg_isready => 0 accepting connections' });
    const id = await pod.container('app');
    assert.equal((await sim.runtime.execSync(id, ['cat', '/tmp/healthy'], 1000)).exitCode, 1);
    assert.equal((await sim.runtime.execSync(id, ['sh', '-c', 'cat /tmp/healthy'], 1000)).exitCode, 1);
    assert.deepEqual(await sim.runtime.execSync(id, ['pg_isready'], 1000), {
      stdout: 'accepting connections\n',
      stderr: '',
      exitCode: 0,
    });
  });

  test('unknown commands succeed with no output; known ones are interpreted', async () => {
    const sim = newSim();
    const pod = await sim.pod();
    const id = await pod.container('app');
    assert.deepEqual(await sim.runtime.execSync(id, ['nginx', '-s', 'quit'], 1000), {
      stdout: '',
      stderr: '',
      exitCode: 0,
    });
    assert.equal((await sim.runtime.execSync(id, ['hostname'], 1000)).stdout, `${pod.config.hostname}\n`);
  });

  test('a long exec finishes when the clock reaches its end', async () => {
    const sim = newSim();
    const pod = await sim.pod();
    const id = await pod.container('app');
    let result: number | undefined;
    const p = sim.runtime.execSync(id, ['sh', '-c', 'sleep 3; exit 5'], 10_000).then((r) => (result = r.exitCode));
    await sim.advance(2_999);
    assert.equal(result, undefined);
    await sim.advance(1);
    await p;
    assert.equal(result, 5);
  });

  test('an exec dies with its container (137)', async () => {
    const sim = newSim();
    const pod = await sim.pod();
    const id = await pod.container('app');
    const p = sim.runtime.execSync(id, ['sleep', '100'], 0);
    await sim.runtime.stopContainer(id, 0);
    assert.equal((await p).exitCode, 137);
  });

  test('an interactive sh over stdin runs each line and ends at exit', async () => {
    const sim = newSim();
    const pod = await sim.pod();
    const id = await pod.container('app');
    const out = sink();
    const session = await sim.runtime.exec(id, ['sh'], { stdin: true, tty: true, stdout: out });
    const enc = new TextEncoder();
    session.stdin!.write(enc.encode('echo one\nprintenv HOSTNAME\n'));
    session.stdin!.write(enc.encode('exit 3\n'));
    assert.equal(await session.exit, 3);
    assert.equal(out.text(), `one\n${pod.config.hostname}\n`);
  });

  test('cat echoes stdin until it closes', async () => {
    const sim = newSim();
    const pod = await sim.pod();
    const id = await pod.container('app');
    const out = sink();
    const session = await sim.runtime.exec(id, ['cat'], { stdin: true, tty: false, stdout: out });
    session.stdin!.write(new TextEncoder().encode('ping'));
    session.stdin!.end();
    assert.equal(await session.exit, 0);
    assert.equal(out.text(), 'ping');
  });

  test('closing an exec session kills it (137)', async () => {
    const sim = newSim();
    const pod = await sim.pod();
    const id = await pod.container('app');
    const session = await sim.runtime.exec(id, ['sleep', '100'], { stdin: false, tty: false });
    session.close();
    assert.equal(await session.exit, 137);
  });
});

describe('sim: termination-message', () => {
  test('is reported once the container exited', async () => {
    const sim = newSim();
    const pod = await sim.pod({ [`${P}termination-message.app`]: 'config invalid: port', [`${P}exit-code.app`]: '1' });
    const id = await pod.container('app');
    assert.equal((await status(sim, id)).terminationMessage, undefined);
    await sim.advance(0);
    assert.equal((await status(sim, id)).terminationMessage, 'config invalid: port');
  });

  test('is cut to 4096 bytes', async () => {
    const sim = newSim();
    const pod = await sim.pod({ [`${P}termination-message.app`]: 'x'.repeat(5000), [`${P}exit-code.app`]: '0' });
    const id = await pod.container('app');
    await sim.advance(0);
    assert.equal((await status(sim, id)).terminationMessage?.length, 4096);
  });

  test('is absent when the container has no termination message path', async () => {
    const sim = newSim();
    const pod = await sim.pod({ [`${P}termination-message.app`]: 'bye', [`${P}exit-code.app`]: '0' });
    const id = await pod.container('app', { patch: { terminationMessagePath: undefined } });
    await sim.advance(0);
    assert.equal((await status(sim, id)).terminationMessage, undefined);
  });
});

describe('sim: port-forward', () => {
  test('port.<n>: echo sends bytes back', async () => {
    const sim = newSim();
    const pod = await sim.pod({ [`${P}port.7000`]: 'echo' });
    const back = sink();
    const toPod = await sim.runtime.portForward(pod.sandboxId, 7000, back);
    toPod.write(new TextEncoder().encode('hello'));
    toPod.end();
    assert.equal(back.text(), 'hello');
    assert.equal(back.ended, true);
  });

  test('port.<n>: http answers a request and closes', async () => {
    const sim = newSim();
    const pod = await sim.pod({ [`${P}port.8080`]: 'http:200:<h1>hi</h1>' });
    const back = sink();
    const toPod = await sim.runtime.portForward(pod.sandboxId, 8080, back);
    toPod.write(new TextEncoder().encode('GET / HTTP/1.1\r\nHost: x\r\n\r\n'));
    assert.match(back.text(), /^HTTP\/1.1 200 OK\r\n[\s\S]*Content-Length: 11\r\n[\s\S]*\r\n\r\n<h1>hi<\/h1>$/);
    assert.equal(back.ended, true);
  });

  test('a port without an annotation refuses the connection', async () => {
    const sim = newSim();
    const pod = await sim.pod();
    await assert.rejects(sim.runtime.portForward(pod.sandboxId, 80, sink()), (e) => isRuntimeError(e, 'Unavailable'));
  });
});

describe('sim: annotation errors', () => {
  for (const key of ['sim.podbay.io/exit-codes.app', 'sim.podbay.io/probe.app.ready', 'sim.podbay.io/run-seconds']) {
    test(`an unknown key ${key} fails the sandbox with InvalidArgument`, async () => {
      const sim = newSim();
      await assert.rejects(
        sim.pod({ [key]: '1' }),
        (e) => isRuntimeError(e, 'InvalidArgument') && e.message.includes(key),
      );
    });
  }

  for (const [key, value] of [
    ['run-seconds.app', 'soon'],
    ['exit-code.app', '300'],
    ['memory.app', 'lots'],
    ['probe.app.liveness', 'maybe'],
    ['exec.app', 'no arrow here'],
  ] as const) {
    test(`a bad value ${key}=${value} fails createContainer with InvalidArgument`, async () => {
      const sim = newSim();
      const pod = await sim.pod({ [P + key]: value });
      await assert.rejects(
        pod.container('app'),
        (e) => isRuntimeError(e, 'InvalidArgument') && e.message.includes(P + key),
      );
    });
  }

  test('an unknown key added after the sandbox ran fails the next createContainer', async () => {
    const sim = newSim();
    const pod = await sim.pod();
    const edited = { ...pod.config, annotations: { [`${P}exitcode.app`]: '1' } };
    await assert.rejects(sim.runtime.createContainer(pod.sandboxId, containerConfigFor('app', IMAGE), edited), (e) =>
      isRuntimeError(e, 'InvalidArgument'),
    );
  });

  test('annotations of other containers and other prefixes are left alone', async () => {
    const sim = newSim();
    const pod = await sim.pod({ [`${P}exit-code.other`]: '1', 'example.com/exit-code.app': '1' });
    const id = await pod.container('app');
    await sim.advance(1_000);
    assert.equal((await status(sim, id)).state, 'CONTAINER_RUNNING');
  });
});

describe('sim: scale', () => {
  test('1,000 pods keep at most one pending timer each and all exit on schedule', async () => {
    const sim = newSim();
    const ids: string[] = [];
    for (let i = 0; i < 1_000; i++) {
      const pod = await sim.pod({ [`${P}run-seconds.app`]: String(1 + (i % 10)), [`${P}logs.app`]: 'up' });
      ids.push(await pod.container('app'));
    }
    assert.ok(sim.clock.pendingTimers() <= 1_000, `${sim.clock.pendingTimers()} timers`);
    assert.equal(sim.runtime.podIpsInUse(), 1_000);
    sim.clock.step(10_000);
    const exited = await sim.runtime.listContainers({ state: 'CONTAINER_EXITED' });
    assert.equal(exited.length, 1_000);
    assert.equal(sim.clock.pendingTimers(), 0);
  });
});

test('listing by pod UID label gives that pod sandboxes and containers only, and forgets removed ones', async () => {
  const sim = newSim();
  const uidOf = (p: Pod): string => p.config.labels['io.kubernetes.pod.uid']!;
  const a = await sim.pod();
  const b = await sim.pod();
  const labelled = (p: Pod, name: string) =>
    p.container(name, {
      patch: { labels: { 'io.kubernetes.container.name': name, 'io.kubernetes.pod.uid': uidOf(p) } },
    });
  const a1 = await labelled(a, 'one');
  await labelled(b, 'two');
  const byUid = (p: Pod) => ({ labelSelector: { 'io.kubernetes.pod.uid': uidOf(p) } });
  assert.deepEqual(
    (await sim.runtime.listPodSandboxes(byUid(a))).map((s) => s.id),
    [a.sandboxId],
  );
  assert.deepEqual(
    (await sim.runtime.listContainers(byUid(a))).map((c) => c.id),
    [a1],
  );
  assert.deepEqual(
    await sim.runtime.listContainers({
      labelSelector: { ...byUid(a).labelSelector, 'io.kubernetes.container.name': 'x' },
    }),
    [],
    'every label of the selector still applies',
  );
  await sim.runtime.removePodSandbox(a.sandboxId);
  assert.deepEqual(await sim.runtime.listPodSandboxes(byUid(a)), []);
  assert.deepEqual(await sim.runtime.listContainers(byUid(a)), []);
  assert.equal((await sim.runtime.listContainers(byUid(b))).length, 1);
});
