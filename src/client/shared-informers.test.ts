import assert from 'node:assert/strict';
import { afterEach, test } from 'node:test';
import { FakeClock } from '../lib/testing/fake-clock.js';
import { ApiClient } from './api-client.js';
import { SharedInformers } from './shared-informers.js';
import { json, startScriptedServer } from './testing/scripted-server.js';
import type { ScriptedServer } from './testing/scripted-server.js';

let server: ScriptedServer | undefined;
let client: ApiClient | undefined;
let shared: SharedInformers | undefined;
afterEach(async () => {
  await shared?.stop();
  client?.close();
  await server?.close();
});

test('hands every component the same informer, so one list and one watch serve them all', async () => {
  server = await startScriptedServer((r, res) => {
    if (r.query.get('watch') === 'true') {
      res.writeHead(200);
      res.write('');
      return;
    }
    json(res, 200, { metadata: { resourceVersion: '1' }, items: [] });
  });
  client = new ApiClient({ server: server.url });
  shared = new SharedInformers(client, new FakeClock());
  assert.equal(shared.pods(), shared.pods());
  await Promise.all([shared.pods().start(), shared.pods().start(), shared.nodeLeases().start()]);
  const lists = server.requests.filter((r) => r.query.get('watch') !== 'true').map((r) => r.path);
  assert.deepEqual(lists.sort(), ['/api/v1/pods', '/apis/coordination.k8s.io/v1/namespaces/kube-node-lease/leases']);
});
