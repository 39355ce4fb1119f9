// Cases from k8s.io/apimachinery/pkg/labels/selector_test.go (TestSelectorParse,
// TestSelectorMatches, TestLexer…) and metav1 helpers_test.go.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  LabelSelectorParseError,
  labelSelectorFromObject,
  labelSelectorString,
  matchLabelSelector,
  parseLabelSelector,
} from './label-selector.js';

const matches = (sel: string, labels: Record<string, string> | undefined): boolean =>
  matchLabelSelector(parseLabelSelector(sel), labels);

test('parses the selectors upstream accepts and prints them normalised', () => {
  const cases: [string, string][] = [
    ['', ''],
    ['x=a,y=b,z=c', 'x=a,y=b,z=c'],
    ['x!=a,y=b', 'x!=a,y=b'],
    ['x=,z= ', 'x=,z='],
    ['x= ,z= ', 'x=,z='],
    ['!x', '!x'],
    ['x>1', 'x>1'],
    ['x<7', 'x<7'],
    ['x in (foo,,baz),y,z notin ()', 'x in (,baz,foo),y,z notin ()'],
    ['app in (nginx,x)', 'app in (nginx,x)'],
    ['  app  ==  nginx ', 'app==nginx'],
    ['z,a=1', 'a=1,z'],
    ['in in (in)', 'in in (in)'],
    ['example.com/app=web', 'example.com/app=web'],
    ['x notin (a , b)', 'x notin (a,b)'],
    ['x in (a,a,b)', 'x in (a,b)'],
  ];
  for (const [input, want] of cases) {
    assert.equal(labelSelectorString(parseLabelSelector(input)), want, input);
  }
});

test('rejects malformed selectors with the parser messages of selector.go', () => {
  const cases: [string, string][] = [
    ['x=a y=b', "found 'y', expected: ',' or 'end of string'"],
    ['x==a==b', "found '==', expected: ',' or 'end of string'"],
    ['x in (a', "unable to parse requirement: found '', expected: ',' or ')'"],
    ['x in a', "unable to parse requirement: found 'a' expected: '('"],
    ['x in', "unable to parse requirement: found '' expected: '('"],
    ['x b', "unable to parse requirement: found 'b', expected: in, notin, =, ==, !=, gt, lt"],
    ['x=a,', "found '', expected: identifier after ','"],
    [',x=a', "found ',', expected: !, identifier, or 'end of string'"],
    ['!', "unable to parse requirement: found '', expected: identifier"],
    ['x=(a)', "unable to parse requirement: found '(', expected: identifier"],
    ['x in (a b)', "unable to parse requirement: found 'b', expected: ',' or ')'"],
    [
      'x>a',
      "unable to parse requirement: values[0]: Invalid value: \"a\": for 'Gt', 'Lt' operators, the value must be an integer",
    ],
  ];
  for (const [input, message] of cases) {
    assert.throws(
      () => parseLabelSelector(input),
      (e: unknown) => e instanceof LabelSelectorParseError && e.message === message,
      input,
    );
  }
});

test('reports an invalid key with the qualified-name message and a <nil> path', () => {
  assert.throws(
    () => parseLabelSelector('a:=b'),
    (e: unknown) =>
      e instanceof LabelSelectorParseError &&
      e.message ===
        "unable to parse requirement: <nil>: Invalid value: \"a:\": name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')",
  );
});

test('reports an invalid value with the label-value message under values[i][key]', () => {
  assert.throws(
    () => parseLabelSelector('x=a/b'),
    (e: unknown) =>
      e instanceof LabelSelectorParseError &&
      e.message ===
        "unable to parse requirement: values[0][x]: Invalid value: \"a/b\": a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')",
  );
});

test('matches labels as Requirement.Matches does', () => {
  const cases: [string, Record<string, string> | undefined, boolean][] = [
    ['', { x: 'y' }, true],
    ['', undefined, true],
    ['x=y', { x: 'y' }, true],
    ['x=y', { x: 'z' }, false],
    ['x=y', undefined, false],
    ['x==y', { x: 'y' }, true],
    ['x!=y', { x: 'z' }, true],
    ['x!=y', {}, true],
    ['x!=y', { x: 'y' }, false],
    ['x=y,z=w', { x: 'y', z: 'w' }, true],
    ['x=y,z=w', { x: 'y', z: 'a' }, false],
    ['x', { x: '' }, true],
    ['x', { y: 'z' }, false],
    ['!x', { y: 'z' }, true],
    ['!x', { x: 'z' }, false],
    ['x in (a,b)', { x: 'b' }, true],
    ['x in (a,b)', { x: 'c' }, false],
    ['x in (a,b)', {}, false],
    ['x notin (a,b)', { x: 'c' }, true],
    ['x notin (a,b)', {}, true],
    ['x notin (a,b)', { x: 'a' }, false],
    ['x in (,a)', { x: '' }, true],
    ['x>1', { x: '2' }, true],
    ['x>1', { x: '1' }, false],
    ['x>1', { x: 'a' }, false],
    ['x<1', { x: '-1' }, true],
    ['x=', { x: '' }, true],
    ['x=', {}, false],
  ];
  for (const [sel, labels, want] of cases) {
    assert.equal(matches(sel, labels), want, `${sel} on ${JSON.stringify(labels)}`);
  }
});

test('builds a selector from a metav1.LabelSelector object', () => {
  const m = labelSelectorFromObject({
    matchLabels: { app: 'web' },
    matchExpressions: [
      { key: 'tier', operator: 'In', values: ['a', 'b'] },
      { key: 'legacy', operator: 'DoesNotExist' },
      { key: 'env', operator: 'Exists' },
      { key: 'zone', operator: 'NotIn', values: ['x'] },
    ],
  });
  assert.equal(labelSelectorString(m), 'app=web,env,!legacy,tier in (a,b),zone notin (x)');
  assert.equal(matchLabelSelector(m, { app: 'web', tier: 'a', env: '1' }), true);
  assert.equal(matchLabelSelector(m, { app: 'web', tier: 'a', env: '1', legacy: 'y' }), false);
  assert.equal(matchLabelSelector(labelSelectorFromObject({}), { any: 'thing' }), true);
  assert.equal(matchLabelSelector(labelSelectorFromObject(undefined), {}), false);
});

test('rejects object selectors with bad operators or empty In values', () => {
  assert.throws(() => labelSelectorFromObject({ matchExpressions: [{ key: 'a', operator: 'Gt' as 'In' }] }), {
    message: '"Gt" is not a valid label selector operator',
  });
  assert.throws(() => labelSelectorFromObject({ matchExpressions: [{ key: 'a', operator: 'In', values: [] }] }), {
    message: "values: Invalid value: []string{}: for 'in', 'notin' operators, values set can't be empty",
  });
  assert.throws(
    () => labelSelectorFromObject({ matchExpressions: [{ key: 'a', operator: 'Exists', values: ['x'] }] }),
    {
      message: 'values: Invalid value: []string{"x"}: values set must be empty for exists and does not exist',
    },
  );
});
