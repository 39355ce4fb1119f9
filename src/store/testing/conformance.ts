// The one suite every Store runs (STYLE.md §11, containerd's SnapshotterSuite shape).
// Where Kubernetes defines a behaviour the case names the upstream test it follows:
// k8s.io/apiserver pkg/storage/testing/store_tests.go (RunTest*) and watcher_tests.go.
import * as assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, test } from 'node:test';
import { isStatusError, OBJECT_MODIFIED_MSG } from '../../api/errors.js';
import type { KubeObject } from '../../api/types/meta.js';
import type { Store, StoreEvent, Watch } from '../store.js';

export interface StoreUnderTest {
  store: Store;
  /** Closes the store (if still open) and removes whatever it created. */
  cleanup(): Promise<void>;
  /** Closes the store and opens it again on the same data (durable stores only). */
  reopen?(): Promise<Store>;
}

export interface ConformanceOptions {
  /** The store keeps its data across close/reopen: run the restart cases (needs reopen). */
  durable?: boolean;
}

const TIMEOUT = { timeout: 10_000 };

function pod(name: string, namespace = 'default', extra: Partial<KubeObject> = {}): KubeObject {
  return { apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace, uid: `uid-${name}` }, ...extra };
}

function podKey(name: string, namespace = 'default'): string {
  return `/pods/${namespace}/${name}`;
}

function rv(obj: KubeObject | undefined): number {
  return Number(obj?.metadata.resourceVersion);
}

