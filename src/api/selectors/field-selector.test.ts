// Cases from k8s.io/apimachinery/pkg/fields/selector_test.go.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  FieldSelectorParseError,
  escapeFieldValue,
  matchFieldSelector,
  parseFieldSelector,
  unescapeFieldValue,
} from './field-selector.js';

test('parses terms with =, == and != and sorts them', () => {
  assert.deepEqual(parseFieldSelector('b!=2,a=1,c==3').requirements, [
    { field: 'a', operator: '=', value: '1' },
    { field: 'b', operator: '!=', value: '2' },
    { field: 'c', operator: '=', value: '3' },
  ]);
  assert.deepEqual(parseFieldSelector('').requirements, []);
  assert.deepEqual(parseFieldSelector('a=1,').requirements, [{ field: 'a', operator: '=', value: '1' }]);
  assert.deepEqual(parseFieldSelector('x=').requirements, [{ field: 'x', operator: '=', value: '' }]);
});

test('unescapes backslash sequences in values and keeps escaped commas in one term', () => {
  assert.deepEqual(parseFieldSelector('a=x\\,y,b=\\=\\\\').requirements, [
    { field: 'a', operator: '=', value: 'x,y' },
    { field: 'b', operator: '=', value: '=\\' },
  ]);
  assert.equal(escapeFieldValue('a,b=c\\d'), 'a\\,b\\=c\\\\d');
  assert.equal(unescapeFieldValue(escapeFieldValue('a,b=c\\d')), 'a,b=c\\d');
});

test('rejects malformed selectors with the fields package messages', () => {
  const cases: [string, string][] = [
    ['a', "invalid selector: 'a'; can't understand 'a'"],
    ['a=1,b', "invalid selector: 'a=1,b'; can't understand 'b'"],
    ['a=b=c', 'invalid field selector: unescaped character in value: 61'],
    ['a=\\x', 'invalid field selector: invalid escape sequence: \\x'],
    ['a=x\\', 'invalid field selector: invalid escape sequence: \\'],
  ];
  for (const [input, message] of cases) {
    assert.throws(
      () => parseFieldSelector(input),
      (e: unknown) => e instanceof FieldSelectorParseError && e.message === message,
      input,
    );
  }
});

test('matches a field set, reading absent fields as empty', () => {
  const fields = { 'status.phase': 'Running', 'spec.nodeName': 'n1' };
  const cases: [string, boolean][] = [
    ['status.phase=Running', true],
    ['status.phase==Running', true],
    ['status.phase!=Running', false],
    ['spec.nodeName=n1,status.phase!=Succeeded,status.phase!=Failed', true],
    ['spec.nodeName=n2', false],
    ['missing=', true],
    ['missing!=x', true],
  ];
  for (const [sel, want] of cases) {
    assert.equal(matchFieldSelector(parseFieldSelector(sel), fields), want, sel);
  }
});
