// kubectl get in every output the issue names, describe, api-resources, explain and
// events, checked against what a Kubernetes v1.32 cluster prints (kubectl-contract.md §4, §6).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { waitFor } from '../helpers/wait-for.js';
import { expectSuccess, podYaml, tableRows, useCluster } from './e2e-cluster.js';

const cluster = useCluster();

test('kubectl version shows the v1.32 server podbay serves', async () => {
  const { kubectl } = cluster();
  const out = expectSuccess(await kubectl(['version']));
  assert.match(out, /^Client Version: v1\.32\.\d+/m);
  assert.match(out, /^Server Version: v1\.32\.\d+$/m);
});

test('get pods in an empty namespace says there are no resources', async () => {
  const { kubectl } = cluster();
  const r = await kubectl(['get', 'pods', '-n', 'kube-node-lease']);
  assert.equal(r.code, 0);
  assert.equal(r.stdout, '');
  assert.equal(r.stderr, 'No resources found in kube-node-lease namespace.\n');
});

test('get pods prints kubectl columns for a Pending pod with no node', async () => {
  const { kubectl, file } = cluster();
  expectSuccess(await kubectl(['create', '-f', await file('get-a.yaml', podYaml('get-a'))]));
  const rows = tableRows(expectSuccess(await kubectl(['get', 'pods', 'get-a'])));
  assert.deepEqual(rows[0], ['NAME', 'READY', 'STATUS', 'RESTARTS', 'AGE']);
  assert.deepEqual(rows[1]?.slice(0, 4), ['get-a', '0/1', 'Pending', '0']);
  assert.match(rows[1]?.[4] ?? '', /^\d+s$/);
});

test('get -o wide adds IP, NODE, NOMINATED NODE and READINESS GATES', async () => {
  const { kubectl, file } = cluster();
  expectSuccess(await kubectl(['apply', '-f', await file('get-wide.yaml', podYaml('get-wide'))]));
  const rows = tableRows(expectSuccess(await kubectl(['get', 'pod', 'get-wide', '-o', 'wide'])));
  assert.deepEqual(rows[0], [
    'NAME',
    'READY',
    'STATUS',
    'RESTARTS',
    'AGE',
    'IP',
    'NODE',
    'NOMINATED NODE',
    'READINESS GATES',
  ]);
  assert.deepEqual(rows[1]?.slice(5), ['<none>', '<none>', '<none>', '<none>']);
});

