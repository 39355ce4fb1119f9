import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { parseNofileHard } from './host-limits.js';

const LIMITS = `Limit                     Soft Limit           Hard Limit           Units
Max processes             96365                96365                processes
Max open files            1024                 20000                files
`;

test('the hard NOFILE limit comes from the "Max open files" row', () => {
  assert.equal(parseNofileHard(LIMITS), 20000);
  assert.equal(parseNofileHard(LIMITS.replace('20000', 'unlimited')), 1048576);
});
