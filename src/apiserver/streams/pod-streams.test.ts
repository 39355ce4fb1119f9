import assert from 'node:assert/strict';
import type { ServerResponse } from 'node:http';
import { connect } from 'node:net';
import type { Duplex } from 'node:stream';
import { after, before, describe, test } from 'node:test';
import { TEST_TOKEN, startTestServer, type TestServer } from '../testing/test-server.js';
import type { PodStreamRequest, PodStreams } from './pod-streams.js';

const PODS = '/api/v1/namespaces/default/pods';

/** Records what the apiserver hands over; answers logs with a fixed text and upgrades with a 101. */
class RecordingPodStreams implements PodStreams {
  readonly calls: { subresource: string; pod: string; container: string; query: string }[] = [];
  private record(r: PodStreamRequest): void {
    this.calls.push({
      subresource: r.subresource,
      pod: r.pod.metadata.name ?? '',
      container: r.container,
      query: r.query.toString(),
    });
  }
  async serve(r: PodStreamRequest, _req: unknown, res: ServerResponse): Promise<void> {
    this.record(r);
    res.writeHead(200, { 'Content-Type': 'text/plain' });
    res.end(`log of ${r.container}\n`);
  }
  async upgrade(r: PodStreamRequest, _req: unknown, socket: Duplex): Promise<void> {
    this.record(r);
    socket.end('HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n\r\n');
  }
}

/** Sends a raw upgrade request and returns the status line and body of the answer. */
function rawUpgrade(
  url: string,
  path: string,
  token: string | undefined,
): Promise<{ statusLine: string; body: string }> {
  const { port } = new URL(url);
  return new Promise((resolve, reject) => {
    const sock = connect(Number(port), '127.0.0.1');
    let data = '';
    sock.on('data', (c: Buffer) => (data += c.toString('utf8')));
    sock.on('error', reject);
    sock.on('close', () => {
      const [head, body = ''] = data.split('\r\n\r\n');
      resolve({ statusLine: (head ?? '').split('\r\n')[0]!, body });
    });
    sock.write(
      `GET ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: Upgrade\r\nUpgrade: websocket\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Protocol: v5.channel.k8s.io\r\n${
        token ? `Authorization: Bearer ${token}\r\n` : ''
      }\r\n`,
    );
  });
}

describe('PodStreams seam', () => {
  let s: TestServer;
  const streams = new RecordingPodStreams();
  before(async () => {
    s = await startTestServer({ podStreams: streams });
    await s.request('POST', PODS, {
      body: {
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: { name: 'bound' },
        spec: { nodeName: 'n1', containers: [{ name: 'app', image: 'i' }] },
      },
    });
    await s.request('POST', PODS, {
      body: {
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: { name: 'pending' },
        spec: { containers: [{ name: 'app', image: 'i' }] },
      },
    });
  });
  after(async () => {
    await s.close();
  });

  test('pods/log of a bound pod is served by the node agent seam with the container resolved', async () => {
    const r = await s.request('GET', `${PODS}/bound/log?follow=true&tailLines=5`);
    assert.equal(r.status, 200);
    assert.equal(r.text, 'log of app\n');
    assert.deepEqual(streams.calls.at(-1), {
      subresource: 'log',
      pod: 'bound',
      container: 'app',
      query: 'follow=true&tailLines=5',
    });
  });

  test('an exec upgrade is handed over with the pod, container and query', async () => {
    const r = await rawUpgrade(s.url, `${PODS}/bound/exec?command=ls&command=-l&stdout=true`, TEST_TOKEN);
    assert.equal(r.statusLine, 'HTTP/1.1 101 Switching Protocols');
    assert.deepEqual(streams.calls.at(-1), {
      subresource: 'exec',
      pod: 'bound',
      container: 'app',
      query: 'command=ls&command=-l&stdout=true',
    });
  });

  test('a portforward upgrade needs no container', async () => {
    const r = await rawUpgrade(s.url, `${PODS}/bound/portforward`, TEST_TOKEN);
    assert.equal(r.statusLine, 'HTTP/1.1 101 Switching Protocols');
    assert.equal(streams.calls.at(-1)?.container, '');
  });

  test('upgrades are refused with a Status: 401 without token, 404 for a missing pod, 400 for a pod without a node or a bad container', async () => {
    const cases: [string, string | undefined, string, string][] = [
      [`${PODS}/bound/exec?command=ls`, undefined, '401', 'Unauthorized'],
      [`${PODS}/missing/exec?command=ls`, TEST_TOKEN, '404', 'pods "missing" not found'],
      [`${PODS}/pending/attach`, TEST_TOKEN, '400', 'pod pending does not have a host assigned'],
      [`${PODS}/bound/exec?container=nope`, TEST_TOKEN, '400', 'container nope is not valid for pod bound'],
      [`${PODS}/bound/status`, TEST_TOKEN, '404', 'the server could not find the requested resource'],
    ];
    for (const [path, token, code, message] of cases) {
      const r = await rawUpgrade(s.url, path, token);
      assert.match(r.statusLine, new RegExp(`^HTTP/1.1 ${code} `), path);
      const status = JSON.parse(r.body) as { kind: string; message: string };
      assert.equal(status.kind, 'Status');
      assert.equal(status.message, message, path);
    }
  });
});
