import * as assert from 'node:assert/strict';
import { test } from 'node:test';
import { POD_UID_LABEL, PodUidIndex } from './pod-uid-index.js';

test('a selector naming a pod UID gives that pod entries only; one without gives no narrowing', () => {
  const idx = new PodUidIndex<string>();
  idx.add({ [POD_UID_LABEL]: 'u1' }, 'a');
  idx.add({ [POD_UID_LABEL]: 'u1', x: 'y' }, 'b');
  idx.add({ [POD_UID_LABEL]: 'u2' }, 'c');
  idx.add({ other: 'label' }, 'd');
  assert.deepEqual([...idx.candidates({ [POD_UID_LABEL]: 'u1' })!], ['a', 'b']);
  assert.deepEqual([...idx.candidates({ [POD_UID_LABEL]: 'u3' })!], []);
  assert.equal(idx.candidates({ other: 'label' }), undefined);
  assert.equal(idx.candidates(undefined), undefined);
  idx.remove({ [POD_UID_LABEL]: 'u1' }, 'a');
  idx.remove({ [POD_UID_LABEL]: 'u1', x: 'y' }, 'b');
  assert.deepEqual([...idx.candidates({ [POD_UID_LABEL]: 'u1' })!], []);
});
