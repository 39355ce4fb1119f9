import * as assert from 'node:assert/strict';
import { test } from 'node:test';
import type { LogRow } from './log.js';
import { toStoreEvent } from './store-event.js';

function row(over: Partial<LogRow>): LogRow {
  return {
    revision: 5,
    key: '/pods/default/a',
    created: false,
    deleted: false,
    createRevision: 3,
    prevRevision: 4,
    value: '{"metadata":{"name":"a","resourceVersion":"5","labels":{"v":"2"}}}',
    ...over,
  };
}

test('an event carries type, key, revision, the object and its stored JSON', () => {
  const ev = toStoreEvent({ row: row({}), prevValue: '{"metadata":{"name":"a","resourceVersion":"4"}}' });
  assert.equal(ev.type, 'MODIFIED');
  assert.equal(ev.key, '/pods/default/a');
  assert.equal(ev.revision, 5);
  assert.deepEqual(ev.object, { metadata: { name: 'a', resourceVersion: '5', labels: { v: '2' } } });
  assert.equal(ev.prevObject?.metadata.resourceVersion, '4');
  assert.equal(ev.objectJson, row({}).value);
  assert.deepEqual(JSON.parse(JSON.stringify(ev)), {
    type: 'MODIFIED',
    key: '/pods/default/a',
    object: { metadata: { name: 'a', resourceVersion: '5', labels: { v: '2' } } },
    revision: 5,
    prevObject: { metadata: { name: 'a', resourceVersion: '4' } },
  });
});

test('the event and its objects are frozen, parsed once, and the same on every access', () => {
  const ev = toStoreEvent({ row: row({}) });
  assert.equal(ev.object, ev.object);
  assert.ok(Object.isFrozen(ev));
  assert.ok(Object.isFrozen(ev.object.metadata.labels));
  assert.throws(() => {
    ev.object.metadata.labels!['v'] = '3';
  }, TypeError);
});

const types: [what: string, over: Partial<LogRow>, prev: string | undefined, type: string, hasPrev: boolean][] = [
  ['a first create', { created: true, prevRevision: 0 }, undefined, 'ADDED', false],
  ['a create after a tombstone', { created: true }, '{"metadata":{}}', 'ADDED', false],
  ['an update', {}, '{"metadata":{}}', 'MODIFIED', true],
  ['a delete', { deleted: true }, '{"metadata":{}}', 'DELETED', true],
];
for (const [what, over, prev, type, hasPrev] of types) {
  test(`${what} is ${type} ${hasPrev ? 'with' : 'without'} a previous object`, () => {
    const ev = toStoreEvent(prev === undefined ? { row: row(over) } : { row: row(over), prevValue: prev });
    assert.equal(ev.type, type);
    assert.equal(ev.prevObject !== undefined, hasPrev);
  });
}
