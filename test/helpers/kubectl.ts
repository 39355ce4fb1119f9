// Runs the real kubectl on PATH against a podbay, with its own discovery cache dir so
// runs never share cached discovery (kubectl-contract.md §2.2).
import { spawn, type ChildProcess } from 'node:child_process';
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

/** A kubectl bound to one kubeconfig and cache dir. */
export interface Kubectl {
  (args: string[], opts?: KubectlOptions): Promise<KubectlResult>;
  /** Starts kubectl without waiting (for -w); the caller kills it. */
  spawn(args: string[], opts?: KubectlOptions): { child: ChildProcess; stdout(): string; stderr(): string };
  /** The flags added to every command. */
  baseArgs: string[];
}

export function newKubectl(kubeconfigPath: string, cacheDir = join(kubeconfigPath, '..', 'kubectl-cache')): Kubectl {
  const baseArgs = ['--kubeconfig', kubeconfigPath, '--cache-dir', cacheDir];
  const start = (args: string[], opts: KubectlOptions = {}) => {
    const child = spawn('kubectl', [...baseArgs, ...args], {
      stdio: ['pipe', 'pipe', 'pipe'],
      env: { ...process.env, ...opts.env },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (c: string) => (stdout += c));
    child.stderr.setEncoding('utf8').on('data', (c: string) => (stderr += c));
    child.stdin.end(opts.stdin ?? '');
    return { child, stdout: () => stdout, stderr: () => stderr };
  };
  const run = (args: string[], opts: KubectlOptions = {}): Promise<KubectlResult> => {
    const p = start(args, opts);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        p.child.kill('SIGKILL');
        reject(new Error(`kubectl ${args.join(' ')} did not finish in ${opts.timeoutMs ?? 30_000} ms\n${p.stderr()}`));
      }, opts.timeoutMs ?? 30_000);
      p.child.once('error', reject);
      p.child.once('close', (code) => {
        clearTimeout(timer);
        resolve({ code, stdout: p.stdout(), stderr: p.stderr() });
      });
    });
  };
  return Object.assign(run, { spawn: start, baseArgs });
}
