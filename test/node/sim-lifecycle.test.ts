// The Pod lifecycle on the sim runtime, deterministic (FakeClock, no sleeps):
// every arrow of the course's state diagram as Kubernetes realises it
// (ARCHITECTURE.md "Where Kubernetes and the course text differ"), and the
// rows of pod-semantics.md §1.4 / §16 that need time to pass.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { simHarness } from './sim-harness.js';

const sleepy = (s: string) => ({ 'sim.podbay.io/run-seconds.app': s });

test('Pending → Running → Succeeded: a Never pod whose container exits 0', async () => {
  const h = simHarness();
  await h.add({ restartPolicy: 'Never', annotations: sleepy('5') });
  assert.equal(h.status().phase, 'Running');
  await h.run(5_000);
  assert.deepEqual(h.sink.phases('p'), ['Pending', 'Running', 'Succeeded']);
  const t = h.status().containerStatuses![0]!.state!.terminated!;
  assert.equal(t.exitCode, 0);
  assert.equal(t.reason, 'Completed');
  assert.equal(t.finishedAt, '2026-01-01T00:00:05Z');
  assert.equal(h.status().conditions!.find((c) => c.type === 'Ready')!.reason, 'PodCompleted');
});

test('Pending → Running → Failed: a Never pod whose container exits 1', async () => {
  const h = simHarness();
  await h.add({
    restartPolicy: 'Never',
    annotations: { 'sim.podbay.io/run-seconds.app': '3', 'sim.podbay.io/exit-code.app': '1' },
  });
  await h.run(3_000);
  assert.deepEqual(h.sink.phases('p'), ['Pending', 'Running', 'Failed']);
  assert.equal(h.status().containerStatuses![0]!.state!.terminated!.reason, 'Error');
});

test('Pending → Failed: an init container that fails under Never', async () => {
  const h = simHarness();
  await h.add({
    restartPolicy: 'Never',
    initContainers: ['init'],
    annotations: { 'sim.podbay.io/exit-code.init': '2' },
  });
  assert.deepEqual(h.sink.phases('p'), ['Pending', 'Failed']);
  assert.equal(h.status().initContainerStatuses![0]!.state!.terminated!.exitCode, 2);
  assert.equal(h.status().containerStatuses![0]!.state!.waiting!.reason, 'PodInitializing');
});

