import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Descriptor, Platform } from './image-spec.js';
import { choosePlatformManifest, formatPlatform, hostPlatform, parsePlatform } from './platform.js';

const m = (digest: string, platform?: Platform): Descriptor => ({
  mediaType: 'x',
  digest,
  size: 1,
  ...(platform ? { platform } : {}),
});
const INDEX = [
  m('attestation', { os: 'unknown', architecture: 'unknown' }),
  m('amd64', { os: 'linux', architecture: 'amd64' }),
  m('arm-v6', { os: 'linux', architecture: 'arm', variant: 'v6' }),
  m('arm-v7', { os: 'linux', architecture: 'arm', variant: 'v7' }),
  m('arm64', { os: 'linux', architecture: 'arm64', variant: 'v8' }),
  m('windows', { os: 'windows', architecture: 'amd64' }),
  m('no-platform'),
];

const cases: [string, Platform, string | undefined][] = [
  ['linux/amd64 takes the amd64 image, not windows', { os: 'linux', architecture: 'amd64' }, 'amd64'],
  ['linux/arm/v7 takes the exact variant', { os: 'linux', architecture: 'arm', variant: 'v7' }, 'arm-v7'],
  ['linux/arm/v8 falls back to v7 before v6', { os: 'linux', architecture: 'arm', variant: 'v8' }, 'arm-v7'],
  ['linux/arm/v5 cannot run v6', { os: 'linux', architecture: 'arm', variant: 'v5' }, undefined],
  ['linux/arm64 without a variant takes arm64/v8', { os: 'linux', architecture: 'arm64' }, 'arm64'],
  [
    'an architecture the index lacks matches nothing (attestations never match)',
    { os: 'linux', architecture: 's390x' },
    undefined,
  ],
];
for (const [name, want, digest] of cases) {
  test(`platform choice: ${name}`, () => {
    assert.equal(choosePlatformManifest(INDEX, want)?.digest, digest);
  });
}

test('the host platform uses registry architecture names', () => {
  assert.deepEqual(hostPlatform('x64'), { os: 'linux', architecture: 'amd64' });
  assert.deepEqual(hostPlatform('arm64'), { os: 'linux', architecture: 'arm64', variant: 'v8' });
  assert.deepEqual(hostPlatform('arm'), { os: 'linux', architecture: 'arm', variant: 'v7' });
});

test('platform strings parse and format', () => {
  assert.deepEqual(parsePlatform('linux/arm64/v8'), { os: 'linux', architecture: 'arm64', variant: 'v8' });
  assert.equal(formatPlatform(parsePlatform('linux/amd64')), 'linux/amd64');
  assert.throws(() => parsePlatform('amd64'), /want os\/arch\[\/variant\]/);
  assert.throws(() => parsePlatform('linux//v7'), /invalid platform/);
});
