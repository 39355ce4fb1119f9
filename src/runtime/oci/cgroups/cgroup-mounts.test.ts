import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseCgroupMounts } from './cgroup-mounts.js';

// This machine's kind: v1 hierarchies plus an empty cgroup2 ("hybrid"), MACHINE-NOTES.md.
const HYBRID = `22 1 0:21 / /proc rw,nosuid,nodev,noexec,relatime - proc proc rw
31 23 0:28 / /sys/fs/cgroup rw,relatime - tmpfs tmpfs rw,mode=755
32 31 0:29 / /sys/fs/cgroup/cpu rw,relatime - cgroup cgroup rw,cpu
33 31 0:30 / /sys/fs/cgroup/cpuacct rw,relatime - cgroup cgroup rw,cpuacct
34 31 0:31 / /sys/fs/cgroup/cpuset rw,relatime - cgroup cgroup rw,cpuset
35 31 0:32 / /sys/fs/cgroup/memory rw,relatime - cgroup cgroup rw,memory
36 31 0:33 / /sys/fs/cgroup/devices rw,relatime - cgroup cgroup rw,devices
39 31 0:36 / /sys/fs/cgroup/pids rw,relatime - cgroup cgroup rw,pids
40 31 0:37 / /sys/fs/cgroup/systemd rw,relatime - cgroup cgroup rw,name=systemd
41 31 0:38 / /sys/fs/cgroup/unified rw,relatime - cgroup2 cgroup2 rw
`;

// systemd's usual v1 layout: cpu and cpuacct co-mounted, with optional fields before " - ".
const COMOUNTED = `30 25 0:26 / /sys/fs/cgroup/cpu,cpuacct rw,nosuid shared:10 - cgroup cgroup rw,cpu,cpuacct
31 25 0:27 / /sys/fs/cgroup/memory rw,nosuid shared:11 - cgroup cgroup rw,memory
32 25 0:28 / /sys/fs/cgroup/pids rw,nosuid shared:12 - cgroup cgroup rw,pids
33 25 0:29 / /sys/fs/cgroup/cpuset rw,nosuid shared:13 - cgroup cgroup rw,cpuset,clone_children
34 25 0:29 / /mnt/again rw,nosuid shared:13 - cgroup cgroup rw,cpuset,clone_children
`;

const UNIFIED = `25 24 0:22 / /sys/fs/cgroup rw,nosuid,nodev,noexec,relatime shared:4 - cgroup2 cgroup2 rw,nsdelegate,memory_recursiveprot
`;

test('a hybrid machine is driven as v1, and removal also visits named and cgroup2 hierarchies', () => {
  const m = parseCgroupMounts(HYBRID);
  assert.equal(m.version, 1);
  assert.equal(m.controllers.get('cpu'), '/sys/fs/cgroup/cpu');
  assert.equal(m.controllers.get('cpuacct'), '/sys/fs/cgroup/cpuacct');
  assert.equal(m.controllers.get('memory'), '/sys/fs/cgroup/memory');
  assert.equal(m.controllers.has('name=systemd'), false);
  assert.deepEqual(m.mountpoints, [
    '/sys/fs/cgroup/cpu',
    '/sys/fs/cgroup/cpuacct',
    '/sys/fs/cgroup/cpuset',
    '/sys/fs/cgroup/memory',
    '/sys/fs/cgroup/devices',
    '/sys/fs/cgroup/pids',
    '/sys/fs/cgroup/systemd',
    '/sys/fs/cgroup/unified',
  ]);
});

test('co-mounted controllers share one mountpoint and a second mount of a hierarchy is ignored', () => {
  const m = parseCgroupMounts(COMOUNTED);
  assert.equal(m.controllers.get('cpu'), '/sys/fs/cgroup/cpu,cpuacct');
  assert.equal(m.controllers.get('cpuacct'), '/sys/fs/cgroup/cpu,cpuacct');
  assert.equal(m.controllers.get('cpuset'), '/sys/fs/cgroup/cpuset');
  assert.equal(m.controllers.has('clone_children'), false);
  assert.equal(m.mountpoints.includes('/mnt/again'), false);
});

test('a pure cgroup2 machine is v2 with its one mountpoint', () => {
  const m = parseCgroupMounts(UNIFIED);
  assert.equal(m.version, 2);
  assert.equal(m.unified, '/sys/fs/cgroup');
  assert.deepEqual(m.mountpoints, ['/sys/fs/cgroup']);
});

test('escaped characters in mountpoints are decoded', () => {
  const m = parseCgroupMounts('25 24 0:22 / /tmp/a\\040b rw - cgroup2 cgroup2 rw\n');
  assert.equal(m.unified, '/tmp/a b');
});

test('a machine without cgroup mounts is an error', () => {
  assert.throws(() => parseCgroupMounts('22 1 0:21 / /proc rw - proc proc rw\n'), /no cgroup filesystem/);
});
