import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import type { Container, ObjectReference, Pod, Probe } from '../../api/types/index.js';
import { FakeClock } from '../../lib/testing/fake-clock.js';
import { RuntimeError } from '../../runtime/runtime.js';
import type { ProbeType } from '../../runtime/runtime.js';
import { FakeProbeTransport } from '../../runtime/testing/fake-runtime.js';
import type { ProbeResult } from './probe-outcome.js';
import { ProberManager } from './prober-manager.js';

const UID = 'pod-uid';
const exec: Probe = { exec: { command: ['check'] } };

interface Harness {
  clock: FakeClock;
  probes: FakeProbeTransport;
  prober: ProberManager;
  events: { reason: string; message: string; fieldPath?: string }[];
  results: [string, ProbeType, ProbeResult][];
  /** Steps the clock by ms, one second at a time, settling probes in between. */
  step(ms: number): Promise<void>;
  calls(t: ProbeType): number;
}

function podWith(c: Partial<Container>, spec: Partial<Pod['spec']> = {}): Pod {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'web', namespace: 'default', uid: UID },
    spec: { containers: [{ name: 'app', image: 'busybox', ...c }], ...spec },
  };
}

/** A prober that started long ago (no jitter) unless `fresh`. */
function harness(opts: { fresh?: boolean; random?: () => number } = {}): Harness {
  const clock = new FakeClock();
  const probes = new FakeProbeTransport();
  const events: Harness['events'] = [];
  const results: Harness['results'] = [];
  const prober = new ProberManager({
    runtime: { probeTransport: () => probes },
    clock,
    recorder: {
      event(t: Pod | ObjectReference, _type: string, reason: string, message: string) {
        events.push({ reason, message, fieldPath: (t as ObjectReference).fieldPath });
      },
    },
    onResult: (_uid, name, t, r) => results.push([name, t, r]),
    random: opts.random ?? (() => 0.5),
  });
  if (!opts.fresh) {
    clock.step(3_600_000);
  }
  const h: Harness = {
    clock,
    probes,
    prober,
    events,
    results,
    async step(ms) {
      for (let left = ms; left > 0; left -= 1000) {
        clock.step(Math.min(1000, left));
        await prober.settle();
      }
    },
    calls: (t) => probes.calls.filter((c) => c.target.probeType === t).length,
  };
  return h;
}

async function started(h: Harness, pod: Pod, id = 'c1'): Promise<void> {
  h.prober.addPod(pod, new Map(), { id: 'sandbox', podIP: '10.88.0.5' });
  h.prober.containerStarted(UID, 'app', id, h.clock.now());
  await h.prober.settle();
}

test('a container without probes is started and ready as soon as it runs, and not before', async () => {
  const h = harness();
  h.prober.addPod(podWith({}));
  assert.equal(h.prober.isReady(UID, 'app'), false);
  h.prober.containerStarted(UID, 'app', 'c1', h.clock.now());
  assert.deepEqual([h.prober.isStarted(UID, 'app'), h.prober.isReady(UID, 'app')], [true, true]);
  assert.equal(h.prober.workerCount(), 0);
  h.prober.containerStopped(UID, 'app');
  assert.deepEqual([h.prober.isStarted(UID, 'app'), h.prober.isReady(UID, 'app')], [false, false]);
});

test('readiness starts as not ready and turns ready on the first success, probed at once on start', async () => {
  const h = harness();
  h.prober.addPod(podWith({ readinessProbe: exec }), new Map(), { id: 's', podIP: '10.88.0.5' });
  await h.prober.settle();
  h.prober.containerStarted(UID, 'app', 'c1', h.clock.now());
  assert.equal(h.prober.isReady(UID, 'app'), false);
  await h.prober.settle();
  assert.equal(h.prober.isReady(UID, 'app'), true);
  assert.deepEqual(h.results, [
    ['app', 'readiness', 'failure'],
    ['app', 'readiness', 'success'],
  ]);
});

