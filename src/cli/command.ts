import type { CliWiring } from './control-plane.js';

/** Where a command writes, and how it learns it should stop; injected so tests can drive it. */
export interface CliIo {
  out(text: string): void;
  err(text: string): void;
  /** Resolves with the signal name when the user asks a foreground command to stop. */
  waitForStop(): Promise<string>;
  /** The process's effective uid (defaults differ for root) and home dir. */
  uid: number;
  home: string;
}

export interface CliContext {
  io: CliIo;
  wiring: CliWiring;
}

/** One `podbay <name>` command; one file per command under commands/. */
export interface Command {
  name: string;
  /** One line for `podbay help`. */
  summary: string;
  /** Full `podbay <name> --help` text (usage line, flags, examples). */
  help: string;
  /** Runs with the arguments after the command name; resolves with the exit status. */
  run(args: string[], ctx: CliContext): Promise<number>;
}
