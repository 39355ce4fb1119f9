import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import type { Container, LifecycleHandler, ObjectReference, Pod } from '../../api/types/index.js';
import { FakeClock } from '../../lib/testing/fake-clock.js';
import { RuntimeError } from '../../runtime/runtime.js';
import { ScriptedTransport } from '../prober/testing/scripted-transport.js';
import type { HookContext } from './hooks.js';
import { runPostStart, runPreStop } from './hooks.js';

const pod: Pod = { metadata: { name: 'web', namespace: 'default', uid: 'u1' }, spec: { containers: [] } };

function withHook(kind: 'postStart' | 'preStop', handler: LifecycleHandler): Container {
  return {
    name: 'app',
    image: 'busybox',
    ports: [{ name: 'admin', containerPort: 9000 }],
    lifecycle: { [kind]: handler },
  };
}

function context(podIP: string | undefined = '10.88.0.5') {
  const clock = new FakeClock();
  const transport = new ScriptedTransport();
  const events: { reason: string; message: string; fieldPath?: string }[] = [];
  const ctx: HookContext = {
    transport,
    clock,
    podSandboxId: 'sb',
    ...(podIP ? { podIP } : {}),
    recorder: {
      event(t: Pod | ObjectReference, _type: string, reason: string, message: string) {
        events.push({ reason, message, fieldPath: (t as ObjectReference).fieldPath });
      },
    },
  };
  return { clock, transport, events, ctx };
}

test('a container without a postStart hook starts without one', async () => {
  const { ctx, transport, events } = context();
  assert.deepEqual(await runPostStart(pod, { name: 'app' }, 'c1', ctx), { ok: true });
  assert.equal(transport.execs.length + transport.https.length, 0);
  assert.equal(events.length, 0);
});

const postStartCases: {
  name: string;
  handler: LifecycleHandler;
  script: (t: ScriptedTransport) => void;
  want: { ok: true } | { ok: false; message: string };
}[] = [
  {
    name: 'an exec hook that exits 0 succeeds',
    handler: { exec: { command: ['sh', '-c', 'echo hi'] } },
    script: (t) => (t.execAnswers = [{ stdout: 'hi\n', stderr: '', exitCode: 0 }]),
    want: { ok: true },
  },
  {
    name: 'an exec hook that exits non-zero fails with upstream text',
    handler: { exec: { command: ['sh', '-c', 'exit 3'] } },
    script: (t) => (t.execAnswers = [{ stdout: 'out', stderr: 'boom', exitCode: 3 }]),
    want: {
      ok: false,
      message:
        'Exec lifecycle hook ([sh -c exit 3]) for Container "app" in Pod "web_default(u1)" failed - error: command \'sh -c exit 3\' exited with 3: boom, message: "outboom"',
    },
  },
  {
    name: 'an httpGet hook succeeds whatever the status code',
    handler: { httpGet: { path: '/started', port: 'admin' } },
    script: (t) => (t.httpAnswers = [{ statusCode: 500, headers: {}, body: 'no' }]),
    want: { ok: true },
  },
  {
    name: 'an httpGet hook fails on a transport error',
    handler: { httpGet: { path: '/started', port: 9000 } },
    script: (t) =>
      (t.httpAnswers = [new RuntimeError('Unavailable', 'dial tcp 10.88.0.5:9000: connect: connection refused')]),
    want: {
      ok: false,
      message:
        'HTTP lifecycle hook (/started) for Container "app" in Pod "web_default(u1)" failed - error: Get "http://10.88.0.5:9000/started": dial tcp 10.88.0.5:9000: connect: connection refused',
    },
  },
  {
    name: 'a tcpSocket hook is accepted by the API but fails at run time',
    handler: { tcpSocket: { port: 80 } },
    script: () => undefined,
    want: { ok: false, message: 'Cannot run handler: invalid handler: tcpSocket is not supported in lifecycle hooks' },
  },
];
for (const c of postStartCases) {
  test(`postStart: ${c.name}`, async () => {
    const { ctx, transport, events } = context();
    c.script(transport);
    assert.deepEqual(await runPostStart(pod, withHook('postStart', c.handler), 'c1', ctx), c.want);
    const wantEvents = c.want.ok
      ? []
      : [{ reason: 'FailedPostStartHook', message: 'PostStartHook failed', fieldPath: 'spec.containers{app}' }];
    assert.deepEqual(events, wantEvents);
  });
}

