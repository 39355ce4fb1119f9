// The whole agent against the real in-process apiserver (MemoryStore) on
// 127.0.0.1, with the sim runtime. Lifecycle time is a FakeClock; only API
// I/O is awaited with `eventually` (network, not timers).
import assert from 'node:assert/strict';
import { afterEach, test } from 'node:test';
import { isStatusError } from '../../src/api/errors.js';
import type { Pod } from '../../src/api/types/index.js';
import { startNodeAgent } from '../../src/node/agent.js';
import type { NodeAgent } from '../../src/node/agent.js';
import { SimRuntime } from '../../src/runtime/sim/sim-runtime.js';
import { eventually, startHarness } from '../control/harness.js';
import type { Harness } from '../control/harness.js';

let h: Harness | undefined;
let agent: NodeAgent | undefined;
afterEach(async () => {
  await agent?.stop();
  await h?.close();
  agent = undefined;
  h = undefined;
});

async function start(): Promise<{ h: Harness; agent: NodeAgent }> {
  h = await startHarness();
  const runtime = new SimRuntime({ clock: h.clock, preloadedImages: ['busybox:1.36'], nodeIp: '127.0.0.1' });
  agent = startNodeAgent({
    client: h.client,
    runtime,
    clock: h.clock,
    nodeName: 'node-a',
    random: () => 0,
    onError: (e) => h!.errors.push(e),
  });
  await agent.ready;
  return { h, agent };
}

function pod(name: string, mutate?: (p: Pod) => void): Pod {
  const p: Pod = {
    metadata: { name, namespace: 'default' },
    spec: { nodeName: 'node-a', containers: [{ name: 'app', image: 'busybox:1.36' }] },
  };
  mutate?.(p);
  return p;
}

/** Lets what is due on the fake clock happen, then waits for the agent. */
async function tick(a: NodeAgent, hh: Harness, ms = 0): Promise<void> {
  hh.clock.step(ms);
  await a.settle();
}

test('the agent registers its node, runs a bound pod and reports it Running and Ready', async () => {
  const { h, agent } = await start();
  await eventually(() => h.client.nodes.get(undefined, 'node-a'), 'the Node object');
  await h.client.pods.create('default', pod('web'));
  const running = await eventually(async () => {
    await tick(agent, h);
    const p = await h.client.pods.get('default', 'web');
    return p.status?.phase === 'Running' && p.status.containerStatuses?.[0]?.ready ? p : undefined;
  }, 'web Running and ready');
  const s = running.status!;
  assert.equal(s.hostIP, '127.0.0.1');
  assert.match(s.podIP ?? '', /^10\.88\./);
  assert.match(s.containerStatuses![0]!.containerID!, /^sim:\/\//);
  assert.equal(s.qosClass, 'BestEffort');
  assert.ok(s.startTime);
  assert.equal(s.conditions!.find((c) => c.type === 'Ready')!.status, 'True');
  const reasons = await eventually(async () => {
    await agent.settle();
    const evs = (await h.client.events.list('default')).items.filter((e) => e.involvedObject.name === 'web');
    const r = evs.map((e) => `${e.reason}: ${e.message}`);
    return r.includes('Started: Started container app') ? r : undefined;
  }, 'events');
  assert.ok(reasons.includes('Created: Created container: app'));
  assert.ok(reasons.includes('Pulled: Container image "busybox:1.36" already present on machine'));
});

test('a Never pod that exits 0 ends Succeeded in the API', async () => {
  const { h, agent } = await start();
  await h.client.pods.create(
    'default',
    pod('job', (p) => {
      p.spec.restartPolicy = 'Never';
      p.metadata.annotations = { 'sim.podbay.io/run-seconds.app': '5' };
    }),
  );
  await eventually(async () => {
    await tick(agent, h);
    return (await h.client.pods.get('default', 'job')).status?.phase === 'Running';
  }, 'job Running');
  const done = await eventually(async () => {
    await tick(agent, h, 1_000);
    const p = await h.client.pods.get('default', 'job');
    return p.status?.phase === 'Succeeded' ? p : undefined;
  }, 'job Succeeded');
  assert.equal(done.status!.containerStatuses![0]!.state!.terminated!.reason, 'Completed');
});

test('deleting a running pod stops it and the agent removes the object once it terminated', async () => {
  const { h, agent } = await start();
  await h.client.pods.create('default', pod('web'));
  await eventually(async () => {
    await tick(agent, h);
    return (await h.client.pods.get('default', 'web')).status?.phase === 'Running';
  }, 'web Running');
  await h.client.pods.delete('default', 'web');
  const gone = await eventually(async () => {
    await tick(agent, h, 1_000);
    try {
      await h.client.pods.get('default', 'web');
      return false;
    } catch (e) {
      return isStatusError(e, 'NotFound');
    }
  }, 'web deleted');
  assert.equal(gone, true);
  const killing = await eventually(async () => {
    const evs = (await h.client.events.list('default')).items.filter((e) => e.involvedObject.name === 'web');
    return evs.find((e) => e.reason === 'Killing');
  }, 'Killing event');
  assert.equal(killing.message, 'Stopping container app');
});

test('after the node-lifecycle controller marked its pod Unknown, the agent reports it Running again', async () => {
  const { h, agent } = await start();
  await h.client.pods.create('default', pod('web'));
  const p = await eventually(async () => {
    await tick(agent, h);
    const x = await h.client.pods.get('default', 'web');
    return x.status?.phase === 'Running' && x.status.conditions?.find((c) => c.type === 'Ready')?.status === 'True'
      ? x
      : undefined;
  }, 'web Running');
  await h.client.pods.updateStatus({
    ...p,
    status: {
      ...p.status,
      phase: 'Unknown',
      conditions: p.status!.conditions!.map((c) => (c.type === 'Ready' ? { ...c, status: 'False' as const } : c)),
    },
  });
  const back = await eventually(async () => {
    await tick(agent, h);
    const x = await h.client.pods.get('default', 'web');
    return x.status?.phase === 'Running' && x.status.conditions?.find((c) => c.type === 'Ready')?.status === 'True'
      ? x
      : undefined;
  }, 'web Running again');
  assert.equal(back.status!.phase, 'Running');
});

test('a pod another component marked Failed (eviction) is stopped and stays Failed', async () => {
  const { h, agent } = await start();
  await h.client.pods.create('default', pod('web'));
  const p = await eventually(async () => {
    await tick(agent, h);
    const x = await h.client.pods.get('default', 'web');
    return x.status?.phase === 'Running' ? x : undefined;
  }, 'web Running');
  await h.client.pods.updateStatus({
    ...p,
    status: { ...p.status, phase: 'Failed', reason: 'Evicted', message: 'gone' },
  });
  await eventually(async () => {
    await tick(agent, h, 1_000);
    return agent.workers.stateOf(p.metadata.uid!) === 'terminated';
  }, 'web terminated on the node');
  const x = await h.client.pods.get('default', 'web');
  assert.equal(x.status!.phase, 'Failed');
  assert.equal(x.status!.reason, 'Evicted');
});
