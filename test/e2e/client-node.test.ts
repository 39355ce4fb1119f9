// @kubernetes/client-node 2.0.1 against podbay (issue 2 item 7): its kubeconfig loader
// reads ours (https + CA + token), and list, watch, create, patch and delete behave as
// against a cluster (kubectl-contract.md §11).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  ApiException,
  CoreV1Api,
  KubeConfig,
  PatchStrategy,
  Watch,
  setHeaderOptions,
  type V1Pod,
} from '@kubernetes/client-node';
import { waitFor } from '../helpers/wait-for.js';
import { useCluster } from './e2e-cluster.js';

const cluster = useCluster();

function client(): { kc: KubeConfig; core: CoreV1Api } {
  const kc = new KubeConfig();
  kc.loadFromFile(cluster().podbay.kubeconfigPath);
  return { kc, core: kc.makeApiClient(CoreV1Api) };
}

function pod(name: string, labels: Record<string, string> = { app: name }): V1Pod {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, labels },
    // No scheduler serves this name, so the pod stays as the test leaves it (no
    // PodScheduled=False status write from the default scheduler on a node-less cluster).
    spec: {
      schedulerName: 'e2e-unscheduled',
      containers: [{ name: 'main', image: 'busybox:1.36', command: ['sleep', '3600'] }],
    },
  };
}

test('the kubeconfig loader picks the podbay context, server and token', () => {
  const { kc } = client();
  assert.equal(kc.getCurrentContext(), 'podbay');
  assert.equal(kc.getCurrentCluster()?.server, cluster().podbay.url);
  assert.equal(kc.getCurrentUser()?.token, cluster().podbay.token);
});

test('create returns the stored pod and list finds it by label', async () => {
  const { core } = client();
  const created = await core.createNamespacedPod({ namespace: 'default', body: pod('cn-create', { lib: 'cn' }) });
  assert.equal(created.metadata?.name, 'cn-create');
  assert.match(created.metadata?.uid ?? '', /^[0-9a-f-]{36}$/);
  assert.equal(created.status?.phase, 'Pending');
  const list = await core.listNamespacedPod({ namespace: 'default', labelSelector: 'lib=cn' });
  assert.deepEqual(
    list.items.map((p) => p.metadata?.name),
    ['cn-create'],
  );
  assert.match(list.metadata?.resourceVersion ?? '', /^\d+$/);
});

test('patch applies a merge patch and a JSON patch', async () => {
  const { core } = client();
  await core.createNamespacedPod({ namespace: 'default', body: pod('cn-patch') });
  const merged = await core.patchNamespacedPod(
    { name: 'cn-patch', namespace: 'default', body: { metadata: { labels: { patched: 'merge' } } } },
    setHeaderOptions('Content-Type', PatchStrategy.MergePatch),
  );
  assert.equal(merged.metadata?.labels?.patched, 'merge');
  const jsonPatched = await core.patchNamespacedPod(
    {
      name: 'cn-patch',
      namespace: 'default',
      body: [{ op: 'replace', path: '/metadata/labels/patched', value: 'json' }],
    },
    setHeaderOptions('Content-Type', PatchStrategy.JsonPatch),
  );
  assert.equal(jsonPatched.metadata?.labels?.patched, 'json');
  assert.notEqual(jsonPatched.metadata?.resourceVersion, merged.metadata?.resourceVersion);
});

test('delete removes the pod and a second delete is a 404 ApiException', async () => {
  const { core } = client();
  await core.createNamespacedPod({ namespace: 'default', body: pod('cn-delete') });
  await core.deleteNamespacedPod({ name: 'cn-delete', namespace: 'default' });
  await assert.rejects(
    core.readNamespacedPod({ name: 'cn-delete', namespace: 'default' }),
    (e: unknown) => e instanceof ApiException && e.code === 404,
  );
  await assert.rejects(
    core.deleteNamespacedPod({ name: 'cn-delete', namespace: 'default' }),
    (e: unknown) => e instanceof ApiException && e.code === 404,
  );
});

test('an invalid pod is a 422 ApiException carrying the Status with causes', async () => {
  const { core } = client();
  const bad = pod('cn-invalid');
  bad.spec!.containers[0]!.name = '';
  await assert.rejects(core.createNamespacedPod({ namespace: 'default', body: bad }), (e: unknown) => {
    assert.ok(e instanceof ApiException);
    assert.equal(e.code, 422);
    const status = (typeof e.body === 'string' ? JSON.parse(e.body) : e.body) as {
      reason: string;
      details: { causes: { field: string }[] };
    };
    assert.equal(status.reason, 'Invalid');
    assert.equal(status.details.causes[0]?.field, 'spec.containers[0].name');
    return true;
  });
});

test('a watch from a list revision receives ADDED, MODIFIED and DELETED in order', async () => {
  const { kc, core } = client();
  const list = await core.listNamespacedPod({ namespace: 'default', labelSelector: 'watch=cn' });
  const events: string[] = [];
  let ended: unknown = 'open';
  const controller = await new Watch(kc).watch(
    '/api/v1/namespaces/default/pods',
    { labelSelector: 'watch=cn', resourceVersion: list.metadata?.resourceVersion, allowWatchBookmarks: true },
    (phase, obj: V1Pod) => {
      if (phase !== 'BOOKMARK') {
        events.push(`${phase} ${obj.metadata?.name ?? '?'} ${obj.metadata?.labels?.step ?? ''}`.trim());
      }
    },
    (err: unknown) => {
      ended = err;
    },
  );
  try {
    await core.createNamespacedPod({ namespace: 'default', body: pod('cn-watch', { watch: 'cn', step: '1' }) });
    await core.patchNamespacedPod(
      { name: 'cn-watch', namespace: 'default', body: { metadata: { labels: { step: '2' } } } },
      setHeaderOptions('Content-Type', PatchStrategy.MergePatch),
    );
    await core.deleteNamespacedPod({ name: 'cn-watch', namespace: 'default' });
    await waitFor(() => events.length >= 3, { what: `three watch events (got ${events.join(', ')})` });
    assert.deepEqual(events, ['ADDED cn-watch 1', 'MODIFIED cn-watch 2', 'DELETED cn-watch 2']);
    assert.equal(ended, 'open', 'the watch stays open');
  } finally {
    controller.abort();
  }
});

test('a watch without a revision starts with a synthetic ADDED for each existing pod', async () => {
  const { kc, core } = client();
  await core.createNamespacedPod({ namespace: 'default', body: pod('cn-existing', { existing: 'cn' }) });
  const events: string[] = [];
  const controller = await new Watch(kc).watch(
    '/api/v1/namespaces/default/pods',
    { labelSelector: 'existing=cn' },
    (phase, obj: V1Pod) => void events.push(`${phase} ${obj.metadata?.name ?? '?'}`),
    () => undefined,
  );
  try {
    await waitFor(() => events.length >= 1, { what: 'the synthetic ADDED' });
    assert.deepEqual(events, ['ADDED cn-existing']);
  } finally {
    controller.abort();
  }
});
