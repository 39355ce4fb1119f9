import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { FakeClock } from '../../../lib/testing/fake-clock.js';
import { RuntimeError } from '../../../runtime/runtime.js';
import type { HttpProbeResponse, ProbeTarget } from '../../../runtime/runtime.js';
import { resolveContainerPort } from '../resolve-port.js';
import { ScriptedTransport } from '../testing/scripted-transport.js';
import { runExecProbe } from './exec-runner.js';
import { runGrpcProbe } from './grpc-runner.js';
import { newHttpGetRequest } from './http-request.js';
import type { BuiltRequest } from './http-request.js';
import { runHttpProbe } from './http-runner.js';
import { runTcpProbe } from './tcp-runner.js';

const target: ProbeTarget = { podSandboxId: 's', containerId: 'c1', containerName: 'app', probeType: 'liveness' };
const refused = () => new RuntimeError('Unavailable', 'dial tcp 10.88.0.5:8080: connect: connection refused');
const deadline = () => new RuntimeError('DeadlineExceeded', 'context deadline exceeded');

function built(path = '/healthz', port: number | string = 8080): BuiltRequest {
  const b = newHttpGetRequest({ path, port }, { ports: [{ name: 'http', containerPort: 8080 }] }, '10.88.0.5', 'probe');
  assert.ok(!('error' in b));
  return b;
}

function resp(statusCode: number, body = '', headers: Record<string, string> = {}): HttpProbeResponse {
  return { statusCode, body, headers };
}

const httpCases: [string, (HttpProbeResponse | Error)[], { result: string; output: string }][] = [
  ['200 is success with the body as output', [resp(200, 'fine')], { result: 'success', output: 'fine' }],
  ['204 is success', [resp(204)], { result: 'success', output: '' }],
  [
    '399 without Location is a warning',
    [resp(399, 'x')],
    { result: 'warning', output: 'Probe terminated redirects, Response body: x' },
  ],
  ['400 is failure', [resp(400)], { result: 'failure', output: 'HTTP probe failed with statuscode: 400' }],
  [
    '500 is failure without the body',
    [resp(500, 'secret')],
    { result: 'failure', output: 'HTTP probe failed with statuscode: 500' },
  ],
  ['199 is failure', [resp(199)], { result: 'failure', output: 'HTTP probe failed with statuscode: 199' }],
  [
    'a refused connection is failure with Go client text',
    [refused()],
    {
      result: 'failure',
      output: 'Get "http://10.88.0.5:8080/healthz": dial tcp 10.88.0.5:8080: connect: connection refused',
    },
  ],
  [
    'a timeout is failure',
    [deadline()],
    {
      result: 'failure',
      output:
        'Get "http://10.88.0.5:8080/healthz": context deadline exceeded (Client.Timeout exceeded while awaiting headers)',
    },
  ],
  [
    'a redirect to the same host is followed',
    [resp(302, '', { location: '/ready' }), resp(200, 'at ready')],
    { result: 'success', output: 'at ready' },
  ],
  [
    'a redirect to another host is returned as a warning',
    [resp(301, 'moved', { location: 'http://example.com/' }), resp(200)],
    { result: 'warning', output: 'Probe terminated redirects, Response body: moved' },
  ],
  [
    'a followed redirect to a failing page is failure',
    [resp(307, '', { location: 'http://10.88.0.5:9090/x' }), resp(503)],
    { result: 'failure', output: 'HTTP probe failed with statuscode: 503' },
  ],
];
for (const [name, answers, want] of httpCases) {
  test(`http probe: ${name}`, async () => {
    const t = new ScriptedTransport();
    t.httpAnswers = [...answers, resp(200, 'unexpected')];
    const got = await runHttpProbe(t, target, built(), 1000, new FakeClock());
    assert.deepEqual(got, want);
  });
}

test('http probe: a followed redirect goes to the new path and port with the same headers', async () => {
  const t = new ScriptedTransport();
  t.httpAnswers = [resp(302, '', { location: 'http://10.88.0.5:9090/x?y=1' }), resp(200)];
  await runHttpProbe(t, target, built(), 1000, new FakeClock());
  assert.deepEqual(
    t.https.map((h) => [h.req.port, h.req.path]),
    [
      [8080, '/healthz'],
      [9090, '/x?y=1'],
    ],
  );
  assert.deepEqual(t.https[1]!.req.headers, t.https[0]!.req.headers);
});

test('http probe: the tenth same-host redirect is refused (Go stops after 10)', async () => {
  const t = new ScriptedTransport();
  t.httpAnswers = [() => resp(302, '', { location: '/again' })];
  const got = await runHttpProbe(t, target, built(), 1000, new FakeClock());
  assert.deepEqual(got, { result: 'failure', output: 'Get "http://10.88.0.5:8080/again": stopped after 10 redirects' });
  assert.equal(t.https.length, 10);
});

test('http request: defaults User-Agent and Accept, keeps given headers, resolves a named port', () => {
  const b = newHttpGetRequest(
    { port: 'http', scheme: 'HTTPS', host: 'db.local', httpHeaders: [{ name: 'X-Token', value: 't' }] },
    { ports: [{ name: 'http', containerPort: 8443 }] },
    '10.88.0.5',
    'probe',
  );
  assert.deepEqual(b, {
    request: {
      scheme: 'HTTPS',
      host: 'db.local',
      port: 8443,
      path: '/',
      headers: [
        ['X-Token', 't'],
        ['User-Agent', 'kube-probe/1.32'],
        ['Accept', '*/*'],
      ],
    },
    url: 'https://db.local:8443',
  });
});

