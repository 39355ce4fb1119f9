import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ContainerSecurityContext } from '../runtime.js';
import { readImageFile, resolveProcessUser } from './image-user.js';

const PASSWD = 'root:x:0:0::/root:/bin/sh\napp:x:1000:1001::/home/app:/bin/sh\n';
const GROUP = 'root:x:0:\napp:x:1001:\nwheel:x:10:app,other\nstaff:x:50:other\n';
const files = (p: string): string | undefined => ({ '/etc/passwd': PASSWD, '/etc/group': GROUP })[p];
const ns = { network: 'POD', pid: 'CONTAINER', ipc: 'POD' } as const;
const sc = (patch: Partial<ContainerSecurityContext>): ContainerSecurityContext => ({ namespaceOptions: ns, ...patch });

for (const c of [
  { name: 'no user anywhere is root', sc: sc({}), image: '', want: { uid: 0, gid: 0, additionalGids: [0] } },
  {
    name: 'runAsUser takes the gid of its passwd entry and its groups',
    sc: sc({ runAsUser: 1000 }),
    image: 'root',
    want: { uid: 1000, gid: 1001, additionalGids: [1001, 10] },
  },
  {
    name: 'runAsUser unknown to the image gets gid 0',
    sc: sc({ runAsUser: 4242 }),
    image: '',
    want: { uid: 4242, gid: 0, additionalGids: [0] },
  },
  {
    name: 'runAsGroup and supplementalGroups are added',
    sc: sc({ runAsUser: 1000, runAsGroup: 7, supplementalGroups: [99] }),
    image: '',
    want: { uid: 1000, gid: 7, additionalGids: [7, 10, 99] },
  },
  {
    name: 'runAsUsername resolves through /etc/passwd',
    sc: sc({ runAsUsername: 'app' }),
    image: '',
    want: { uid: 1000, gid: 1001, additionalGids: [1001, 10] },
  },
  {
    name: 'the image User name:group form',
    sc: sc({}),
    image: 'app:wheel',
    want: { uid: 1000, gid: 10, additionalGids: [10] },
  },
  { name: 'the image User uid:gid form', sc: sc({}), image: '5:6', want: { uid: 5, gid: 6, additionalGids: [6] } },
]) {
  test(`process user: ${c.name}`, () => {
    assert.deepEqual(resolveProcessUser(c.sc, c.image, files), c.want);
  });
}

test('process user: a name the image does not define is an error', () => {
  assert.throws(() => resolveProcessUser(sc({ runAsUsername: 'ghost' }), '', files), /no users found matching "ghost"/);
});

test('image files come from the topmost layer; a whiteout or a symlink hides them', () => {
  const dir = mkdtempSync(join(tmpdir(), 'podbay-test-layers-'));
  try {
    const [low, mid, top] = ['low', 'mid', 'top'].map((l) => join(dir, l)) as [string, string, string];
    for (const l of [low, mid, top]) {
      mkdirSync(join(l, 'etc'), { recursive: true });
    }
    writeFileSync(join(low, 'etc/passwd'), 'low');
    writeFileSync(join(mid, 'etc/passwd'), 'mid');
    assert.equal(readImageFile([low, mid, top], '/etc/passwd'), 'mid');
    writeFileSync(join(top, 'etc/.wh.passwd'), '');
    assert.equal(readImageFile([low, mid, top], '/etc/passwd'), undefined);
    rmSync(join(top, 'etc/.wh.passwd'));
    symlinkSync('/etc/shadow', join(top, 'etc/passwd'));
    assert.equal(readImageFile([low, mid, top], '/etc/passwd'), undefined, 'never follows a symlink to the host');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
