// kubectl's writes: create, apply (client- and server-side), label, annotate, patch in
// its three types, and edit through $EDITOR (kubectl-contract.md §6, §7).
import assert from 'node:assert/strict';
import { chmod } from 'node:fs/promises';
import { test } from 'node:test';
import { expectSuccess, podYaml, useCluster } from './e2e-cluster.js';

const cluster = useCluster();

async function labelsOf(name: string): Promise<Record<string, string>> {
  const out = expectSuccess(await cluster().kubectl(['get', 'pod', name, '-o', 'jsonpath={.metadata.labels}']));
  return JSON.parse(out) as Record<string, string>;
}

test('create makes a pod and prints pod/NAME created', async () => {
  const { kubectl, file } = cluster();
  const r = await kubectl(['create', '-f', await file('create.yaml', podYaml('create'))]);
  assert.deepEqual([r.code, r.stdout, r.stderr], [0, 'pod/create created\n', '']);
});

test('create -f - reads the manifest from stdin', async () => {
  const { kubectl } = cluster();
  const r = await kubectl(['create', '-f', '-'], { stdin: podYaml('from-stdin') });
  assert.deepEqual([r.code, r.stdout], [0, 'pod/from-stdin created\n']);
});

test('apply creates, then configures a changed manifest, then leaves an unchanged one alone', async () => {
  const { kubectl, file } = cluster();
  const path = await file('apply.yaml', podYaml('apply', { labels: { app: 'apply', rev: '1' } }));
  assert.equal(expectSuccess(await kubectl(['apply', '-f', path])), 'pod/apply created\n');
  const annotation = expectSuccess(
    await kubectl([
      'get',
      'pod',
      'apply',
      '-o',
      'jsonpath={.metadata.annotations.kubectl\\.kubernetes\\.io/last-applied-configuration}',
    ]),
  );
  assert.equal((JSON.parse(annotation) as { metadata: { name: string } }).metadata.name, 'apply');

  await file('apply.yaml', podYaml('apply', { labels: { app: 'apply', rev: '2' } }));
  assert.equal(expectSuccess(await kubectl(['apply', '-f', path])), 'pod/apply configured\n');
  assert.deepEqual(await labelsOf('apply'), { app: 'apply', rev: '2' });

  assert.equal(expectSuccess(await kubectl(['apply', '-f', path])), 'pod/apply unchanged\n');
});

test('apply of a change to an immutable pod field gets the Forbidden message of a cluster', async () => {
  const { kubectl, file } = cluster();
  const path = await file('immut.yaml', podYaml('immut'));
  expectSuccess(await kubectl(['apply', '-f', path]));
  await file('immut.yaml', podYaml('immut').replace('command: ["sleep", "3600"]', 'command: ["sleep", "60"]'));
  const r = await kubectl(['apply', '-f', path]);
  assert.equal(r.code, 1);
  assert.match(r.stderr, /The Pod "immut" is invalid: spec: Forbidden: pod updates may not change fields other than/);
});

test('label adds, overwrites and removes labels', async () => {
  const { kubectl, file } = cluster();
  expectSuccess(await kubectl(['create', '-f', await file('lbl.yaml', podYaml('lbl'))]));
  assert.equal(expectSuccess(await kubectl(['label', 'pod', 'lbl', 'color=blue'])), 'pod/lbl labeled\n');
  assert.deepEqual(await labelsOf('lbl'), { app: 'lbl', color: 'blue' });
  const clash = await kubectl(['label', 'pod', 'lbl', 'color=red']);
  assert.equal(clash.code, 1);
  assert.match(clash.stderr, /'color' already has a value \(blue\), and --overwrite is false/);
  expectSuccess(await kubectl(['label', 'pod', 'lbl', 'color=red', '--overwrite']));
  assert.equal((await labelsOf('lbl')).color, 'red');
  assert.equal(expectSuccess(await kubectl(['label', 'pod', 'lbl', 'color-'])), 'pod/lbl unlabeled\n');
  assert.deepEqual(await labelsOf('lbl'), { app: 'lbl' });
});

test('annotate adds and removes annotations', async () => {
  const { kubectl, file } = cluster();
  expectSuccess(await kubectl(['create', '-f', await file('ann.yaml', podYaml('ann'))]));
  assert.equal(expectSuccess(await kubectl(['annotate', 'pod', 'ann', 'note=hello world'])), 'pod/ann annotated\n');
  assert.equal(
    expectSuccess(await kubectl(['get', 'pod', 'ann', '-o', 'jsonpath={.metadata.annotations.note}'])),
    'hello world',
  );
  expectSuccess(await kubectl(['annotate', 'pod', 'ann', 'note-']));
  assert.equal(expectSuccess(await kubectl(['get', 'pod', 'ann', '-o', 'jsonpath={.metadata.annotations}'])), '');
});

