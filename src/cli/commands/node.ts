// `podbay node join`: runs one node agent in the foreground as its own process, joined
// to a running control plane (issue 3 item 5). Killing this process is a lost node:
// the node lifecycle controller marks it Unknown once its Lease goes stale.
import { mkdir, readFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import type { CliContext } from '../command.js';
import { commandGroup } from '../command-group.js';
import { defaultDataDir, resolveDataDir } from '../data-dir.js';
import { cidrFlag, runtimeFlag } from '../flag-values.js';
import { readKubeconfigCredentials, type KubeconfigCredentials } from '../kubeconfig.js';
import { parseCommandArgs } from '../parse-command-args.js';
import { EXIT_FAILURE, UsageError } from '../usage-error.js';

const OPTIONS = {
  kubeconfig: { type: 'string' },
  server: { type: 'string' },
  token: { type: 'string' },
  'ca-file': { type: 'string' },
  name: { type: 'string' },
  runtime: { type: 'string' },
  'data-dir': { type: 'string' },
  'pod-cidr': { type: 'string' },
} as const;

const HELP = `Run a node agent in the foreground, joined to a running podbay.

Usage:
  podbay node join --kubeconfig FILE [--name NAME] [--runtime oci|sim] [--data-dir DIR]
  podbay node join --server URL --token TOKEN --ca-file FILE [--name NAME] ...

Flags:
      --kubeconfig FILE    take server, CA and token from this kubeconfig
                           (podbay up writes DATA_DIR/kubeconfig)
      --server URL         the apiserver, e.g. https://127.0.0.1:6443
      --token TOKEN        its bearer token
      --ca-file FILE       the CA that signed its certificate (DATA_DIR/pki/ca.crt)
      --name NAME          the Node's name, a DNS-1123 subdomain (default: this host's name)
      --runtime KIND       oci (Linux as root) or sim (default: oci on Linux as root, sim otherwise)
      --pod-cidr CIDR      with --runtime oci (required): this node's pod IPs, apart from
                           every other node's (e.g. 10.86.0.0/16); it gets its own bridge
      --data-dir DIR       this agent's pod files and runtime state
                           (default: <podbay data dir>/nodes/NAME); one agent per dir
  -h, --help               show this help

Stop with Ctrl-C (SIGINT) or SIGTERM. A killed agent is a lost node: after the
grace period its Pods show Unknown, and they come back when it joins again.

Example:
  podbay node join --kubeconfig /tmp/podbay/kubeconfig --name worker-1 --runtime sim
`;

// DNS-1123 subdomain (validation.IsDNS1123Subdomain), the rule for Node names.
const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

async function credentials(values: Record<string, string | boolean | undefined>): Promise<KubeconfigCredentials> {
  const str = (k: string): string | undefined => (typeof values[k] === 'string' ? values[k] : undefined);
  const kubeconfig = str('kubeconfig');
  const direct = ['server', 'token', 'ca-file'].filter((k) => str(k) !== undefined);
  if (kubeconfig !== undefined) {
    if (direct.length > 0) {
      throw new UsageError(`--kubeconfig cannot be combined with --${direct.join(', --')}`, 'node join');
    }
    return readKubeconfigCredentials(await readFile(kubeconfig, 'utf8'), kubeconfig);
  }
  const missing = ['server', 'token', 'ca-file'].filter((k) => str(k) === undefined);
  if (missing.length > 0) {
    throw new UsageError(`either --kubeconfig or --${missing.join(', --')} must be given`, 'node join');
  }
  const server = str('server')!;
  if (!/^https:\/\/[^/]+\/?$/.test(server)) {
    throw new UsageError(`invalid argument "${server}" for "--server" flag: must be https://HOST:PORT`, 'node join');
  }
  return {
    server: server.replace(/\/$/, ''),
    token: str('token')!,
    caCertPem: await readFile(str('ca-file')!, 'utf8'),
  };
}

async function join_(args: string[], { io, wiring }: CliContext): Promise<number> {
  const parsed = parseCommandArgs('node join', args, OPTIONS);
  if (parsed.help) {
    io.out(HELP);
    return 0;
  }
  const v = parsed.values;
  const nodeName = typeof v.name === 'string' ? v.name : hostname().toLowerCase();
  if (nodeName.length > 253 || !DNS1123_SUBDOMAIN.test(nodeName)) {
    throw new UsageError(
      `invalid argument "${nodeName}" for "--name" flag: a lowercase RFC 1123 subdomain must consist of lower case ` +
        `alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character`,
      'node join',
    );
  }
  const runtime = runtimeFlag('node join', v.runtime, wiring.defaultRuntime, false) as 'oci' | 'sim';
  const dataDir = resolveDataDir(
    typeof v['data-dir'] === 'string' ? v['data-dir'] : join(defaultDataDir(io.uid, io.home), 'nodes', nodeName),
    io.uid,
    io.home,
  );
  const podCidr = typeof v['pod-cidr'] === 'string' ? cidrFlag('node join', v['pod-cidr']) : undefined;
  if (runtime === 'oci' && podCidr === undefined) {
    throw new UsageError('--runtime oci needs --pod-cidr: a range no other node on this machine uses', 'node join');
  }
  if (runtime !== 'oci' && podCidr !== undefined) {
    throw new UsageError('--pod-cidr needs --runtime oci', 'node join');
  }
  const creds = await credentials(v);
  await mkdir(dataDir, { recursive: true, mode: 0o700 });
  let running;
  try {
    running = await wiring.joinNode({ ...creds, nodeName, runtime, dataDir, ...(podCidr ? { podCidr } : {}) });
  } catch (e) {
    io.err(`error: node ${nodeName} cannot join ${creds.server}: ${e instanceof Error ? e.message : String(e)}\n`);
    return EXIT_FAILURE;
  }
  io.out(`node ${nodeName} joined ${creds.server} (${runtime} runtime, data dir ${dataDir})\nStop with Ctrl-C.\n`);
  const signal = await io.waitForStop();
  io.err(`received ${signal}, stopping node ${nodeName}\n`);
  await running.close();
  io.err('node agent stopped\n');
  return 0;
}

export const nodeCommand = commandGroup('node', 'run a node agent joined to a running podbay (node join)', HELP, {
  join: join_,
});
