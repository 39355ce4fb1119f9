// A stand-in composition root for bench/sim until `podbay up --runtime sim
// --sim-nodes K` is wired in src/main.ts: the same command line, the same
// components in one process (apiserver on SQLite, scheduler, node-lifecycle
// controller, pod GC, K node agents on SimRuntime), the same DIR/kubeconfig.
// Run it through the harness: `sim-cluster.bench.js --server-script
// dist-NAME/bench/sim/sim-cluster-server.js`. Not part of podbay.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startApiServer } from '../../src/apiserver/server.js';
import { renderKubeconfig } from '../../src/cli/kubeconfig.js';
import { ApiClient } from '../../src/client/api-client.js';
import { SharedInformers } from '../../src/client/shared-informers.js';
import { startNodeLifecycleController } from '../../src/controllers/node-lifecycle/node-lifecycle-controller.js';
import { startPodGC } from '../../src/controllers/pod-gc/pod-gc-controller.js';
import { RealClock } from '../../src/lib/clock.js';
import { startNodeAgent } from '../../src/node/agent.js';
import type { NodeAgent } from '../../src/node/agent.js';
import { SimRuntime } from '../../src/runtime/sim/sim-runtime.js';
import { startScheduler } from '../../src/scheduler/scheduler.js';
import { startCompactor } from '../../src/store/compactor.js';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.js';

function flag(name: string, dflt: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? (process.argv[i + 1] ?? dflt) : dflt;
}

const dataDir = flag('data-dir', '/tmp/podbay-sim');
const [host, portText] = flag('listen', '127.0.0.1:6443').split(/:(?=\d+$)/);
const simNodes = Number(flag('sim-nodes', '1'));
const warn = (what: string) => (e: unknown) => void process.stderr.write(`${what}: ${String(e)}\n`);

const clock = new RealClock();
const store = SqliteStore.open(join(dataDir, 'state.db'));
const compactor = startCompactor(store, clock, { onError: warn('compaction') });
const server = await startApiServer({
  store,
  clock,
  host: host ?? '127.0.0.1',
  port: Number(portText ?? 6443),
  pkiDir: join(dataDir, 'pki'),
  onError: warn('apiserver'),
});
const client = new ApiClient({ server: server.url, token: server.token, caCertPem: server.caCertPem });
const informers = new SharedInformers(client, clock);
const scheduler = await startScheduler({ client, clock, informers, onError: warn('scheduler') });
const lifecycle = await startNodeLifecycleController({ client, clock, informers, onError: warn('node-lifecycle') });
const podGc = await startPodGC({ client, clock, informers, onError: warn('pod-gc') });
const agents: NodeAgent[] = [];
for (let i = 0; i < simNodes; i++) {
  const nodeName = `sim-${String(i).padStart(3, '0')}`;
  const runtime = new SimRuntime({ clock, name: nodeName, nodeIp: `10.0.${Math.floor(i / 250)}.${(i % 250) + 1}` });
  agents.push(
    startNodeAgent({
      client,
      runtime,
      clock,
      nodeName,
      hostIPs: [`10.0.${Math.floor(i / 250)}.${(i % 250) + 1}`],
      logRoot: join(dataDir, 'pods'),
      onError: warn(nodeName),
    }),
  );
}
writeFileSync(
  join(dataDir, 'kubeconfig'),
  renderKubeconfig({ server: server.url, caCertPem: server.caCertPem, token: server.token }),
  { mode: 0o600 },
);

const stop = async (): Promise<void> => {
  await Promise.all(agents.map((a) => a.stop()));
  await Promise.all([scheduler.stop(), lifecycle.stop(), podGc.stop()]);
  await informers.stop();
  client.close();
  await server.close();
  compactor.stop();
  await store.close();
  process.exit(0);
};
process.once('SIGTERM', () => void stop());
process.once('SIGINT', () => void stop());
