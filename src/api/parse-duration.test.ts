import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { parseDuration } from './parse-duration.js';

const cases: [string, number | undefined][] = [
  ['30', 30_000],
  ['0.5', 500],
  ['30s', 30_000],
  ['1m30s', 90_000],
  ['500ms', 500],
  ['2h', 7_200_000],
  ['1.5s', 1500],
  ['250us', 0.25],
  ['0s', 0],
  ['', undefined],
  ['-5s', undefined],
  ['10x', undefined],
  ['s', undefined],
  ['5s junk', undefined],
];

for (const [text, want] of cases) {
  test(`parses ${JSON.stringify(text)} as ${String(want)} ms`, () => {
    assert.equal(parseDuration(text), want);
  });
}
