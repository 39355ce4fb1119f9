import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { overlayOptions } from './overlay-rootfs.js';

test('overlay lists the topmost layer first in lowerdir', () => {
  assert.equal(
    overlayOptions(['/l/base', '/l/app'], '/c/upper', '/c/work'),
    'lowerdir=/l/app:/l/base,upperdir=/c/upper,workdir=/c/work',
  );
});
