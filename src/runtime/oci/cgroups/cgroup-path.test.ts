import assert from 'node:assert/strict';
import { test } from 'node:test';
import { cgroupDir, cgroupLineage, cgroupfsContainerPath } from './cgroup-path.js';

test('a cgroup path is joined below the mountpoint', () => {
  assert.equal(cgroupDir('/sys/fs/cgroup/cpu', '/podbay/kubepods/pod1'), '/sys/fs/cgroup/cpu/podbay/kubepods/pod1');
  assert.equal(cgroupDir('/m', '/a//b/./c/'), '/m/a/b/c');
});

const bad = ['relative/path', '/', '/a/../../etc', ''];
for (const p of bad) {
  test(`the cgroup path ${JSON.stringify(p)} is refused`, () => {
    assert.throws(() => cgroupDir('/m', p));
  });
}

test('the lineage of a path lists each ancestor outermost first', () => {
  assert.deepEqual(cgroupLineage('/podbay/kubepods/pod1'), ['/podbay', '/podbay/kubepods', '/podbay/kubepods/pod1']);
});

test('a container cgroup sits directly below the pod cgroup', () => {
  assert.equal(cgroupfsContainerPath('/podbay/kubepods/pod1', 'abc'), '/podbay/kubepods/pod1/abc');
  assert.throws(() => cgroupfsContainerPath('/p', '../x'));
  assert.throws(() => cgroupfsContainerPath('/p', ''));
});
