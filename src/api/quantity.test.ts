// Vectors from k8s.io/apimachinery/pkg/api/resource/quantity_test.go
// (TestQuantityParse, TestQuantityString, TestQuantityParseEmit, TestQuantityRoundUp …).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  ERR_FORMAT_WRONG,
  ERR_NUMERIC,
  ERR_SUFFIX,
  Quantity,
  QuantityParseError,
  canonicalQuantity,
  parseQuantity,
} from './quantity.js';

const q = (s: string | number): Quantity => parseQuantity(s);

test('parses every upstream TestQuantityParse vector to the same value and format', () => {
  // [input, value as a decimal string, format]
  const table: [string, string, string][] = [
    ['0', '0', 'DecimalSI'],
    ['0n', '0', 'DecimalSI'],
    ['0Ki', '0', 'BinarySI'],
    ['0Ti', '0', 'BinarySI'],
    ['1', '1', 'DecimalSI'],
    ['1Ki', '1024', 'BinarySI'],
    ['8Ki', '8192', 'BinarySI'],
    ['7Mi', String(7 * 1024 * 1024), 'BinarySI'],
    ['6Gi', String(6 * 1024 ** 3), 'BinarySI'],
    ['5Ti', String(5 * 1024 ** 4), 'BinarySI'],
    ['4Pi', String(4n * 1024n ** 5n), 'BinarySI'],
    ['3Ei', String(3n * 1024n ** 6n), 'BinarySI'],
    ['100Ti', String(100n * 1024n ** 4n), 'BinarySI'],
    ['5n', '5e-9', 'DecimalSI'],
    ['4u', '4e-6', 'DecimalSI'],
    ['3m', '3e-3', 'DecimalSI'],
    ['8k', '8e3', 'DecimalSI'],
    ['50k', '5e4', 'DecimalSI'],
    ['300T', '3e14', 'DecimalSI'],
    ['1E', '1e18', 'DecimalSI'],
    ['1E-3', '1e-3', 'DecimalExponent'],
    ['1e3', '1e3', 'DecimalExponent'],
    ['1E18', '1e18', 'DecimalExponent'],
    ['1e14', '1e14', 'DecimalExponent'],
    ['100.035k', '100035', 'DecimalSI'],
    ['0.001', '1e-3', 'DecimalSI'],
    ['0.0005k', '5e-1', 'DecimalSI'],
    ['0.50000', '5e-1', 'DecimalSI'],
    ['0.5e-2', '5e-3', 'DecimalExponent'],
    ['10.035M', '10035e3', 'DecimalSI'],
    ['1.2e3', '12e2', 'DecimalExponent'],
    ['1.3E+6', '13e5', 'DecimalExponent'],
    ['1.7E18', '17e17', 'DecimalExponent'],
    ['6.987654321G', '6987654321', 'DecimalSI'],
    ['1.01E', '101e16', 'DecimalSI'],
    ['3.001n', '4e-9', 'DecimalSI'],
    ['1.1E-9', '2e-9', 'DecimalExponent'],
    ['0.0000000001', '1e-9', 'DecimalSI'],
    ['0.5e-9', '1e-9', 'DecimalExponent'],
    ['0.9n', '1e-9', 'DecimalSI'],
    ['0.00000012345', '124e-9', 'DecimalSI'],
    ['9Ei', String((1n << 63n) - 1n), 'BinarySI'],
    ['9223372036854775807Ki', String((1n << 63n) - 1n), 'BinarySI'],
    ['12E', '12e18', 'DecimalSI'],
    ['100.035Ki', '10243584e-2', 'BinarySI'],
    ['0.5Mi', String(512 * 1024), 'BinarySI'],
    ['0.05Gi', '536870912e-1', 'BinarySI'],
    ['0.000000000001Ki', '2e-9', 'DecimalSI'],
    ['.001', '1e-3', 'DecimalSI'],
    ['.0001k', '100e-3', 'DecimalSI'],
    ['1.', '1', 'DecimalSI'],
    ['1.G', '1e9', 'DecimalSI'],
  ];
  const toQ = (v: string): Quantity => {
    const [m, e] = v.split('e');
    return Quantity.fromScaled(BigInt(m!), Number(e ?? 0));
  };
  for (const [input, value, format] of table) {
    const got = q(input);
    assert.equal(got.cmp(toQ(value)), 0, `${input}: ${got.toString()} != ${value}`);
    assert.equal(got.format, format, input);
    const neg = q('-' + input);
    assert.equal(neg.cmp(toQ(value).neg()), 0, `-${input}`);
    assert.equal(neg.format, format, `-${input}`);
    assert.equal(q('+' + input).cmp(got), 0, `+${input}`);
  }
});