const thresholdCases: {
  name: string;
  probe: Probe;
  type: ProbeType;
  answers: boolean[];
  want: (h: Harness) => boolean;
  wantAfter: number[];
}[] = [
  {
    name: 'liveness fails only after failureThreshold (default 3) failures in a row',
    probe: exec,
    type: 'liveness',
    answers: [false, false, false],
    want: (h) => h.prober.livenessFailed(UID, 'app'),
    wantAfter: [0, 0, 0, 1],
  },
  {
    name: 'a success in between restarts the failure count',
    probe: exec,
    type: 'liveness',
    answers: [false, false, true, false, false, false],
    want: (h) => h.prober.livenessFailed(UID, 'app'),
    wantAfter: [0, 0, 0, 0, 0, 0, 1],
  },
  {
    name: 'failureThreshold 1 fails at the first failure',
    probe: { ...exec, failureThreshold: 1 },
    type: 'liveness',
    answers: [false],
    want: (h) => h.prober.livenessFailed(UID, 'app'),
    wantAfter: [0, 1],
  },
  {
    name: 'readiness needs successThreshold successes in a row',
    probe: { ...exec, successThreshold: 3 },
    type: 'readiness',
    answers: [true, true, true],
    want: (h) => h.prober.isReady(UID, 'app'),
    wantAfter: [0, 0, 0, 1],
  },
  {
    name: 'readiness drops after failureThreshold failures and comes back at the next success',
    probe: { ...exec, failureThreshold: 2 },
    type: 'readiness',
    answers: [true, false, false, true],
    want: (h) => h.prober.isReady(UID, 'app'),
    wantAfter: [0, 1, 1, 0, 1],
  },
];
for (const c of thresholdCases) {
  test(`thresholds: ${c.name}`, async () => {
    const h = harness();
    const key = c.type === 'liveness' ? 'livenessProbe' : 'readinessProbe';
    h.prober.addPod(podWith({ [key]: c.probe }), new Map(), { id: 's', podIP: '10.88.0.5' });
    await h.prober.settle();
    const seen: number[] = [c.want(h) ? 1 : 0];
    // readiness is probed once at start (answering the first value); liveness waits for its tick
    h.probes.setResult('app', c.type, c.answers[0]!);
    h.prober.containerStarted(UID, 'app', 'c1', h.clock.now());
    await h.prober.settle();
    for (const [i, answer] of c.answers.entries()) {
      h.probes.setResult('app', c.type, answer);
      while (h.calls(c.type) <= i) {
        await h.step(1000);
      }
      seen.push(c.want(h) ? 1 : 0);
    }
    assert.deepEqual(seen, c.wantAfter);
  });
}

test('every failing attempt records Unhealthy on the container; the kill is described for the pod worker', async () => {
  const h = harness();
  const pod = podWith({ livenessProbe: exec }, { terminationGracePeriodSeconds: 45 });
  h.probes.setResult('app', 'liveness', false);
  await started(h, pod);
  await h.step(30_000);
  assert.equal(h.prober.livenessFailed(UID, 'app'), true);
  assert.deepEqual(
    h.events.map((e) => [e.reason, e.message, e.fieldPath]),
    Array(3).fill(['Unhealthy', 'Liveness probe failed: ', 'spec.containers{app}']),
  );
  assert.deepEqual(h.prober.livenessKill(UID, 'app'), {
    probeType: 'liveness',
    message: 'Container app failed liveness probe, will be restarted',
    gracePeriodSeconds: 45,
  });
});

test('after a committed liveness failure the worker holds until a new container id, which starts as healthy', async () => {
  const h = harness();
  h.probes.setResult('app', 'liveness', false);
  await started(h, podWith({ livenessProbe: { ...exec, failureThreshold: 1 } }));
  await h.step(10_000);
  assert.equal(h.prober.livenessFailed(UID, 'app'), true);
  const calls = h.calls('liveness');
  await h.step(60_000);
  assert.equal(h.calls('liveness'), calls, 'no probes while on hold');
  h.probes.setResult('app', 'liveness', true);
  h.prober.containerStarted(UID, 'app', 'c2', h.clock.now());
  assert.equal(h.prober.livenessFailed(UID, 'app'), false);
  await h.step(10_000);
  assert.equal(h.calls('liveness'), calls + 1);
  assert.equal(h.prober.livenessFailed(UID, 'app'), false);
});

test('periodSeconds spaces the probes (at 0, p, 2p … 60 s); the default period is 10 s', async () => {
  for (const [periodSeconds, want] of [
    [undefined, 7],
    [5, 13],
    [30, 3],
  ] as const) {
    const h = harness();
    await started(h, podWith({ livenessProbe: { ...exec, ...(periodSeconds ? { periodSeconds } : {}) } }));
    await h.step(60_000);
    assert.equal(h.calls('liveness'), want, `period ${periodSeconds}`);
  }
});

