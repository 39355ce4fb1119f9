// Cases from distribution/reference normalize_test.go and k8s parsers_test.go.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  ImageRefParseError,
  defaultImagePullPolicy,
  familiarImageString,
  imageRefString,
  normalizeImageReference,
  parseImageName,
  parseImageReference,
} from './image-ref.js';

const D = 'sha256:' + 'a'.repeat(64);

test('normalises short names onto docker.io and library/', () => {
  const cases: [string, string, string, string | undefined, string | undefined][] = [
    ['nginx', 'docker.io', 'library/nginx', undefined, undefined],
    ['nginx:1.25', 'docker.io', 'library/nginx', '1.25', undefined],
    ['user/app', 'docker.io', 'user/app', undefined, undefined],
    ['docker.io/nginx', 'docker.io', 'library/nginx', undefined, undefined],
    ['index.docker.io/user/app:v1', 'docker.io', 'user/app', 'v1', undefined],
    ['localhost/app', 'localhost', 'app', undefined, undefined],
    ['localhost:5000/app:dev', 'localhost:5000', 'app', 'dev', undefined],
    ['quay.io/coreos/etcd:v3.5.0', 'quay.io', 'coreos/etcd', 'v3.5.0', undefined],
    ['registry.k8s.io/pause:3.9', 'registry.k8s.io', 'pause', '3.9', undefined],
    [`busybox@${D}`, 'docker.io', 'library/busybox', undefined, D],
    [`busybox:1.36@${D}`, 'docker.io', 'library/busybox', '1.36', D],
    ['[::1]:5000/app', '[::1]:5000', 'app', undefined, undefined],
    ['Foo.io/app', 'Foo.io', 'app', undefined, undefined],
    ['a/b/c/d', 'docker.io', 'a/b/c/d', undefined, undefined],
    ['my_app.v2__x--y', 'docker.io', 'library/my_app.v2__x--y', undefined, undefined],
  ];
  for (const [input, domain, path, tag, digest] of cases) {
    const ref = parseImageReference(input);
    assert.equal(ref.domain, domain, input);
    assert.equal(ref.path, path, input);
    assert.equal(ref.name, `${domain}/${path}`, input);
    assert.equal(ref.tag, tag, input);
    assert.equal(ref.digest, digest, input);
  }
});

test('rejects references distribution/reference rejects', () => {
  const cases: [string, string][] = [
    ['', 'repository name must have at least one component'],
    ['Nginx', 'invalid reference format: repository name (library/Nginx) must be lowercase'],
    ['user/App:1', 'invalid reference format: repository name (user/App) must be lowercase'],
    ['nginx:', 'invalid reference format'],
    ['nginx:-bad', 'invalid reference format'],
    ['a'.repeat(64), `invalid repository name (${'a'.repeat(64)}), cannot specify 64-byte hexadecimal strings`],
    ['nginx@sha256:abc', 'invalid reference format'],
    [`nginx@md5:${'a'.repeat(32)}`, 'unsupported digest algorithm'],
    [`nginx@sha256:${'a'.repeat(63)}b0`, 'invalid checksum digest length'],
    ['-nginx', 'invalid reference format'],
    ['nginx:' + 'x'.repeat(129), 'invalid reference format'],
    ['x/' + 'a'.repeat(260), 'repository name must not be more than 255 characters'],
  ];
  for (const [input, message] of cases) {
    assert.throws(
      () => parseImageReference(input),
      (e: unknown) => e instanceof ImageRefParseError && e.message === message,
      input,
    );
  }
});

test('ParseImageName defaults the tag to latest only without tag and digest', () => {
  assert.deepEqual(parseImageName('nginx'), { repository: 'docker.io/library/nginx', tag: 'latest', digest: '' });
  assert.deepEqual(parseImageName('nginx:1.25'), { repository: 'docker.io/library/nginx', tag: '1.25', digest: '' });
  assert.deepEqual(parseImageName(`nginx@${D}`), { repository: 'docker.io/library/nginx', tag: '', digest: D });
  assert.throws(() => parseImageName('Bad'), {
    message:
      'couldn\'t parse image name "Bad": invalid reference format: repository name (library/Bad) must be lowercase',
  });
});

test('defaults imagePullPolicy as SetDefaults_Container does', () => {
  const cases: [string | undefined, string][] = [
    ['nginx', 'Always'],
    ['nginx:latest', 'Always'],
    ['nginx:1.25', 'IfNotPresent'],
    [`nginx@${D}`, 'IfNotPresent'],
    [`nginx:latest@${D}`, 'Always'],
    ['localhost:5000/app', 'Always'],
    ['localhost:5000/app:v1', 'IfNotPresent'],
    ['Not A Valid Image', 'IfNotPresent'],
    ['', 'IfNotPresent'],
    [undefined, 'IfNotPresent'],
  ];
  for (const [image, want] of cases) {
    assert.equal(defaultImagePullPolicy(image), want, String(image));
  }
});

test('prints full, familiar and normalised forms', () => {
  assert.equal(imageRefString(parseImageReference('nginx:1')), 'docker.io/library/nginx:1');
  assert.equal(familiarImageString(parseImageReference('docker.io/library/nginx:1')), 'nginx:1');
  assert.equal(familiarImageString(parseImageReference('user/app')), 'user/app');
  assert.equal(familiarImageString(parseImageReference('quay.io/x/y:1')), 'quay.io/x/y:1');
  assert.equal(normalizeImageReference('busybox'), 'docker.io/library/busybox:latest');
  assert.equal(normalizeImageReference(`busybox@${D}`), `docker.io/library/busybox@${D}`);
});
