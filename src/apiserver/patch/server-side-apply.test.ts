// Behaviour of structured-merge-diff's Updater.Apply (merge/update.go; cases in the spirit of
// its merge/*_test.go: multiple_appliers, conflict, preserve_unknown, set_test) and the
// apiserver's conflict message (managedfields/internal/conflict.go).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { StatusError } from '../../api/errors.js';
import type { KubeObject } from '../../api/types/index.js';
import { updateManagedFields } from './managed-fields.js';
import { serverSideApply } from './server-side-apply.js';

const T0 = '2026-01-01T00:00:00Z';
const T1 = '2026-01-01T00:01:00Z';
const T2 = '2026-01-01T00:02:00Z';

type Json = Record<string, unknown>;

function config(containers: Json[], labels: Record<string, string> = { app: 'web' }, extra: Json = {}): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'p', namespace: 'default', labels },
    spec: { containers, ...extra },
  } as KubeObject;
}

const opts = (manager: string, nowIso: string, force = false) => ({ manager, force, nowIso, kind: 'Pod' });

function live(obj: KubeObject): KubeObject {
  return { ...obj, metadata: { ...obj.metadata, uid: 'u', resourceVersion: '1', creationTimestamp: T0 } };
}

function spec(o: KubeObject): { containers: Json[] } & Json {
  return (o as unknown as { spec: { containers: Json[] } & Json }).spec;
}

test('apply creates an absent object and records an Apply entry without "." on granular maps', () => {
  const out = serverSideApply(undefined, config([{ name: 'c', image: 'nginx' }]), opts('kubectl', T0));
  assert.deepEqual(spec(out), { containers: [{ name: 'c', image: 'nginx' }] });
  assert.deepEqual(out.metadata.managedFields, [
    {
      manager: 'kubectl',
      operation: 'Apply',
      apiVersion: 'v1',
      time: T0,
      fieldsType: 'FieldsV1',
      fieldsV1: {
        'f:metadata': { 'f:labels': { 'f:app': {} } },
        'f:spec': { 'f:containers': { 'k:{"name":"c"}': { '.': {}, 'f:image': {}, 'f:name': {} } } },
      },
    },
  ]);
});

test('apply merges a keyed list item into the live one instead of replacing the list', () => {
  const created = live(
    updateManagedFields(
      undefined,
      config([
        { name: 'c', image: 'nginx', command: ['sleep', '1'] },
        { name: 'side', image: 'busybox' },
      ]),
      { manager: 'kubectl-create', nowIso: T0 },
    ),
  );
  const out = serverSideApply(created, config([{ name: 'c', command: ['sleep', '1'] }]), opts('kubectl', T1));
  assert.deepEqual(spec(out).containers, [
    { name: 'c', image: 'nginx', command: ['sleep', '1'] },
    { name: 'side', image: 'busybox' },
  ]);
  assert.equal(out.metadata.uid, 'u', 'server-set metadata is kept');
});

test("applying another manager's field with a new value is a 409 with Kubernetes' message and causes", () => {
  const created = live(
    updateManagedFields(undefined, config([{ name: 'c', image: 'busybox:1.35' }]), {
      manager: 'kubectl-client-side-apply',
      nowIso: T0,
    }),
  );
  let caught: unknown;
  try {
    serverSideApply(created, config([{ name: 'c', image: 'busybox:1.36' }]), opts('kubectl', T1));
  } catch (e) {
    caught = e;
  }
  assert.ok(caught instanceof StatusError);
  assert.deepEqual(caught.status, {
    kind: 'Status',
    apiVersion: 'v1',
    metadata: {},
    status: 'Failure',
    message:
      'Apply failed with 1 conflict: conflict with "kubectl-client-side-apply" using v1: .spec.containers[name="c"].image',
    reason: 'Conflict',
    details: {
      causes: [
        {
          reason: 'FieldManagerConflict',
          message: 'conflict with "kubectl-client-side-apply" using v1',
          field: '.spec.containers[name="c"].image',
        },
      ],
    },
    code: 409,
  });
});

test('several conflicts are listed per manager', () => {
  const created = live(
    updateManagedFields(undefined, config([{ name: 'c', image: 'a' }], { app: 'x' }), { manager: 'm1', nowIso: T0 }),
  );
  assert.throws(
    () => serverSideApply(created, config([{ name: 'c', image: 'b' }], { app: 'y' }), opts('kubectl', T1)),
    (e: unknown) =>
      e instanceof StatusError &&
      e.status.message ===
        'Apply failed with 2 conflicts: conflicts with "m1" using v1:\n- .metadata.labels.app\n- .spec.containers[name="c"].image' &&
      e.status.details?.causes?.length === 2,
  );
});

test('a conflict with another applier names it without an apiVersion', () => {
  const first = live(serverSideApply(undefined, config([{ name: 'c', image: 'a' }]), opts('alice', T0)));
  assert.throws(
    () => serverSideApply(first, config([{ name: 'c', image: 'b' }]), opts('bob', T1)),
    (e: unknown) =>
      e instanceof StatusError &&
      e.status.message === 'Apply failed with 1 conflict: conflict with "alice": .spec.containers[name="c"].image',
  );
});

