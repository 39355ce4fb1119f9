// Starts `./bin/podbay up` as a child process on a temp data dir and a free port, the
// way a user does, and stops it with SIGTERM. Used by e2e tests and bench/api.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { request } from 'node:https';
import { join } from 'node:path';
import { parse } from 'yaml';
import { freePort } from './free-port.js';
import { PODBAY_BIN } from './repo-paths.js';
import { makeTempDir, type TempDir } from './temp-dir.js';
import { waitFor } from './wait-for.js';

export interface PodbayProcess {
  /** https://127.0.0.1:PORT */
  url: string;
  port: number;
  dataDir: string;
  kubeconfigPath: string;
  caCertPem: string;
  token: string;
  pid: number;
  child: ChildProcess;
  /** Everything the process printed so far (stdout and stderr interleaved). */
  output(): string;
  /** SIGTERM, wait for the exit (SIGKILL after 10 s); resolves with the exit code. */
  stop(): Promise<number | null>;
  /** stop(), then remove the data dir (unless it was given by the caller). */
  dispose(): Promise<void>;
}

export interface StartPodbayOptions {
  /** Use this data dir instead of a fresh temp dir (then it is not removed). */
  dataDir?: string;
  port?: number;
  /** More `up` flags. Without a `--runtime` here the control plane starts alone (`--runtime none`). */
  extraArgs?: string[];
  /** A command that runs the launcher, e.g. `['setpriv', '--reuid=65534', …]` to start podbay as another user. */
  wrapper?: string[];
  readyTimeoutMs?: number;
}

interface KubeconfigDoc {
  clusters?: { cluster?: { 'certificate-authority-data'?: string } }[];
  users?: { user?: { token?: string } }[];
}

/** GET url with the CA; resolves with the status code and body. */
export function httpsGet(
  url: string,
  caCertPem: string,
  headers: Record<string, string> = {},
): Promise<{ status: number; body: string }> {
  return httpsRequest('GET', url, caCertPem, { headers });
}

/** Any request with the CA; the body is sent as is. Resolves with status and body. */
export function httpsRequest(
  method: string,
  url: string,
  caCertPem: string,
  opts: { headers?: Record<string, string>; body?: string | Buffer } = {},
): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method, ca: caCertPem, headers: opts.headers ?? {} }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    // A hung connection fails the request instead of stalling a readiness wait forever.
    req.setTimeout(10_000, () => req.destroy(new Error(`${method} ${url}: no answer in 10 s`)));
    // The server may answer (413) and close before the whole body is written.
    req.on('error', (e: NodeJS.ErrnoException) =>
      e.code === 'EPIPE' || e.code === 'ECONNRESET' ? undefined : reject(e),
    );
    req.end(opts.body);
  });
}

// Issue 2's tests expect a cluster without nodes (a Pod stays Pending); runtimes are opt-in.
function upFlags(extra: string[]): string[] {
  return extra.some((a) => a === '--runtime' || a.startsWith('--runtime=')) ? extra : ['--runtime', 'none', ...extra];
}

export async function startPodbay(opts: StartPodbayOptions = {}): Promise<PodbayProcess> {
  let temp: TempDir | undefined;
  if (!opts.dataDir) {
    temp = await makeTempDir('podbay-e2e-');
  }
  const dataDir = opts.dataDir ?? join(temp!.path, 'data');
  const port = opts.port ?? (await freePort());
  const [cmd, ...args] = [
    ...(opts.wrapper ?? []),
    PODBAY_BIN,
    'up',
    '--data-dir',
    dataDir,
    '--listen',
    `127.0.0.1:${port}`,
    ...upFlags(opts.extraArgs ?? []),
  ];
  const child = spawn(cmd!, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.setEncoding('utf8').on('data', (c: string) => (output += c));
  child.stderr.setEncoding('utf8').on('data', (c: string) => (output += c));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  let exitCode: number | null | undefined;
  void exited.then((c) => (exitCode = c));

  const stop = async (): Promise<number | null> => {
    if (exitCode === undefined && child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      const killer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      try {
        return await exited;
      } finally {
        clearTimeout(killer);
      }
    }
    return exited;
  };
  const dispose = async (): Promise<void> => {
    await stop();
    await temp?.remove();
  };

  const kubeconfigPath = join(dataDir, 'kubeconfig');
  try {
    // `up` writes the kubeconfig once it listens and then prints how to use it.
    await waitFor(
      () => {
        if (exitCode !== undefined) {
          throw new Error(`podbay exited with ${String(exitCode)}:\n${output}`);
        }
        return output.includes('export KUBECONFIG=') && existsSync(kubeconfigPath);
      },
      { timeoutMs: opts.readyTimeoutMs ?? 30_000, what: `podbay up on port ${port}` },
    );
    const doc = parse(readFileSync(kubeconfigPath, 'utf8')) as KubeconfigDoc;
    const caData = doc.clusters?.[0]?.cluster?.['certificate-authority-data'] ?? '';
    const caCertPem = Buffer.from(caData, 'base64').toString('utf8');
    const token = doc.users?.[0]?.user?.token ?? '';
    const url = `https://127.0.0.1:${port}`;
    await waitFor(async () => (await httpsGet(`${url}/readyz`, caCertPem)).status === 200, {
      timeoutMs: 10_000,
      what: '/readyz',
    });
    return {
      url,
      port,
      dataDir,
      kubeconfigPath,
      caCertPem,
      token,
      pid: child.pid ?? -1,
      child,
      output: () => output,
      stop,
      dispose,
    };
  } catch (e) {
    await dispose();
    throw new Error(`podbay did not become ready: ${e instanceof Error ? e.message : String(e)}\n${output}`, {
      cause: e,
    });
  }
}
