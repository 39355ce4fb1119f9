// delete with its flags, wait for conditions and deletion, and get -w (kubectl-contract.md
// §5, §6). No node exists yet, so a pod's Ready condition is set by a status patch through
// the API, the way a node agent would report it.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { waitFor } from '../helpers/wait-for.js';
import { expectSuccess, podYaml, useCluster } from './e2e-cluster.js';

const cluster = useCluster();

// kubectl wait passes what is left of --timeout as the watch's timeoutSeconds; when the
// server ends that watch a moment before kubectl's own deadline, client-go logs a
// "very short watch" warning first (as against any cluster). The verdict is the last line.
function lastLine(text: string): string | undefined {
  return text.trimEnd().split('\n').at(-1);
}

async function createPod(name: string, finalizers: string[] = []): Promise<void> {
  const { kubectl, file } = cluster();
  let yaml = podYaml(name);
  if (finalizers.length > 0) {
    yaml = yaml.replace('metadata:\n', `metadata:\n  finalizers: ${JSON.stringify(finalizers)}\n`);
  }
  expectSuccess(await kubectl(['create', '-f', await file(`${name}.yaml`, yaml)]));
}

test('delete removes an unscheduled pod at once and waits for it to be gone', async () => {
  const { kubectl } = cluster();
  await createPod('del-a');
  const r = await kubectl(['delete', 'pod', 'del-a', '--wait=true']);
  assert.deepEqual([r.code, r.stdout, r.stderr], [0, 'pod "del-a" deleted\n', '']);
  const gone = await kubectl(['get', 'pod', 'del-a']);
  assert.deepEqual([gone.code, gone.stderr], [1, 'Error from server (NotFound): pods "del-a" not found\n']);
});

test('delete --grace-period and --force delete an unscheduled pod', async () => {
  const { kubectl } = cluster();
  await createPod('del-grace');
  assert.equal(
    expectSuccess(await kubectl(['delete', 'pod', 'del-grace', '--grace-period=5'])),
    'pod "del-grace" deleted\n',
  );
  await createPod('del-force');
  const r = await kubectl(['delete', 'pod', 'del-force', '--grace-period=0', '--force']);
  assert.equal(r.code, 0);
  assert.equal(r.stdout, 'pod "del-force" force deleted\n');
  assert.match(
    r.stderr,
    /^Warning: Immediate deletion does not wait for confirmation that the running resource has been terminated/,
  );
  assert.equal((await kubectl(['get', 'pod', 'del-force'])).code, 1);
});

test('delete of a missing pod is NotFound unless --ignore-not-found', async () => {
  const { kubectl } = cluster();
  const r = await kubectl(['delete', 'pod', 'never-there']);
  assert.deepEqual([r.code, r.stderr], [1, 'Error from server (NotFound): pods "never-there" not found\n']);
  const quiet = await kubectl(['delete', 'pod', 'never-there', '--ignore-not-found']);
  assert.deepEqual([quiet.code, quiet.stdout, quiet.stderr], [0, '', '']);
});

test('delete -l deletes every selected pod', async () => {
  const { kubectl, file } = cluster();
  for (const name of ['bulk-1', 'bulk-2']) {
    expectSuccess(
      await kubectl(['create', '-f', await file(`${name}.yaml`, podYaml(name, { labels: { bulk: 'yes' } }))]),
    );
  }
  assert.equal(
    expectSuccess(await kubectl(['delete', 'pods', '-l', 'bulk=yes'])),
    'pod "bulk-1" deleted\npod "bulk-2" deleted\n',
  );
});

