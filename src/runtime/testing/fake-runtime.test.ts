import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { FakeClock } from '../../lib/testing/fake-clock.js';
import { isRuntimeError, RuntimeError } from '../runtime.js';
import { FakeRuntime } from './fake-runtime.js';
import { containerConfigFor, sandboxConfigFor } from './runtime-builders.js';

async function podWith(
  runtime: FakeRuntime,
  name = 'app',
  attempt = 0,
): Promise<{ sandboxId: string; containerId: string }> {
  const sc = sandboxConfigFor('p');
  const sandboxId = await runtime.runPodSandbox(sc);
  const containerId = await runtime.createContainer(
    sandboxId,
    containerConfigFor(name, 'busybox', [], { metadata: { name, attempt } }),
    sc,
  );
  await runtime.startContainer(containerId);
  return { sandboxId, containerId };
}

test('records every call with its arguments, in order', async () => {
  const runtime = new FakeRuntime();
  await runtime.pullImage({ image: 'busybox' });
  const { containerId } = await podWith(runtime);
  await runtime.stopContainer(containerId, 30);
  assert.deepEqual(runtime.methodsCalled(), [
    'pullImage',
    'runPodSandbox',
    'createContainer',
    'startContainer',
    'stopContainer',
  ]);
  assert.deepEqual(runtime.callsOf('stopContainer'), [[containerId, 30]]);
  assert.equal(runtime.callCount('startContainer'), 1);
  runtime.clearCalls();
  assert.equal(runtime.calls.length, 0);
});

test('a scripted exit ends the container at start with that code', async () => {
  const runtime = new FakeRuntime({ exits: { app: { exitCode: 1 } } });
  const { containerId } = await podWith(runtime);
  const s = await runtime.containerStatus(containerId);
  assert.deepEqual([s.state, s.exitCode, s.reason], ['CONTAINER_EXITED', 1, 'Error']);
});

test('scripted exits per attempt, one of them after a delay on the clock', async () => {
  const clock = new FakeClock();
  const runtime = new FakeRuntime({
    clock,
    exits: { app: [{ exitCode: 1 }, { exitCode: 0, afterMs: 5_000, terminationMessage: 'done' }] },
  });
  const first = await podWith(runtime, 'app', 0);
  assert.equal((await runtime.containerStatus(first.containerId)).exitCode, 1);
  const second = await podWith(runtime, 'app', 1);
  assert.equal((await runtime.containerStatus(second.containerId)).state, 'CONTAINER_RUNNING');
  clock.step(5_000);
  const s = await runtime.containerStatus(second.containerId);
  assert.deepEqual([s.state, s.exitCode, s.reason, s.terminationMessage], ['CONTAINER_EXITED', 0, 'Completed', 'done']);
});

test('containers without a script run until stopped, then report 143 (or 137 with timeout 0)', async () => {
  const runtime = new FakeRuntime();
  const a = await podWith(runtime);
  const b = await podWith(runtime);
  await runtime.stopContainer(a.containerId, 30);
  await runtime.stopContainer(b.containerId, 0);
  assert.equal((await runtime.containerStatus(a.containerId)).exitCode, 143);
  assert.equal((await runtime.containerStatus(b.containerId)).exitCode, 137);
});

test('an injected error fails the next calls of that method only, and is still recorded', async () => {
  const runtime = new FakeRuntime();
  runtime.injectError('pullImage', new RuntimeError('Unavailable', 'registry down', 'RegistryUnavailable'), 2);
  for (let i = 0; i < 2; i++) {
    await assert.rejects(runtime.pullImage({ image: 'busybox' }), (e) => isRuntimeError(e, 'Unavailable'));
  }
  assert.match(await runtime.pullImage({ image: 'busybox' }), /^sha256:/);
  assert.equal(runtime.callCount('pullImage'), 3);
  await runtime.version();
});

test('an error injected without a count persists until cleared', async () => {
  const runtime = new FakeRuntime();
  runtime.injectError('version', new Error('down'));
  await assert.rejects(runtime.version(), /down/);
  await assert.rejects(runtime.version(), /down/);
  runtime.clearErrors('version');
  assert.equal((await runtime.version()).runtimeName, 'podbay-fake');
});

