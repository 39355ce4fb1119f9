import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { milliValue, quantityToNumber, wholeValue } from './quantity-number.js';

const cases: [string | number, number, number][] = [
  // [quantity, MilliValue, Value] — both round up (resource.Quantity)
  ['1', 1000, 1],
  ['250m', 250, 1],
  ['1.5', 1500, 2],
  ['0.1m', 1, 1],
  ['1k', 1_000_000, 1000],
  ['1Ki', 1_024_000, 1024],
  ['64Mi', 64 * 2 ** 20 * 1000, 64 * 2 ** 20],
  ['1e3', 1_000_000, 1000],
  ['2E', 2e21, 2e18],
  [3, 3000, 3],
  ['0', 0, 0],
];
for (const [q, milli, value] of cases) {
  test(`quantity ${q} is ${milli} milli-units and ${value} rounded up`, () => {
    assert.equal(milliValue(q), milli);
    assert.equal(wholeValue(q), value);
  });
}

test('a malformed quantity throws', () => {
  assert.throws(() => quantityToNumber('12 apples'));
  assert.throws(() => quantityToNumber('1..2'));
});
