import * as assert from 'node:assert/strict';
import { test } from 'node:test';
import { keyRange } from './key-range.js';
import type { LogEvent } from './log.js';
import { WatchHistory } from './watch-history.js';

function ev(revision: number, key = `/pods/default/p${revision}`): LogEvent {
  return {
    row: { revision, key, created: true, deleted: false, createRevision: revision, prevRevision: 0, value: '{}' },
  };
}

const all = keyRange('/');

test('the ring serves every event after its floor until it evicts', () => {
  const h = new WatchHistory(3, 10);
  assert.equal(h.oldestFrom(), 10);
  h.push(ev(11));
  h.push(ev(12));
  h.push(ev(13));
  assert.deepEqual(
    h.since(10, all).map((e) => e.row.revision),
    [11, 12, 13],
  );
  h.push(ev(14));
  assert.equal(h.oldestFrom(), 11, 'evicting 11 makes 11 the oldest start');
  assert.deepEqual(
    h.since(11, all).map((e) => e.row.revision),
    [12, 13, 14],
  );
  assert.deepEqual(
    h.since(13, all).map((e) => e.row.revision),
    [14],
  );
  assert.deepEqual(h.since(14, all), []);
  assert.throws(() => h.since(10, all), RangeError);
});

test('since keeps only keys in the range', () => {
  const h = new WatchHistory(8, 0);
  h.push(ev(1, '/pods/default/a'));
  h.push(ev(2, '/nodes/n1'));
  h.push(ev(3, '/pods/kube-system/b'));
  assert.deepEqual(
    h.since(0, keyRange('/pods/')).map((e) => e.row.revision),
    [1, 3],
  );
});

test('a capacity below one is refused', () => {
  assert.throws(() => new WatchHistory(0, 0), RangeError);
});