test('http request: a given User-Agent wins, an empty Accept removes the header, hooks say kube-lifecycle', () => {
  const b = newHttpGetRequest(
    {
      port: 80,
      path: 'x',
      httpHeaders: [
        { name: 'accept', value: '' },
        { name: 'user-agent', value: 'me' },
      ],
    },
    {},
    'fd00::5',
    'lifecycle',
  );
  assert.ok(!('error' in b));
  assert.deepEqual(b.request.headers, [['user-agent', 'me']]);
  assert.equal(b.url, 'http://[fd00::5]:80/x');
  const hook = newHttpGetRequest({ port: 80 }, {}, '10.0.0.1', 'lifecycle');
  assert.ok(!('error' in hook));
  assert.deepEqual(hook.request.headers[0], ['User-Agent', 'kube-lifecycle/1.32']);
});

const portCases: [string, number | string, { port: number } | { error: string }][] = [
  ['a number as is', 8080, { port: 8080 }],
  ['a name from the container ports', 'http', { port: 8080 }],
  ['a numeric string', '9090', { port: 9090 }],
  [
    'an unknown name as strconv.Atoi fails on it',
    'metrics',
    { error: 'strconv.Atoi: parsing "metrics": invalid syntax' },
  ],
  ['0 as invalid', 0, { error: 'invalid port number: 0' }],
  ['65536 as invalid', 65536, { error: 'invalid port number: 65536' }],
];
for (const [name, param, want] of portCases) {
  test(`resolveContainerPort takes ${name}`, () => {
    assert.deepEqual(resolveContainerPort(param, { ports: [{ name: 'http', containerPort: 8080 }] }), want);
  });
}

const execCases: [string, unknown, { result: string; output?: string }][] = [
  [
    'exit 0 is success with the output',
    { stdout: 'ok\n', stderr: '', exitCode: 0 },
    { result: 'success', output: 'ok\n' },
  ],
  [
    'a non-zero exit is failure with stdout then stderr',
    { stdout: 'out ', stderr: "cat: can't open '/tmp/healthy'", exitCode: 1 },
    { result: 'failure', output: "out cat: can't open '/tmp/healthy'" },
  ],
  ['a timeout is failure', deadline(), { result: 'failure', output: 'command "cat /tmp/healthy" timed out' }],
];
for (const [name, answer, want] of execCases) {
  test(`exec probe: ${name}`, async () => {
    const t = new ScriptedTransport();
    t.execAnswers = [answer as Error];
    const got = await runExecProbe(t, target, ['cat', '/tmp/healthy'], 1000);
    assert.deepEqual({ result: got.result, output: got.output }, { result: want.result, output: want.output });
  });
}

test('exec probe: a runtime error other than a timeout is a probe error (unknown)', async () => {
  const t = new ScriptedTransport();
  t.execAnswers = [new RuntimeError('FailedPrecondition', 'container c1 is not running')];
  assert.deepEqual(await runExecProbe(t, target, ['true'], 1000), {
    result: 'unknown',
    output: '',
    error: 'container c1 is not running',
  });
});

test('exec probe: output beyond 10 KiB is cut', async () => {
  const t = new ScriptedTransport();
  t.execAnswers = [{ stdout: 'x'.repeat(20_000), stderr: '', exitCode: 1 }];
  const got = await runExecProbe(t, target, ['true'], 1000);
  assert.equal(got.output.length, 10 * 1024);
});

const tcpCases: [string, Error | undefined, { result: string; output: string }][] = [
  ['a connection is success', undefined, { result: 'success', output: '' }],
  [
    'a refused connection is failure',
    refused(),
    { result: 'failure', output: 'dial tcp 10.88.0.5:8080: connect: connection refused' },
  ],
  ['a timeout is failure', deadline(), { result: 'failure', output: 'dial tcp 10.88.0.5:8080: i/o timeout' }],
];
for (const [name, answer, want] of tcpCases) {
  test(`tcp probe: ${name}`, async () => {
    const t = new ScriptedTransport();
    t.tcpAnswers = answer ? [answer] : [];
    assert.deepEqual(await runTcpProbe(t, target, '10.88.0.5', 8080, 1000), want);
  });
}

const grpcCases: [string, unknown, { result: string; output: string }][] = [
  ['SERVING is success', 'SERVING', { result: 'success', output: 'service healthy' }],
  [
    'NOT_SERVING is failure',
    'NOT_SERVING',
    { result: 'failure', output: 'service unhealthy (responded with "NOT_SERVING")' },
  ],
  [
    'a refused connection is failure',
    refused(),
    {
      result: 'failure',
      output:
        'error: failed to connect service at "10.88.0.5:9000": dial tcp 10.88.0.5:8080: connect: connection refused',
    },
  ],
  [
    'a timeout is failure',
    deadline(),
    {
      result: 'failure',
      output: 'timeout: failed to connect service "10.88.0.5:9000" within 1s: context deadline exceeded',
    },
  ],
];
for (const [name, answer, want] of grpcCases) {
  test(`grpc probe: ${name}`, async () => {
    const t = new ScriptedTransport();
    t.grpcAnswers = [answer as Error];
    assert.deepEqual(await runGrpcProbe(t, target, '10.88.0.5', 9000, '', 1000), want);
  });
}
