// The `podbay` command: a table of commands (one file each under commands/) and the
// dispatch that turns usage mistakes into exit 2 and failures into exit 1.
import type { Command, CliContext } from './command.js';
import { newHelpCommand, renderTopLevelHelp } from './commands/help.js';
import { imageCommand } from './commands/image.js';
import { nodeCommand } from './commands/node.js';
import { upCommand } from './commands/up.js';
import { versionCommand } from './commands/version.js';
import { EXIT_FAILURE, EXIT_USAGE, UsageError } from './usage-error.js';

// A command receives every argument after its name, so it can dispatch subcommands.
const COMMANDS: readonly Command[] = [
  upCommand,
  nodeCommand,
  imageCommand,
  versionCommand,
  newHelpCommand(() => COMMANDS),
];

/** Runs `podbay <argv...>` and resolves with the process exit status. */
export async function runCli(argv: readonly string[], ctx: CliContext): Promise<number> {
  const { io } = ctx;
  const [name, ...rest] = argv;
  try {
    if (name === undefined || name === '-h' || name === '--help') {
      io.out(renderTopLevelHelp(COMMANDS));
      return 0;
    }
    if (name === '--version') {
      return await versionCommand.run([], ctx);
    }
    if (name.startsWith('-')) {
      throw new UsageError(`unknown flag: ${name}`);
    }
    const command = COMMANDS.find((c) => c.name === name);
    if (!command) {
      throw new UsageError(`unknown command "${name}" for "podbay"`);
    }
    return await command.run(rest, ctx);
  } catch (e) {
    if (e instanceof UsageError) {
      const helpCmd = e.command ? `podbay ${e.command} --help` : 'podbay help';
      io.err(`error: ${e.message}\nRun '${helpCmd}' for usage.\n`);
      return EXIT_USAGE;
    }
    io.err(`error: ${e instanceof Error ? e.message : String(e)}\n`);
    return EXIT_FAILURE;
  }
}
