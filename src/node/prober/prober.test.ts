import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import type { Container, ObjectReference, Pod } from '../../api/types/index.js';
import { FakeClock } from '../../lib/testing/fake-clock.js';
import { RuntimeError } from '../../runtime/runtime.js';
import type { ProbeContext } from './prober.js';
import { probeOnce } from './prober.js';
import { ScriptedTransport } from './testing/scripted-transport.js';

const pod: Pod = { metadata: { name: 'web', namespace: 'default', uid: 'u' }, spec: { containers: [] } };

function ctx(transport: ScriptedTransport, events: [string, string][]): ProbeContext {
  return {
    transport,
    clock: new FakeClock(),
    podSandboxId: 'sb',
    podIP: '10.88.0.5',
    recorder: {
      event: (_t: Pod | ObjectReference, _type: string, reason: string, message: string) =>
        events.push([reason, message]),
    },
  };
}

test('an unfollowed redirect records ProbeWarning and counts as success', async () => {
  const t = new ScriptedTransport();
  t.httpAnswers = [{ statusCode: 302, headers: { location: 'http://elsewhere/' }, body: 'moved' }];
  const events: [string, string][] = [];
  const c: Container = { name: 'app' };
  assert.equal(await probeOnce('readiness', { httpGet: { port: 80 } }, pod, c, 'c1', ctx(t, events)), 'success');
  assert.deepEqual(events, [
    ['ProbeWarning', 'Readiness probe warning: Probe terminated redirects, Response body: moved'],
  ]);
});

test('a probe error is tried three times before it is reported', async () => {
  const t = new ScriptedTransport();
  t.execAnswers = [new RuntimeError('NotFound', 'container "c1" not found')];
  const events: [string, string][] = [];
  const r = await probeOnce('liveness', { exec: { command: ['true'] } }, pod, { name: 'app' }, 'c1', ctx(t, events));
  assert.equal(r, 'error');
  assert.equal(t.execs.length, 3);
  assert.deepEqual(events, [
    ['Unhealthy', 'Liveness probe errored and resulted in unknown state: container "c1" not found'],
  ]);
});

test('an exec probe command is expanded with the static env, and a failure shows its output', async () => {
  const t = new ScriptedTransport();
  t.execAnswers = [{ stdout: '', stderr: 'missing /tmp/healthy', exitCode: 1 }];
  const events: [string, string][] = [];
  const c: Container = { name: 'app', env: [{ name: 'F', value: '/tmp/healthy' }] };
  const r = await probeOnce('startup', { exec: { command: ['cat', '$(F)'] } }, pod, c, 'c1', ctx(t, events));
  assert.equal(r, 'failure');
  assert.deepEqual(t.execs[0]?.cmd, ['cat', '/tmp/healthy']);
  assert.equal(t.execs[0]?.timeoutMs, 1000);
  assert.deepEqual(events, [['Unhealthy', 'Startup probe failed: missing /tmp/healthy']]);
});

test('tcp and grpc probes go to the pod IP (tcpSocket.host when given) with timeoutSeconds', async () => {
  const t = new ScriptedTransport();
  const events: [string, string][] = [];
  await probeOnce(
    'liveness',
    { tcpSocket: { port: 5432, host: 'db' }, timeoutSeconds: 5 },
    pod,
    { name: 'a' },
    'c1',
    ctx(t, events),
  );
  await probeOnce('liveness', { grpc: { port: 9000, service: 'health' } }, pod, { name: 'a' }, 'c1', ctx(t, events));
  assert.deepEqual(t.tcps, [{ host: 'db', port: 5432, timeoutMs: 5000 }]);
  assert.deepEqual(t.grpcs, [{ host: '10.88.0.5', port: 9000, service: 'health', timeoutMs: 1000 }]);
  assert.deepEqual(events, []);
});
