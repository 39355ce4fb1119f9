import type { Command, CliContext } from './command.js';
import { UsageError } from './usage-error.js';

export type Subcommand = (args: string[], ctx: CliContext) => Promise<number>;

/**
 * A command made of subcommands (`podbay image ls`, `podbay node join`): no subcommand or
 * -h prints the group's help; an unknown one is a usage error worded as cobra words it.
 */
export function commandGroup(
  name: string,
  summary: string,
  help: string,
  subcommands: Record<string, Subcommand>,
): Command {
  return {
    name,
    summary,
    help,
    async run(args, ctx) {
      const [sub, ...rest] = args;
      if (sub === undefined || sub === '-h' || sub === '--help') {
        ctx.io.out(help);
        return 0;
      }
      const run = Object.hasOwn(subcommands, sub) ? subcommands[sub] : undefined;
      if (!run) {
        throw new UsageError(`unknown command "${sub}" for "podbay ${name}"`, name);
      }
      return run(rest, ctx);
    },
  };
}