test('a blocked method holds its calls until released (BlockImagePulls)', async () => {
  const runtime = new FakeRuntime();
  const gate = runtime.block('pullImage');
  let done = false;
  const pulling = runtime.pullImage({ image: 'busybox' }).then(() => (done = true));
  await new Promise<void>((r) => setImmediate(r));
  assert.equal(done, false);
  assert.equal(gate.waiting(), 1);
  assert.equal(runtime.callCount('pullImage'), 1, 'recorded while blocked');
  gate.release();
  await pulling;
  assert.equal(done, true);
  await runtime.pullImage({ image: 'busybox' });
});

test('exitContainer crashes a running container and emits the event', async () => {
  const runtime = new FakeRuntime();
  const events: string[] = [];
  runtime.watchContainerEvents((e) => events.push(e.type));
  const { containerId } = await podWith(runtime);
  runtime.exitContainer(containerId, 2);
  assert.equal((await runtime.containerStatus(containerId)).exitCode, 2);
  assert.deepEqual(events.slice(-3), ['CONTAINER_CREATED_EVENT', 'CONTAINER_STARTED_EVENT', 'CONTAINER_STOPPED_EVENT']);
});

test('probe answers are set per container and probe type', async () => {
  const runtime = new FakeRuntime();
  const transport = runtime.probeTransport();
  runtime.probes.setResult('app', 'liveness', false);
  runtime.probes.setResult('app', 'startup', new RuntimeError('DeadlineExceeded', 'timeout'));
  const t = { podSandboxId: 's', containerId: 'c', containerName: 'app' };
  const req = { scheme: 'HTTP' as const, host: 'h', port: 1, path: '/', headers: [] };
  assert.equal((await transport.http({ ...t, probeType: 'liveness' }, req, 1000)).statusCode, 500);
  assert.equal((await transport.http({ ...t, probeType: 'readiness' }, req, 1000)).statusCode, 200);
  await assert.rejects(transport.tcp({ ...t, probeType: 'startup' }, 'h', 1, 1000), (e) =>
    isRuntimeError(e, 'DeadlineExceeded'),
  );
  assert.equal(runtime.probes.calls.length, 3);
});

test('execSync answers from execResults, default exit 0', async () => {
  const runtime = new FakeRuntime();
  const { containerId } = await podWith(runtime);
  runtime.execResults.set('cat /tmp/ready', { stdout: '', stderr: 'no such file', exitCode: 1 });
  assert.equal((await runtime.execSync(containerId, ['cat', '/tmp/ready'], 1000)).exitCode, 1);
  assert.equal((await runtime.execSync(containerId, ['true'], 1000)).exitCode, 0);
});

test('unknown ids answer NotFound like a real runtime', async () => {
  const runtime = new FakeRuntime();
  await assert.rejects(runtime.containerStatus('nope'), (e) => isRuntimeError(e, 'NotFound'));
  await assert.rejects(runtime.podSandboxStatus('nope'), (e) => isRuntimeError(e, 'NotFound'));
});

test('lists filter by sandbox, state and labels', async () => {
  const runtime = new FakeRuntime({ exits: { done: { exitCode: 0 } } });
  const a = await podWith(runtime, 'app');
  const b = await podWith(runtime, 'done');
  assert.deepEqual(
    (await runtime.listContainers({ state: 'CONTAINER_RUNNING' })).map((c) => c.id),
    [a.containerId],
  );
  assert.deepEqual(
    (await runtime.listContainers({ podSandboxId: b.sandboxId })).map((c) => c.id),
    [b.containerId],
  );
  await runtime.stopPodSandbox(a.sandboxId);
  assert.deepEqual(
    (await runtime.listPodSandboxes({ state: 'SANDBOX_READY' })).map((s) => s.id),
    [b.sandboxId],
  );
  await runtime.removePodSandbox(a.sandboxId);
  assert.equal((await runtime.listContainers()).length, 1);
});
