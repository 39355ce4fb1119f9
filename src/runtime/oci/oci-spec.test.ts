import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import type { NamespaceOptions } from '../runtime.js';
import { containerConfigFor, sandboxConfigFor } from '../testing/runtime-builders.js';
import { CAPABILITY_NAMES } from './capabilities.js';
import type { HostLimits } from './host-limits.js';
import { buildContainerSpec, buildSandboxSpec, ociResources, PAUSE_PATH } from './oci-spec.js';
import type { ContainerSpecInput } from './oci-spec.js';

const HOST: HostLimits = { nofileHard: 20000, minOomScoreAdj: 0, bounding: [...CAPABILITY_NAMES] };

function input(ns: NamespaceOptions, patch: Partial<ContainerSpecInput> = {}): ContainerSpecInput {
  const config = containerConfigFor('app', 'img', ['sh']);
  config.linux.securityContext.namespaceOptions = ns;
  return {
    config,
    sandbox: sandboxConfigFor('pod'),
    args: ['sh'],
    env: ['PATH=/bin'],
    cwd: '/',
    user: { uid: 0, gid: 0, additionalGids: [0] },
    infraPid: 42,
    netnsPath: '/run/netns/p',
    cgroupsPath: '/podbay/pod1/c1',
    podFiles: { hosts: '/d/hosts', hostname: '/d/hostname', resolvConf: '/d/resolv.conf', shm: '/d/shm' },
    terminationLog: '/c/termination-log',
    host: HOST,
    devices: [],
    withSwap: true,
    ...patch,
  };
}

test('a container joins the infra’s UTS and IPC namespaces and the pod netns; its PID namespace is its own', () => {
  const spec = buildContainerSpec(input({ network: 'POD', pid: 'CONTAINER', ipc: 'POD' }));
  assert.deepEqual(spec.linux.namespaces, [
    { type: 'mount' },
    { type: 'network', path: '/run/netns/p' },
    { type: 'uts', path: '/proc/42/ns/uts' },
    { type: 'ipc', path: '/proc/42/ns/ipc' },
    { type: 'pid' },
  ]);
  assert.equal(spec.hostname, undefined, 'a joined UTS namespace must not set a hostname');
});

test('shareProcessNamespace joins the infra’s PID namespace; hostPID and hostIPC join none', () => {
  const shared = buildContainerSpec(input({ network: 'POD', pid: 'POD', ipc: 'POD' }));
  assert.ok(shared.linux.namespaces.some((n) => n.type === 'pid' && n.path === '/proc/42/ns/pid'));
  const host = buildContainerSpec(input({ network: 'NODE', pid: 'NODE', ipc: 'NODE' }));
  assert.deepEqual(host.linux.namespaces, [{ type: 'mount' }]);
});

test('the infra container runs catatonit -P with the pod hostname, and holds PID, IPC, UTS', () => {
  const spec = buildSandboxSpec({
    config: sandboxConfigFor('web'),
    netnsPath: '/run/netns/p',
    cgroupsPath: '/podbay/pod1/s1',
    host: HOST,
    pauseBinary: '/usr/bin/catatonit',
  });
  assert.deepEqual(spec.process.args, [PAUSE_PATH, '-P']);
  assert.equal(spec.hostname, 'web');
  assert.deepEqual(
    spec.linux.namespaces.map((n) => n.type),
    ['mount', 'pid', 'ipc', 'uts', 'network'],
  );
  assert.ok(spec.mounts.some((m) => m.destination === PAUSE_PATH && m.source === '/usr/bin/catatonit'));
});

test('rlimits never exceed the caller’s hard limit and oom_score_adj is never below what the caller may set', () => {
  const c = input({ network: 'POD', pid: 'CONTAINER', ipc: 'POD' });
  c.config.linux.resources = { oomScoreAdj: -997 };
  const spec = buildContainerSpec(c);
  assert.deepEqual(spec.process.rlimits, [{ type: 'RLIMIT_NOFILE', hard: 20000, soft: 20000 }]);
  assert.equal(spec.process.oomScoreAdj, 0);
  c.config.linux.resources = { oomScoreAdj: 1000 };
  assert.equal(buildContainerSpec(c).process.oomScoreAdj, 1000);
});

test('the pod’s hosts, hostname, resolv.conf and termination log are mounted unless the container mounts the path itself', () => {
  const c = input({ network: 'POD', pid: 'CONTAINER', ipc: 'POD' });
  c.config.mounts = [{ containerPath: '/etc/hosts', hostPath: '/vol/hosts', readonly: true, propagation: 'PRIVATE' }];
  const spec = buildContainerSpec(c);
  const at = (d: string): string[] => spec.mounts.filter((m) => m.destination === d).map((m) => m.source);
  assert.deepEqual(at('/etc/hosts'), ['/vol/hosts']);
  assert.deepEqual(at('/etc/hostname'), ['/d/hostname']);
  assert.deepEqual(at('/etc/resolv.conf'), ['/d/resolv.conf']);
  assert.deepEqual(at('/dev/termination-log'), ['/c/termination-log']);
  assert.deepEqual(at('/dev/shm'), ['/d/shm']);
});

test('volume mounts are ordered parents first with their propagation and read-only flag', () => {
  const c = input({ network: 'POD', pid: 'CONTAINER', ipc: 'POD' });
  c.config.mounts = [
    { containerPath: '/data/sub', hostPath: '/h/sub', readonly: true, propagation: 'HOST_TO_CONTAINER' },
    { containerPath: '/data', hostPath: '/h/data', readonly: false, propagation: 'BIDIRECTIONAL' },
  ];
  const own = buildContainerSpec(c).mounts.filter((m) => m.destination.startsWith('/data'));
  assert.deepEqual(own, [
    { destination: '/data', type: 'bind', source: '/h/data', options: ['rbind', 'rshared', 'rw'] },
    { destination: '/data/sub', type: 'bind', source: '/h/sub', options: ['rbind', 'rslave', 'ro'] },
  ]);
});

test('a privileged container gets every device, writable sysfs and no masked paths', () => {
  const c = input({ network: 'POD', pid: 'CONTAINER', ipc: 'POD' });
  c.config.linux.securityContext.privileged = true;
  const spec = buildContainerSpec(c);
  assert.deepEqual(spec.linux.resources.devices, [{ allow: true, access: 'rwm' }]);
  assert.deepEqual(spec.linux.maskedPaths, []);
  assert.ok(spec.mounts.find((m) => m.destination === '/sys')?.options?.includes('rw'));
  assert.equal(spec.process.capabilities.bounding.length, CAPABILITY_NAMES.length);
});

test('cgroup resources: memory limit with an equal swap limit, CFS quota with its period, shares', () => {
  assert.deepEqual(
    ociResources({ memoryLimitInBytes: 1 << 24, cpuQuota: 50000, cpuPeriod: 100000, cpuShares: 512 }, true),
    {
      devices: [{ allow: false, access: 'rwm' }],
      memory: { limit: 1 << 24, swap: 1 << 24 },
      cpu: { shares: 512, quota: 50000, period: 100000 },
    },
  );
  assert.deepEqual(ociResources({ memoryLimitInBytes: 100 }, false).memory, { limit: 100 });
  assert.equal(ociResources({}, true).cpu, undefined);
});
