import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { expand, expandCommandOnlyStatic, expandContainerCommandAndArgs, lookupIn } from './expand.js';

// Cases from k8s third_party/forked/golang/expansion/expand_test.go#TestMapReference/TestMapping.
const vars = new Map([
  ['VAR_A', 'A'],
  ['VAR_B', 'B'],
  ['VAR_C', 'C'],
  ['VAR_REF', '$(VAR_A)'],
  ['VAR_EMPTY', ''],
]);
const cases: [string, string, string][] = [
  ['expands a whole reference', '$(VAR_A)', 'A'],
  ['expands a reference inside text', '___$(VAR_B)___', '___B___'],
  ['expands several references', '$(VAR_A)-$(VAR_B)-$(VAR_C)', 'A-B-C'],
  ['does not expand the value of a reference again', '$(VAR_REF)', '$(VAR_A)'],
  ['expands a known empty variable to nothing', 'x$(VAR_EMPTY)y', 'xy'],
  ['leaves an unknown reference as written', '$(VAR_DNE)', '$(VAR_DNE)'],
  ['turns $$ into $ and stops it from starting a reference', '$$(VAR_A)', '$(VAR_A)'],
  ['escapes twice in a row', '$$$$(VAR_A)', '$$(VAR_A)'],
  ['escape followed by a reference', '$$$(VAR_A)', '$A'],
  ['keeps a lone trailing $', 'foo$', 'foo$'],
  ['keeps $ before other characters', '$VAR_A', '$VAR_A'],
  ['keeps an unclosed reference', '$(VAR_A', '$(VAR_A'],
  ['keeps an empty reference', '$()', '$()'],
  ['takes everything up to the first ) as the name', '$($(VAR_A)', '$($(VAR_A)'],
  ['expands references next to each other', '$(VAR_A)$(VAR_B)', 'AB'],
];
for (const [name, input, want] of cases) {
  test(`$(VAR) expansion ${name}`, () => {
    assert.equal(expand(input, lookupIn(vars)), want);
  });
}

test('command and args are expanded from the resolved environment, absent ones stay empty', () => {
  const env = [
    { key: 'GREETING', value: 'hi' },
    { key: 'WHO', value: 'there' },
  ];
  assert.deepEqual(
    expandContainerCommandAndArgs({ command: ['echo', '$(GREETING)'], args: ['$(WHO)', '$$(WHO)'] }, env),
    {
      command: ['echo', 'hi'],
      args: ['there', '$(WHO)'],
    },
  );
  assert.deepEqual(expandContainerCommandAndArgs({}, env), { command: [], args: [] });
});

test('an exec probe command sees only static env values; valueFrom entries read as empty', () => {
  const got = expandCommandOnlyStatic(
    ['sh', '-c', 'test $(MODE) = $(FROM_API)x$(UNKNOWN)'],
    [
      { name: 'MODE', value: 'live' },
      { name: 'FROM_API', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } },
    ],
  );
  assert.deepEqual(got, ['sh', '-c', 'test live = x$(UNKNOWN)']);
});