test('get -o yaml, -o json, -o name and -o jsonpath print the stored pod with defaults', async () => {
  const { kubectl, file } = cluster();
  expectSuccess(await kubectl(['create', '-f', await file('get-out.yaml', podYaml('get-out'))]));
  const yaml = expectSuccess(await kubectl(['get', 'pod', 'get-out', '-o', 'yaml']));
  assert.match(yaml, /^apiVersion: v1\nkind: Pod\nmetadata:\n/);
  assert.match(yaml, /^ {2}name: get-out$/m);
  assert.match(yaml, /^ {2}uid: [0-9a-f-]{36}$/m);
  assert.match(yaml, /^ {2}restartPolicy: Always$/m);
  assert.match(yaml, /^ {2}phase: Pending$/m);

  const pod = JSON.parse(expectSuccess(await kubectl(['get', 'pod', 'get-out', '-o', 'json']))) as {
    metadata: { name: string; namespace: string; resourceVersion: string; creationTimestamp: string };
    spec: { containers: { name: string; terminationMessagePath: string; imagePullPolicy: string }[] };
    status: { qosClass: string };
  };
  assert.equal(pod.metadata.name, 'get-out');
  assert.equal(pod.metadata.namespace, 'default');
  assert.match(pod.metadata.resourceVersion, /^\d+$/);
  assert.match(pod.metadata.creationTimestamp, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
  assert.equal(pod.spec.containers[0]?.terminationMessagePath, '/dev/termination-log');
  assert.equal(pod.spec.containers[0]?.imagePullPolicy, 'IfNotPresent');
  assert.equal(pod.status.qosClass, 'BestEffort');

  assert.equal(expectSuccess(await kubectl(['get', 'pod', 'get-out', '-o', 'name'])), 'pod/get-out\n');
  assert.equal(
    expectSuccess(
      await kubectl(['get', 'pod', 'get-out', '-o', 'jsonpath={.metadata.name} {.spec.containers[0].image}']),
    ),
    'get-out busybox:1.36',
  );
});

test('get -l and --field-selector select pods, and --show-labels prints them', async () => {
  const { kubectl, file } = cluster();
  await kubectl(['create', '-f', await file('sel-1.yaml', podYaml('sel-1', { labels: { tier: 'web', e2e: 'sel' } }))]);
  await kubectl(['create', '-f', await file('sel-2.yaml', podYaml('sel-2', { labels: { tier: 'db', e2e: 'sel' } }))]);
  assert.equal(expectSuccess(await kubectl(['get', 'pods', '-l', 'tier=web', '-o', 'name'])), 'pod/sel-1\n');
  assert.equal(expectSuccess(await kubectl(['get', 'pods', '-l', 'e2e=sel,tier!=web', '-o', 'name'])), 'pod/sel-2\n');
  assert.equal(
    expectSuccess(await kubectl(['get', 'pods', '-l', 'tier in (web,db)', '-o', 'name'])),
    'pod/sel-1\npod/sel-2\n',
  );
  assert.equal(
    expectSuccess(await kubectl(['get', 'pods', '--field-selector', 'metadata.name=sel-2', '-o', 'name'])),
    'pod/sel-2\n',
  );
  assert.equal(
    expectSuccess(
      await kubectl(['get', 'pods', '-l', 'e2e=sel', '--field-selector', 'status.phase=Pending', '-o', 'name']),
    ),
    'pod/sel-1\npod/sel-2\n',
  );
  const none = await kubectl(['get', 'pods', '--field-selector', 'status.phase=Running']);
  assert.equal(none.code, 0);
  assert.equal(none.stderr, 'No resources found in default namespace.\n');

  const rows = tableRows(expectSuccess(await kubectl(['get', 'pods', '-l', 'e2e=sel', '--show-labels'])));
  assert.equal(rows[0]?.at(-1), 'LABELS');
  assert.equal(rows[1]?.at(-1), 'e2e=sel,tier=web');
  assert.equal(rows[2]?.at(-1), 'e2e=sel,tier=db');
});

test('get -A lists pods of every namespace with a NAMESPACE column', async () => {
  const { kubectl, file } = cluster();
  expectSuccess(await kubectl(['create', '-f', await file('all-ns.yaml', podYaml('all-ns'))]));
  expectSuccess(await kubectl(['create', '-n', 'kube-system', '-f', await file('all-ns.yaml', podYaml('all-ns'))]));
  const rows = tableRows(expectSuccess(await kubectl(['get', 'pods', '-A', '-l', 'app=all-ns'])));
  assert.deepEqual(rows[0], ['NAMESPACE', 'NAME', 'READY', 'STATUS', 'RESTARTS', 'AGE']);
  assert.deepEqual(
    rows.slice(1).map((r) => r.slice(0, 2)),
    [
      ['default', 'all-ns'],
      ['kube-system', 'all-ns'],
    ],
  );
});

test('get namespaces lists the three namespaces made at start', async () => {
  const { kubectl } = cluster();
  const rows = tableRows(expectSuccess(await kubectl(['get', 'namespaces'])));
  assert.deepEqual(rows[0], ['NAME', 'STATUS', 'AGE']);
  const names = rows.slice(1).map((r) => [r[0], r[1]]);
  for (const ns of ['default', 'kube-node-lease', 'kube-system']) {
    assert.deepEqual(
      names.find((n) => n[0] === ns),
      [ns, 'Active'],
    );
  }
});

test('describe pod prints the pod, its containers and the scheduler finding no node', async () => {
  const { kubectl, file } = cluster();
  expectSuccess(await kubectl(['create', '-f', await file('desc.yaml', podYaml('desc'))]));
  // The default scheduler runs with no node: kube-scheduler's ErrNoNodesAvailable.
  let out = '';
  await waitFor(
    async () => {
      out = expectSuccess(await kubectl(['describe', 'pod', 'desc']));
      return /FailedScheduling/.test(out);
    },
    { timeoutMs: 10_000, what: 'the FailedScheduling event' },
  );
  assert.match(out, /^Name:\s+desc$/m);
  assert.match(out, /^Namespace:\s+default$/m);
  assert.match(out, /^Labels:\s+app=desc$/m);
  assert.match(out, /^Status:\s+Pending$/m);
  assert.match(out, /^Containers:\n {2}main:\n/m);
  assert.match(out, /^ {4}Image:\s+busybox:1\.36$/m);
  assert.match(out, /^QoS Class:\s+BestEffort$/m);
  assert.match(out, /^ {2}PodScheduled\s+False\s*$/m);
  assert.match(
    out,
    /^ {2}Warning\s+FailedScheduling\s+\S+\s+default-scheduler\s+no nodes available to schedule pods$/m,
  );
});

test('api-resources lists pods with short name po and the core resources', async () => {
  const { kubectl } = cluster();
  const rows = tableRows(expectSuccess(await kubectl(['api-resources'])));
  assert.deepEqual(rows[0], ['NAME', 'SHORTNAMES', 'APIVERSION', 'NAMESPACED', 'KIND']);
  const byName = new Map(rows.slice(1).map((r) => [r[0], r]));
  assert.deepEqual(byName.get('pods'), ['pods', 'po', 'v1', 'true', 'Pod']);
  assert.deepEqual(byName.get('namespaces'), ['namespaces', 'ns', 'v1', 'false', 'Namespace']);
  assert.deepEqual(byName.get('nodes'), ['nodes', 'no', 'v1', 'false', 'Node']);
  assert.deepEqual(byName.get('configmaps'), ['configmaps', 'cm', 'v1', 'true', 'ConfigMap']);
  assert.deepEqual(byName.get('secrets'), ['secrets', 'v1', 'true', 'Secret']);
  assert.deepEqual(byName.get('leases'), ['leases', 'coordination.k8s.io/v1', 'true', 'Lease']);
  assert.ok(byName.has('events'), 'events listed');
});

test('get po and get all work through short names and categories', async () => {
  const { kubectl, file } = cluster();
  expectSuccess(await kubectl(['create', '-f', await file('short.yaml', podYaml('short'))]));
  assert.equal(expectSuccess(await kubectl(['get', 'po', 'short', '-o', 'name'])), 'pod/short\n');
  assert.match(expectSuccess(await kubectl(['get', 'all', '-o', 'name'])), /^pod\/short$/m);
});

test('explain pod prints the schema of a Pod as a cluster does', async () => {
  const { kubectl } = cluster();
  const out = expectSuccess(await kubectl(['explain', 'pod']));
  assert.match(out, /^KIND:\s+Pod\nVERSION:\s+v1\n/);
  assert.match(
    out,
    /^DESCRIPTION:\n {4}Pod is a collection of containers that can run on a host\. This resource is\n {4}created by clients and scheduled onto hosts\.\n/m,
  );
  assert.match(out, /^FIELDS:$/m);
  const fields = [...out.matchAll(/^ {2}(\w+)\t<(\w+)>/gm)].map((m) => `${m[1]} ${m[2]}`);
  assert.deepEqual(fields, [
    'apiVersion string',
    'kind string',
    'metadata ObjectMeta',
    'spec PodSpec',
    'status PodStatus',
  ]);
  const field = expectSuccess(await kubectl(['explain', 'pod.spec.restartPolicy']));
  assert.match(
    field,
    /^FIELD:\s+restartPolicy <string>\nENUM:\n {4}Always\n {4}Never\n {4}OnFailure\n\nDESCRIPTION:\n/m,
  );
  assert.match(field, /^ {4}Restart policy for all containers within the pod\. One of Always, OnFailure,$/m);
  assert.match(field, /^ {4}Possible enum values:\n {5}- `"Always"`\n {5}- `"Never"`\n {5}- `"OnFailure"`$/m);
});

test('explain pod.spec.containers.image describes the field, and a list field shows its item type', async () => {
  const { kubectl } = cluster();
  const out = expectSuccess(await kubectl(['explain', 'pod.spec.containers.image']));
  assert.match(out, /^KIND:\s+Pod\nVERSION:\s+v1\n\nFIELD: image <string>\n/);
  assert.match(out, /^ {4}Container image name\. More info:$/m);
  const containers = expectSuccess(await kubectl(['explain', 'pods.spec.containers']));
  assert.match(containers, /^FIELD: containers <\[\]Container>$/m);
  assert.match(containers, /^ {2}name\t<string> -required-$/m);
  assert.match(containers, /^ {2}ports\t<\[\]ContainerPort>$/m);
  assert.match(containers, /^ {2}resources\t<ResourceRequirements>$/m);
  // Quantity and IntOrString are named, Time is a string, as on a cluster.
  const resources = expectSuccess(await kubectl(['explain', 'pod.spec.containers.resources']));
  assert.match(resources, /^ {2}limits\t<map\[string\]Quantity>$/m);
  const httpGet = expectSuccess(await kubectl(['explain', 'pod.spec.containers.livenessProbe.httpGet']));
  assert.match(httpGet, /^ {2}port\t<IntOrString> -required-$/m);
  assert.match(httpGet, /^ {2}scheme\t<string>\n {2}enum: HTTP, HTTPS$/m);
  const metadata = expectSuccess(await kubectl(['explain', 'pod.metadata']));
  assert.match(metadata, /^ {2}creationTimestamp\t<string>$/m);
});

test('explain --recursive lists nested fields, and other served kinds are explained too', async () => {
  const { kubectl } = cluster();
  const out = expectSuccess(await kubectl(['explain', 'pods.spec', '--recursive']));
  assert.match(out, /^ {2}containers\t<\[\]Container> -required-$/m);
  assert.match(out, /^ {4}livenessProbe\t<Probe>$/m);
  assert.match(out, /^ {6}httpGet\t<HTTPGetAction>$/m);
  const lease = expectSuccess(await kubectl(['explain', 'lease.spec.holderIdentity']));
  assert.match(lease, /^GROUP:\s+coordination\.k8s\.io\nKIND:\s+Lease\nVERSION:\s+v1\n/);
  assert.match(lease, /^FIELD: holderIdentity <string>$/m);
  const node = expectSuccess(await kubectl(['explain', 'node.status.conditions']));
  assert.match(node, /^FIELD: conditions <\[\]NodeCondition>$/m);
});

// Not explain itself, but what serving schemas changes: client-side apply now computes its
// strategic merge patch from the served Pod schema (a schema without the
// x-kubernetes-patch-* extensions would warn `error calculating patch from openapi v3 spec`).
test('client-side apply merges containers by name from the served schema, without a warning', async () => {
  const { kubectl, file } = cluster();
  const two = (imageA: string, imageB: string): string => `apiVersion: v1
kind: Pod
metadata:
  name: merge
spec:
  containers:
  - name: a
    image: ${imageA}
    command: ["sleep", "3600"]
    env:
    - {name: X, value: "1"}
    ports:
    - {containerPort: 80}
  - name: b
    image: ${imageB}
    command: ["sleep", "3600"]
`;
  const path = await file('merge.yaml', two('busybox:1.36', 'busybox:1.36'));
  const created = await kubectl(['apply', '-f', path]);
  assert.deepEqual([created.code, created.stdout, created.stderr], [0, 'pod/merge created\n', '']);
  await file('merge.yaml', two('busybox:1.37', 'busybox:1.36'));
  const r = await kubectl(['apply', '-f', path, '-v=8']);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout, 'pod/merge configured\n');
  assert.doesNotMatch(r.stderr, /warning|error calculating patch/i);
  // The patch names container a by its merge key and carries only its new image.
  assert.match(r.stderr, /\\"\$setElementOrder\/containers\\":\[\{\\"name\\":\\"a\\"\},\{\\"name\\":\\"b\\"\}\]/);
  assert.match(r.stderr, /\\"containers\\":\[\{\\"image\\":\\"busybox:1\.37\\",\\"name\\":\\"a\\"\}\]/);
  const images = expectSuccess(await kubectl(['get', 'pod', 'merge', '-o', 'jsonpath={.spec.containers[*].image}']));
  assert.equal(images, 'busybox:1.37 busybox:1.36');
});

