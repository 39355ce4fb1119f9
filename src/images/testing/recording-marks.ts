import type { FsMarks } from '../overlay-marks.js';

/** FsMarks that record instead of making device nodes and trusted xattrs (no root needed). */
export function recordingMarksForTests(): FsMarks & { calls: string[] } {
  const calls: string[] = [];
  return {
    calls,
    whiteout: async (p) => void calls.push(`whiteout ${p}`),
    opaque: async (d) => void calls.push(`opaque ${d}`),
    mknod: async (p, kind, ma, mi) => void calls.push(`mknod ${p} ${kind} ${ma}:${mi}`),
    setXattr: async (p, n) => void calls.push(`xattr ${p} ${n}`),
  };
}