test('applying the same value another manager owns shares the field without conflict', () => {
  const first = live(serverSideApply(undefined, config([{ name: 'c', image: 'a' }]), opts('alice', T0)));
  const out = serverSideApply(first, config([{ name: 'c', image: 'a' }]), opts('bob', T1));
  const owners = out.metadata.managedFields!.filter((e) => JSON.stringify(e.fieldsV1).includes('"f:image"'));
  assert.deepEqual(owners.map((e) => e.manager).sort(), ['alice', 'bob']);
});

test('force takes the field from its owner', () => {
  const first = live(serverSideApply(undefined, config([{ name: 'c', image: 'a' }]), opts('alice', T0)));
  const out = serverSideApply(first, config([{ name: 'c', image: 'b' }]), opts('bob', T1, true));
  assert.equal(spec(out).containers[0]!.image, 'b');
  const alice = out.metadata.managedFields!.find((e) => e.manager === 'alice')!;
  assert.ok(!JSON.stringify(alice.fieldsV1).includes('f:image'));
  const bob = out.metadata.managedFields!.find((e) => e.manager === 'bob')!;
  assert.ok(JSON.stringify(bob.fieldsV1).includes('f:image'));
});

test('a field the manager stops applying is removed when nobody else owns it', () => {
  const first = live(
    serverSideApply(undefined, config([{ name: 'c', image: 'a' }], { app: 'web', tier: 'fe' }), opts('kubectl', T0)),
  );
  const out = serverSideApply(first, config([{ name: 'c', image: 'a' }], { app: 'web' }), opts('kubectl', T1));
  assert.deepEqual(out.metadata.labels, { app: 'web' });
});

test('a container the manager stops applying is removed with its fields', () => {
  const first = live(
    serverSideApply(
      undefined,
      config([
        { name: 'c', image: 'a' },
        { name: 'side', image: 'b' },
      ]),
      opts('kubectl', T0),
    ),
  );
  const out = serverSideApply(first, config([{ name: 'c', image: 'a' }]), opts('kubectl', T1));
  assert.deepEqual(spec(out).containers, [{ name: 'c', image: 'a' }]);
});

test('a field the manager stops applying stays when another manager also owns it', () => {
  const first = live(
    serverSideApply(undefined, config([{ name: 'c', image: 'a' }], { app: 'web', tier: 'fe' }), opts('kubectl', T0)),
  );
  const shared = live(serverSideApply(first, config([], { tier: 'fe' }), opts('other', T1)));
  const out = serverSideApply(shared, config([{ name: 'c', image: 'a' }], { app: 'web' }), opts('kubectl', T2));
  assert.deepEqual(out.metadata.labels, { app: 'web', tier: 'fe' });
});

test('fields set by an Update manager are kept when an applier never applied them', () => {
  const created = live(
    updateManagedFields(undefined, config([{ name: 'c', image: 'a' }], { app: 'web' }, { restartPolicy: 'Never' }), {
      manager: 'kubectl-create',
      nowIso: T0,
    }),
  );
  const out = serverSideApply(
    created,
    config([{ name: 'c', image: 'a' }], { app: 'web', new: '1' }),
    opts('kubectl', T1),
  );
  assert.equal(spec(out).restartPolicy, 'Never');
  assert.deepEqual(out.metadata.labels, { app: 'web', new: '1' });
});

test('applying the same configuration twice changes nothing, not even the time', () => {
  const cfg = config([{ name: 'c', image: 'a', ports: [{ containerPort: 80 }] }]);
  const first = live(serverSideApply(undefined, cfg, opts('kubectl', T0)));
  const second = serverSideApply(first, cfg, opts('kubectl', T1));
  assert.deepEqual(second, first);
});

test('finalizers apply as a set: new values are added, owned values dropped', () => {
  const base = config([{ name: 'c', image: 'a' }]);
  const withFin = (f: string[]): KubeObject => ({ ...base, metadata: { ...base.metadata, finalizers: f } });
  const first = live(serverSideApply(undefined, withFin(['a', 'b']), opts('kubectl', T0)));
  const out = serverSideApply(first, withFin(['b', 'c']), opts('kubectl', T1));
  assert.deepEqual(out.metadata.finalizers, ['b', 'c']);
});

test('the applied configuration and the live object are not modified', () => {
  const cfg = config([{ name: 'c', image: 'a' }]);
  const cfgCopy = structuredClone(cfg);
  const first = live(serverSideApply(undefined, cfg, opts('kubectl', T0)));
  const firstCopy = structuredClone(first);
  serverSideApply(first, config([{ name: 'c', image: 'b' }]), opts('kubectl', T1));
  assert.deepEqual(cfg, cfgCopy);
  assert.deepEqual(first, firstCopy);
});