test('nothing is probed before initialDelaySeconds, counted in whole seconds from startedAt', async () => {
  const h = harness();
  h.prober.addPod(podWith({ livenessProbe: { ...exec, initialDelaySeconds: 25 } }));
  await h.step(5_000); // ticks at 0, 10, 20, 30 … relative to addPod
  h.prober.containerStarted(UID, 'app', 'c1', h.clock.now()); // started at +5 s
  await h.step(24_000); // ticks at +10 (5 s old) and +20 (15 s old)
  assert.equal(h.calls('liveness'), 0);
  await h.step(1_000); // tick at +30: 25 s old
  assert.equal(h.calls('liveness'), 1);
});

test('the startup probe gates liveness and readiness, then idles once it succeeded', async () => {
  const h = harness();
  h.probes.setResult('app', 'startup', false);
  await started(
    h,
    podWith({ startupProbe: { ...exec, failureThreshold: 30 }, livenessProbe: exec, readinessProbe: exec }),
  );
  assert.equal(h.prober.startupResult(UID, 'app'), undefined, 'unknown until decided');
  await h.step(30_000);
  assert.equal(h.calls('liveness') + h.calls('readiness'), 0);
  assert.deepEqual([h.prober.isStarted(UID, 'app'), h.prober.isReady(UID, 'app')], [false, false]);
  const startupCalls = h.calls('startup');
  assert.ok(startupCalls >= 3);
  h.probes.setResult('app', 'startup', true);
  await h.step(10_000);
  assert.equal(h.prober.isStarted(UID, 'app'), true);
  assert.equal(h.prober.startupResult(UID, 'app'), 'success');
  await h.step(30_000);
  assert.equal(h.calls('startup'), startupCalls + 1, 'startup stops probing once started');
  assert.ok(h.calls('liveness') >= 2 && h.calls('readiness') >= 2);
  assert.equal(h.prober.isReady(UID, 'app'), true);
});

test('a startup probe that reaches failureThreshold asks for a kill with the startup message', async () => {
  const h = harness();
  h.probes.setResult('app', 'startup', false);
  await started(h, podWith({ startupProbe: { ...exec, failureThreshold: 2 } }, { restartPolicy: 'Never' }));
  await h.step(20_000);
  assert.equal(h.prober.startupResult(UID, 'app'), 'failure');
  assert.equal(h.prober.livenessFailed(UID, 'app'), false, 'livenessFailed is about the liveness probe only');
  assert.deepEqual(h.prober.livenessKill(UID, 'app'), {
    probeType: 'startup',
    message: 'Container app failed startup probe',
    gracePeriodSeconds: 30,
  });
  assert.deepEqual(
    h.events.map((e) => e.message),
    ['Startup probe failed: ', 'Startup probe failed: '],
  );
});

test('a probe that times out counts as a failure', async () => {
  const h = harness();
  h.probes.setResult('app', 'liveness', new RuntimeError('DeadlineExceeded', 'deadline'));
  await started(h, podWith({ livenessProbe: { ...exec, failureThreshold: 1 } }));
  await h.step(10_000);
  assert.equal(h.prober.livenessFailed(UID, 'app'), true);
  assert.deepEqual(h.events[0]?.message, 'Liveness probe failed: command "check" timed out');
});

test('a probe error is retried three times, reported as unknown state and leaves the result unchanged', async () => {
  const h = harness();
  await started(h, podWith({ readinessProbe: { httpGet: { port: 'metrics' }, failureThreshold: 1 } }));
  assert.equal(h.prober.isReady(UID, 'app'), false);
  await h.step(20_000);
  assert.equal(h.prober.isReady(UID, 'app'), false);
  assert.deepEqual(h.results, [['app', 'readiness', 'failure']]);
  assert.equal(
    h.events[0]?.message,
    'Readiness probe errored and resulted in unknown state: strconv.Atoi: parsing "metrics": invalid syntax',
  );
});

test('liveness and startup stop with success once the pod is being deleted; readiness keeps probing', async () => {
  const h = harness();
  const pod = podWith({ livenessProbe: exec, readinessProbe: exec });
  await started(h, pod);
  await h.step(10_000);
  h.probes.setResult('app', 'liveness', false);
  h.prober.addPod({ ...pod, metadata: { ...pod.metadata, deletionTimestamp: '2026-01-01T02:00:00Z' } });
  const readiness = h.calls('readiness');
  await h.step(60_000);
  assert.equal(h.prober.livenessFailed(UID, 'app'), false);
  assert.equal(h.events.length, 0);
  assert.equal(h.prober.workerCount(), 1);
  assert.equal(h.calls('readiness'), readiness + 6);
});

