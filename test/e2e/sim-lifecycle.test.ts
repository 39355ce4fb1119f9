// The Pod lifecycle end to end on the sim runtime (issue 3 item 7): `./bin/podbay up
// --runtime sim` with two in-process nodes, a third node joined as its own process, and
// the real kubectl. Real time, so every wait is bounded; the sim's timings
// (docs/sim-runtime.md annotations) are chosen short.
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { after, test } from 'node:test';
import { join } from 'node:path';
import { PODBAY_BIN } from '../helpers/repo-paths.js';
import { waitFor } from '../helpers/wait-for.js';
import { expectSuccess, tableRows, useCluster } from './e2e-cluster.js';

const cluster = useCluster({
  extraArgs: ['--runtime', 'sim', '--sim-nodes', '2', '--node-monitor-grace-period', '2s'],
});

/** The STATUS column of every row `kubectl get -w` printed, consecutive repeats folded. */
function statuses(stdout: string): string[] {
  const out: string[] = [];
  for (const row of tableRows(stdout).filter((r) => r[0] !== 'NAME')) {
    const s = row[2];
    if (s !== undefined && out.at(-1) !== s) {
      out.push(s);
    }
  }
  return out;
}

function isSubsequence(want: string[], got: string[]): boolean {
  let i = 0;
  for (const g of got) {
    if (g === want[i]) {
      i++;
    }
  }
  return i === want.length;
}

test('up --runtime sim --sim-nodes 2 registers two Ready nodes', async () => {
  const { kubectl } = cluster();
  await waitFor(
    async () => {
      const rows = tableRows(expectSuccess(await kubectl(['get', 'nodes'])));
      return rows.filter((r) => /^sim-[12]$/.test(r[0] ?? '') && r[1] === 'Ready').length === 2;
    },
    { timeoutMs: 15_000, what: 'two Ready sim nodes' },
  );
});

