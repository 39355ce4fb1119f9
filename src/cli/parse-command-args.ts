import { parseArgs, type ParseArgsConfig } from 'node:util';
import { UsageError } from './usage-error.js';

type Options = NonNullable<ParseArgsConfig['options']>;

export interface ParsedCommandArgs {
  values: Record<string, string | boolean | undefined>;
  positionals: string[];
  /** True when -h/--help was given: the command prints its help and exits 0. */
  help: boolean;
}

/**
 * node:util parseArgs in strict mode, with -h/--help added to every command and its
 * errors turned into UsageErrors naming the command (exit 2).
 */
export function parseCommandArgs(
  command: string,
  args: string[],
  options: Options,
  allowPositionals = false,
): ParsedCommandArgs {
  try {
    const { values, positionals } = parseArgs({
      args,
      options: { ...options, help: { type: 'boolean', short: 'h' } },
      strict: true,
      allowPositionals,
    });
    const { help, ...rest } = values as Record<string, string | boolean | undefined>;
    return { values: rest, positionals, help: help === true };
  } catch (e) {
    throw new UsageError(parseArgsMessage(e), command);
  }
}

// parseArgs errors read "Unknown option '--x'. To specify a positional argument starting
// with a '-', place it at the end of the command after '--', as in '-- "--x"". The
// first sentence is what a user needs.
function parseArgsMessage(e: unknown): string {
  const message = e instanceof Error ? e.message : String(e);
  const first = message.split('. ')[0] ?? message;
  return first.replace(/^Unknown option/, 'unknown flag').replace(/^Unexpected argument/, 'unexpected argument');
}