test('a Pod applied through the main resource never owns status', () => {
  const cfg = { ...config([{ name: 'c', image: 'a' }]), status: { phase: 'Running' } } as KubeObject;
  const out = serverSideApply(undefined, cfg, opts('kubectl', T0));
  assert.equal((out.metadata.managedFields![0]!.fieldsV1 as Json)['f:status'], undefined);
});

test('an unknown kind applies with lists as atomic values and maps merged', () => {
  const mk = (items: number[], m: Json): KubeObject =>
    ({ apiVersion: 'x/v1', kind: 'Widget', metadata: { name: 'w' }, spec: { items, m } }) as unknown as KubeObject;
  const first = live(serverSideApply(undefined, mk([1, 2], { a: 1 }), { ...opts('k', T0), kind: 'Widget' }));
  const out = serverSideApply(first, mk([3], { a: 1, b: 2 }), { ...opts('k', T1), kind: 'Widget' });
  assert.deepEqual((out as unknown as { spec: Json }).spec, { items: [3], m: { a: 1, b: 2 } });
  assert.deepEqual(out.metadata.managedFields![0]!.fieldsV1, {
    'f:spec': { 'f:items': {}, 'f:m': { 'f:a': {}, 'f:b': {} } },
  });
});

test('a port applied without protocol is keyed with the default TCP', () => {
  const out = serverSideApply(undefined, config([{ name: 'c', ports: [{ containerPort: 80 }] }]), opts('kubectl', T0));
  const v1 = JSON.stringify(out.metadata.managedFields![0]!.fieldsV1);
  assert.ok(v1.includes('k:{\\"containerPort\\":80,\\"protocol\\":\\"TCP\\"}'), v1);
});

const orderCases: [string, string[], string[], string[]][] = [
  ['live-only items keep their place', ['a', 'side'], ['a'], ['a', 'side']],
  ['a new applied item after a shared one follows it', ['a'], ['a', 'new'], ['a', 'new']],
  ['a new applied item before a shared one precedes it', ['a'], ['new', 'a'], ['new', 'a']],
  ['shared items come in the applied order', ['a', 'b', 'c'], ['c', 'a'], ['b', 'c', 'a']],
];
for (const [name, liveNames, appliedNames, want] of orderCases) {
  test(`apply list order (SMD visitListItems): ${name}`, () => {
    const first = live(
      updateManagedFields(undefined, config(liveNames.map((n) => ({ name: n, image: 'i' }))), {
        manager: 'creator',
        nowIso: T0,
      }),
    );
    const out = serverSideApply(first, config(appliedNames.map((n) => ({ name: n, image: 'i' }))), opts('kubectl', T1));
    assert.deepEqual(
      spec(out).containers.map((c) => c.name),
      want,
    );
  });
}

test('an atomic struct is applied as one value, not merged field by field', () => {
  const env = (fieldRef: Json): Json[] => [{ name: 'c', image: 'i', env: [{ name: 'E', valueFrom: { fieldRef } }] }];
  const first = live(
    serverSideApply(undefined, config(env({ apiVersion: 'v1', fieldPath: 'metadata.name' })), opts('kubectl', T0)),
  );
  const out = serverSideApply(first, config(env({ fieldPath: 'metadata.namespace' })), opts('kubectl', T1));
  assert.deepEqual((spec(out).containers[0]!.env as Json[])[0], {
    name: 'E',
    valueFrom: { fieldRef: { fieldPath: 'metadata.namespace' } },
  });
});

test('the first apply to an untracked object conflicts with "before-first-apply" on a changed field', () => {
  const untracked = live(config([{ name: 'c', image: 'a' }]));
  assert.throws(
    () => serverSideApply(untracked, config([{ name: 'c', image: 'b' }]), opts('kubectl', T1)),
    (e: unknown) =>
      e instanceof StatusError &&
      e.status.message ===
        'Apply failed with 1 conflict: conflict with "before-first-apply" using v1: .spec.containers[name="c"].image',
  );
  const same = serverSideApply(untracked, config([{ name: 'c', image: 'a' }]), opts('kubectl', T1));
  assert.deepEqual(
    same.metadata.managedFields!.map((e) => [e.manager, e.operation]),
    [
      ['kubectl', 'Apply'],
      ['before-first-apply', 'Update'],
    ],
  );
});

test('an applied keyed list item without its key is the 500 of a failed typed conversion', () => {
  assert.throws(
    () => serverSideApply(undefined, config([{ image: 'a' }]), opts('kubectl', T0)),
    (e: unknown) =>
      e instanceof StatusError &&
      e.code === 500 &&
      e.status.reason === undefined &&
      e.status.message ===
        'failed to create typed patch object (default/p; /v1, Kind=Pod): .spec.containers: element 0: associative list with keys has an element that omits key field "name" (and doesn\'t have default value)',
  );
});

test('applied keyed list items with the same key are rejected', () => {
  assert.throws(
    () => serverSideApply(undefined, config([{ name: 'c' }, { name: 'c' }]), opts('kubectl', T0)),
    (e: unknown) =>
      e instanceof StatusError && e.code === 500 && /duplicate entries for key \[name="c"\]/.test(e.message),
  );
});
