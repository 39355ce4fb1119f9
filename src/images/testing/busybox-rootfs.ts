// A minimal root filesystem from Debian's busybox-static for tests that need a real
// image (the same tree scripts/import-busybox.sh gives `make up`): /bin/busybox and
// its applet links, /etc/passwd with root and nobody, /etc/group, /tmp, /root.
import { execFile } from 'node:child_process';
import { chmod, copyFile, mkdir, symlink, writeFile } from 'node:fs/promises';
import { dirname, join, relative } from 'node:path';
import { promisify } from 'node:util';

export const BUSYBOX_BINARY = '/bin/busybox';

/** Fills `dir` (created if missing) with the busybox rootfs; resolves with `dir`. */
export async function makeBusyboxRootfs(dir: string, busybox = BUSYBOX_BINARY): Promise<string> {
  await mkdir(join(dir, 'bin'), { recursive: true });
  await copyFile(busybox, join(dir, 'bin', 'busybox'));
  await chmod(join(dir, 'bin', 'busybox'), 0o755);
  const { stdout } = await promisify(execFile)(busybox, ['--list-full']);
  for (const applet of stdout.split('\n').filter((l) => l !== '' && l !== 'bin/busybox')) {
    const path = join(dir, applet);
    await mkdir(dirname(path), { recursive: true });
    await symlink(relative(dirname(path), join(dir, 'bin', 'busybox')), path).catch((e: NodeJS.ErrnoException) => {
      if (e.code !== 'EEXIST') {
        throw e;
      }
    });
  }
  await mkdir(join(dir, 'etc'), { recursive: true });
  await writeFile(
    join(dir, 'etc', 'passwd'),
    'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/nonexistent:/bin/false\n',
  );
  await writeFile(join(dir, 'etc', 'group'), 'root:x:0:\nnobody:x:65534:\n');
  await mkdir(join(dir, 'tmp'), { recursive: true });
  await chmod(join(dir, 'tmp'), 0o1777);
  await mkdir(join(dir, 'root'), { recursive: true, mode: 0o700 });
  return dir;
}
