import assert from 'node:assert/strict';
import { test } from 'node:test';
import { BinaryHeap } from './binary-heap.js';

test('pop returns items in the heap order, whatever the push order', () => {
  const h = new BinaryHeap<number>((a, b) => a < b);
  const input = [5, 3, 9, 1, 7, 3, 8, 2, 6, 0, 4];
  for (const n of input) {
    h.push(n);
  }
  assert.equal(h.size, input.length);
  assert.equal(h.peek(), 0);
  const out: number[] = [];
  for (let n = h.pop(); n !== undefined; n = h.pop()) {
    out.push(n);
  }
  assert.deepEqual(
    out,
    [...input].sort((a, b) => a - b),
  );
  assert.equal(h.size, 0);
  assert.equal(h.pop(), undefined);
});

test('ties come out in the order the comparator defines (here: insertion sequence)', () => {
  const h = new BinaryHeap<{ k: number; seq: number }>((a, b) => a.k < b.k || (a.k === b.k && a.seq < b.seq));
  [2, 1, 2, 1, 2].forEach((k, seq) => h.push({ k, seq }));
  const out: number[] = [];
  for (let e = h.pop(); e; e = h.pop()) {
    out.push(e.seq);
  }
  assert.deepEqual(out, [1, 3, 0, 2, 4]);
});
