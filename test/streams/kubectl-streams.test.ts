// The real kubectl (v1.32 on PATH) through podbay's apiserver, proxied to the node
// agent's stream server, on the sim runtime: logs, exec (WebSocket and the SPDY
// fallback), attach and port-forward (WebSocket-tunnelled and raw SPDY), with the
// messages and exit codes kubectl shows against a cluster.
import { httpGetLocal } from '../helpers/http-get.js';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Pod } from '../../src/api/types/index.js';
import { freePort } from '../helpers/free-port.js';
import { newKubectl, writePlainHttpKubeconfig } from '../helpers/kubectl.js';
import type { Kubectl, SpawnedKubectl } from '../helpers/kubectl.js';
import { makeTempDir } from '../helpers/temp-dir.js';
import type { TempDir } from '../helpers/temp-dir.js';
import { waitFor } from '../helpers/wait-for.js';
import { startStreamsCluster } from './streams-harness.js';
import type { StreamsCluster } from './streams-harness.js';

/** kubectl's default (WebSocket) and its SPDY path. */
const BOTH_REMOTE_COMMAND_TRANSPORTS: Record<string, string>[] = [{}, { KUBECTL_REMOTE_COMMAND_WEBSOCKETS: 'false' }];
const BOTH_PORT_FORWARD_TRANSPORTS: Record<string, string>[] = [{}, { KUBECTL_PORT_FORWARD_WEBSOCKETS: 'false' }];

function pod(name: string, command: string[], annotations: Record<string, string> = {}): Pod {
  return {
    metadata: { name, namespace: 'default', annotations },
    spec: { containers: [{ name: 'app', image: 'busybox:1.36', command }] },
  };
}

/** Starts `kubectl port-forward` and resolves once it listens on the local port. */
async function portForward(
  kubectl: Kubectl,
  args: string[],
  env: Record<string, string> = {},
): Promise<SpawnedKubectl> {
  const p = kubectl.spawn(['port-forward', ...args], { env });
  await waitFor(() => p.stdout().includes('Forwarding from 127.0.0.1'), {
    timeoutMs: 15_000,
    what: `port-forward ${args.join(' ')} listening`,
  });
  return p;
}

