// Vectors after k8s.io/apimachinery/pkg/util/duration/duration_test.go and Go's time.Duration.String.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { goDurationString, humanDuration, shortHumanDuration, translateTimestampSince } from './duration.js';

const S = 1000;
const M = 60 * S;
const H = 60 * M;
const D = 24 * H;
const Y = 365 * D;

test('HumanDuration keeps two to three significant figures', () => {
  const cases: [number, string][] = [
    [-2 * S, '<invalid>'],
    [-1999, '0s'],
    [-1 * S, '0s'],
    [0, '0s'],
    [1 * S, '1s'],
    [119 * S, '119s'],
    [2 * M, '2m'],
    [2 * M + 1 * S, '2m1s'],
    [9 * M + 59 * S, '9m59s'],
    [10 * M, '10m'],
    [179 * M, '179m'],
    [3 * H, '3h'],
    [3 * H + 1 * M, '3h1m'],
    [7 * H + 59 * M, '7h59m'],
    [8 * H, '8h'],
    [47 * H + 59 * M, '47h'],
    [48 * H, '2d'],
    [48 * H + 1 * H, '2d1h'],
    [8 * D - H, '7d23h'],
    [8 * D, '8d'],
    [2 * Y - D, '729d'],
    [2 * Y, '2y'],
    [2 * Y + D, '2y1d'],
    [8 * Y - D, '7y364d'],
    [8 * Y, '8y'],
    [9 * Y + 40 * D, '9y'],
  ];
  for (const [ms, want] of cases) {
    assert.equal(humanDuration(ms), want, String(ms));
  }
});

test('ShortHumanDuration keeps one unit', () => {
  const cases: [number, string][] = [
    [-2 * S, '<invalid>'],
    [-1 * S, '0s'],
    [59 * S, '59s'],
    [60 * S, '1m'],
    [59 * M + 59 * S, '59m'],
    [H, '1h'],
    [23 * H, '23h'],
    [D, '1d'],
    [364 * D, '364d'],
    [Y, '1y'],
    [3 * Y + 100 * D, '3y'],
  ];
  for (const [ms, want] of cases) {
    assert.equal(shortHumanDuration(ms), want, String(ms));
  }
});

test('prints durations like Go time.Duration.String', () => {
  const cases: [number, string][] = [
    [0, '0s'],
    [0.000001, '1ns'],
    [0.0011, '1.1µs'],
    [1.5, '1.5ms'],
    [500, '500ms'],
    [1000, '1s'],
    [1500, '1.5s'],
    [10 * S, '10s'],
    [80 * S, '1m20s'],
    [300 * S, '5m0s'],
    [H, '1h0m0s'],
    [H + 2 * M + 3500, '1h2m3.5s'],
    [-1500, '-1.5s'],
  ];
  for (const [ms, want] of cases) {
    assert.equal(goDurationString(ms), want, String(ms));
  }
});

test('translates a timestamp into an age, or <unknown> without one', () => {
  const now = Date.parse('2024-01-01T12:00:00Z');
  assert.equal(translateTimestampSince('2024-01-01T11:55:00Z', now), '5m');
  assert.equal(translateTimestampSince('2024-01-01T11:59:30Z', now), '30s');
  assert.equal(translateTimestampSince(undefined, now), '<unknown>');
  assert.equal(translateTimestampSince(null, now), '<unknown>');
});
