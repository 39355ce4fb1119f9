/** Thrown by CgroupDriver.remove when cgroups still hold processes (or children) after the retries. */
export class CgroupBusyError extends Error {
  /** The cgroup directories that could not be removed. */
  readonly busy: string[];

  constructor(busy: string[], cause?: unknown) {
    super(`cgroups still busy (processes left in them?): ${busy.join(', ')}`, cause === undefined ? {} : { cause });
    this.name = 'CgroupBusyError';
    this.busy = busy;
  }
}
