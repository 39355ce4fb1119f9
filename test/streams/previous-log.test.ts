// kubectl logs --previous through the apiserver proxy: the agent picks the last
// terminated instance from the pod's status (lastState.terminated.containerID), as
// the kubelet's validateContainerLogStatus does. Lifecycle on a FakeClock; the
// log reads need no timers.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Pod, Status } from '../../src/api/types/index.js';
import { FakeClock } from '../../src/lib/testing/fake-clock.js';
import { eventually } from '../control/harness.js';
import { NODE, startStreamsCluster } from './streams-harness.js';
import type { StreamsCluster } from './streams-harness.js';

let c: StreamsCluster;
const clock = new FakeClock(Date.now());
before(async () => {
  c = await startStreamsCluster({ clock });
});
after(async () => {
  await c.close();
});

async function tick(ms: number): Promise<void> {
  clock.step(ms);
  await c.agent.settle();
}

const LOG = '/api/v1/namespaces/default/pods/crasher/log';

test('--previous reads the instance before the restart; without it the current one', async () => {
  const pod: Pod = {
    metadata: {
      name: 'crasher',
      namespace: 'default',
      annotations: { 'sim.podbay.io/exit-code.app': '1', 'sim.podbay.io/run-seconds.app': '5' },
    },
    spec: {
      nodeName: NODE,
      containers: [{ name: 'app', image: 'busybox:1.36', command: ['sh', '-c', 'echo started; sleep 3600'] }],
    },
  };
  await c.client.pods.create('default', pod);
  await eventually(async () => {
    await tick(1_000);
    const p = await c.client.pods.get('default', 'crasher');
    return (
      (p.status?.containerStatuses?.[0]?.restartCount ?? 0) >= 1 && p.status?.containerStatuses?.[0]?.state?.running
    );
  }, 'crasher restarted once and running again');
  const previous = await c.server.request('GET', `${LOG}?previous=true`);
  assert.equal(previous.status, 200, previous.text);
  assert.equal(previous.text, 'started\n');
  const current = await c.server.request('GET', LOG);
  assert.equal(current.status, 200);
  assert.equal(current.text, 'started\n');
  const status = await c.client.pods.get('default', 'crasher');
  const cs = status.status!.containerStatuses![0]!;
  assert.notEqual(cs.lastState?.terminated?.containerID, cs.containerID, 'two different instances were read');
});

test('a container still being created answers 400 waiting to start: ContainerCreating', async () => {
  await c.client.pods.create('default', {
    metadata: { name: 'slow', namespace: 'default', annotations: { 'sim.podbay.io/pull-seconds': '600' } },
    spec: { nodeName: NODE, containers: [{ name: 'app', image: 'other:1', command: ['sleep', '3600'] }] },
  });
  await eventually(async () => {
    await tick(0);
    const p = await c.client.pods.get('default', 'slow');
    return p.status?.containerStatuses?.[0]?.state?.waiting?.reason === 'ContainerCreating';
  }, 'slow ContainerCreating');
  const r = await c.server.request('GET', '/api/v1/namespaces/default/pods/slow/log');
  assert.equal(r.status, 400);
  assert.equal((r.json as Status).message, 'container "app" in pod "slow" is waiting to start: ContainerCreating');
});
