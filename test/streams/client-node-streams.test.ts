// pods/log, exec and portforward through podbay's apiserver, proxied to the node
// agent's stream server, on the sim runtime, driven by @kubernetes/client-node
// 2.0.1 (kubectl-contract.md 8.3, 9.4, 11).
import assert from 'node:assert/strict';
import { connect } from 'node:net';
import { PassThrough, Readable, Writable } from 'node:stream';
import { after, before, describe, test } from 'node:test';
import { Exec, Log, PortForward } from '@kubernetes/client-node';
import type { LogOptions, V1Status } from '@kubernetes/client-node';
import type { Pod, Status } from '../../src/api/types/index.js';
import { eventually } from '../control/harness.js';
import { AGENT_TOKEN, startStreamsCluster } from './streams-harness.js';
import type { StreamsCluster } from './streams-harness.js';

class Collect extends Writable {
  text = '';
  chunks: string[] = [];
  override _write(chunk: Buffer, _enc: BufferEncoding, cb: () => void): void {
    this.chunks.push(chunk.toString('utf8'));
    this.text += chunk.toString('utf8');
    cb();
  }
}

function pod(name: string, command: string[], annotations: Record<string, string> = {}): Pod {
  return {
    metadata: { name, namespace: 'default', annotations },
    spec: { containers: [{ name: 'app', image: 'busybox:1.36', command }] },
  };
}

/** Runs an exec to completion; resolves with its output and Status. */
function execToEnd(
  c: StreamsCluster,
  podName: string,
  command: string[],
  stdin: Readable | null,
): Promise<{ stdout: string; stderr: string; status: V1Status }> {
  const stdout = new Collect();
  const stderr = new Collect();
  return new Promise((resolve, reject) => {
    new Exec(c.kubeConfig())
      .exec('default', podName, 'app', command, stdout, stderr, stdin, false, (status) =>
        resolve({ stdout: stdout.text, stderr: stderr.text, status }),
      )
      .catch(reject);
  });
}

describe('client-node streams through the apiserver to the sim node agent', () => {
  let c: StreamsCluster;
  before(async () => {
    c = await startStreamsCluster();
    await c.runPod(pod('talker', ['sh', '-c', 'echo one; echo two >&2; echo three; sleep 3600']));
    await c.runPod(
      pod('server', ['sleep', '3600'], {
        'sim.podbay.io/port.8080': 'http:200:hello from the pod',
        'sim.podbay.io/port.9000': 'echo',
      }),
    );
  });
  after(async () => {
    await c.close();
  });

  test('Log reads the whole log, the tail, with timestamps and cut at limitBytes', async () => {
    const read = async (options: LogOptions): Promise<string> => {
      const out = new Collect();
      // client-node 2.0.1 never calls Log's `done` callback: the piped stream finishing is the end.
      const finished = new Promise<void>((resolve) => out.once('finish', () => resolve()));
      await new Log(c.kubeConfig()).log('default', 'talker', 'app', out, options);
      await finished;
      return out.text;
    };
    assert.equal(await read({}), 'one\ntwo\nthree\n');
    assert.equal(await read({ tailLines: 1 }), 'three\n');
    assert.equal(await read({ limitBytes: 6 }), 'one\ntw');
    assert.match(await read({ timestamps: true, tailLines: 1 }), /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{9}Z three\n$/);
  });

  test('Log with follow delivers lines as they are written and ends when the container exits', async () => {
    const p = pod('ticker', ['sh', '-c', 'echo start; sleep 1; echo later; sleep 0.2; exit 0']);
    p.spec.restartPolicy = 'Never';
    await c.runPod(p);
    const out = new Collect();
    const finished = new Promise<void>((resolve) => out.once('finish', () => resolve()));
    await new Log(c.kubeConfig()).log('default', 'ticker', 'app', out, { follow: true });
    await finished;
    assert.equal(out.text, 'start\nlater\n');
    assert.equal(out.chunks[0], 'start\n', 'the first line arrives before the second is written');
  });

  test('log errors come back as Status: --previous without one is 400, a negative tail is 422', async () => {
    const prev = await c.server.request('GET', '/api/v1/namespaces/default/pods/talker/log?previous=true');
    assert.equal(prev.status, 400);
    const prevStatus = prev.json as Status;
    assert.equal(prevStatus.reason, 'BadRequest');
    assert.equal(prevStatus.message, 'previous terminated container "app" in pod "talker" not found');
    const tail = await c.server.request('GET', '/api/v1/namespaces/default/pods/talker/log?tailLines=-1');
    assert.equal(tail.status, 422);
    assert.equal(
      (tail.json as Status).message,
      'PodLogOptions "talker" is invalid: tailLines: Invalid value: -1: must be greater than or equal to 0',
    );
  });

  test('Exec returns stdout, stderr and the NonZeroExitCode status with the exit code', async () => {
    const r = await execToEnd(c, 'talker', ['sh', '-c', 'echo out; echo err >&2; exit 3'], null);
    assert.equal(r.stdout, 'out\n');
    assert.equal(r.stderr, 'err\n');
    assert.equal(r.status.status, 'Failure');
    assert.equal(r.status.reason, 'NonZeroExitCode');
    assert.deepEqual(r.status.details?.causes, [{ reason: 'ExitCode', message: '3' }]);
  });

  test('Exec with stdin feeds the process and ends it at EOF', async () => {
    const r = await execToEnd(c, 'talker', ['cat'], Readable.from([Buffer.from('hello\n'), Buffer.from('world\n')]));
    assert.equal(r.stdout, 'hello\nworld\n');
    assert.equal(r.status.status, 'Success');
  });

  test('PortForward reaches the port inside the pod (HTTP answer, then an echo)', async () => {
    const pf = new PortForward(c.kubeConfig());
    const run = async (port: number, send: string, until: (s: string) => boolean): Promise<string> => {
      const out = new Collect();
      const input = new PassThrough();
      const ws = await pf.portForward('default', 'server', [port], out, null, input);
      try {
        input.write(send);
        return await eventually(async () => (until(out.text) ? out.text : undefined), `an answer on ${port}`, 5000);
      } finally {
        const socket = typeof ws === 'function' ? ws() : ws;
        socket?.close();
      }
    };
    const http = await run(8080, 'GET / HTTP/1.1\r\nHost: x\r\n\r\n', (s) => s.endsWith('hello from the pod'));
    assert.match(http, /^HTTP\/1.1 200 OK\r\n/);
    assert.equal(await run(9000, 'ping', (s) => s === 'ping'), 'ping');
  });

  test('a malformed WebSocket handshake to the agent gets a 400 and the connection closes', async () => {
    const answer = await new Promise<string>((resolve, reject) => {
      const sock = connect(c.streamServer.port, '127.0.0.1');
      let data = '';
      sock.on('data', (d: Buffer) => (data += d.toString('latin1')));
      sock.on('error', reject);
      sock.on('close', () => resolve(data));
      // No Sec-WebSocket-Key.
      sock.write(
        `GET /exec/default/talker/app?command=ls&output=1 HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${AGENT_TOKEN}\r\n` +
          'Connection: Upgrade\r\nUpgrade: websocket\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Protocol: v5.channel.k8s.io\r\n\r\n',
      );
    });
    assert.match(answer, /^HTTP\/1.1 400 /);
  });

  test('the agent refuses requests without its token', async () => {
    const res = await fetch(`http://127.0.0.1:${c.streamServer.port}/containerLogs/default/talker/app`);
    assert.equal(res.status, 401);
  });
});
