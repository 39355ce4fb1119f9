import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isStatusError } from './errors.js';
import { parsePodLogOptions, podLogOptionsOrThrow, validatePodLogOptions } from './pod-log-options.js';

test('kubectl logs flags decode into PodLogOptions', () => {
  const o = parsePodLogOptions(
    new URLSearchParams(
      'container=c&follow=true&previous=1&timestamps=True&tailLines=2&sinceTime=2024-01-01T00%3A00%3A00Z&limitBytes=10&pretty=false',
    ),
  );
  assert.deepEqual(o, {
    container: 'c',
    follow: true,
    previous: true,
    timestamps: true,
    tailLines: 2,
    sinceTime: Date.UTC(2024, 0, 1),
    limitBytes: 10,
  });
  assert.deepEqual(parsePodLogOptions(new URLSearchParams('')), { follow: false, previous: false, timestamps: false });
  assert.equal(parsePodLogOptions(new URLSearchParams('sinceSeconds=10')).sinceSeconds, 10);
});

test('malformed values are a 400 with the Go parser message', () => {
  const cases: [string, string][] = [
    ['tailLines=abc', 'strconv.ParseInt: parsing "abc": invalid syntax'],
    ['follow=yes', 'strconv.ParseBool: parsing "yes": invalid syntax'],
    [
      'sinceTime=yesterday',
      'parsing time "yesterday" as "2006-01-02T15:04:05Z07:00": cannot parse "yesterday" as "2006"',
    ],
  ];
  for (const [q, message] of cases) {
    assert.throws(
      () => parsePodLogOptions(new URLSearchParams(q)),
      (e: unknown) => isStatusError(e, 'BadRequest') && e.status.message === message,
      q,
    );
  }
});

test('ValidatePodLogOptions rules give 422 PodLogOptions Invalid with kube-apiserver messages', () => {
  const cases: [string, string][] = [
    ['tailLines=-1', 'PodLogOptions "p" is invalid: tailLines: Invalid value: -1: must be greater than or equal to 0'],
    ['limitBytes=0', 'PodLogOptions "p" is invalid: limitBytes: Invalid value: 0: must be greater than 0'],
    ['sinceSeconds=0', 'PodLogOptions "p" is invalid: sinceSeconds: Invalid value: 0: must be greater than 0'],
    [
      'sinceSeconds=5&sinceTime=2024-01-01T00:00:00Z',
      'PodLogOptions "p" is invalid: : Forbidden: at most one of `sinceTime` or `sinceSeconds` may be specified',
    ],
  ];
  for (const [q, message] of cases) {
    assert.throws(
      () => podLogOptionsOrThrow(new URLSearchParams(q), 'p'),
      (e: unknown) => isStatusError(e, 'Invalid') && e.status.message === message && e.status.code === 422,
      q,
    );
  }
  assert.deepEqual(validatePodLogOptions({ follow: true, previous: false, timestamps: false, tailLines: 0 }), []);
});
