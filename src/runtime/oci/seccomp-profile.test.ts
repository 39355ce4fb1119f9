import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_CAPABILITIES } from './capabilities.js';
import { runtimeDefaultSeccomp, seccompFor } from './seccomp-profile.js';

const blocked = (caps: readonly string[]): string[] => runtimeDefaultSeccomp(caps).syscalls[0]!.names;

test('RuntimeDefault allows by default and blocks keyring, module, mount and namespace syscalls with EPERM', () => {
  const p = runtimeDefaultSeccomp(DEFAULT_CAPABILITIES);
  assert.equal(p.defaultAction, 'SCMP_ACT_ALLOW');
  assert.equal(p.syscalls[0]?.action, 'SCMP_ACT_ERRNO');
  assert.equal(p.syscalls[0]?.errnoRet, 1);
  for (const name of ['keyctl', 'init_module', 'mount', 'unshare', 'setns', 'ptrace', 'reboot', 'clock_settime']) {
    assert.ok(blocked(DEFAULT_CAPABILITIES).includes(name), name);
  }
  assert.ok(!blocked(DEFAULT_CAPABILITIES).includes('read'));
});

test('a capability allows the syscalls it stands for again', () => {
  assert.ok(!blocked([...DEFAULT_CAPABILITIES, 'CAP_SYS_ADMIN']).includes('mount'));
  assert.ok(!blocked([...DEFAULT_CAPABILITIES, 'CAP_SYS_PTRACE']).includes('ptrace'));
  assert.ok(blocked([...DEFAULT_CAPABILITIES, 'CAP_SYS_ADMIN']).includes('keyctl'), 'the keyring stays blocked');
});

test('Unconfined, no profile and privileged containers get no filter; Localhost reads the node file', () => {
  assert.equal(seccompFor(undefined, false, []), undefined);
  assert.equal(seccompFor({ type: 'Unconfined' }, false, []), undefined);
  assert.equal(seccompFor({ type: 'RuntimeDefault' }, true, []), undefined);
  const dir = mkdtempSync(join(tmpdir(), 'podbay-test-seccomp-'));
  try {
    const file = join(dir, 'p.json');
    writeFileSync(file, JSON.stringify({ defaultAction: 'SCMP_ACT_ERRNO', syscalls: [] }));
    assert.deepEqual(seccompFor({ type: 'Localhost', localhostRef: file }, false, []), {
      defaultAction: 'SCMP_ACT_ERRNO',
      syscalls: [],
    });
    assert.throws(() => seccompFor({ type: 'Localhost', localhostRef: 'relative.json' }, false, []), /absolute path/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