test('a pod with a finalizer stays terminating until the finalizer is removed; wait --for=delete sees it go', async () => {
  const { kubectl } = cluster();
  await createPod('fin', ['e2e.podbay.dev/hold']);
  expectSuccess(await kubectl(['delete', 'pod', 'fin', '--wait=false']));
  const ts = expectSuccess(await kubectl(['get', 'pod', 'fin', '-o', 'jsonpath={.metadata.deletionTimestamp}']));
  assert.match(ts, /^\d{4}-\d\d-\d\dT/);
  assert.match(expectSuccess(await kubectl(['get', 'pod', 'fin'])), /\bTerminating\b/);

  const timeout = await kubectl(['wait', '--for=delete', 'pod/fin', '--timeout=1s']);
  assert.deepEqual(
    [timeout.code, lastLine(timeout.stderr)],
    [1, 'error: timed out waiting for the condition on pods/fin'],
  );

  // -v=6 logs each request once its response headers arrive: the watch line says kubectl
  // is waiting, so the finalizer is removed only then (not before its first GET).
  const waiter = kubectl.spawn(['wait', '--for=delete', 'pod/fin', '--timeout=20s', '-v=6']);
  try {
    await waitFor(() => /GET https:\/\/\S+\/pods\?\S*watch=true\S* 200 OK/.test(waiter.stderr()), {
      what: 'kubectl wait to watch pod/fin',
      timeoutMs: 15_000,
    });
    expectSuccess(await kubectl(['patch', 'pod', 'fin', '--type=merge', '-p', '{"metadata":{"finalizers":null}}']));
    const done = await waiter.done;
    assert.deepEqual([done.code, done.stdout], [0, 'pod/fin condition met\n']);
  } finally {
    waiter.child.kill('SIGTERM');
  }
});

test('wait --for=delete of a pod that is already gone succeeds at once', async () => {
  const { kubectl } = cluster();
  await createPod('gone-already');
  expectSuccess(await kubectl(['delete', 'pod', 'gone-already']));
  const r = await kubectl(['wait', '--for=delete', 'pod/gone-already', '--timeout=5s']);
  assert.equal(r.code, 0);
});

test('wait --for=condition=Ready returns when a status patch marks the pod Ready, and times out otherwise', async () => {
  const { kubectl } = cluster();
  await createPod('ready');
  const timeout = await kubectl(['wait', '--for=condition=Ready', 'pod/ready', '--timeout=1s']);
  assert.deepEqual(
    [timeout.code, lastLine(timeout.stderr)],
    [1, 'error: timed out waiting for the condition on pods/ready'],
  );

  const waiter = kubectl(['wait', '--for=condition=Ready', 'pod/ready', '--timeout=20s']);
  const status = JSON.stringify({
    status: { conditions: [{ type: 'Ready', status: 'True', lastTransitionTime: '2026-01-01T00:00:00Z' }] },
  });
  expectSuccess(await kubectl(['patch', 'pod', 'ready', '--subresource=status', '--type=merge', '-p', status]));
  const done = await waiter;
  assert.deepEqual([done.code, done.stdout], [0, 'pod/ready condition met\n']);

  const missing = await kubectl(['wait', '--for=condition=Ready', 'pod/no-such-pod', '--timeout=2s']);
  assert.equal(missing.code, 1);
  assert.match(missing.stderr, /pods "no-such-pod" not found/);
});

test('get -w prints the pod, then a row for each change, until stopped', async () => {
  const { kubectl } = cluster();
  await createPod('watched');
  const watch = kubectl.spawn(['get', 'pod', 'watched', '-w', '--output-watch-events']);
  try {
    await waitFor(() => /^ADDED\s+watched\s+0\/1\s+Pending/m.test(watch.stdout()), {
      what: 'the ADDED row',
      timeoutMs: 15_000,
    });
    expectSuccess(await kubectl(['label', 'pod', 'watched', 'seen=yes']));
    await waitFor(() => /^MODIFIED\s+watched\s+0\/1\s+Pending/m.test(watch.stdout()), {
      what: 'the MODIFIED row',
      timeoutMs: 15_000,
    });
    expectSuccess(await kubectl(['delete', 'pod', 'watched', '--wait=false']));
    await waitFor(() => /^DELETED\s+watched\s/m.test(watch.stdout()), { what: 'the DELETED row', timeoutMs: 15_000 });
    assert.match(watch.stdout(), /^EVENT\s+NAME\s+READY\s+STATUS\s+RESTARTS\s+AGE$/m);
    assert.equal(watch.child.exitCode, null, 'get -w keeps watching');
  } finally {
    watch.child.kill('SIGTERM');
  }
});
