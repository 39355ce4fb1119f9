// `podbay up`: starts the control plane in the foreground (issue 2 item 5), writes
// DIR/kubeconfig, prints how to use it, and stops cleanly on SIGINT/SIGTERM.
import { mkdir, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Command, CliContext } from '../command.js';
import { resolveDataDir } from '../data-dir.js';
import { renderKubeconfig } from '../kubeconfig.js';
import { DEFAULT_HOST, DEFAULT_PORT, parseListenAddress } from '../listen-address.js';
import { parseCommandArgs } from '../parse-command-args.js';
import { cidrFlag, durationFlag, integerFlag, runtimeFlag } from '../flag-values.js';
import { EXIT_FAILURE, UsageError } from '../usage-error.js';

const OPTIONS = {
  'data-dir': { type: 'string' },
  listen: { type: 'string' },
  runtime: { type: 'string' },
  'sim-nodes': { type: 'string' },
  'node-monitor-grace-period': { type: 'string' },
  'pod-cidr': { type: 'string' },
} as const;

/** kube-controller-manager's --node-monitor-grace-period default (pkg/controller/nodelifecycle). */
const DEFAULT_NODE_MONITOR_GRACE_MS = 40_000;
/** Enough for the 100-node benchmark and then some; each sim node is a few MB. */
const MAX_SIM_NODES = 1000;

const HELP = `Start the podbay control plane in the foreground.

Usage:
  podbay up [--data-dir DIR] [--listen HOST:PORT] [--runtime oci|sim|none] [--sim-nodes K]

Flags:
      --data-dir DIR       where state.db, pki/, kubeconfig and pod files live
                           (default: /var/lib/podbay as root, ~/.podbay otherwise)
      --listen HOST:PORT   address of the HTTPS API (default: ${DEFAULT_HOST}:${DEFAULT_PORT})
      --runtime KIND       the node in this process: oci (real containers: runc, conmon,
                           CNI; Linux as root), sim (simulated, no root: docs/sim-runtime.md)
                           or none (control plane only; add nodes with podbay node join)
                           (default: oci on Linux as root, sim otherwise)
      --sim-nodes K        with --runtime sim: run K simulated nodes (default 1)
      --pod-cidr CIDR      with --runtime oci: the IPv4 range pod IPs come from (default 10.85.0.0/16)
      --node-monitor-grace-period D
                           a node whose Lease is older than this is NotReady/Unknown
                           (default 40s)
  -h, --help               show this help

The control plane (apiserver, scheduler, node lifecycle controller, pod GC) and the
node(s) run in this process. The API answers /readyz once it is ready. Stop with
Ctrl-C (SIGINT) or SIGTERM.

Example:
  podbay up --data-dir /tmp/podbay --listen 127.0.0.1:6443 --runtime sim --sim-nodes 3
  export KUBECONFIG=/tmp/podbay/kubeconfig
  kubectl get nodes
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
  const runtime = runtimeFlag('up', parsed.values.runtime, wiring.defaultRuntime, true);
  if (parsed.values['sim-nodes'] !== undefined && runtime !== 'sim') {
    throw new UsageError('--sim-nodes needs --runtime sim', 'up');
  }
  const podCidrFlag = parsed.values['pod-cidr'];
  if (podCidrFlag !== undefined && runtime !== 'oci') {
    throw new UsageError('--pod-cidr needs --runtime oci', 'up');
  }
  const podCidr = typeof podCidrFlag === 'string' ? cidrFlag('up', podCidrFlag) : undefined;
  const simNodes = integerFlag('up', 'sim-nodes', parsed.values['sim-nodes'], 1, 1, MAX_SIM_NODES);
  const nodeMonitorGracePeriodMs = durationFlag(
    'up',
    'node-monitor-grace-period',
    parsed.values['node-monitor-grace-period'],
    DEFAULT_NODE_MONITOR_GRACE_MS,
  );

  // 0700: the data dir holds the CA key and the admin token.
  await mkdir(dataDir, { recursive: true, mode: 0o700 });
  let running;
  try {
    running = await wiring.startControlPlane({
      dataDir,
      host: listen.host,
      port: listen.port,
      runtime,
      simNodes,
      nodeMonitorGracePeriodMs,
      ...(podCidr !== undefined ? { podCidr } : {}),
    });
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

  const nodes =
    running.nodeNames.length === 0
      ? 'no node runs in this process (--runtime none)'
      : `${running.nodeNames.length === 1 ? 'node' : `${running.nodeNames.length} nodes`} ` +
        `(${runtime} runtime): ${summarizeNames(running.nodeNames)}`;
  io.out(
    `podbay is up at ${running.url} (data dir ${dataDir})\n` +
      `${nodes}\n\n` +
      `To use it:\n` +
      `  export KUBECONFIG=${kubeconfigPath}\n` +
      `  kubectl get pods\n\n` +
      `To add a node from another terminal:\n` +
      `  podbay node join --kubeconfig ${kubeconfigPath} --name NAME --data-dir DIR\n\n` +
      `Stop with Ctrl-C.\n`,
  );

  const signal = await io.waitForStop();
  io.err(`received ${signal}, stopping\n`);
  await running.close();
  io.err('podbay stopped\n');
  return 0;
}

function summarizeNames(names: string[]): string {
  return names.length <= 4 ? names.join(', ') : `${names.slice(0, 2).join(', ')} … ${names[names.length - 1]}`;
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
