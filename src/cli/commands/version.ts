// `podbay version`: the podbay release, the Kubernetes API version it serves (what
// `kubectl version` shows as Server Version) and the Node.js running it.
import type { Command, CliContext } from '../command.js';
import { parseCommandArgs } from '../parse-command-args.js';

const HELP = `Print the podbay version, the Kubernetes API version it serves, and the Node.js version.

Usage:
  podbay version
`;

async function run(args: string[], { io, wiring }: CliContext): Promise<number> {
  const parsed = parseCommandArgs('version', args, {});
  if (parsed.help) {
    io.out(HELP);
    return 0;
  }
  const v = wiring.version;
  io.out(`podbay ${v.podbay}\nKubernetes API: ${v.kubernetes}\nNode.js: ${v.node}\n`);
  return 0;
}

export const versionCommand: Command = { name: 'version', summary: 'print version information', help: HELP, run };
