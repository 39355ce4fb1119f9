// Runs the real kubectl on PATH against a podbay, with its own discovery cache dir so
// runs never share cached discovery (kubectl-contract.md §2.2).
import { spawn, type ChildProcess } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';

export interface KubectlResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

export interface KubectlOptions {
  stdin?: string;
  env?: Record<string, string>;
  timeoutMs?: number;
}

export interface SpawnedKubectl {
  child: ChildProcess;
  stdout(): string;
  stderr(): string;
  /** Resolves with the result once the process has exited. */
  done: Promise<KubectlResult>;
}

/** A kubectl bound to one kubeconfig and cache dir. */
export interface Kubectl {
  (args: string[], opts?: KubectlOptions): Promise<KubectlResult>;
  /** Starts kubectl without waiting (for -w); the caller kills it. */
  spawn(args: string[], opts?: KubectlOptions): SpawnedKubectl;
  /** The flags added to every command. */
  baseArgs: string[];
}

export function newKubectl(kubeconfigPath: string, cacheDir = join(kubeconfigPath, '..', 'kubectl-cache')): Kubectl {
  const baseArgs = ['--kubeconfig', kubeconfigPath, '--cache-dir', cacheDir];
  const start = (args: string[], opts: KubectlOptions = {}): SpawnedKubectl => {
    const child = spawn('kubectl', [...baseArgs, ...args], {
      stdio: ['pipe', 'pipe', 'pipe'],
      env: { ...process.env, ...opts.env },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (c: string) => (stdout += c));
    child.stderr.setEncoding('utf8').on('data', (c: string) => (stderr += c));
    child.stdin.end(opts.stdin ?? '');
    const done = new Promise<KubectlResult>((resolve, reject) => {
      child.once('error', reject);
      child.once('close', (code) => resolve({ code, stdout, stderr }));
    });
    return { child, stdout: () => stdout, stderr: () => stderr, done };
  };
  const run = async (args: string[], opts: KubectlOptions = {}): Promise<KubectlResult> => {
    const p = start(args, opts);
    const timeoutMs = opts.timeoutMs ?? 30_000;
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        p.child.kill('SIGKILL');
        reject(new Error(`kubectl ${args.join(' ')} did not finish in ${timeoutMs} ms\n${p.stderr()}`));
      }, timeoutMs);
    });
    try {
      return await Promise.race([p.done, timeout]);
    } finally {
      clearTimeout(timer);
    }
  };
  return Object.assign(run, { spawn: start, baseArgs });
}

/** A kubeconfig for an in-process apiserver on plain http without a token (test servers only). */
export async function writePlainHttpKubeconfig(path: string, server: string): Promise<void> {
  await writeFile(
    path,
    [
      'apiVersion: v1',
      'kind: Config',
      'clusters:',
      '- name: podbay',
      `  cluster: {server: "${server}"}`,
      'users:',
      '- name: podbay',
      '  user: {}',
      'contexts:',
      '- name: podbay',
      '  context: {cluster: podbay, user: podbay}',
      'current-context: podbay',
      '',
    ].join('\n'),
  );
}
