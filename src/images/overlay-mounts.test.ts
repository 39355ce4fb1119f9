import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseOverlayLowerDirs } from './overlay-mounts.js';

test('lowerdirs of overlay mounts are read from mountinfo, other mounts ignored', () => {
  const mountinfo = [
    '22 1 8:1 / / rw,relatime shared:1 - ext4 /dev/sda1 rw',
    '300 22 0:50 / /var/lib/podbay/c/1/rootfs rw,relatime - overlay overlay rw,lowerdir=/var/lib/podbay/images/layers/bb:/var/lib/podbay/images/layers/aa,upperdir=/c/1/upper,workdir=/c/1/work',
    '301 22 0:51 / /x rw shared:9 master:2 - overlay overlay rw,lowerdir=/odd\\040dir\\:colon,upperdir=/u,workdir=/w',
    '302 22 0:52 / /tmp rw - tmpfs tmpfs rw,lowerdir=/not/overlay',
    '',
  ].join('\n');
  assert.deepEqual([...parseOverlayLowerDirs(mountinfo)].sort(), [
    '/odd dir:colon',
    '/var/lib/podbay/images/layers/aa',
    '/var/lib/podbay/images/layers/bb',
  ]);
});