test('stopLivenessAndStartup ends those workers and their results', async () => {
  const h = harness();
  h.probes.setResult('app', 'liveness', false);
  await started(h, podWith({ livenessProbe: { ...exec, failureThreshold: 1 }, readinessProbe: exec }));
  await h.step(10_000);
  assert.equal(h.prober.livenessFailed(UID, 'app'), true);
  h.prober.stopLivenessAndStartup(UID);
  assert.equal(h.prober.livenessFailed(UID, 'app'), false);
  assert.equal(h.prober.workerCount(), 1);
});

test('an exited container is not ready; with restartPolicy Never its workers end', async () => {
  for (const [restartPolicy, workersLeft] of [
    ['Never', 0],
    ['OnFailure', 1],
  ] as const) {
    const h = harness();
    await started(h, podWith({ readinessProbe: exec }, { restartPolicy }));
    assert.equal(h.prober.isReady(UID, 'app'), true);
    h.prober.containerStopped(UID, 'app');
    assert.equal(h.prober.isReady(UID, 'app'), false);
    await h.step(10_000);
    assert.equal(h.prober.workerCount(), workersLeft, restartPolicy);
  }
});

test('the first probe after the prober starts is delayed by a random fraction of the period; later pods are not', async () => {
  const h = harness({ fresh: true, random: () => 0.25 });
  h.prober.addPod(podWith({ livenessProbe: { ...exec, periodSeconds: 20 } }), new Map([['app', 'c1']]));
  await h.step(4_000);
  assert.equal(h.calls('liveness'), 0);
  await h.step(1_000);
  assert.equal(h.calls('liveness'), 1, 'first probe at 0.25 × 20 s');
  await h.step(20_000);
  assert.equal(h.calls('liveness'), 2);

  const late = harness({ random: () => 0.99 });
  late.prober.addPod(podWith({ livenessProbe: { ...exec, periodSeconds: 20 } }), new Map([['app', 'c1']]));
  late.clock.step(0);
  await late.prober.settle();
  assert.equal(late.calls('liveness'), 1, 're-adopted container probed at once, no jitter');
});

test('removePod stops every worker and forgets the pod', async () => {
  const h = harness();
  await started(h, podWith({ livenessProbe: exec, readinessProbe: exec, startupProbe: exec }));
  assert.equal(h.prober.workerCount(), 3);
  h.prober.removePod(UID);
  assert.equal(h.prober.workerCount(), 0);
  const calls = h.probes.calls.length;
  await h.step(60_000);
  assert.equal(h.probes.calls.length, calls);
  assert.equal(h.prober.isReady(UID, 'app'), false);
});

test('sidecars (init containers with restartPolicy Always) are probed; their kill message names the init container', async () => {
  const h = harness();
  const pod: Pod = {
    ...podWith({}),
    spec: {
      containers: [{ name: 'app', image: 'busybox' }],
      initContainers: [
        { name: 'proxy', image: 'envoy', restartPolicy: 'Always', livenessProbe: { ...exec, failureThreshold: 1 } },
        { name: 'setup', image: 'busybox', livenessProbe: exec },
      ],
    },
  };
  h.probes.setResult('proxy', 'liveness', false);
  h.prober.addPod(pod);
  h.prober.containerStarted(UID, 'proxy', 'p1', h.clock.now());
  await h.step(10_000);
  assert.equal(h.prober.workerCount(), 1);
  assert.equal(h.prober.livenessKill(UID, 'proxy')?.message, 'Init container proxy failed liveness probe');
  assert.equal(h.events[0]?.fieldPath, 'spec.initContainers{proxy}');
});

test('probes go to the pod IP given with the sandbox, and say who is asking', async () => {
  const h = harness();
  await started(h, podWith({ readinessProbe: { tcpSocket: { port: 8080 } } }));
  assert.deepEqual(h.probes.calls[0], {
    kind: 'tcp',
    target: { podSandboxId: 'sandbox', containerId: 'c1', containerName: 'app', probeType: 'readiness' },
  });
});