test('get -w shows Pending → ContainerCreating → Running → Error → CrashLoopBackOff for a crashing container', async () => {
  const { kubectl, file } = cluster();
  const watch = kubectl.spawn(['get', 'pods', '-l', 'app=crashy', '-w']);
  try {
    const manifest = `apiVersion: v1
kind: Pod
metadata:
  name: crashy
  labels: {app: crashy}
  annotations:
    sim.podbay.io/pull-seconds: "1"
spec:
  containers:
  - name: app
    image: busybox
    imagePullPolicy: Always
    command: [sh, -c, "echo starting; sleep 1; exit 1"]
`;
    expectSuccess(await kubectl(['apply', '-f', await file('crashy.yaml', manifest)]));
    const want = ['Pending', 'ContainerCreating', 'Running', 'Error', 'CrashLoopBackOff'];
    await waitFor(() => isSubsequence(want, statuses(watch.stdout())), {
      timeoutMs: 30_000,
      what: `the status sequence ${want.join(' → ')} (seen: ${statuses(watch.stdout()).join(' → ')})`,
    });
  } finally {
    watch.child.kill('SIGTERM');
  }
  const described = expectSuccess(await kubectl(['describe', 'pod', 'crashy']));
  for (const line of [
    /^ {2}Normal\s+Scheduled\s+\S+\s+default-scheduler\s+Successfully assigned default\/crashy to sim-[12]$/m,
    /^ {2}Normal\s+Pulling\s+\S+(\s+\(x\d+ over \S+\))?\s+kubelet\s+Pulling image "busybox"$/m,
    /^ {2}Normal\s+Pulled\s+.*kubelet\s+Successfully pulled image "busybox" in /m,
    /^ {2}Normal\s+Created\s+.*kubelet\s+Created container: app$/m,
    /^ {2}Normal\s+Started\s+.*kubelet\s+Started container app$/m,
    /^ {2}Warning\s+BackOff\s+.*kubelet\s+Back-off restarting failed container app in pod crashy_default\(/m,
  ]) {
    assert.match(described, line);
  }
  assert.match(described, /^ {4}Last State:\s+Terminated\n {6}Reason:\s+Error\n {6}Exit Code:\s+1$/m);
  const logs = expectSuccess(
    await kubectl(['get', 'pod', 'crashy', '-o', 'jsonpath={.status.containerStatuses[0].restartCount}']),
  );
  assert.ok(Number(logs) >= 1, `restartCount ${logs}`);
});

test('wait --for=condition=Ready and --for=jsonpath phase Succeeded follow the sim lifecycle', async () => {
  const { kubectl, file } = cluster();
  const manifest = `apiVersion: v1
kind: Pod
metadata: {name: job-like}
spec:
  restartPolicy: Never
  containers:
  - name: work
    image: busybox
    command: [sh, -c, "sleep 2; exit 0"]
---
apiVersion: v1
kind: Pod
metadata: {name: server}
spec:
  containers:
  - name: web
    image: busybox
    command: [httpd, -f]
    readinessProbe:
      exec: {command: ["true"]}
      periodSeconds: 1
`;
  expectSuccess(await kubectl(['apply', '-f', await file('wait.yaml', manifest)]));
  const ready = await kubectl(['wait', '--for=condition=Ready', 'pod/server', '--timeout=20s'], { timeoutMs: 25_000 });
  assert.deepEqual([ready.code, ready.stdout], [0, 'pod/server condition met\n']);
  const done = await kubectl(['wait', '--for=jsonpath={.status.phase}=Succeeded', 'pod/job-like', '--timeout=20s'], {
    timeoutMs: 25_000,
  });
  assert.deepEqual([done.code, done.stdout], [0, 'pod/job-like condition met\n']);
  const rows = tableRows(expectSuccess(await kubectl(['get', 'pod', 'job-like'])));
  assert.deepEqual(rows[1]?.slice(1, 4), ['0/1', 'Completed', '0']);
});

test('a joined node killed with SIGKILL turns its pod Unknown, and rejoining makes it Running again', async () => {
  const { kubectl, file, podbay } = cluster();
  const joined: ChildProcess[] = [];
  const join_ = (): ChildProcess => {
    const child = spawn(
      PODBAY_BIN,
      [
        'node',
        'join',
        '--kubeconfig',
        podbay.kubeconfigPath,
        '--name',
        'lost-1',
        '--runtime',
        'sim',
        '--data-dir',
        join(podbay.dataDir, 'lost-1'),
      ],
      { stdio: 'ignore' },
    );
    joined.push(child);
    return child;
  };
  after(() => {
    for (const c of joined) {
      if (c.exitCode === null && c.signalCode === null) {
        c.kill('SIGKILL');
      }
    }
  });
  const agent = join_();
  await waitFor(
    async () =>
      (await kubectl(['get', 'node', 'lost-1', '-o', 'jsonpath={.status.conditions[?(@.type=="Ready")].status}']))
        .stdout === 'True',
    { timeoutMs: 20_000, what: 'node lost-1 Ready' },
  );
  const manifest = `apiVersion: v1
kind: Pod
metadata: {name: on-lost}
spec:
  nodeName: lost-1
  containers:
  - name: app
    image: busybox
    command: [sleep, infinity]
`;
  expectSuccess(await kubectl(['apply', '-f', await file('on-lost.yaml', manifest)]));
  const phase = async (): Promise<string> =>
    (await kubectl(['get', 'pod', 'on-lost', '-o', 'jsonpath={.status.phase}'])).stdout;
  await waitFor(async () => (await phase()) === 'Running', { timeoutMs: 20_000, what: 'on-lost Running' });

  agent.kill('SIGKILL');
  await waitFor(async () => (await phase()) === 'Unknown', { timeoutMs: 30_000, what: 'on-lost Unknown' });
  const rows = tableRows(expectSuccess(await kubectl(['get', 'pod', 'on-lost'])));
  assert.equal(rows[1]?.[2], 'Unknown');
  const node = tableRows(expectSuccess(await kubectl(['get', 'node', 'lost-1'])));
  assert.equal(node[1]?.[1], 'NotReady');
  const ready = await kubectl([
    'get',
    'pod',
    'on-lost',
    '-o',
    'jsonpath={.status.conditions[?(@.type=="Ready")].reason}',
  ]);
  assert.equal(ready.stdout, 'NodeLost');

  // The sim's containers died with the process: the new agent finds none and starts the
  // container again; the pod is Running (its restart counted) once the Lease is renewed.
  join_();
  await waitFor(async () => (await phase()) === 'Running', { timeoutMs: 30_000, what: 'on-lost Running again' });
});
