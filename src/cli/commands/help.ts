// `podbay help [command]`: the command list, or one command's --help.
import type { Command, CliContext } from '../command.js';
import { parseCommandArgs } from '../parse-command-args.js';
import { UsageError } from '../usage-error.js';

/** The top-level usage text listing every command of the table. */
export function renderTopLevelHelp(commands: readonly Command[]): string {
  const width = Math.max(...commands.map((c) => c.name.length));
  const lines = commands.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`);
  return (
    `podbay runs Kubernetes Pods on one Linux machine; drive it with kubectl.\n\n` +
    `Usage:\n  podbay <command> [flags]\n\nCommands:\n${lines.join('\n')}\n\n` +
    `Run 'podbay <command> --help' for a command's flags.\n`
  );
}

/** The help command over a command table (passed in, so the table can include it). */
export function newHelpCommand(commands: () => readonly Command[]): Command {
  const help = `Show help for podbay or one of its commands.\n\nUsage:\n  podbay help [command]\n`;
  return {
    name: 'help',
    summary: "show help (also 'podbay <command> --help')",
    help,
    run(args: string[], { io }: CliContext): Promise<number> {
      const parsed = parseCommandArgs('help', args, {}, true);
      if (parsed.help) {
        io.out(help);
        return Promise.resolve(0);
      }
      const [name, ...extra] = parsed.positionals;
      if (extra.length > 0) {
        throw new UsageError(`help takes at most one command, got ${parsed.positionals.length}`, 'help');
      }
      if (name === undefined) {
        io.out(renderTopLevelHelp(commands()));
        return Promise.resolve(0);
      }
      const command = commands().find((c) => c.name === name);
      if (!command) {
        throw new UsageError(`unknown command "${name}" for "podbay"`);
      }
      io.out(command.help);
      return Promise.resolve(0);
    },
  };
}
