/**
 * A mistake in how podbay was invoked (unknown command or flag, bad flag value). The
 * CLI prints it with a pointer to `--help` and exits 2, the convention of getopt-style
 * tools (and of kubectl's own flag errors' exit status in cobra is 1; we keep 2 so
 * scripts can tell a usage error from a runtime failure).
 */
export class UsageError extends Error {
  constructor(
    message: string,
    /** The command whose --help explains the right usage ('' for the top level). */
    readonly command = '',
  ) {
    super(message);
    this.name = 'UsageError';
  }
}

/** Exit status of a usage error. */
export const EXIT_USAGE = 2;
/** Exit status of a command that was invoked correctly but failed. */
export const EXIT_FAILURE = 1;
