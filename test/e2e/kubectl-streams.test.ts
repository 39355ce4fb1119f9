// kubectl logs, exec, attach and port-forward against `podbay up --runtime sim
// --sim-nodes 1`: through the HTTPS apiserver with the admin token, proxied to the
// sim node agent's stream server (kubectl-contract.md 8, 9; issue 4 item 5).
import { httpGetLocal } from '../helpers/http-get.js';
import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { freePort } from '../helpers/free-port.js';
import type { SpawnedKubectl } from '../helpers/kubectl.js';
import { waitFor } from '../helpers/wait-for.js';
import { expectSuccess, useCluster } from './e2e-cluster.js';

const cluster = useCluster({ extraArgs: ['--runtime', 'sim', '--sim-nodes', '1'] });
const spawned: SpawnedKubectl[] = [];
after(() => {
  for (const p of spawned) {
    p.child.kill('SIGKILL');
  }
});

function podYaml(name: string, script: string, extra: { annotations?: string; restartPolicy?: string } = {}): string {
  return `apiVersion: v1
kind: Pod
metadata:
  name: ${name}
${extra.annotations ? `  annotations:\n${extra.annotations}\n` : ''}spec:
  restartPolicy: ${extra.restartPolicy ?? 'Always'}
  containers:
  - name: app
    image: busybox:1.36
    command: ["sh", "-c", ${JSON.stringify(script)}]
`;
}

/** Creates the pod and waits until kubectl reports it Running. */
async function run(name: string, yaml: string): Promise<void> {
  const { kubectl, file } = cluster();
  expectSuccess(await kubectl(['create', '-f', await file(`${name}.yaml`, yaml)]));
  await waitFor(
    async () => (await kubectl(['get', 'pod', name, '-o', 'jsonpath={.status.phase}'])).stdout === 'Running',
    { timeoutMs: 20_000, what: `${name} Running` },
  );
}

test('logs prints the log and logs -f follows it until the container exits', async () => {
  const { kubectl } = cluster();
  await run(
    'e2e-logs',
    podYaml('e2e-logs', 'echo one; sleep 1; echo two; sleep 0.2; exit 0', { restartPolicy: 'Never' }),
  );
  const f = kubectl.spawn(['logs', '-f', 'e2e-logs']);
  spawned.push(f);
  const r = await f.done;
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout, 'one\ntwo\n');
  const tail = await kubectl(['logs', 'e2e-logs', '--tail=1', '--timestamps']);
  assert.match(expectSuccess(tail), /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{9}Z two\n$/);
});

test('exec exits with the command exit code; exec -i feeds stdin', async () => {
  const { kubectl } = cluster();
  await run('e2e-exec', podYaml('e2e-exec', 'sleep 3600'));
  const r = await kubectl(['exec', 'e2e-exec', '--', 'sh', '-c', 'echo out; echo err >&2; exit 3']);
  assert.equal(r.code, 3);
  assert.equal(r.stdout, 'out\n');
  assert.equal(r.stderr, 'err\ncommand terminated with exit code 3\n');
  const cat = await kubectl(['exec', '-i', 'e2e-exec', '--', 'cat'], { stdin: 'hello\n' });
  assert.equal(expectSuccess(cat), 'hello\n');
});

test('port-forward reaches the pod port', async () => {
  const { kubectl } = cluster();
  await run(
    'e2e-pf',
    podYaml('e2e-pf', 'sleep 3600', { annotations: "    sim.podbay.io/port.80: 'http:200:hello over port-forward'" }),
  );
  const local = await freePort();
  const p = kubectl.spawn(['port-forward', 'pod/e2e-pf', `${local}:80`]);
  spawned.push(p);
  await waitFor(() => p.stdout().includes('Forwarding from 127.0.0.1'), { timeoutMs: 15_000, what: 'port-forward' });
  const r = await httpGetLocal(local);
  assert.equal(r.status, 200);
  assert.equal(r.body, 'hello over port-forward');
  p.child.kill('SIGTERM');
  await p.done;
});
