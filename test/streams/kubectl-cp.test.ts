// kubectl cp in both directions with the real kubectl: tar streams over exec
// (stdout out of the pod; stdin into it, ended by the v5 CLOSE signal) through the
// apiserver proxy and the agent. The sim has no tar, so the node runs TarSimRuntime:
// the host's tar in a directory standing for the container's filesystem.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { newKubectl, writePlainHttpKubeconfig } from '../helpers/kubectl.js';
import type { Kubectl } from '../helpers/kubectl.js';
import { makeTempDir } from '../helpers/temp-dir.js';
import type { TempDir } from '../helpers/temp-dir.js';
import { startStreamsCluster } from './streams-harness.js';
import type { StreamsCluster } from './streams-harness.js';
import { TarSimRuntime } from './tar-sim-runtime.js';

let c: StreamsCluster;
let dir: TempDir;
let kubectl: Kubectl;
let runtime: TarSimRuntime;
let podRoot: string;
before(async () => {
  dir = await makeTempDir('podbay-streams-cp-');
  podRoot = join(dir.path, 'pod-root');
  await mkdir(join(podRoot, 'etc'), { recursive: true });
  await mkdir(join(podRoot, 'tmp'), { recursive: true });
  c = await startStreamsCluster({
    apiserverAuth: false,
    runtime: (o) => (runtime = new TarSimRuntime(o, podRoot)),
  });
  const kubeconfig = join(dir.path, 'kubeconfig');
  await writePlainHttpKubeconfig(kubeconfig, c.server.url);
  kubectl = newKubectl(kubeconfig);
  await c.runPod({
    metadata: { name: 'files', namespace: 'default' },
    spec: { containers: [{ name: 'app', image: 'busybox:1.36', command: ['sleep', '3600'] }] },
  });
});
after(async () => {
  await c.close();
  await dir.remove();
});

test('kubectl cp copies a file out of the pod, byte for byte', async () => {
  const data = randomBytes(200_000);
  await writeFile(join(podRoot, 'etc', 'blob.bin'), data);
  const local = join(dir.path, 'out.bin');
  const r = await kubectl(['cp', 'files:/etc/blob.bin', local]);
  assert.equal(r.code, 0, r.stderr);
  assert.ok((await readFile(local)).equals(data));
  assert.equal(runtime.tarCommands.at(-1)?.[0], 'tar');
});

test('kubectl cp copies a file into the pod, byte for byte', async () => {
  const data = randomBytes(150_000);
  const local = join(dir.path, 'in.bin');
  await writeFile(local, data);
  const r = await kubectl(['cp', local, 'files:/tmp/in.bin']);
  assert.equal(r.code, 0, r.stderr + JSON.stringify(runtime.tarCommands));
  assert.ok((await readFile(join(podRoot, 'tmp', 'in.bin'))).equals(data));
});
