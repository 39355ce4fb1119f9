// One podbay per e2e test file: started in before(), stopped (data dir removed) in
// after(). Files run in parallel, each on its own port and temp dir.
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before } from 'node:test';
import { newKubectl, type Kubectl } from '../helpers/kubectl.js';
import { startPodbay, type PodbayProcess, type StartPodbayOptions } from '../helpers/podbay-process.js';

export interface E2eCluster {
  podbay: PodbayProcess;
  kubectl: Kubectl;
  /** Writes text to a file in the data dir's scratch space and returns its path. */
  file: (name: string, text: string) => Promise<string>;
}

/**
 * Registers before/after hooks; the returned function gives the running cluster. Without
 * flags it is a control plane with no node (`--runtime none`); pass e.g.
 * `{ extraArgs: ['--runtime', 'sim', '--sim-nodes', '2'] }` for nodes.
 */
export function useCluster(opts: StartPodbayOptions = {}): () => E2eCluster {
  let cluster: E2eCluster | undefined;
  before(async () => {
    const podbay = await startPodbay(opts);
    const scratch = join(podbay.dataDir, '..');
    cluster = {
      podbay,
      kubectl: newKubectl(podbay.kubeconfigPath, join(scratch, 'kubectl-cache')),
      file: async (name, text) => {
        const path = join(scratch, name);
        await writeFile(path, text);
        return path;
      },
    };
  });
  after(async () => {
    await cluster?.podbay.dispose();
  });
  return () => {
    if (!cluster) {
      throw new Error('the e2e cluster did not start (see the before hook)');
    }
    return cluster;
  };
}

/**
 * A Pod manifest (YAML) with one busybox container; no node exists, so it stays Pending.
 * `schedulerName` names a scheduler that does not run, so not even the default
 * scheduler's FailedScheduling status and event touch it.
 */
export function podYaml(
  name: string,
  extra: { labels?: Record<string, string>; image?: string; schedulerName?: string } = {},
): string {
  const labels = Object.entries(extra.labels ?? { app: name })
    .map(([k, v]) => `    ${k}: ${JSON.stringify(v)}`)
    .join('\n');
  return `apiVersion: v1
kind: Pod
metadata:
  name: ${name}
  labels:
${labels}
spec:${extra.schedulerName ? `\n  schedulerName: ${extra.schedulerName}` : ''}
  containers:
  - name: main
    image: ${extra.image ?? 'busybox:1.36'}
    command: ["sleep", "3600"]
`;
}

/** The non-empty lines of a kubectl table, split on runs of 2+ spaces. */
export function tableRows(stdout: string): string[][] {
  return stdout
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => l.trim().split(/\s{2,}/));
}

/** Asserts kubectl exited 0 and returns its stdout; a failure shows stderr. */
export function expectSuccess(r: { code: number | null; stdout: string; stderr: string }, what = 'kubectl'): string {
  if (r.code !== 0) {
    throw new Error(`${what} exited ${String(r.code)}\nstdout: ${r.stdout}\nstderr: ${r.stderr}`);
  }
  return r.stdout;
}
