import { test } from 'node:test';
import { Buffer } from 'node:buffer';
import assert from 'node:assert/strict';
import { FakeClock } from '../../lib/testing/fake-clock.js';
import { RuntimeError } from '../../runtime/runtime.js';
import { FakeRuntime } from '../../runtime/testing/fake-runtime.js';
import { sandboxConfigFor } from '../../runtime/testing/runtime-builders.js';
import type { PullPolicy } from '../../api/types/index.js';
import { FakeRecorder } from '../testing/fake-recorder.js';
import { podWith, T0 } from '../testing/builders.js';
import { ImageManager } from './image-manager.js';

function setup(present: string[]) {
  const clock = new FakeClock(T0);
  const runtime = new FakeRuntime({ clock, images: present });
  const recorder = new FakeRecorder();
  const images = new ImageManager({ runtime, clock, recorder });
  const pod = podWith();
  const ensure = (image: string, policy?: PullPolicy) =>
    images.ensureImageExists(
      pod,
      { name: 'app', image, ...(policy ? { imagePullPolicy: policy } : {}) },
      { name: 'p', namespace: 'default' },
      sandboxConfigFor('p'),
    );
  return { clock, runtime, recorder, ensure };
}

for (const [policy, present, pulls, ok] of [
  ['Always', true, 1, true],
  ['Always', false, 1, true],
  ['IfNotPresent', true, 0, true],
  ['IfNotPresent', false, 1, true],
  ['Never', true, 0, true],
  ['Never', false, 0, false],
] as const) {
  test(`pull policy ${policy} with the image ${present ? 'present' : 'absent'} pulls ${pulls} time(s)`, async () => {
    const h = setup(present ? ['busybox:1.36'] : []);
    const r = await h.ensure('busybox:1.36', policy);
    assert.equal(h.runtime.callCount('pullImage'), pulls);
    assert.equal(r.ok, ok);
    if (!r.ok) {
      assert.equal(r.reason, 'ErrImageNeverPull');
      assert.equal(r.message, 'Container image "busybox:1.36" is not present with pull policy of Never');
      assert.deepEqual(h.recorder.lines(), [
        'ErrImageNeverPull: Container image "busybox:1.36" is not present with pull policy of Never',
      ]);
    }
  });
}

test('an image without a tag is pulled as :latest and, without a policy, always pulled', async () => {
  const h = setup(['busybox:latest']);
  const r = await h.ensure('busybox');
  assert.equal(r.ok, true);
  assert.equal(h.runtime.callCount('pullImage'), 1);
  assert.deepEqual(h.recorder.lines()[0], 'Pulling: Pulling image "busybox"');
});

test('an unavailable registry gives RegistryUnavailable with upstream message', async () => {
  const h = setup([]);
  h.runtime.injectError('pullImage', new RuntimeError('Unavailable', 'dial tcp: refused', 'RegistryUnavailable'));
  const r = await h.ensure('example.com/app:v1', 'IfNotPresent');
  assert.deepEqual(r, {
    ok: false,
    reason: 'RegistryUnavailable',
    message: 'image pull failed for example.com/app:v1 because the registry is unavailable: dial tcp: refused',
    retryInMs: 10_000,
  });
});

test('pulls back off 10 s, then 20 s, from the last failed pull', async () => {
  const h = setup([]);
  h.runtime.injectError('pullImage', new RuntimeError('NotFound', 'not found'));
  assert.equal((await h.ensure('a:1', 'Always')).ok, false);
  h.clock.step(9_999);
  const inBackoff = await h.ensure('a:1', 'Always');
  assert.deepEqual(inBackoff, {
    ok: false,
    reason: 'ImagePullBackOff',
    message: 'Back-off pulling image "a:1"',
    retryInMs: 1,
  });
  h.clock.step(1);
  await h.ensure('a:1', 'Always');
  assert.equal(h.runtime.callCount('pullImage'), 2);
  h.clock.step(19_999);
  assert.equal((await h.ensure('a:1', 'Always')).ok, false);
  assert.equal(h.runtime.callCount('pullImage'), 2);
  assert.ok(h.recorder.lines().includes('BackOff: Back-off pulling image "a:1"'));
  assert.equal(h.recorder.events.find((e) => e.reason === 'BackOff')!.type, 'Normal');
});

test('a pull carries the credentials of the matching imagePullSecret', async () => {
  const clock = new FakeClock(T0);
  const runtime = new FakeRuntime({ clock });
  const cfg = {
    auths: {
      'registry.example.com': { username: 'u', password: 'p' },
      'https://index.docker.io/v1/': { auth: 'eDp5' },
    },
  };
  const secret = {
    metadata: { name: 'regcred', namespace: 'default' },
    type: 'kubernetes.io/dockerconfigjson',
    data: { '.dockerconfigjson': Buffer.from(JSON.stringify(cfg)).toString('base64') },
  };
  const images = new ImageManager({
    runtime,
    clock,
    recorder: new FakeRecorder(),
    secret: async (ns, name) => (ns === 'default' && name === 'regcred' ? secret : undefined),
  });
  const pod = podWith();
  pod.spec.imagePullSecrets = [{ name: 'missing' }, { name: 'regcred' }];
  const pull = (image: string) =>
    images.ensureImageExists(
      pod,
      { name: 'app', image, imagePullPolicy: 'Always' },
      { name: 'p' },
      sandboxConfigFor('p'),
    );
  await pull('registry.example.com/team/app:1');
  await pull('busybox:1.36');
  await pull('quay.io/x/y:1');
  const auths = runtime.callsOf('pullImage').map((a) => a[1]);
  assert.deepEqual(auths, [
    { username: 'u', password: 'p', serverAddress: 'registry.example.com' },
    { auth: 'eDp5', serverAddress: 'https://index.docker.io/v1/' },
    undefined,
  ]);
});