test('"Failed → restart" of the course is CrashLoopBackOff inside a Running pod under Always', async () => {
  const h = simHarness();
  await h.add({ annotations: { 'sim.podbay.io/run-seconds.app': '1', 'sim.podbay.io/exit-code.app': '1' } });
  await h.run(1_000); // crash 1 → immediate restart
  assert.equal(h.status().containerStatuses![0]!.restartCount, 1);
  await h.run(1_000); // crash 2 → back-off 10 s
  const cs = h.status().containerStatuses![0]!;
  assert.equal(h.status().phase, 'Running');
  assert.equal(cs.state!.waiting!.reason, 'CrashLoopBackOff');
  assert.match(cs.state!.waiting!.message!, /^back-off 10s restarting failed container=app pod=p_default\(/);
  assert.equal(cs.lastState!.terminated!.exitCode, 1);
  assert.equal(h.sink.phases('p').includes('Failed'), false, 'an Always pod never fails by itself');
  await h.run(10_000);
  assert.equal(h.status().containerStatuses![0]!.restartCount, 2);
});

test('OnFailure: a job that fails twice and then succeeds ends Succeeded with 2 restarts', async () => {
  const h = simHarness();
  await h.add({
    restartPolicy: 'OnFailure',
    annotations: { 'sim.podbay.io/run-seconds.app': '1', 'sim.podbay.io/exit-code.app': '1,1,0' },
  });
  await h.run(1_000 + 1_000 + 10_000 + 1_000);
  assert.equal(h.status().phase, 'Succeeded');
  assert.equal(h.status().containerStatuses![0]!.restartCount, 2);
  assert.deepEqual(h.sink.phases('p'), ['Pending', 'Running', 'Succeeded']);
});

test('a liveness probe failing failureThreshold times kills and restarts the container', async () => {
  const h = simHarness();
  await h.add({ annotations: { 'sim.podbay.io/probe.app.liveness': 'fail-after:25s' } }, (p) => {
    p.spec.containers[0]!.livenessProbe = { exec: { command: ['check'] }, periodSeconds: 10, failureThreshold: 3 };
  });
  await h.run(40_000); // failures at 30 s and 40 s: not yet 3
  assert.equal(h.status().containerStatuses![0]!.restartCount, 0);
  await h.run(10_000); // third failure at 50 s
  assert.ok(h.recorder.lines().includes('Killing: Container app failed liveness probe, will be restarted'));
  assert.equal(h.recorder.lines().filter((l) => l.startsWith('Unhealthy: Liveness probe failed')).length, 3);
  assert.equal(h.status().containerStatuses![0]!.restartCount, 1);
  assert.equal(h.status().phase, 'Running');
});

test('a readiness probe makes the pod Ready only once it succeeds, and no restart follows its failure', async () => {
  const h = simHarness();
  await h.add({ annotations: { 'sim.podbay.io/probe.app.readiness': 'ok-after:15s' } }, (p) => {
    p.spec.containers[0]!.readinessProbe = { httpGet: { port: 8080, path: '/' }, periodSeconds: 10 };
  });
  const ready = () => h.status().conditions!.find((c) => c.type === 'Ready')!;
  assert.equal(h.status().phase, 'Running');
  assert.equal(ready().status, 'False');
  assert.equal(ready().reason, 'ContainersNotReady');
  assert.equal(ready().message, 'containers with unready status: [app]');
  await h.run(20_000);
  assert.equal(ready().status, 'True');
  assert.equal(h.status().containerStatuses![0]!.ready, true);
  assert.equal(h.status().containerStatuses![0]!.restartCount, 0);
});

test('a startup probe keeps started=false and holds liveness back until it passes', async () => {
  const h = simHarness();
  await h.add(
    { annotations: { 'sim.podbay.io/probe.app.startup': 'ok-after:20s', 'sim.podbay.io/probe.app.liveness': 'fail' } },
    (p) => {
      p.spec.containers[0]!.startupProbe = { exec: { command: ['up'] }, periodSeconds: 10, failureThreshold: 5 };
      p.spec.containers[0]!.livenessProbe = { exec: { command: ['live'] }, periodSeconds: 10, failureThreshold: 1 };
    },
  );
  assert.equal(h.status().containerStatuses![0]!.started, false);
  await h.run(10_000);
  assert.equal(h.status().containerStatuses![0]!.restartCount, 0, 'liveness does not run before startup passes');
  await h.run(10_000);
  assert.equal(h.status().containerStatuses![0]!.started, true);
  await h.run(10_000);
  assert.ok(h.recorder.lines().includes('Killing: Container app failed liveness probe, will be restarted'));
});

test('a sidecar with a startup probe holds back the main container until it has started', async () => {
  const h = simHarness();
  await h.add(
    {
      sidecars: [
        { name: 'proxy', image: 'busybox:1.36', startupProbe: { exec: { command: ['ready'] }, periodSeconds: 5 } },
      ],
    },
    (p) => {
      p.metadata.annotations = { 'sim.podbay.io/probe.proxy.startup': 'ok-after:10s' };
    },
  );
  const created = () => h.recorder.lines().filter((l) => l.startsWith('Created:'));
  assert.deepEqual(created(), ['Created: Created container: proxy']);
  assert.equal(h.status().phase, 'Pending');
  await h.run(10_000);
  assert.deepEqual(created(), ['Created: Created container: proxy', 'Created: Created container: app']);
  assert.equal(h.status().phase, 'Running');
  assert.equal(h.status().initContainerStatuses![0]!.started, true);
});

test('a sidecar never blocks a Never pod from completing, and restarts while the pod runs', async () => {
  const h = simHarness();
  await h.add({
    restartPolicy: 'Never',
    sidecars: ['log'],
    annotations: {
      'sim.podbay.io/run-seconds.app': '30',
      'sim.podbay.io/run-seconds.log': '5',
      'sim.podbay.io/exit-code.log': '1',
    },
  });
  await h.run(6_000);
  assert.equal(h.status().initContainerStatuses![0]!.restartCount, 1, 'restarted despite restartPolicy Never');
  await h.run(24_000);
  assert.equal(h.status().phase, 'Succeeded');
});

test('deletion: SIGTERM, then SIGKILL at the end of the grace period for a container that ignores it', async () => {
  const h = simHarness();
  const pod = await h.add({
    terminationGracePeriodSeconds: 30,
    annotations: { 'sim.podbay.io/stop-seconds.app': 'ignore' },
  });
  await h.del(pod);
  assert.ok(h.recorder.lines().includes('Killing: Stopping container app'));
  await h.run(29_000);
  assert.equal(h.sink.deletes.length, 0);
  await h.run(1_000);
  assert.equal(h.sink.writes.at(-1)!.status.containerStatuses![0]!.state!.terminated!.exitCode, 137);
  assert.equal(h.sink.deletes.length, 1);
  assert.equal(h.sink.deletes[0]!.gracePeriodSeconds, 0);
});

test('a preStop hook uses up part of the grace period before SIGTERM', async () => {
  const h = simHarness();
  const pod = await h.add(
    { terminationGracePeriodSeconds: 30, annotations: { 'sim.podbay.io/stop-seconds.app': 'ignore' } },
    (p) => {
      p.spec.containers[0]!.lifecycle = { preStop: { sleep: { seconds: 10 } } };
    },
  );
  await h.del(pod);
  await h.run(29_000);
  assert.equal(h.sink.deletes.length, 0);
  await h.run(1_000);
  assert.equal(h.sink.deletes.length, 1, 'preStop 10 s + 20 s of grace = 30 s in all');
});

test('every container gets at least 2 s after its preStop used the whole grace period', async () => {
  const h = simHarness();
  const pod = await h.add(
    { terminationGracePeriodSeconds: 5, annotations: { 'sim.podbay.io/stop-seconds.app': 'ignore' } },
    (p) => {
      p.spec.containers[0]!.lifecycle = { preStop: { sleep: { seconds: 60 } } };
    },
  );
  await h.del(pod);
  await h.run(6_000);
  assert.equal(h.sink.deletes.length, 0);
  await h.run(1_000);
  assert.equal(h.sink.deletes.length, 1);
});

test('sidecars receive SIGTERM only after the main containers stopped, in reverse order', async () => {
  const h = simHarness();
  const pod = await h.add({
    sidecars: ['s1', 's2'],
    annotations: { 'sim.podbay.io/stop-seconds.app': '5' },
  });
  await h.del(pod);
  await h.run(10_000);
  const finished = (n: string) =>
    [...h.status().initContainerStatuses!, ...h.status().containerStatuses!].find((c) => c.name === n)!.state!
      .terminated!.finishedAt!;
  assert.equal(finished('app'), '2026-01-01T00:00:05Z');
  assert.ok(finished('s2') >= finished('app'));
  assert.ok(finished('s1') >= finished('s2'));
  assert.equal(h.sink.deletes.length, 1);
});

test('activeDeadlineSeconds ends a running pod as Failed with DeadlineExceeded', async () => {
  const h = simHarness();
  await h.add({ activeDeadlineSeconds: 30 });
  await h.run(30_000);
  const s = h.status();
  assert.equal(s.phase, 'Failed');
  assert.equal(s.reason, 'DeadlineExceeded');
  assert.equal(s.message, 'Pod was active on the node longer than the specified deadline');
});

test('an image that cannot be pulled shows ErrImagePull and then ImagePullBackOff; the pod stays Pending', async () => {
  const h = simHarness();
  await h.add({ annotations: { 'sim.podbay.io/pull-error': 'example.com/app:v2=manifest unknown' } }, (p) => {
    p.spec.containers[0]!.image = 'example.com/app:v2';
  });
  await h.run(1_000);
  const w = h.status().containerStatuses![0]!.state!.waiting!;
  assert.equal(h.status().phase, 'Pending');
  assert.ok(['ErrImagePull', 'ImagePullBackOff'].includes(w.reason!));
  assert.ok(h.sink.writes.some((x) => x.status.containerStatuses?.[0]?.state?.waiting?.reason === 'ErrImagePull'));
  await h.run(5_000);
  assert.equal(h.status().containerStatuses![0]!.state!.waiting!.reason, 'ImagePullBackOff');
});

test('a container over its memory limit is OOMKilled and restarted', async () => {
  const h = simHarness();
  await h.add({ annotations: { 'sim.podbay.io/memory.app': '300Mi@5s,10Mi' } }, (p) => {
    p.spec.containers[0]!.resources = { limits: { memory: '256Mi' }, requests: { memory: '256Mi' } };
  });
  await h.run(5_000);
  const cs = h.status().containerStatuses![0]!;
  assert.equal(cs.lastState!.terminated!.reason, 'OOMKilled');
  assert.equal(cs.lastState!.terminated!.exitCode, 137);
  assert.equal(cs.restartCount, 1);
});

test('a termination message written by the container shows in its terminated state', async () => {
  const h = simHarness();
  await h.add({
    restartPolicy: 'Never',
    annotations: {
      'sim.podbay.io/exit-code.app': '1',
      'sim.podbay.io/termination-message.app': 'lost connection to db',
    },
  });
  assert.equal(h.status().containerStatuses![0]!.state!.terminated!.message, 'lost connection to db');
});

test('FallbackToLogsOnError takes the log tail when the file is empty and the container failed', async () => {
  const h = simHarness();
  await h.add(
    { restartPolicy: 'Never', annotations: { 'sim.podbay.io/exit-code.app': '1', 'sim.podbay.io/logs.app': 'boom' } },
    (p) => {
      p.spec.containers[0]!.terminationMessagePolicy = 'FallbackToLogsOnError';
    },
  );
  assert.equal(h.status().containerStatuses![0]!.state!.terminated!.message, 'boom\n');
});

test('a pod deleted before its image could be pulled ends Failed and is removed', async () => {
  const h = simHarness();
  const pod = await h.add({ annotations: { 'sim.podbay.io/pull-error': '*=manifest unknown' } }, (p) => {
    p.spec.containers[0]!.image = 'example.com/app:v2';
  });
  assert.equal(h.status().phase, 'Pending');
  await h.del(pod);
  const s = h.status();
  assert.equal(s.phase, 'Failed');
  assert.equal(s.containerStatuses![0]!.state!.terminated!.reason, 'ContainerStatusUnknown');
  assert.equal(h.sink.deletes.length, 1);
});

test('a crash-looping Always pod that is deleted ends Failed before it disappears', async () => {
  const h = simHarness();
  const pod = await h.add({ annotations: { 'sim.podbay.io/exit-code.app': '1' } });
  await h.run(2_000);
  assert.equal(h.status().phase, 'Running');
  await h.del(pod);
  assert.equal(h.status().phase, 'Failed');
  assert.deepEqual(h.sink.phases('p'), ['Pending', 'Running', 'Failed']);
});

test('a sandbox that died is re-created with the next attempt and initialization runs again', async () => {
  const h = simHarness();
  await h.add({ initContainers: ['init'], annotations: { 'sim.podbay.io/exit-code.init': '0' } });
  await h.run(1_000);
  assert.equal(h.status().phase, 'Running');
  const [sb] = await h.runtime.listPodSandboxes();
  await h.runtime.stopPodSandbox(sb!.id);
  await h.run(2_000);
  assert.ok(h.recorder.lines().includes('SandboxChanged: Pod sandbox changed, it will be killed and re-created.'));
  const sandboxes = await h.runtime.listPodSandboxes();
  assert.deepEqual(
    sandboxes.map((s) => `${s.metadata.attempt}:${s.state}`),
    ['0:SANDBOX_NOTREADY', '1:SANDBOX_READY'],
  );
  assert.equal(h.recorder.lines().filter((l) => l === 'Created: Created container: init').length, 2);
  assert.equal(h.status().phase, 'Running');
  assert.equal(h.status().containerStatuses![0]!.restartCount, 1);
});

test('the command sees the environment: $(VAR) is expanded and the sim shell reads $VAR', async () => {
  const h = simHarness();
  await h.add({ restartPolicy: 'Never' }, (p) => {
    p.spec.containers[0]!.env = [{ name: 'CODE', value: '3' }];
    p.spec.containers[0]!.command = ['sh', '-c', 'exit $(CODE)'];
  });
  assert.equal(h.status().containerStatuses![0]!.state!.terminated!.exitCode, 3);
});

test('a container that cannot be created waits with CreateContainerError', async () => {
  const h = simHarness();
  await h.add({ annotations: { 'sim.podbay.io/create-error.app': 'no such file or directory' } });
  const w = h.status().containerStatuses![0]!.state!.waiting!;
  assert.equal(w.reason, 'CreateContainerError');
  assert.match(w.message!, /no such file or directory/);
  assert.equal(h.status().phase, 'Pending');
  assert.ok(h.recorder.lines().some((l) => l.startsWith('Failed: Error: ') && l.includes('no such file or directory')));
});

test('a container whose process cannot start shows RunContainerError, then CrashLoopBackOff', async () => {
  const h = simHarness();
  await h.add({ annotations: { 'sim.podbay.io/start-error.app': 'exec: "app": executable file not found in $PATH' } });
  const seen = new Set(h.sink.writes.map((x) => x.status.containerStatuses?.[0]?.state?.waiting?.reason ?? ''));
  assert.ok(seen.has('RunContainerError'), [...seen].join(','));
  await h.run(1_000);
  const cs = h.status().containerStatuses![0]!;
  assert.equal(cs.state!.waiting!.reason, 'CrashLoopBackOff');
  assert.equal(cs.lastState!.terminated!.exitCode, 128);
  assert.equal(cs.lastState!.terminated!.reason, 'StartError');
});

test('runAsNonRoot with an image that runs as root keeps the container waiting with CreateContainerConfigError', async () => {
  const h = simHarness();
  await h.add({}, (p) => {
    p.spec.securityContext = { runAsNonRoot: true };
  });
  const waiting = h.status().containerStatuses![0]!.state!.waiting!;
  assert.equal(waiting.reason, 'CreateContainerConfigError');
  assert.match(waiting.message ?? '', /^container has runAsNonRoot and image will run as root \(pod: "p_default\(/);
  assert.equal(h.status().phase, 'Pending');
  // With runAsUser the same pod starts.
  const h2 = simHarness();
  await h2.add({}, (p) => {
    p.spec.securityContext = { runAsNonRoot: true, runAsUser: 1000 };
  });
  assert.equal(h2.status().phase, 'Running');
});
