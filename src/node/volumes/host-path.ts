// hostPath volumes: k8s pkg/volume/hostpath/host_path.go (SetUp, checkType,
// typeMatchedOrError, makeDir, makeFile) with hostutil.go#getFileType. The
// path itself is mounted into the container; nothing is created under the
// pod's directory and teardown never touches it.
import { mkdir, open, stat } from 'node:fs/promises';
import type { Stats } from 'node:fs';
import type { HostPathVolumeSource } from '../../api/types/index.js';
import { constants as fsConstants } from 'node:fs';
import { errnoCode, goPathError } from './go-error-text.js';

/** hostutil.FileType values, the words `it's a <type>` uses. */
export type HostFileType = 'Directory' | 'File' | 'Socket' | 'CharDevice' | 'BlockDevice';

/** hostutil.go#getFileType: os.Stat (symlinks followed), then the mode bits. */
export function fileTypeOf(st: Stats): HostFileType | undefined {
  if (st.isDirectory()) {
    return 'Directory';
  }
  if (st.isFile()) {
    return 'File';
  }
  if (st.isSocket()) {
    return 'Socket';
  }
  if (st.isCharacterDevice()) {
    return 'CharDevice';
  }
  if (st.isBlockDevice()) {
    return 'BlockDevice';
  }
  return undefined;
}

async function statOrUndefined(path: string): Promise<Stats | undefined> {
  try {
    return await stat(path);
  } catch {
    // hostutil PathExists: any stat error counts as "does not exist" for checkType.
    return undefined;
  }
}

/**
 * hostPathMounter.SetUp: the path has no `..` element, then the type check.
 * Resolves when the volume may be mounted; rejects with the kubelet's error
 * text (the FailedMount event shows it after `MountVolume.SetUp failed for volume "x" : `).
 */
export async function setUpHostPath(source: HostPathVolumeSource): Promise<void> {
  const path = source.path;
  if (path.split('/').includes('..')) {
    throw new Error(`invalid HostPath \`${path}\`: must not contain '..'`);
  }
  const type = source.type ?? '';
  if (type === '') {
    return;
  }
  await checkType(path, type);
}

async function checkType(path: string, type: string): Promise<void> {
  switch (type) {
    case 'DirectoryOrCreate':
      if (!(await statOrUndefined(path))) {
        return makeDir(path);
      }
      return typeMatchedOrError(path, 'Directory', 'directory');
    case 'Directory':
      return typeMatchedOrError(path, 'Directory', 'directory');
    case 'FileOrCreate':
      if (!(await statOrUndefined(path))) {
        return makeFile(path);
      }
      return typeMatchedOrError(path, 'File', 'file');
    case 'File':
      return typeMatchedOrError(path, 'File', 'file');
    case 'Socket':
      return typeMatchedOrError(path, 'Socket', 'socket file');
    case 'CharDevice':
      return typeMatchedOrError(path, 'CharDevice', 'character device');
    case 'BlockDevice':
      return typeMatchedOrError(path, 'BlockDevice', 'block device');
    default:
      throw new Error(`${type} is an invalid volume type`);
  }
}

async function typeMatchedOrError(path: string, expected: HostFileType, description: string): Promise<void> {
  const st = await statOrUndefined(path);
  if (!st) {
    throw new Error(`hostPath ${path} doesn't exist`);
  }
  const actual = fileTypeOf(st);
  if (actual === undefined) {
    throw new Error(
      `hostPath type check failed, ${path} is not a ${description}, unable to determine its type: only recognise file, directory, socket, block device and character device`,
    );
  }
  if (actual !== expected) {
    throw new Error(`hostPath type check failed: ${path} is not a ${description}, it's a ${actual}`);
  }
}

/** makeDir: os.MkdirAll(path, 0755); an existing path is not an error here. */
async function makeDir(path: string): Promise<void> {
  try {
    await mkdir(path, { recursive: true, mode: 0o755 });
  } catch (e) {
    if (errnoCode(e) !== 'EEXIST') {
      throw new Error(goPathError('mkdir', path, e));
    }
  }
}

/** makeFile: os.OpenFile(path, O_CREATE, 0644) and close. */
async function makeFile(path: string): Promise<void> {
  try {
    const fh = await open(path, fsConstants.O_RDONLY | fsConstants.O_CREAT, 0o644);
    await fh.close();
  } catch (e) {
    if (errnoCode(e) !== 'EEXIST') {
      throw new Error(goPathError('open', path, e));
    }
  }
}
