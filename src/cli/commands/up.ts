// `podbay up`: starts the control plane in the foreground (issue 2 item 5), writes
// DIR/kubeconfig, prints how to use it, and stops cleanly on SIGINT/SIGTERM.
import { mkdir, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Command, CliContext } from '../command.js';
import { resolveDataDir } from '../data-dir.js';
import { renderKubeconfig } from '../kubeconfig.js';
import { DEFAULT_HOST, DEFAULT_PORT, parseListenAddress } from '../listen-address.js';
import { parseCommandArgs } from '../parse-command-args.js';
import { EXIT_FAILURE } from '../usage-error.js';

// Issue 3 adds `runtime: { type: 'string' }` (sim|oci) and `'sim-nodes': { type: 'string' }`
// here and passes them through ControlPlaneOptions.
const OPTIONS = {
  'data-dir': { type: 'string' },
  listen: { type: 'string' },
} as const;

const HELP = `Start the podbay control plane in the foreground.

Usage:
  podbay up [--data-dir DIR] [--listen HOST:PORT]

Flags:
      --data-dir DIR       where state.db, pki/ and kubeconfig live
                           (default: /var/lib/podbay as root, ~/.podbay otherwise)
      --listen HOST:PORT   address of the HTTPS API (default: ${DEFAULT_HOST}:${DEFAULT_PORT})
  -h, --help               show this help

The API answers /readyz once it is ready. Stop with Ctrl-C (SIGINT) or SIGTERM.

Example:
  podbay up --data-dir /tmp/podbay --listen 127.0.0.1:6443
  export KUBECONFIG=/tmp/podbay/kubeconfig
  kubectl get pods
`;

async function run(args: string[], { io, wiring }: CliContext): Promise<number> {
  const parsed = parseCommandArgs('up', args, OPTIONS);
  if (parsed.help) {
    io.out(HELP);
    return 0;
  }
  const dataDirFlag = parsed.values['data-dir'];
  const listenFlag = parsed.values.listen;
  const dataDir = resolveDataDir(typeof dataDirFlag === 'string' ? dataDirFlag : undefined, io.uid, io.home);
  const listen = parseListenAddress(typeof listenFlag === 'string' ? listenFlag : `${DEFAULT_HOST}:${DEFAULT_PORT}`);

  // 0700: the data dir holds the CA key and the admin token.
  await mkdir(dataDir, { recursive: true, mode: 0o700 });
  let running;
  try {
    running = await wiring.startControlPlane({ dataDir, host: listen.host, port: listen.port });
  } catch (e) {
    const why = e instanceof Error ? e.message : String(e);
    const hint = /already in use/.test(why) ? ` (is another podbay running? pick another port with --listen)` : '';
    io.err(`error: cannot start podbay on ${listen.host}:${listen.port}: ${why}${hint}\n`);
    return EXIT_FAILURE;
  }

  const kubeconfigPath = join(dataDir, 'kubeconfig');
  try {
    await writeFileAtomic(
      kubeconfigPath,
      renderKubeconfig({ server: running.url, caCertPem: running.caCertPem, token: running.token }),
    );
  } catch (e) {
    await running.close();
    throw e;
  }

  io.out(
    `podbay is up at ${running.url} (data dir ${dataDir})\n\n` +
      `To use it:\n` +
      `  export KUBECONFIG=${kubeconfigPath}\n` +
      `  kubectl get pods\n\n` +
      `Stop with Ctrl-C.\n`,
  );

  const signal = await io.waitForStop();
  io.err(`received ${signal}, stopping\n`);
  await running.close();
  io.err('podbay stopped\n');
  return 0;
}

// Written next to the target and renamed, so a kubectl reading it never sees half a
// file; 0600 because it carries the admin token.
async function writeFileAtomic(path: string, text: string): Promise<void> {
  const tmp = `${path}.tmp-${process.pid}`;
  await writeFile(tmp, text, { mode: 0o600 });
  await rename(tmp, path);
}

export const upCommand: Command = {
  name: 'up',
  summary: 'start the control plane in the foreground and write DIR/kubeconfig',
  help: HELP,
  run,
};