describe('kubectl streams through the apiserver to the sim node agent', () => {
  let c: StreamsCluster;
  let dir: TempDir;
  let kubectl: Kubectl;
  const spawned: SpawnedKubectl[] = [];
  before(async () => {
    c = await startStreamsCluster({ apiserverAuth: false });
    dir = await makeTempDir('podbay-streams-kubectl-');
    const kubeconfig = join(dir.path, 'kubeconfig');
    await writePlainHttpKubeconfig(kubeconfig, c.server.url);
    kubectl = newKubectl(kubeconfig);
    await c.runPod(
      pod('talker', ['sh', '-c', 'echo one; echo two >&2; echo three; sleep 3600'], {
        'sim.podbay.io/port.8080': 'http:200:hello from the pod',
      }),
    );
  });
  after(async () => {
    for (const p of spawned) {
      p.child.kill('SIGKILL');
    }
    await c.close();
    await dir.remove();
  });

  test('logs prints the log; --tail, --timestamps, --limit-bytes, --since and --since-time shape it', async () => {
    const cases: [string[], RegExp][] = [
      [[], /^one\ntwo\nthree\n$/],
      [['--tail=1'], /^three\n$/],
      [['--tail=1', '--timestamps'], /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{9}Z three\n$/],
      [['--limit-bytes=5'], /^one\nt$/],
      [['--since=1h', '-c', 'app'], /^one\ntwo\nthree\n$/],
      [['--since-time=2000-01-01T00:00:00Z'], /^one\ntwo\nthree\n$/],
      [['--since-time=2999-01-01T00:00:00Z'], /^$/],
    ];
    for (const [flags, want] of cases) {
      const r = await kubectl(['logs', 'talker', ...flags]);
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stdout, want, flags.join(' '));
    }
  });

  test('logs --previous without a previous instance fails with the kubelet message', async () => {
    const r = await kubectl(['logs', 'talker', '--previous']);
    assert.equal(r.code, 1);
    assert.equal(
      r.stderr.trim(),
      'Error from server (BadRequest): previous terminated container "app" in pod "talker" not found',
    );
  });

  test('logs -f streams new lines and exits 0 when the container exits', async () => {
    const p = pod('ticker', ['sh', '-c', 'echo start; sleep 1; echo later; sleep 0.2; exit 0']);
    p.spec.restartPolicy = 'Never';
    await c.runPod(p);
    const f = kubectl.spawn(['logs', '-f', 'ticker']);
    spawned.push(f);
    await waitFor(() => f.stdout() === 'start\n', { timeoutMs: 5000, what: 'the first line alone' });
    const r = await f.done;
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, 'start\nlater\n');
  });

  test('logs --all-containers prints every container', async () => {
    const two: Pod = {
      metadata: { name: 'pair', namespace: 'default' },
      spec: {
        containers: [
          { name: 'a', image: 'busybox:1.36', command: ['sh', '-c', 'echo from-a; sleep 3600'] },
          { name: 'b', image: 'busybox:1.36', command: ['sh', '-c', 'echo from-b; sleep 3600'] },
        ],
      },
    };
    await c.runPod(two);
    const r = await kubectl(['logs', 'pair', '--all-containers', '--prefix']);
    assert.equal(r.code, 0, r.stderr);
    // kubectl keeps the per-container requests in a Go map: containers print in any order.
    assert.deepEqual(r.stdout.split('\n').filter(Boolean).sort(), ['[pod/pair/a] from-a', '[pod/pair/b] from-b']);
  });

  test('exec returns the output and exits with the command exit code, over WebSocket and over SPDY', async () => {
    for (const env of BOTH_REMOTE_COMMAND_TRANSPORTS) {
      const r = await kubectl(['exec', 'talker', '--', 'sh', '-c', 'echo out; echo err >&2; exit 3'], { env });
      assert.equal(r.code, 3, JSON.stringify(env));
      assert.equal(r.stdout, 'out\n');
      assert.equal(r.stderr, 'err\ncommand terminated with exit code 3\n');
      const ok = await kubectl(['exec', 'talker', '--', 'hostname'], { env });
      assert.equal(ok.code, 0, ok.stderr);
      assert.equal(ok.stdout, 'talker\n');
    }
  });

  test('exec -i passes stdin to the command until EOF', async () => {
    for (const env of BOTH_REMOTE_COMMAND_TRANSPORTS) {
      const r = await kubectl(['exec', '-i', 'talker', '--', 'cat'], { stdin: 'hello\nworld\n', env });
      assert.equal(r.code, 0, r.stderr);
      assert.equal(r.stdout, 'hello\nworld\n');
    }
  });

  test('exec -it runs a shell on a terminal: lines in, output back, its exit code out', async () => {
    // A pseudo-terminal for kubectl: util-linux `script` runs it on one and relays our pipe.
    for (const env of BOTH_REMOTE_COMMAND_TRANSPORTS) {
      const cmd = [...kubectl.baseArgs, 'exec', '-it', 'talker', '--', 'sh'].map((a) => `'${a}'`).join(' ');
      const child = spawn('script', ['-qec', `kubectl ${cmd}`, '/dev/null'], {
        env: { ...process.env, ...env },
        stdio: ['pipe', 'pipe', 'pipe'],
      });
      let out = '';
      child.stdout.setEncoding('utf8').on('data', (d: string) => (out += d));
      const exited = new Promise<number | null>((resolve) => child.once('close', (code) => resolve(code)));
      try {
        child.stdin.write('hostname\n');
        await waitFor(() => out.includes('talker'), { timeoutMs: 15_000, what: 'the shell answered' });
        child.stdin.write('exit 5\n');
        assert.equal(await exited, 5, out);
        assert.match(out, /command terminated with exit code 5/);
      } finally {
        child.kill('SIGKILL');
      }
    }
  });

  test('exec into a container that is not there fails like the apiserver says', async () => {
    const r = await kubectl(['exec', 'talker', '-c', 'nope', '--', 'ls']);
    assert.equal(r.code, 1);
    assert.equal(r.stderr.trim(), 'Error from server (BadRequest): container nope is not valid for pod talker');
  });

  test('attach shows what the container writes from now on and ends when it exits', async () => {
    await c.runPod(
      pod('chatty', ['sh', '-c', 'echo before; sleep 2; exit 0'], {
        'sim.podbay.io/logs.app': '@1s tick\n',
      }),
    );
    const r = await kubectl(['attach', 'chatty']);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, 'tick\n');
  });

  test('port-forward reaches the pod port, through the WebSocket tunnel and over raw SPDY', async () => {
    for (const env of BOTH_PORT_FORWARD_TRANSPORTS) {
      const local = await freePort();
      const p = await portForward(kubectl, ['pod/talker', `${local}:8080`], env);
      spawned.push(p);
      try {
        for (let i = 0; i < 2; i++) {
          const r = await httpGetLocal(local);
          assert.equal(r.status, 200);
          assert.equal(r.body, 'hello from the pod');
        }
      } finally {
        p.child.kill('SIGTERM');
        await p.done;
      }
    }
  });

  test('port-forward to a closed port reports the error and kubectl ends with lost connection', async () => {
    const local = await freePort();
    const p = await portForward(kubectl, ['pod/talker', `${local}:7777`]);
    spawned.push(p);
    await httpGetLocal(local).catch(() => undefined);
    const r = await p.done;
    assert.equal(r.code, 1);
    assert.match(
      r.stderr,
      /an error occurred forwarding \d+ -> 7777: error forwarding port 7777 to pod talker, uid [0-9a-f-]+: /,
    );
    assert.match(r.stderr, /error: lost connection to pod/);
  });
});
