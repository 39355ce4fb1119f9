import assert from 'node:assert/strict';
import { afterEach, test } from 'node:test';
import type { Event, Pod } from '../api/types/index.js';
import { FakeClock } from '../lib/testing/fake-clock.js';
import { ApiClient } from './api-client.js';
import { EventRecorder, containerFieldPath, referenceTo } from './event-recorder.js';
import { json, startScriptedServer } from './testing/scripted-server.js';
import type { ScriptedServer } from './testing/scripted-server.js';

let server: ScriptedServer | undefined;
let client: ApiClient | undefined;
afterEach(async () => {
  client?.close();
  await server?.close();
});

const pod: Pod = {
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name: 'web', namespace: 'ns', uid: 'u1', resourceVersion: '42' },
  spec: { containers: [{ name: 'app', image: 'nginx' }] },
};

/** A server that stores Events by name and answers POST and PATCH like the apiserver. */
async function setup(): Promise<{
  s: ScriptedServer;
  rec: EventRecorder;
  clock: FakeClock;
  stored: Map<string, Event>;
}> {
  const stored = new Map<string, Event>();
  let rv = 100;
  server = await startScriptedServer((r, res) => {
    if (r.method === 'POST') {
      const ev = JSON.parse(r.body) as Event;
      ev.metadata.resourceVersion = String(++rv);
      stored.set(ev.metadata.name!, ev);
      return json(res, 201, ev);
    }
    if (r.method === 'PATCH') {
      const name = r.path.split('/').pop()!;
      const ev = stored.get(name);
      if (!ev) {
        return json(res, 404, {
          kind: 'Status',
          metadata: {},
          status: 'Failure',
          reason: 'NotFound',
          code: 404,
          message: `events "${name}" not found`,
        });
      }
      Object.assign(ev, JSON.parse(r.body));
      ev.metadata.resourceVersion = String(++rv);
      return json(res, 200, ev);
    }
    json(res, 405, {});
  });
  client = new ApiClient({ server: server.url });
  const clock = new FakeClock(Date.UTC(2026, 0, 1, 10, 0, 0));
  const rec = new EventRecorder({ client, clock, component: 'kubelet', host: 'n1' });
  return { s: server, rec, clock, stored };
}

test("creates an Event in the object's namespace with the client-go shape", async () => {
  const { s, rec } = await setup();
  rec.event(referenceTo(pod, containerFieldPath('app')), 'Normal', 'Pulling', 'Pulling image "nginx"');
  await rec.flush();
  const r = s.requests[0]!;
  assert.equal(r.method, 'POST');
  assert.equal(r.path, '/api/v1/namespaces/ns/events');
  const ev = JSON.parse(r.body) as Event;
  assert.match(ev.metadata.name!, /^web\.[0-9a-f]+$/);
  assert.deepEqual(ev.involvedObject, {
    kind: 'Pod',
    namespace: 'ns',
    name: 'web',
    uid: 'u1',
    apiVersion: 'v1',
    resourceVersion: '42',
    fieldPath: 'spec.containers{app}',
  });
  assert.deepEqual(
    [ev.type, ev.reason, ev.message, ev.count, ev.source, ev.firstTimestamp, ev.lastTimestamp],
    [
      'Normal',
      'Pulling',
      'Pulling image "nginx"',
      1,
      { component: 'kubelet', host: 'n1' },
      '2026-01-01T10:00:00Z',
      '2026-01-01T10:00:00Z',
    ],
  );
});

test('aggregates a repeated event into one Event with count+1 sent as a PATCH', async () => {
  const { s, rec, clock, stored } = await setup();
  rec.event(pod, 'Warning', 'BackOff', 'Back-off restarting failed container');
  clock.step(10_000);
  rec.event(pod, 'Warning', 'BackOff', 'Back-off restarting failed container');
  clock.step(20_000);
  rec.event(pod, 'Warning', 'BackOff', 'Back-off restarting failed container');
  await rec.flush();
  assert.deepEqual(
    s.requests.map((r) => r.method),
    ['POST', 'PATCH', 'PATCH'],
  );
  assert.equal(s.requests[1]!.headers['content-type'], 'application/strategic-merge-patch+json');
  assert.deepEqual(JSON.parse(s.requests[2]!.body), {
    count: 3,
    lastTimestamp: '2026-01-01T10:00:30Z',
    message: 'Back-off restarting failed container',
  });
  assert.equal(stored.size, 1);
  const ev = [...stored.values()][0]!;
  assert.equal(ev.count, 3);
  assert.equal(ev.firstTimestamp, '2026-01-01T10:00:00Z');
});

test('creates the Event again when the one it would patch is gone', async () => {
  const { s, rec, stored } = await setup();
  rec.event(pod, 'Normal', 'Killing', 'Stopping container app');
  await rec.flush();
  stored.clear();
  rec.event(pod, 'Normal', 'Killing', 'Stopping container app');
  await rec.flush();
  assert.deepEqual(
    s.requests.map((r) => r.method),
    ['POST', 'PATCH', 'POST'],
  );
  assert.equal((JSON.parse(s.requests[2]!.body) as Event).count, 2);
});

test('combines ten events differing only by message into one "(combined from similar events)" Event', async () => {
  const { rec, stored } = await setup();
  for (let i = 0; i < 12; i++) {
    rec.event(pod, 'Warning', 'FailedScheduling', `message ${i}`);
  }
  await rec.flush();
  const combined = [...stored.values()].filter((e) => e.message?.startsWith('(combined from similar events): '));
  assert.equal(stored.size, 10);
  assert.equal(combined.length, 1);
  assert.equal(combined[0]!.message, '(combined from similar events): message 11');
  assert.equal(combined[0]!.count, 3);
});

test('drops events past the spam filter burst of 25 per object and refills one per 5 minutes', async () => {
  const { s, rec, clock } = await setup();
  for (let i = 0; i < 30; i++) {
    rec.event(pod, 'Normal', 'Same', 'same message');
  }
  await rec.flush();
  assert.equal(s.requests.length, 25);
  clock.step(300_000);
  rec.event(pod, 'Normal', 'Same', 'same message');
  await rec.flush();
  assert.equal(s.requests.length, 26);
});

test('puts events about cluster-scoped objects in the default namespace', async () => {
  const { s, rec } = await setup();
  rec.event(
    { apiVersion: 'v1', kind: 'Node', metadata: { name: 'n1', uid: 'n1' } },
    'Normal',
    'NodeReady',
    'Node n1 status is now: NodeReady',
  );
  await rec.flush();
  assert.equal(s.requests[0]!.path, '/api/v1/namespaces/default/events');
});