test('rejects malformed quantities with the three upstream messages', () => {
  const cases: [string, string][] = [
    ['', ERR_FORMAT_WRONG],
    ['1.1.M', ERR_FORMAT_WRONG],
    ['1+1.0M', ERR_FORMAT_WRONG],
    ['0.1mi', ERR_SUFFIX],
    ['0.1am', ERR_FORMAT_WRONG],
    ['aoeu', ERR_FORMAT_WRONG],
    ['.5i', ERR_SUFFIX],
    ['1i', ERR_SUFFIX],
    ['-3.01i', ERR_SUFFIX],
    ['-3.01e-', ERR_SUFFIX],
    [' 1', ERR_FORMAT_WRONG],
    ['1 ', ERR_FORMAT_WRONG],
    ['1K', ERR_SUFFIX],
    ['1kk', ERR_SUFFIX],
    ['1e', ERR_SUFFIX],
    ['e-12', ERR_NUMERIC],
    ['Ei', ERR_NUMERIC],
  ];
  for (const [input, message] of cases) {
    assert.throws(
      () => q(input),
      (e: unknown) => e instanceof QuantityParseError && e.message === message,
      `${JSON.stringify(input)} should fail with ${message}`,
    );
  }
  assert.throws(() => q(Number.NaN), QuantityParseError);
});

test('the error message quotes the regular expression exactly', () => {
  assert.equal(
    ERR_FORMAT_WRONG,
    "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'",
  );
});

test('formats values canonically like TestQuantityString and TestQuantityParseEmit', () => {
  const cases: [string, string][] = [
    ['1.5', '1500m'],
    ['1.5Gi', '1536Mi'],
    ['0.1', '100m'],
    ['1000m', '1'],
    ['1e3', '1e3'],
    ['0.5Ki', '512'],
    ['1024Mi', '1Gi'],
    ['307200Ki', '300Mi'],
    ['1025024Mi', '1001Gi'],
    ['1024Gi', '1Ti'],
    ['1000M', '1G'],
    ['0.001T', '1G'],
    ['1000u', '1m'],
    ['1.08', '1080m'],
    ['1080000000n', '1080m'],
    ['1000E', '1e21'],
    ['5000E', '5e21'],
    ['.001e12', '1e9'],
    ['0.001e0', '1e-3'],
    ['1000e-12', '1e-9'],
    ['00', '0'],
    ['.001Ki', '1024m'],
    ['.000001Ki', '1024u'],
    ['.000000001Ki', '1024n'],
    ['.000000000001Ki', '2n'],
    ['1.1Ki', '1126400m'],
    ['1e14', '100e12'],
    ['1000', '1k'],
    ['128974848', '128974848'],
    ['129e6', '129e6'],
    ['129M', '129M'],
    ['123Mi', '123Mi'],
    ['1Ki', '1Ki'],
    ['0.1m', '100u'],
  ];
  for (const [input, want] of cases) {
    assert.equal(canonicalQuantity(input), want, input);
    if (want !== '0') {
      assert.equal(canonicalQuantity('-' + input), '-' + want, `-${input}`);
    }
  }
});

test('keeps the input string when the int64 fast path would (Quantity.s), as the API echoes it', () => {
  for (const s of ['100m', '+1', '01', '1.500', '1E3', '12Ki', '1025Ki', '500m', '2Gi']) {
    assert.equal(canonicalQuantity(s), s);
  }
  // ... but not when it ends in 000, has a leading 0 after shifting, or a scale off by 3
  assert.equal(canonicalQuantity('8Ki'), '8Ki');
  assert.equal(canonicalQuantity('1024Ki'), '1Mi');
  assert.equal(canonicalQuantity('0.5'), '500m');
  assert.equal(canonicalQuantity('1.0'), '1');
  assert.equal(q('+1').canonicalString(), '1');
});

test('parses bare JSON numbers from their decimal text', () => {
  assert.equal(canonicalQuantity(1.5), '1500m');
  assert.equal(canonicalQuantity(2), '2');
  assert.equal(canonicalQuantity(1e21), '1e21');
  assert.equal(canonicalQuantity(0.25), '250m');
});

test('value and milliValue round up away from zero', () => {
  const cases: [string, number, number][] = [
    ['1', 1, 1000],
    ['100m', 1, 100],
    ['1.5', 2, 1500],
    ['0.1m', 1, 1],
    ['1n', 1, 1],
    ['128Mi', 134217728, 134217728000],
    ['1G', 1e9, 1e12],
    ['-1.5', -2, -1500],
    ['0', 0, 0],
  ];
  for (const [input, value, milli] of cases) {
    assert.equal(q(input).value(), value, `${input}.value()`);
    assert.equal(q(input).milliValue(), milli, `${input}.milliValue()`);
  }
});

