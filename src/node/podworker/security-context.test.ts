import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Container, Pod, PodSecurityContext, SecurityContext } from '../../api/types/index.js';
import { DEFAULT_MASKED_PATHS, DEFAULT_READONLY_PATHS } from '../../runtime/runtime.js';
import { containerSecurityContext, sandboxSecurityContext, verifyRunAsNonRoot } from './security-context.js';

function pod(
  psc?: PodSecurityContext,
  csc?: SecurityContext,
  extra: Partial<Pod['spec']> = {},
): { pod: Pod; c: Container } {
  const c: Container = { name: 'app', image: 'busybox', ...(csc ? { securityContext: csc } : {}) };
  return {
    c,
    pod: {
      metadata: { name: 'p', namespace: 'ns', uid: 'u1' },
      spec: { containers: [c], ...(psc ? { securityContext: psc } : {}), ...extra },
    },
  };
}

test('container fields override the pod-level runAsUser, runAsGroup and seccomp; fsGroup joins the supplemental groups', () => {
  const { pod: p, c } = pod(
    {
      runAsUser: 1000,
      runAsGroup: 3000,
      fsGroup: 2000,
      supplementalGroups: [4000],
      seccompProfile: { type: 'RuntimeDefault' },
    },
    { runAsUser: 1001 },
  );
  const sc = containerSecurityContext(p, c);
  assert.equal(sc.runAsUser, 1001);
  assert.equal(sc.runAsGroup, 3000);
  assert.deepEqual(sc.supplementalGroups, [4000, 2000]);
  assert.deepEqual(sc.seccomp, { type: 'RuntimeDefault' });
  assert.deepEqual(sc.namespaceOptions, { network: 'POD', pid: 'CONTAINER', ipc: 'POD' });
});

test('capabilities, readOnlyRootFilesystem and allowPrivilegeEscalation=false reach the runtime', () => {
  const { pod: p, c } = pod(undefined, {
    capabilities: { add: ['NET_ADMIN'], drop: ['ALL'] },
    readOnlyRootFilesystem: true,
    allowPrivilegeEscalation: false,
  });
  const sc = containerSecurityContext(p, c);
  assert.deepEqual(sc.capabilities, { add: ['NET_ADMIN'], drop: ['ALL'] });
  assert.equal(sc.readonlyRootfs, true);
  assert.equal(sc.noNewPrivs, true);
  assert.deepEqual(sc.maskedPaths, DEFAULT_MASKED_PATHS);
  assert.deepEqual(sc.readonlyPaths, DEFAULT_READONLY_PATHS);
});

test('no_new_privs is off when allowPrivilegeEscalation is unset or true, and for a privileged container', () => {
  assert.equal(containerSecurityContext(pod().pod, pod().c).noNewPrivs, undefined);
  const t = pod(undefined, { allowPrivilegeEscalation: true });
  assert.equal(containerSecurityContext(t.pod, t.c).noNewPrivs, undefined);
  const priv = pod(undefined, { privileged: true, allowPrivilegeEscalation: false });
  const sc = containerSecurityContext(priv.pod, priv.c);
  assert.equal(sc.noNewPrivs, undefined);
  assert.equal(sc.privileged, true);
  assert.deepEqual([sc.maskedPaths, sc.readonlyPaths], [[], []]);
  assert.equal(sandboxSecurityContext(priv.pod).privileged, true);
});

test('procMount Unmasked masks nothing', () => {
  const { pod: p, c } = pod(undefined, { procMount: 'Unmasked' });
  assert.deepEqual(containerSecurityContext(p, c).maskedPaths, []);
});

test('the sandbox shares the PID namespace with shareProcessNamespace and takes the host namespaces when asked', () => {
  assert.deepEqual(
    sandboxSecurityContext(pod(undefined, undefined, { shareProcessNamespace: true }).pod).namespaceOptions,
    {
      network: 'POD',
      pid: 'POD',
      ipc: 'POD',
    },
  );
  assert.deepEqual(
    sandboxSecurityContext(pod(undefined, undefined, { hostNetwork: true, hostPID: true, hostIPC: true }).pod)
      .namespaceOptions,
    { network: 'NODE', pid: 'NODE', ipc: 'NODE' },
  );
});

const POD_DESC = '"p_ns(u1)"';
for (const [why, psc, csc, imageUser, want] of [
  ['runAsNonRoot unset allows root', undefined, undefined, '', undefined],
  ['runAsNonRoot false allows root', { runAsNonRoot: false }, undefined, '', undefined],
  [
    'an image without USER runs as root',
    { runAsNonRoot: true },
    undefined,
    '',
    `container has runAsNonRoot and image will run as root (pod: ${POD_DESC}, container: app)`,
  ],
  [
    'USER 0:0 is root',
    undefined,
    { runAsNonRoot: true },
    '0:0',
    `container has runAsNonRoot and image will run as root (pod: ${POD_DESC}, container: app)`,
  ],
  [
    'a user name cannot be verified',
    { runAsNonRoot: true },
    undefined,
    'nobody',
    `container has runAsNonRoot and image has non-numeric user (nobody), cannot verify user is non-root (pod: ${POD_DESC}, container: app)`,
  ],
  ['a numeric non-zero image user passes', { runAsNonRoot: true }, undefined, '1000:1000', undefined],
  ['runAsUser 1000 passes whatever the image says', { runAsNonRoot: true, runAsUser: 1000 }, undefined, '', undefined],
  [
    'runAsUser 0 breaks the policy',
    { runAsNonRoot: true },
    { runAsUser: 0 },
    '1000',
    `container's runAsUser breaks non-root policy (pod: ${POD_DESC}, container: app)`,
  ],
] as const) {
  test(`verifyRunAsNonRoot: ${why}`, () => {
    const t = pod(psc, csc);
    assert.equal(verifyRunAsNonRoot(t.pod, t.c, imageUser), want);
  });
}
