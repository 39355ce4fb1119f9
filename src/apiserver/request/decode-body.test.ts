import assert from 'node:assert/strict';
import { test } from 'node:test';
import { bodyFormat, decodeBody, jsonDuplicateFields } from './decode-body.js';

test('duplicate keys in JSON are found with their paths, inside lists too', () => {
  assert.deepEqual(jsonDuplicateFields('{"a":1,"b":{"c":1,"c":2},"l":[{"x":1},{"x":1,"x":2}],"a":3}'), [
    'b.c',
    'l[1].x',
    'a',
  ]);
  assert.deepEqual(jsonDuplicateFields('{"name":"a","spec":{"containers":[{"name":"b"},{"name":"c"}]}}'), []);
  assert.deepEqual(jsonDuplicateFields('{"s":"a\\"b:","t":{"s":1}}'), []);
});

test('YAML duplicates are found too and the last value wins', () => {
  const d = decodeBody(Buffer.from('metadata:\n  name: a\n  name: b\n'), 'yaml');
  assert.deepEqual(d.duplicateFields, ['metadata.name']);
  assert.deepEqual(d.value, { metadata: { name: 'b' } });
});

test('an empty body decodes to undefined', () => {
  assert.equal(decodeBody(Buffer.from('  \n'), 'json').value, undefined);
});

const formats: [string | undefined, string | undefined][] = [
  [undefined, 'json'],
  ['application/json', 'json'],
  ['application/json; charset=utf-8', 'json'],
  ['application/yaml', 'yaml'],
  ['application/vnd.kubernetes.protobuf', 'protobuf'],
  ['text/plain', undefined],
];
for (const [ct, want] of formats) {
  test(`Content-Type ${ct ?? '(none)'} is read as ${want ?? 'unsupported'}`, () => {
    assert.equal(bodyFormat(ct), want);
  });
}