test('roundUpToMilli rounds finer values up and keeps coarser ones untouched', () => {
  assert.equal(q('0.1m').roundUpToMilli().toString(), '1m');
  assert.equal(q('1500u').roundUpToMilli().toString(), '2m');
  assert.equal(q('1n').roundUpToMilli().toString(), '1m');
  assert.equal(q('-1n').roundUpToMilli().toString(), '-1m');
  assert.equal(q('1.500').roundUpToMilli().toString(), '1.500');
  assert.equal(q('100m').roundUpToMilli().toString(), '100m');
  assert.equal(q('1Gi').roundUpToMilli().toString(), '1Gi');
  assert.equal(q('9.01').roundUpToMilli().cmp(q('9010m')), 0);
});

test('compares exactly across formats and scales (TestQuantityCmp)', () => {
  const cases: [string, string, number][] = [
    ['0', '0', 0],
    ['100m', '50m', 1],
    ['50m', '100m', -1],
    ['10000T', '100Gi', 1],
    ['1Ki', '1024', 0],
    ['1k', '1000', 0],
    ['0.1', '100m', 0],
    ['1e3', '1k', 0],
    ['-1', '0', -1],
    ['999999999999999999999', '1e21', -1],
  ];
  for (const [a, b, want] of cases) {
    assert.equal(q(a).cmp(q(b)), want, `${a} cmp ${b}`);
    assert.equal(q(b).cmp(q(a)), want === 0 ? 0 : -want, `${b} cmp ${a}`);
  }
});

test('add and sub keep the receiver format unless it is zero (TestQuantityAddZeroPreservesSuffix)', () => {
  for (const v of ['100m', '1Gi']) {
    assert.equal(q(v).add(q('0')).toString(), v);
    assert.equal(q('0').add(q(v)).toString(), v);
    assert.equal(q(v).sub(q('0')).toString(), v);
    assert.equal(q('0').sub(q(v)).toString(), q(v).neg().toString());
  }
  assert.equal(q('1Gi').add(q('512Mi')).toString(), '1536Mi');
  assert.equal(q('1').add(q('500m')).toString(), '1500m');
  assert.equal(q('1').sub(q('1500m')).toString(), '-500m');
  assert.equal(q('1Gi').add(q('1G')).toString(), '2073741824');
  assert.equal(q('1G').add(q('1Gi')).toString(), '2073741824');
  assert.equal(q('1').sub(q('1')).toString(), '0');
});

test('neg and sign follow the value (TestQuantityNeg)', () => {
  assert.equal(q('9.01').neg().toString(), '-9010m');
  assert.equal(q('9.01').sign(), 1);
  assert.equal(q('-9.01').sign(), -1);
  assert.equal(q('0').sign(), 0);
  assert.equal(q('0Mi').isZero(), true);
  assert.equal(q('1n').isZero(), false);
});

test('upstream scanner leniencies parse as zero, as in Kubernetes', () => {
  for (const s of ['.', '-.', '-', '+', 'm', 'Mi', 'e3']) {
    assert.equal(q(s).isZero(), true, s);
  }
});

test('constructors build quantities like NewQuantity and NewMilliQuantity (TestNewSet)', () => {
  assert.equal(Quantity.fromValue(1000).toString(), '1k');
  assert.equal(Quantity.fromValue(1024, 'BinarySI').toString(), '1Ki');
  assert.equal(Quantity.fromValue(1024 * 1024, 'BinarySI').toString(), '1Mi');
  assert.equal(Quantity.fromMilli(1).toString(), '1m');
  assert.equal(Quantity.fromMilli(1234000).toString(), '1234');
  assert.equal(Quantity.fromMilli(1024, 'BinarySI').toString(), '1024m');
  assert.equal(Quantity.fromValue(1000000, 'DecimalExponent').toString(), '1e6');
  assert.equal(JSON.stringify({ cpu: q('1.5') }), '{"cpu":"1500m"}');
});

test('extreme exponents stay cheap: no 10^n is ever written out', () => {
  const tiny = q('1e-2000000000');
  assert.equal(tiny.toString(), '1e-9');
  const huge = q('1e2000000000');
  assert.equal(huge.toString(), '100e1999999998');
  assert.equal(huge.cmp(q('1E')), 1);
  assert.equal(q('-1e2000000000').cmp(q('1')), -1);
  assert.equal(q('-1e2000000000').cmp(q('-1')), -1);
  assert.equal(huge.value(), Infinity);
  assert.equal(huge.neg().milliValue(), -Infinity);
  assert.equal(q('1e-2000000000').roundUpToMilli().toString(), '1e-3');
  assert.equal(q('0.0000000000001').toString(), '1n');
});
