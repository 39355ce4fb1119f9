import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { isRuntimeError } from '../runtime.js';
import {
  checkSimAnnotationKeys,
  parseProbeTimeline,
  probeAnswerAt,
  quantityBytes,
  readContainerBehaviour,
  readPortAnswer,
  readPullBehaviour,
} from './sim-annotations.js';
import { normaliseImageRef } from './sim-image-store.js';

const P = 'sim.podbay.io/';

test('accepts every documented key', () => {
  checkSimAnnotationKeys({
    [`${P}run-seconds.app`]: '1',
    [`${P}exit-code.app`]: '1',
    [`${P}stop-seconds.app`]: '1',
    [`${P}term-exit-code.app`]: '0',
    [`${P}memory.app`]: '1Gi',
    [`${P}cpu.app`]: '1',
    [`${P}probe.app.liveness`]: 'ok',
    [`${P}probe.app.readiness`]: 'ok',
    [`${P}probe.app.startup`]: 'ok',
    [`${P}hook.app.postStart`]: 'ok',
    [`${P}hook.app.preStop`]: 'fail',
    [`${P}start-error.app`]: 'x',
    [`${P}create-error.app`]: 'x',
    [`${P}logs.app`]: 'x',
    [`${P}exec.app`]: 'x => 0',
    [`${P}termination-message.app`]: 'x',
    [`${P}pull-error`]: 'x',
    [`${P}pull-seconds`]: '1',
    [`${P}port.8080`]: 'echo',
    'other.example.com/anything': 'x',
  });
});

for (const key of [
  'exit-code',
  'exit-code.a.b',
  'probe.app',
  'probe.app.ready.x',
  'hook.app.prestop',
  'hook.app',
  'port.http',
  'logz.app',
]) {
  test(`rejects the key ${P}${key}`, () => {
    assert.throws(
      () => checkSimAnnotationKeys({ [P + key]: '1' }),
      (e) => isRuntimeError(e, 'InvalidArgument'),
    );
  });
}

const quantities: [string, number | undefined][] = [
  ['300Mi', 300 * 2 ** 20],
  ['1Gi', 2 ** 30],
  ['1G', 1e9],
  ['128974848', 128974848],
  ['1.5Ki', 1536],
  ['0.1', 1],
  ['12Q', undefined],
];
for (const [text, want] of quantities) {
  test(`reads the memory quantity ${text} as ${String(want)} bytes`, () => {
    assert.equal(quantityBytes(text), want);
  });
}

test('probe timelines: shorthands and the general form', () => {
  assert.deepEqual(parseProbeTimeline('k', 'v', 'ok-after:10s'), [
    { fromMs: 0, answer: 'fail' },
    { fromMs: 10_000, answer: 'ok' },
  ]);
  assert.deepEqual(parseProbeTimeline('k', 'v', 'fail-after:1m'), [
    { fromMs: 0, answer: 'ok' },
    { fromMs: 60_000, answer: 'fail' },
  ]);
  const t = parseProbeTimeline('k', 'v', 'timeout;ok@5s;fail@20s');
  assert.deepEqual(
    [0, 4_999, 5_000, 19_999, 20_000].map((ms) => probeAnswerAt(t, ms)),
    ['timeout', 'timeout', 'ok', 'ok', 'fail'],
  );
  assert.throws(() => parseProbeTimeline('k', 'v', 'ok;fail'), /want ok/);
  assert.throws(() => parseProbeTimeline('k', 'v', 'ok@5s'), /want ok/);
});

test('behaviour defaults leave everything to the command', () => {
  const b = readContainerBehaviour({}, 'app', 0);
  assert.deepEqual(
    [b.runMs, b.exitCode, b.stopMs, b.termExitCode, b.memoryBytes, b.cpuMillis],
    [undefined, undefined, undefined, undefined, undefined, 0],
  );
});

test('logs: timed lines are sorted and blank lines skipped', () => {
  const b = readContainerBehaviour({ [`${P}logs.app`]: '@5s late\n\nfirst\n@1s stderr: warn' }, 'app', 0);
  assert.deepEqual(
    b.logs.map((o) => [o.atMs, o.stream, o.text]),
    [
      [0, 'stdout', 'first\n'],
      [1000, 'stderr', 'warn\n'],
      [5000, 'stdout', 'late\n'],
    ],
  );
});

test('pull-error: the first matching rule wins', () => {
  const ann = { [`${P}pull-error`]: 'example.com/a:1=first\n*=second' };
  assert.equal(readPullBehaviour(ann, normaliseImageRef('example.com/a:1'), normaliseImageRef).error, 'first');
  assert.equal(readPullBehaviour(ann, normaliseImageRef('example.com/b:1'), normaliseImageRef).error, 'second');
});

test('port answers', () => {
  assert.deepEqual(readPortAnswer({ [`${P}port.80`]: 'http:404' }, 80), { kind: 'http', statusCode: 404, body: '' });
  assert.equal(readPortAnswer({}, 80), undefined);
  assert.throws(
    () => readPortAnswer({ [`${P}port.80`]: 'tcp' }, 80),
    (e) => isRuntimeError(e, 'InvalidArgument'),
  );
});

const refs: [string, string][] = [
  ['busybox', 'docker.io/library/busybox:latest'],
  ['busybox:1.36', 'docker.io/library/busybox:1.36'],
  ['user/app', 'docker.io/user/app:latest'],
  ['localhost/busybox:latest', 'localhost/busybox:latest'],
  ['localhost:5000/app', 'localhost:5000/app:latest'],
  ['registry.k8s.io/pause:3.10', 'registry.k8s.io/pause:3.10'],
  ['nginx@sha256:' + 'a'.repeat(64), 'docker.io/library/nginx@sha256:' + 'a'.repeat(64)],
];
for (const [ref, want] of refs) {
  test(`normalises the image reference ${ref}`, () => {
    assert.equal(normaliseImageRef(ref), want);
  });
}