test('postStart: an httpGet hook goes to the pod IP and the named port as kube-lifecycle', async () => {
  const { ctx, transport } = context();
  await runPostStart(pod, withHook('postStart', { httpGet: { path: '/started', port: 'admin' } }), 'c1', ctx);
  assert.deepEqual(transport.https[0]?.req, {
    scheme: 'HTTP',
    host: '10.88.0.5',
    port: 9000,
    path: '/started',
    headers: [
      ['User-Agent', 'kube-lifecycle/1.32'],
      ['Accept', '*/*'],
    ],
  });
  assert.deepEqual(transport.https[0]?.target, {
    podSandboxId: 'sb',
    containerId: 'c1',
    containerName: 'app',
    probeType: 'postStart',
  });
});

test('postStart: an httpGet hook without a pod IP or host fails', async () => {
  const { ctx } = context('');
  const r = await runPostStart(pod, withHook('postStart', { httpGet: { port: 80 } }), 'c1', ctx);
  assert.equal(r.ok, false);
});

test('postStart: a sleep hook resolves after its seconds on the clock', async () => {
  const { ctx, clock } = context();
  let done = false;
  const p = runPostStart(pod, withHook('postStart', { sleep: { seconds: 5 } }), 'c1', ctx).then((r) => {
    done = r.ok;
  });
  clock.step(4_999);
  await Promise.resolve();
  assert.equal(done, false);
  clock.step(1);
  await p;
  assert.equal(done, true);
});

test('preStop: does not run with a grace period of 0', async () => {
  const { ctx, transport } = context();
  await runPreStop(pod, withHook('preStop', { exec: { command: ['drain'] } }), 'c1', 0, ctx);
  assert.equal(transport.execs.length, 0);
});

test('preStop: a failing exec hook records FailedPreStopHook and returns at once', async () => {
  const { ctx, transport, events } = context();
  transport.execAnswers = [{ stdout: '', stderr: 'no', exitCode: 1 }];
  await runPreStop(pod, withHook('preStop', { exec: { command: ['drain'] } }), 'c1', 30_000, ctx);
  assert.deepEqual(transport.execs[0]?.cmd, ['drain']);
  assert.deepEqual(events, [
    { reason: 'FailedPreStopHook', message: 'PreStopHook failed', fieldPath: 'spec.containers{app}' },
  ]);
});

test('preStop: a sleep hook shorter than the grace period runs to its end', async () => {
  const { ctx, clock } = context();
  let returned = false;
  const p = runPreStop(pod, withHook('preStop', { sleep: { seconds: 5 } }), 'c1', 30_000, ctx).then(() => {
    returned = true;
  });
  clock.step(4_999);
  await Promise.resolve();
  await Promise.resolve();
  assert.equal(returned, false);
  clock.step(1);
  await p;
  assert.equal(returned, true);
  assert.equal(clock.pendingTimers(), 0, 'the grace timer is cancelled');
});

test('preStop: a hook longer than the grace period is cut at the grace period', async () => {
  const { ctx, clock, events } = context();
  let returnedAt = -1;
  const p = runPreStop(pod, withHook('preStop', { sleep: { seconds: 60 } }), 'c1', 10_000, ctx).then(() => {
    returnedAt = clock.now();
  });
  const t0 = clock.now();
  clock.step(10_000);
  await p;
  assert.equal(returnedAt - t0, 10_000);
  assert.equal(clock.pendingTimers(), 0, 'no timer left behind');
  assert.deepEqual(
    events.map((e) => e.reason),
    ['FailedPreStopHook'],
  );
});

test('preStop: a hung exec hook does not hold the kill past the grace period', async () => {
  const { ctx, clock, transport } = context();
  transport.execAnswers = [() => new Promise(() => undefined)];
  let returned = false;
  const p = runPreStop(pod, withHook('preStop', { exec: { command: ['hang'] } }), 'c1', 2_000, ctx).then(() => {
    returned = true;
  });
  await Promise.resolve();
  assert.equal(returned, false);
  clock.step(2_000);
  await p;
  assert.equal(returned, true);
});
