// Node's fs errors read "ENOENT: no such file or directory, open '/x'"; the
// kubelet's messages embed Go's *os.PathError text, "open /x: no such file or
// directory" (errno strings from Go's syscall table, zerrors_linux). Events
// and waiting messages built from them keep Go's wording.

const ERRNO_TEXT: Record<string, string> = {
  EACCES: 'permission denied',
  EBUSY: 'device or resource busy',
  EEXIST: 'file exists',
  EINVAL: 'invalid argument',
  EISDIR: 'is a directory',
  ELOOP: 'too many levels of symbolic links',
  ENAMETOOLONG: 'file name too long',
  ENOENT: 'no such file or directory',
  ENOSPC: 'no space left on device',
  ENOTDIR: 'not a directory',
  ENOTEMPTY: 'directory not empty',
  EPERM: 'operation not permitted',
  EROFS: 'read-only file system',
  EXDEV: 'invalid cross-device link',
};

export function errnoCode(e: unknown): string | undefined {
  const code = (e as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}

/** The errno part alone ("no such file or directory"), or the error's message. */
export function errnoText(e: unknown): string {
  const code = errnoCode(e);
  if (code && ERRNO_TEXT[code]) {
    return ERRNO_TEXT[code];
  }
  return e instanceof Error ? e.message : String(e);
}

/** Go's `&os.PathError{Op, Path, Err}.Error()`: "<op> <path>: <errno text>". */
export function goPathError(op: string, path: string, e: unknown): string {
  return `${op} ${path}: ${errnoText(e)}`;
}