test('patch applies strategic-merge, merge and JSON patches', async () => {
  const { kubectl, file } = cluster();
  expectSuccess(await kubectl(['create', '-f', await file('pat.yaml', podYaml('pat'))]));
  assert.equal(
    expectSuccess(await kubectl(['patch', 'pod', 'pat', '-p', '{"metadata":{"labels":{"s":"strategic"}}}'])),
    'pod/pat patched\n',
  );
  // Strategic merge keys containers by name: this changes the image of "main" in place.
  expectSuccess(
    await kubectl(['patch', 'pod', 'pat', '-p', '{"spec":{"containers":[{"name":"main","image":"busybox:1.37"}]}}']),
  );
  assert.equal(
    expectSuccess(
      await kubectl(['get', 'pod', 'pat', '-o', 'jsonpath={.spec.containers[*].name}={.spec.containers[*].image}']),
    ),
    'main=busybox:1.37',
  );
  expectSuccess(await kubectl(['patch', 'pod', 'pat', '--type=merge', '-p', '{"metadata":{"labels":{"m":"merge"}}}']));
  expectSuccess(
    await kubectl([
      'patch',
      'pod',
      'pat',
      '--type=json',
      '-p',
      '[{"op":"add","path":"/metadata/labels/j","value":"json"}]',
    ]),
  );
  assert.deepEqual(await labelsOf('pat'), { app: 'pat', s: 'strategic', m: 'merge', j: 'json' });
  assert.equal(
    expectSuccess(
      await kubectl(['patch', 'pod', 'pat', '--type=merge', '-p', '{"metadata":{"labels":{"m":"merge"}}}']),
    ),
    'pod/pat patched (no change)\n',
  );
  // A failed JSON patch test op is NewGenericServerResponse(422) in k8s.io/apiserver
  // endpoints/handlers/patch.go: reason Invalid, empty details and no causes. kubectl
  // (cmd/util/helpers.go checkErr) appends the server's message when details name no
  // kind or object and carry no causes, so the line ends with the generic 422 sentence.
  const bad = await kubectl([
    'patch',
    'pod',
    'pat',
    '--type=json',
    '-p',
    '[{"op":"test","path":"/metadata/name","value":"x"}]',
  ]);
  assert.deepEqual(
    [bad.code, bad.stderr],
    [1, 'The request is invalid: the server rejected our request due to an error in our request\n'],
  );
});

test('edit saves what the editor changed', async () => {
  const { kubectl, file } = cluster();
  expectSuccess(
    await kubectl(['create', '-f', await file('edit.yaml', podYaml('edit', { labels: { stage: 'before' } }))]),
  );
  const editor = await file('editor.sh', '#!/bin/sh\nsed -i "s/stage: before/stage: after/" "$1"\n');
  await chmod(editor, 0o755);
  const r = await kubectl(['edit', 'pod', 'edit'], { env: { EDITOR: editor, KUBE_EDITOR: editor } });
  assert.deepEqual([r.code, r.stdout], [0, 'pod/edit edited\n']);
  assert.deepEqual(await labelsOf('edit'), { stage: 'after' });

  const r2 = await kubectl(['edit', 'pod', 'edit'], { env: { EDITOR: editor, KUBE_EDITOR: editor } });
  assert.deepEqual([r2.code, r2.stderr], [0, 'Edit cancelled, no changes made.\n']);
});

test('apply --server-side creates, updates, and reports a conflict with another manager', async () => {
  const { kubectl, file } = cluster();
  const path = await file('ssa.yaml', podYaml('ssa', { labels: { app: 'ssa' } }));
  assert.equal(expectSuccess(await kubectl(['apply', '--server-side', '-f', path])), 'pod/ssa serverside-applied\n');
  const managers = expectSuccess(
    await kubectl([
      'get',
      'pod',
      'ssa',
      '--show-managed-fields',
      '-o',
      'jsonpath={.metadata.managedFields[*].manager}',
    ]),
  );
  assert.match(managers, /\bkubectl\b/);

  await file('ssa.yaml', podYaml('ssa', { labels: { app: 'ssa', extra: 'yes' } }));
  assert.equal(expectSuccess(await kubectl(['apply', '--server-side', '-f', path])), 'pod/ssa serverside-applied\n');
  assert.equal((await labelsOf('ssa')).extra, 'yes');

  const other = await file('ssa-other.yaml', podYaml('ssa', { labels: { app: 'taken' } }));
  const conflict = await kubectl(['apply', '--server-side', '--field-manager=other', '-f', other]);
  assert.equal(conflict.code, 1);
  assert.match(conflict.stderr, /Apply failed with 1 conflict: conflict with "kubectl"[^:]*: \.metadata\.labels\.app/);
  assert.match(conflict.stderr, /--force-conflicts/);
  assert.equal((await labelsOf('ssa')).app, 'ssa');

  expectSuccess(await kubectl(['apply', '--server-side', '--field-manager=other', '--force-conflicts', '-f', other]));
  assert.equal((await labelsOf('ssa')).app, 'taken');
});