/** Lets queued commits and watch deliveries run (one macrotask turn; not a timer). */
function settle(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

async function rejectsWithStatus(
  p: Promise<unknown>,
  code: number,
  reason: string,
  message?: string | RegExp,
): Promise<void> {
  await assert.rejects(p, (err: unknown) => {
    assert.ok(isStatusError(err), `expected a StatusError, got ${String(err)}`);
    assert.equal(err.code, code);
    assert.equal(err.reason, reason);
    if (typeof message === 'string') {
      assert.equal(err.message, message);
    } else if (message) {
      assert.match(err.message, message);
    }
    return true;
  });
}

function throwsStatus(fn: () => unknown, code: number, reason: string, message?: string): void {
  assert.throws(fn, (err: unknown) => {
    assert.ok(isStatusError(err), `expected a StatusError, got ${String(err)}`);
    assert.equal(err.code, code);
    assert.equal(err.reason, reason);
    if (message !== undefined) {
      assert.equal(err.message, message);
    }
    return true;
  });
}

/** A watch that records its events; next(n) resolves once n events in total arrived. */
class Recorder {
  readonly events: StoreEvent[] = [];
  private waiters: { n: number; resolve(): void }[] = [];
  watch: Watch | undefined;

  constructor(store: Store, prefix: string, fromRevision: number) {
    this.watch = store.watch(prefix, { fromRevision }, (ev) => {
      this.events.push(ev);
      this.waiters = this.waiters.filter((w) => {
        if (this.events.length >= w.n) {
          w.resolve();
          return false;
        }
        return true;
      });
    });
  }

  until(n: number): Promise<void> {
    if (this.events.length >= n) {
      return Promise.resolve();
    }
    return new Promise((resolve) => this.waiters.push({ n, resolve }));
  }

  summary(): string[] {
    return this.events.map((e) => `${e.type} ${e.key} ${e.revision}`);
  }
}

export function describeStoreConformance(
  name: string,
  makeStore: () => Promise<StoreUnderTest>,
  options: ConformanceOptions = {},
): void {
  describe(`Store conformance: ${name}`, () => {
    let h: StoreUnderTest;
    let store: Store;
    beforeEach(async () => {
      h = await makeStore();
      store = h.store;
    });
    afterEach(async () => {
      await h.cleanup();
    });

    describe('create and get', () => {
      // RunTestCreate
      test(
        'create stores the object with the new revision as resourceVersion and get returns it',
        TIMEOUT,
        async () => {
          assert.equal(store.currentRevision(), 0);
          const input = pod('foo');
          const out = await store.create(podKey('foo'), input);
          assert.equal(out.metadata.name, 'foo');
          assert.equal(out.metadata.resourceVersion, '1');
          assert.equal(store.currentRevision(), 1);
          assert.equal(input.metadata.resourceVersion, undefined, 'the caller’s object is not modified');
          assert.deepEqual(await store.get(podKey('foo')), out);
        },
      );

      // RunTestCreateWithKeyExist
      test('create of an existing key fails with 409 AlreadyExists and takes no revision', TIMEOUT, async () => {
        await store.create(podKey('foo'), pod('foo'));
        await rejectsWithStatus(
          store.create(podKey('foo'), pod('foo')),
          409,
          'AlreadyExists',
          'pods "foo" already exists',
        );
        assert.equal(store.currentRevision(), 1);
      });

      // RunTestGet "get non-existing"
      test('get of a missing key returns undefined', TIMEOUT, async () => {
        assert.equal(await store.get(podKey('missing')), undefined);
      });

      test('get returns a copy the caller may change without changing the store', TIMEOUT, async () => {
        await store.create(podKey('foo'), pod('foo'));
        const got = (await store.get(podKey('foo')))!;
        got.metadata.labels = { changed: 'yes' };
        assert.equal((await store.get(podKey('foo')))!.metadata.labels, undefined);
      });

      test('create after delete makes the key live again with a new revision', TIMEOUT, async () => {
        await store.create(podKey('foo'), pod('foo'));
        await store.delete(podKey('foo'));
        const again = await store.create(
          podKey('foo'),
          pod('foo', 'default', { spec: { v: 2 } } as Partial<KubeObject>),
        );
        assert.equal(rv(again), 3);
        assert.deepEqual(await store.get(podKey('foo')), again);
      });
    });

    describe('update', () => {
      // RunTestGuaranteedUpdate
      test('update with the current revision stores the object with a new revision', TIMEOUT, async () => {
        const created = await store.create(podKey('foo'), pod('foo'));
        const changed = { ...created, metadata: { ...created.metadata, labels: { a: 'b' } } };
        const updated = await store.update(podKey('foo'), changed, rv(created));
        assert.equal(rv(updated), rv(created) + 1);
        assert.deepEqual(updated.metadata.labels, { a: 'b' });
        assert.deepEqual(await store.get(podKey('foo')), updated);
      });

      // RunTestGuaranteedUpdateWithConflict
      test('update with a stale revision fails with 409 Conflict and changes nothing', TIMEOUT, async () => {
        const created = await store.create(podKey('foo'), pod('foo'));
        const first = await store.update(podKey('foo'), created, rv(created));
        await rejectsWithStatus(
          store.update(podKey('foo'), created, rv(created)),
          409,
          'Conflict',
          `Operation cannot be fulfilled on pods "foo": ${OBJECT_MODIFIED_MSG}`,
        );
        assert.deepEqual(await store.get(podKey('foo')), first);
        assert.equal(store.currentRevision(), rv(first));
      });

      test('update without an expected revision replaces the object unconditionally', TIMEOUT, async () => {
        const created = await store.create(podKey('foo'), pod('foo'));
        await store.update(podKey('foo'), created);
        const last = await store.update(podKey('foo'), created);
        assert.equal(rv(last), 3);
      });

      test('update of a missing key fails with 404 NotFound', TIMEOUT, async () => {
        await rejectsWithStatus(store.update(podKey('nope'), pod('nope')), 404, 'NotFound', 'pods "nope" not found');
      });

      test('update of a deleted key fails with 404 NotFound', TIMEOUT, async () => {
        const created = await store.create(podKey('foo'), pod('foo'));
        await store.delete(podKey('foo'));
        await rejectsWithStatus(store.update(podKey('foo'), created), 404, 'NotFound', 'pods "foo" not found');
      });

      // Table: the resource and name of an error come from the key.
      const keys: [string, string, string][] = [
        ['/pods/default/x', 'pods', 'x'],
        ['/nodes/n1', 'nodes', 'n1'],
        ['/leases.coordination.k8s.io/kube-node-lease/n1', 'leases.coordination.k8s.io', 'n1'],
        ['/events.events.k8s.io/default/e.1', 'events.events.k8s.io', 'e.1'],
      ];
      for (const [key, resource, objName] of keys) {
        test(`errors about ${key} name resource ${resource} and name ${objName}`, TIMEOUT, async () => {
          await rejectsWithStatus(
            store.update(key, pod(objName)),
            404,
            'NotFound',
            `${resource} "${objName}" not found`,
          );
          await store.create(key, pod(objName));
          await rejectsWithStatus(
            store.create(key, pod(objName)),
            409,
            'AlreadyExists',
            `${resource} "${objName}" already exists`,
          );
          await rejectsWithStatus(
            store.delete(key, 99),
            409,
            'Conflict',
            `Operation cannot be fulfilled on ${resource} "${objName}": ${OBJECT_MODIFIED_MSG}`,
          );
        });
      }
    });

    describe('delete', () => {
      // RunTestUnconditionalDelete
      test(
        'delete returns the last state carrying the deletion’s revision and leaves the key absent',
        TIMEOUT,
        async () => {
          const created = await store.create(podKey('foo'), pod('foo'));
          const deleted = await store.delete(podKey('foo'));
          assert.equal(rv(deleted), rv(created) + 1);
          assert.deepEqual({ ...deleted, metadata: { ...deleted.metadata, resourceVersion: '1' } }, created);
          assert.equal(await store.get(podKey('foo')), undefined);
          assert.equal(store.currentRevision(), 2);
        },
      );

      // RunTestUnconditionalDelete "non-existing key"
      test('delete of a missing or already deleted key fails with 404 NotFound', TIMEOUT, async () => {
        await rejectsWithStatus(store.delete(podKey('nope')), 404, 'NotFound', 'pods "nope" not found');
        await store.create(podKey('foo'), pod('foo'));
        await store.delete(podKey('foo'));
        await rejectsWithStatus(store.delete(podKey('foo')), 404, 'NotFound', 'pods "foo" not found');
      });

      // RunTestConditionalDelete (with a resourceVersion precondition instead of a UID)
      test('delete with a stale revision fails with 409 Conflict and keeps the object', TIMEOUT, async () => {
        const created = await store.create(podKey('foo'), pod('foo'));
        const updated = await store.update(podKey('foo'), created);
        await rejectsWithStatus(store.delete(podKey('foo'), rv(created)), 409, 'Conflict');
        assert.deepEqual(await store.get(podKey('foo')), updated);
        const deleted = await store.delete(podKey('foo'), rv(updated));
        assert.equal(rv(deleted), rv(updated) + 1);
      });
    });

    describe('revisions', () => {
      test('every write takes the next revision across all keys; failed writes take none', TIMEOUT, async () => {
        const seen: number[] = [];
        seen.push(rv(await store.create(podKey('a'), pod('a'))));
        seen.push(rv(await store.create('/nodes/n1', pod('n1', ''))));
        await store.create(podKey('a'), pod('a')).catch(() => undefined);
        seen.push(rv(await store.update(podKey('a'), pod('a'))));
        await store.update(podKey('zz'), pod('zz')).catch(() => undefined);
        seen.push(rv(await store.delete('/nodes/n1')));
        seen.push(rv(await store.create('/nodes/n1', pod('n1', ''))));
        assert.deepEqual(seen, [1, 2, 3, 4, 5]);
        assert.equal(store.currentRevision(), 5);
      });

      test('concurrent writes are serialised with distinct consecutive revisions', TIMEOUT, async () => {
        const results = await Promise.all(
          Array.from({ length: 50 }, (_, i) => store.create(podKey(`p${i}`), pod(`p${i}`))),
        );
        const revs = results.map(rv).sort((a, b) => a - b);
        assert.deepEqual(
          revs,
          Array.from({ length: 50 }, (_, i) => i + 1),
        );
        // Only one of racing creates of one key wins.
        const race = await Promise.allSettled([
          store.create(podKey('x'), pod('x')),
          store.create(podKey('x'), pod('x')),
        ]);
        assert.deepEqual(
          race.map((r) => r.status),
          ['fulfilled', 'rejected'],
        );
      });

      test('a burst of 1200 writes is committed completely, in order, and watched without gaps', TIMEOUT, async () => {
        const w = new Recorder(store, '/pods/', 0);
        const results = await Promise.all(
          Array.from({ length: 1200 }, (_, i) => store.create(podKey(`p${i}`), pod(`p${i}`))),
        );
        assert.deepEqual(
          results.map(rv),
          Array.from({ length: 1200 }, (_, i) => i + 1),
          'revisions follow call order',
        );
        await w.until(1200);
        assert.deepEqual(
          w.events.map((e) => e.revision),
          Array.from({ length: 1200 }, (_, i) => i + 1),
        );
        w.watch?.stop();
      });

      test('racing updates with the same expected revision: one wins, the other conflicts', TIMEOUT, async () => {
        const created = await store.create(podKey('foo'), pod('foo'));
        const race = await Promise.allSettled([
          store.update(podKey('foo'), created, rv(created)),
          store.update(podKey('foo'), created, rv(created)),
        ]);
        const [first, second] = race;
        assert.equal(first?.status, 'fulfilled');
        assert.equal(second?.status, 'rejected');
        assert.ok(second?.status === 'rejected' && isStatusError(second.reason, 'Conflict'));
      });
    });

    describe('list', () => {
      async function seed(): Promise<void> {
        for (const [ns, n] of [
          ['default', 'b'],
          ['kube-system', 'a'],
          ['default', 'a'],
          ['default-2', 'c'],
          ['default', 'c'],
        ] as const) {
          await store.create(podKey(n, ns), pod(n, ns));
        }
        await store.create('/nodes/n1', pod('n1', ''));
        await store.create('/podtemplates/default/t', pod('t'));
      }

      // RunTestList
      test('list returns the live objects under a prefix sorted by key, at the current revision', TIMEOUT, async () => {
        await seed();
        await store.delete(podKey('b'));
        const all = await store.list('/pods/');
        assert.deepEqual(
          all.items.map((o) => `${o.metadata.namespace}/${o.metadata.name}`),
          ['default-2/c', 'default/a', 'default/c', 'kube-system/a'],
        );
        assert.equal(all.revision, store.currentRevision());
        assert.equal(all.continue, undefined);
        const ns = await store.list('/pods/default/');
        assert.deepEqual(
          ns.items.map((o) => o.metadata.name),
          ['a', 'c'],
        );
      });

      test('list of an empty prefix returns no items and the current revision', TIMEOUT, async () => {
        await seed();
        const out = await store.list('/configmaps/');
        assert.deepEqual(out.items, []);
        assert.equal(out.revision, 7);
      });

      test('list applies the filter', TIMEOUT, async () => {
        await seed();
        const out = await store.list('/pods/', { filter: (o) => o.metadata.name === 'a' });
        assert.deepEqual(
          out.items.map((o) => o.metadata.namespace),
          ['default', 'kube-system'],
        );
      });

      // RunTestListContinuation
      test('limit and continue page through every item once, with remainingItemCount', TIMEOUT, async () => {
        for (let i = 0; i < 5; i++) {
          await store.create(podKey(`p${i}`), pod(`p${i}`));
        }
        const p1 = await store.list('/pods/', { limit: 2 });
        assert.deepEqual(
          p1.items.map((o) => o.metadata.name),
          ['p0', 'p1'],
        );
        assert.equal(p1.remainingItemCount, 3);
        assert.ok(p1.continue);
        const p2 = await store.list('/pods/', { limit: 2, continue: p1.continue });
        assert.deepEqual(
          p2.items.map((o) => o.metadata.name),
          ['p2', 'p3'],
        );
        assert.equal(p2.remainingItemCount, 1);
        const p3 = await store.list('/pods/', { limit: 2, continue: p2.continue });
        assert.deepEqual(
          p3.items.map((o) => o.metadata.name),
          ['p4'],
        );
        assert.equal(p3.continue, undefined);
        assert.equal(p3.remainingItemCount, undefined);
        const exact = await store.list('/pods/', { limit: 5 });
        assert.equal(exact.items.length, 5);
        assert.equal(exact.continue, undefined, 'no continue when the page ends the list');
      });

      // RunTestListContinuation: pages after the first list the first page's snapshot.
      test(
        'later pages show the snapshot of the first page even when items change between pages',
        TIMEOUT,
        async () => {
          for (let i = 0; i < 4; i++) {
            await store.create(podKey(`p${i}`), pod(`p${i}`));
          }
          const p1 = await store.list('/pods/', { limit: 2 });
          const p2obj = (await store.get(podKey('p2')))!;
          await store.update(podKey('p2'), { ...p2obj, metadata: { ...p2obj.metadata, labels: { new: 'yes' } } });
          await store.delete(podKey('p3'));
          await store.create(podKey('p4'), pod('p4'));
          const p2 = await store.list('/pods/', { limit: 10, continue: p1.continue });
          assert.equal(p2.revision, p1.revision);
          assert.deepEqual(
            p2.items.map((o) => [o.metadata.name, o.metadata.labels]),
            [
              ['p2', undefined],
              ['p3', undefined],
            ],
          );
          const fresh = await store.list('/pods/');
          assert.deepEqual(
            fresh.items.map((o) => o.metadata.name),
            ['p0', 'p1', 'p2', 'p4'],
          );
        },
      );

      // RunTestListContinuationWithFilter
      test('with a filter, limit counts matching items and pages skip non-matching ones', TIMEOUT, async () => {
        for (let i = 0; i < 9; i++) {
          await store.create(
            podKey(`p${i}`),
            pod(`p${i}`, 'default', { spec: { even: i % 2 === 0 } } as Partial<KubeObject>),
          );
        }
        const even = (o: KubeObject): boolean => (o as KubeObject & { spec: { even: boolean } }).spec.even;
        const names: string[] = [];
        let cont: string | undefined;
        let pages = 0;
        do {
          const page = await store.list('/pods/', { limit: 2, filter: even, continue: cont });
          assert.ok(page.items.length <= 2);
          assert.equal(page.remainingItemCount, undefined, 'no count when a filter applies');
          names.push(...page.items.map((o) => o.metadata.name!));
          cont = page.continue;
          pages++;
        } while (cont);
        assert.deepEqual(names, ['p0', 'p2', 'p4', 'p6', 'p8']);
        assert.ok(pages >= 3 && pages <= 4, `pages: ${pages}`);
      });

      // RunTestListInconsistentContinuation
      test(
        'a continue token whose snapshot was compacted fails with 410 Expired and offers a token to the latest state',
        TIMEOUT,
        async () => {
          for (let i = 0; i < 4; i++) {
            await store.create(podKey(`p${i}`), pod(`p${i}`));
          }
          const p1 = await store.list('/pods/', { limit: 2 });
          await store.delete(podKey('p3'));
          await store.create(podKey('p5'), pod('p5'));
          await store.compact(store.currentRevision());
          let inconsistent: string | undefined;
          await assert.rejects(store.list('/pods/', { limit: 2, continue: p1.continue }), (err: unknown) => {
            assert.ok(isStatusError(err, 'Expired'));
            assert.equal(err.code, 410);
            assert.match(
              err.message,
              /^The provided continue parameter is too old to display a consistent list result\./,
            );
            inconsistent = err.status.metadata.continue;
            return true;
          });
          assert.ok(inconsistent);
          const rest = await store.list('/pods/', { limit: 10, continue: inconsistent });
          assert.deepEqual(
            rest.items.map((o) => o.metadata.name),
            ['p2', 'p5'],
          );
          assert.equal(rest.revision, store.currentRevision());
        },
      );

      test('a malformed continue token or one from another prefix fails with 400 BadRequest', TIMEOUT, async () => {
        for (let i = 0; i < 3; i++) {
          await store.create(podKey(`p${i}`), pod(`p${i}`));
        }
        await store.create('/nodes/n1', pod('n1', ''));
        await store.create('/nodes/n2', pod('n2', ''));
        await rejectsWithStatus(store.list('/pods/', { limit: 1, continue: 'not-a-token' }), 400, 'BadRequest');
        const nodes = await store.list('/nodes/', { limit: 1 });
        await rejectsWithStatus(store.list('/pods/', { limit: 1, continue: nodes.continue }), 400, 'BadRequest');
      });
    });

    describe('watch', () => {
      // RunTestWatchFromNonZero, RunTestWatch
      test(
        'a watch from a revision replays later events, then delivers live ones, in order without gaps or duplicates',
        TIMEOUT,
        async () => {
          for (let i = 0; i < 5; i++) {
            await store.create(podKey(`p${i}`), pod(`p${i}`));
          }
          const w = new Recorder(store, '/pods/', 2);
          const writes: Promise<unknown>[] = [];
          for (let i = 5; i < 10; i++) {
            writes.push(store.create(podKey(`p${i}`), pod(`p${i}`)));
          }
          writes.push(store.update(podKey('p0'), pod('p0')));
          writes.push(store.delete(podKey('p1')));
          await Promise.all(writes);
          await w.until(10);
          await settle();
          assert.deepEqual(
            w.events.map((e) => e.revision),
            [3, 4, 5, 6, 7, 8, 9, 10, 11, 12],
          );
          assert.deepEqual(w.summary().slice(-2), ['MODIFIED /pods/default/p0 11', 'DELETED /pods/default/p1 12']);
          w.watch?.stop();
        },
      );

      test('a watch from the current revision sees only later writes', TIMEOUT, async () => {
        await store.create(podKey('a'), pod('a'));
        const w = new Recorder(store, '/pods/', store.currentRevision());
        await store.create(podKey('b'), pod('b'));
        await w.until(1);
        await settle();
        assert.deepEqual(w.summary(), ['ADDED /pods/default/b 2']);
        w.watch?.stop();
      });

      // RunTestWatchDeleteEventObjectHaveLatestRV
      test(
        'events carry the object after the change and, for MODIFIED and DELETED, the one before',
        TIMEOUT,
        async () => {
          const w = new Recorder(store, podKey('foo'), 0);
          const created = await store.create(podKey('foo'), pod('foo'));
          const updated = await store.update(podKey('foo'), {
            ...created,
            metadata: { ...created.metadata, labels: { x: 'y' } },
          });
          const deleted = await store.delete(podKey('foo'));
          await w.until(3);
          const [added, modified, gone] = w.events;
          assert.equal(added!.type, 'ADDED');
          assert.deepEqual(added!.object, created);
          assert.equal(added!.prevObject, undefined);
          assert.equal(modified!.type, 'MODIFIED');
          assert.deepEqual(modified!.object, updated);
          assert.deepEqual(modified!.prevObject, created);
          assert.equal(gone!.type, 'DELETED');
          assert.deepEqual(gone!.object, deleted);
          assert.equal(gone!.object.metadata.resourceVersion, String(gone!.revision));
          assert.deepEqual(gone!.prevObject, updated);
          for (const ev of w.events) {
            assert.equal(ev.object.metadata.resourceVersion, String(ev.revision));
            assert.equal(ev.key, podKey('foo'));
          }
          w.watch?.stop();
        },
      );

      // RunTestNamespaceScopedWatch / RunTestClusterScopedWatch (key selection)
      test('a watch of an exact key sees only that key; a prefix watch only keys under it', TIMEOUT, async () => {
        const exact = new Recorder(store, podKey('a'), 0);
        const ns = new Recorder(store, '/pods/default/', 0);
        const all = new Recorder(store, '/pods/', 0);
        await store.create(podKey('a'), pod('a'));
        await store.create(podKey('ab'), pod('ab'));
        await store.create(podKey('a', 'default-2'), pod('a', 'default-2'));
        await store.create('/podtemplates/default/a', pod('a'));
        await store.create(podKey('b'), pod('b'));
        await all.until(4);
        await settle();
        assert.deepEqual(exact.summary(), ['ADDED /pods/default/a 1']);
        assert.deepEqual(ns.summary(), [
          'ADDED /pods/default/a 1',
          'ADDED /pods/default/ab 2',
          'ADDED /pods/default/b 5',
        ]);
        assert.deepEqual(
          all.events.map((e) => e.revision),
          [1, 2, 3, 5],
        );
        for (const r of [exact, ns, all]) {
          r.watch?.stop();
        }
      });

      test('one watcher cannot change the objects another watcher receives', TIMEOUT, async () => {
        const one = new Recorder(store, '/pods/', 0);
        const two = new Recorder(store, '/pods/', 0);
        await store.create(podKey('a'), pod('a'));
        await one.until(1);
        await two.until(1);
        // Stores may hand out copies or shared frozen objects; either way the change
        // must not reach the other watcher (or the store).
        try {
          one.events[0]!.object.metadata.name = 'mutated';
        } catch {
          // frozen
        }
        assert.equal(two.events[0]!.object.metadata.name, 'a');
        assert.equal((await store.get(podKey('a')))!.metadata.name, 'a');
        one.watch?.stop();
        two.watch?.stop();
      });

      test('objectJson, when given, is the event object as JSON', TIMEOUT, async () => {
        const w = new Recorder(store, '/pods/', 0);
        await store.create(podKey('a'), pod('a'));
        await store.delete(podKey('a'));
        await w.until(2);
        for (const ev of w.events) {
          if (ev.objectJson !== undefined) {
            assert.deepEqual(JSON.parse(ev.objectJson), ev.object);
          }
        }
        w.watch?.stop();
      });

      // RunTestWatchContextCancel (stop() plays the cancelled context)
      test('stop() ends delivery at once, is idempotent, and works from inside the callback', TIMEOUT, async () => {
        const w = new Recorder(store, '/pods/', 0);
        await store.create(podKey('a'), pod('a'));
        await w.until(1);
        w.watch!.stop();
        w.watch!.stop();
        await store.create(podKey('b'), pod('b'));
        await settle();
        assert.equal(w.events.length, 1);

        const seen: number[] = [];
        const self: { w?: Watch } = {};
        self.w = store.watch('/pods/', { fromRevision: 0 }, (ev) => {
          seen.push(ev.revision);
          self.w!.stop();
        });
        await store.create(podKey('c'), pod('c'));
        await settle();
        assert.deepEqual(seen, [1]);
      });

      test('progressRevision, when offered, never passes an undelivered event', TIMEOUT, async () => {
        for (let i = 0; i < 3; i++) {
          await store.create(podKey(`p${i}`), pod(`p${i}`));
        }
        const seen: number[] = [];
        const progress: number[] = [];
        const w = store.watch('/pods/', { fromRevision: 0 }, (ev) => {
          seen.push(ev.revision);
          progress.push(w.progressRevision?.() ?? ev.revision);
        });
        if (!w.progressRevision) {
          w.stop();
          return;
        }
        assert.equal(w.progressRevision(), 0, 'nothing delivered yet');
        await store.create('/nodes/n1', pod('n1', ''));
        await settle();
        assert.deepEqual(seen, [1, 2, 3]);
        for (let i = 0; i < progress.length; i++) {
          assert.ok(progress[i]! >= seen[i]! && progress[i]! < (seen[i + 1] ?? Infinity));
        }
        assert.equal(w.progressRevision(), 4, 'a write outside the watch still moves progress');
        w.stop();
      });

      // No RunTest* covers it; the 410 and its message are the watch cache's
      // (k8s.io/apiserver pkg/storage/cacher/watch_cache.go getAllEventsSinceLocked).
      test(
        'a watch from a compacted revision fails with 410 Expired; from the compacted revision it works',
        TIMEOUT,
        async () => {
          for (let i = 0; i < 4; i++) {
            await store.create(podKey(`p${i}`), pod(`p${i}`));
          }
          await store.compact(3);
          assert.equal(store.compactedRevision(), 3);
          throwsStatus(
            () => store.watch('/pods/', { fromRevision: 1 }, () => undefined),
            410,
            'Expired',
            'too old resource version: 1 (3)',
          );
          const w = new Recorder(store, '/pods/', 3);
          await w.until(1);
          assert.deepEqual(w.summary(), ['ADDED /pods/default/p3 4']);
          w.watch?.stop();
        },
      );
    });

    describe('watch arguments', () => {
      test('a watch from a negative or fractional revision fails with 400 BadRequest', TIMEOUT, () => {
        for (const fromRevision of [-1, 1.5, Number.NaN]) {
          throwsStatus(() => store.watch('/pods/', { fromRevision }, () => undefined), 400, 'BadRequest');
        }
      });

      test('a watch from a future revision delivers only events after it', TIMEOUT, async () => {
        const w = new Recorder(store, '/pods/', 2);
        for (let i = 0; i < 3; i++) {
          await store.create(podKey(`p${i}`), pod(`p${i}`));
        }
        await w.until(1);
        await settle();
        assert.deepEqual(w.summary(), ['ADDED /pods/default/p2 3']);
        w.watch?.stop();
      });
    });

    describe('compaction', () => {
      test('compaction keeps every live object and the state as of later revisions', TIMEOUT, async () => {
        for (let i = 0; i < 5; i++) {
          await store.create(podKey(`p${i}`), pod(`p${i}`));
        }
        for (let i = 0; i < 5; i++) {
          await store.update(podKey(`p${i}`), pod(`p${i}`));
        }
        await store.delete(podKey('p0'));
        await store.delete(podKey('p1'));
        const before = await store.list('/pods/');
        const page1 = await store.list('/pods/', { limit: 1 });
        await store.compact(store.currentRevision() - 1);
        assert.equal(store.compactedRevision(), store.currentRevision() - 1);
        assert.deepEqual(await store.list('/pods/'), before);
        for (const obj of before.items) {
          assert.deepEqual(await store.get(podKey(obj.metadata.name!)), obj);
        }
        assert.equal(await store.get(podKey('p0')), undefined);
        const rest = await store.list('/pods/', { continue: page1.continue, limit: 10 });
        assert.deepEqual(rest.items, before.items.slice(1));
        // The key whose tombstone was compacted can be created again.
        const again = await store.create(podKey('p0'), pod('p0'));
        assert.equal(rv(again), 13);
      });

      test(
        'compacting at or below the compacted revision is a no-op; beyond the current revision is refused',
        TIMEOUT,
        async () => {
          await store.create(podKey('a'), pod('a'));
          await store.create(podKey('b'), pod('b'));
          await store.compact(2);
          await store.compact(1);
          assert.equal(store.compactedRevision(), 2);
          await rejectsWithStatus(store.compact(5), 400, 'BadRequest');
        },
      );

      test(
        'a watch from the compacted revision still sees MODIFIED events with their previous object',
        TIMEOUT,
        async () => {
          const created = await store.create(podKey('a'), pod('a'));
          await store.create(podKey('b'), pod('b'));
          await store.update(podKey('a'), pod('a'));
          await store.compact(2);
          const w = new Recorder(store, '/pods/', 2);
          await w.until(1);
          assert.equal(w.events[0]!.type, 'MODIFIED');
          assert.deepEqual(w.events[0]!.prevObject, created);
          w.watch?.stop();
        },
      );
    });

    describe('close', () => {
      test('close commits queued writes, stops watches, and later calls fail', TIMEOUT, async () => {
        const w = new Recorder(store, '/pods/', 0);
        const pending = store.create(podKey('a'), pod('a'));
        await store.close();
        assert.equal(rv(await pending), 1);
        await assert.rejects(store.create(podKey('b'), pod('b')));
        await assert.rejects(store.get(podKey('a')));
        await settle();
        assert.equal(w.events.length, 0, 'a stopped watch receives nothing, even what was queued');
      });
    });

    if (options.durable) {
      describe('restart', () => {
        test('a reopened store has the same objects and continues the revision counter', TIMEOUT, async () => {
          const a = await store.create(podKey('a'), pod('a'));
          await store.create(podKey('b'), pod('b'));
          await store.delete(podKey('b'));
          const before = await store.list('/pods/');
          store = await h.reopen!();
          assert.equal(store.currentRevision(), 3);
          assert.deepEqual(await store.list('/pods/'), before);
          assert.deepEqual(await store.get(podKey('a')), a);
          assert.equal(rv(await store.create(podKey('c'), pod('c'))), 4);
        });

        test(
          'a reopened store keeps its compacted revision, even when compaction removed the newest row',
          TIMEOUT,
          async () => {
            await store.create(podKey('a'), pod('a'));
            await store.create(podKey('b'), pod('b'));
            await store.delete(podKey('b'));
            await store.compact(3);
            store = await h.reopen!();
            assert.equal(store.compactedRevision(), 3);
            assert.equal(store.currentRevision(), 3);
            throwsStatus(() => store.watch('/pods/', { fromRevision: 2 }, () => undefined), 410, 'Expired');
            assert.equal(rv(await store.create(podKey('b'), pod('b'))), 4);
          },
        );

        test('a watch on a reopened store replays history written before the restart', TIMEOUT, async () => {
          for (let i = 0; i < 4; i++) {
            await store.create(podKey(`p${i}`), pod(`p${i}`));
          }
          await store.update(podKey('p0'), pod('p0'));
          store = await h.reopen!();
          const w = new Recorder(store, '/pods/', 1);
          await store.delete(podKey('p1'));
          await w.until(5);
          assert.deepEqual(w.summary(), [
            'ADDED /pods/default/p1 2',
            'ADDED /pods/default/p2 3',
            'ADDED /pods/default/p3 4',
            'MODIFIED /pods/default/p0 5',
            'DELETED /pods/default/p1 6',
          ]);
          assert.equal(w.events[3]!.prevObject?.metadata.resourceVersion, '1');
          w.watch?.stop();
        });
      });
    }
  });
}
