import * as assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Pod } from '../../api/types/index.js';
import { watchTriggerFor } from './watch-trigger.js';

test('a pod field selector that pins spec.nodeName gives that node as the trigger value', () => {
  const cases: [string, string | undefined, string | undefined][] = [
    ['pods', 'spec.nodeName=n1', 'n1'],
    ['pods', 'spec.nodeName==n1', 'n1'],
    ['pods', 'status.phase!=Failed,spec.nodeName=n1', 'n1'],
    ['pods', 'spec.host=n1', 'n1'],
    ['pods', 'spec.nodeName=', ''],
    ['pods', 'spec.nodeName!=n1', undefined],
    ['pods', 'status.phase=Running', undefined],
    ['pods', undefined, undefined],
    ['pods', 'no-such-field=1', undefined],
    ['events', 'spec.nodeName=n1', undefined],
  ];
  for (const [resource, selector, want] of cases) {
    assert.equal(watchTriggerFor(resource, selector)?.value, want, `${resource} ${selector}`);
  }
});

test("the trigger's index value of a pod is its spec.nodeName, empty when unscheduled", () => {
  const t = watchTriggerFor('pods', 'spec.nodeName=n1')!;
  const pod = (nodeName?: string): Pod => ({ metadata: { name: 'p' }, spec: { containers: [], nodeName } });
  assert.equal(t.index, 'spec.nodeName');
  assert.equal(t.indexValue(pod('n1')), 'n1');
  assert.equal(t.indexValue(pod()), '');
});