test('get events lists an event recorded for a pod', async () => {
  const { kubectl, file } = cluster();
  const manifest = podYaml('ev-pod', { schedulerName: 'e2e-unscheduled' });
  expectSuccess(await kubectl(['create', '-f', await file('ev-pod.yaml', manifest)]));
  // describe finds a pod's events by involvedObject name, namespace and uid.
  const uid = expectSuccess(await kubectl(['get', 'pod', 'ev-pod', '-o', 'jsonpath={.metadata.uid}']));
  const event = `apiVersion: v1
kind: Event
metadata:
  name: ev-pod.e2e
involvedObject:
  apiVersion: v1
  kind: Pod
  name: ev-pod
  namespace: default
  uid: ${uid}
reason: Testing
message: an event from the e2e test
type: Normal
source:
  component: e2e
count: 1
firstTimestamp: "2026-01-01T00:00:00Z"
lastTimestamp: "2026-01-01T00:00:00Z"
`;
  expectSuccess(await kubectl(['create', '-f', await file('ev.yaml', event)]));
  const rows = tableRows(expectSuccess(await kubectl(['get', 'events'])));
  assert.deepEqual(rows[0], ['LAST SEEN', 'TYPE', 'REASON', 'OBJECT', 'MESSAGE']);
  const row = rows.find((r) => r[3] === 'pod/ev-pod');
  assert.deepEqual(row?.slice(1), ['Normal', 'Testing', 'pod/ev-pod', 'an event from the e2e test']);
  const described = expectSuccess(await kubectl(['describe', 'pod', 'ev-pod']));
  assert.match(described, /^ {2}Normal\s+Testing\s+\S+\s+e2e\s+an event from the e2e test$/m);
});
