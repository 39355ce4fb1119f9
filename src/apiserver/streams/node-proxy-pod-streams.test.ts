import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isStatusError } from '../../api/errors.js';
import type { Node, NodeAddress, Pod } from '../../api/types/index.js';
import { nodeStreamEndpoint } from './node-endpoint.js';
import { agentStreamPath, agentStreamQuery, statusFromAgentAnswer } from './node-proxy-pod-streams.js';
import type { PodStreamRequest } from './pod-streams.js';

const pod: Pod = {
  metadata: { name: 'web', namespace: 'ns', uid: 'u-1' },
  spec: { nodeName: 'n1', containers: [{ name: 'app', image: 'i' }] },
};

function req(subresource: PodStreamRequest['subresource'], query: string, container = 'app'): PodStreamRequest {
  return { pod, subresource, container, query: new URLSearchParams(query) };
}

test('requests map to the kubelet paths and query names (strategy.go streamParams)', () => {
  const cases: [PodStreamRequest, string, string][] = [
    [
      req('exec', 'command=sh&command=-c&command=ls&container=app&stdin=true&stdout=true&stderr=true&tty=true'),
      '/exec/ns/web/u-1/app',
      'input=1&output=1&error=1&tty=1&command=sh&command=-c&command=ls',
    ],
    [
      req('exec', 'stdout=true&stderr=false&stdin=false&tty=false&command=ls'),
      '/exec/ns/web/u-1/app',
      'output=1&command=ls',
    ],
    [
      req('attach', 'container=app&stdin=true&stdout=true&tty=true'),
      '/attach/ns/web/u-1/app',
      'input=1&output=1&tty=1',
    ],
    [req('portforward', 'ports=8080', ''), '/portForward/ns/web/u-1', 'port=8080'],
    [req('portforward', '', ''), '/portForward/ns/web/u-1', ''],
    [
      req('log', 'container=app&follow=true&pretty=false&tailLines=5&timestamps=true'),
      '/containerLogs/ns/web/app',
      'follow=true&tailLines=5&timestamps=true',
    ],
  ];
  for (const [r, path, query] of cases) {
    assert.equal(agentStreamPath(r), path);
    assert.equal(agentStreamQuery(r).toString(), query, r.query.toString());
  }
});

test('the agent address is the node InternalIP and its reported stream port', () => {
  const node = (addresses: NodeAddress[], port?: number): Node => ({
    metadata: { name: 'n1' },
    status: { addresses, ...(port ? { daemonEndpoints: { kubeletEndpoint: { Port: port } } } : {}) },
  });
  assert.deepEqual(
    nodeStreamEndpoint(
      node(
        [
          { type: 'Hostname', address: 'n1' },
          { type: 'InternalIP', address: '127.0.0.2' },
        ],
        10250,
      ),
    ),
    { host: '127.0.0.2', port: 10250 },
  );
  assert.throws(
    () => nodeStreamEndpoint(node([{ type: 'InternalIP', address: '127.0.0.2' }])),
    (e: unknown) => isStatusError(e, 'ServiceUnavailable'),
  );
  assert.throws(
    () => nodeStreamEndpoint(node([], 10250)),
    (e: unknown) => isStatusError(e, 'ServiceUnavailable'),
  );
});

test("an agent's error answer becomes the Status kubectl prints", () => {
  const fromStatus = statusFromAgentAnswer(
    400,
    JSON.stringify({
      kind: 'Status',
      apiVersion: 'v1',
      message: 'previous terminated container "c" in pod "p" not found',
      reason: 'BadRequest',
      code: 400,
    }),
    'p',
  );
  assert.equal(fromStatus.status.reason, 'BadRequest');
  assert.equal(fromStatus.status.message, 'previous terminated container "c" in pod "p" not found');
  const text = statusFromAgentAnswer(400, 'container "c" in pod "p" is waiting to start: ContainerCreating', 'p');
  assert.equal(text.status.code, 400);
  assert.equal(text.status.message, 'container "c" in pod "p" is waiting to start: ContainerCreating');
  assert.equal(statusFromAgentAnswer(500, 'boom', 'p').status.reason, 'InternalError');
});
