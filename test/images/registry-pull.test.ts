// Pulls from a real Distribution registry: Debian's docker-registry on 127.0.0.1 with
// temp storage (make deps installs it), fed by the test's own minimal push; and the
// same registry behind a small token server, as Docker Hub and most registries are.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { lstat, mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer, request as httpRequest, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import type { ImagePullError } from '../../src/images/image-pull-error.js';
import { ImageService } from '../../src/images/image-service.js';
import { createOciImageSource } from '../../src/images/oci-image-source.js';
import { startDockerRegistry, type RunningRegistry } from '../../src/images/testing/docker-registry.js';
import { pushManifest, pushTestImage } from '../../src/images/testing/registry-push.js';
import { buildTestImage, buildTestIndex } from '../../src/images/testing/test-image.js';

const run = promisify(execFile);

let registry: RunningRegistry;
let dataDir: string;

before(async () => {
  registry = await startDockerRegistry();
  dataDir = await mkdtemp(join(tmpdir(), 'podbay-images-itest-'));
});
after(async () => {
  await registry?.stop();
  await rm(dataDir, { recursive: true, force: true });
});

function freshService(): ImageService {
  return new ImageService(join(dataDir, String(Math.random()).slice(2)));
}

test('pulls a gzip OCI image by tag and by digest, with whiteouts in overlay form', async () => {
  assert.equal(process.getuid?.(), 0, 'whiteouts as device nodes need root: run as root');
  const img = buildTestImage({
    layers: [
      [
        { name: 'etc/', type: 'dir' },
        { name: 'etc/motd', type: 'file', data: 'old' },
        { name: 'bin/sh', type: 'file', data: '#!', mode: 0o755 },
      ],
      [
        { name: 'etc/.wh.motd', type: 'file' },
        { name: 'etc/greeting', type: 'file', data: 'hello' },
      ],
    ],
    compression: 'gzip',
    config: { Env: ['PATH=/bin'], Entrypoint: ['/bin/sh'], Cmd: ['-c', 'true'], WorkingDir: '/etc', User: '65534' },
  });
  await pushTestImage(registry.host, 'podbay/hello', img, 'v1');
  const images = freshService();
  const info = await images.pull(`${registry.host}/podbay/hello:v1`);
  assert.equal(info.id, img.configDigest);
  assert.deepEqual(info.repoDigests, [`${registry.host}/podbay/hello@${img.manifestDigest}`]);
  assert.equal(await readFile(join(info.layerDirs[1]!, 'etc/greeting'), 'utf8'), 'hello');
  const wh = await lstat(join(info.layerDirs[1]!, 'etc/motd'));
  assert.ok(wh.isCharacterDevice() && wh.rdev === 0, 'the whiteout is a 0/0 char device');

  const source = createOciImageSource(images);
  const byDigest = await source.pull(`${registry.host}/podbay/hello@${img.manifestDigest}`);
  assert.equal(byDigest, img.configDigest);
  const view = await source.get(`${registry.host}/podbay/hello:v1`);
  assert.deepEqual(view?.config, {
    Env: ['PATH=/bin'],
    Entrypoint: ['/bin/sh'],
    Cmd: ['-c', 'true'],
    WorkingDir: '/etc',
    User: '65534',
  });
  assert.deepEqual(view?.layerDirs, info.layerDirs);
});

test('pulls the requested platform of a multi-arch index with zstd layers', async () => {
  const amd = buildTestImage({ layers: [[{ name: 'arch', type: 'file', data: 'amd64' }]], compression: 'zstd' });
  const arm = buildTestImage({
    layers: [[{ name: 'arch', type: 'file', data: 'arm64' }]],
    compression: 'zstd',
    platform: { os: 'linux', architecture: 'arm64', variant: 'v8' },
  });
  await pushTestImage(registry.host, 'podbay/multi', amd);
  await pushTestImage(registry.host, 'podbay/multi', arm);
  const idx = buildTestIndex([
    { image: arm, platform: { os: 'linux', architecture: 'arm64', variant: 'v8' } },
    { image: amd, platform: { os: 'linux', architecture: 'amd64' } },
  ]);
  await pushManifest(registry.host, 'podbay/multi', '1.0', idx.index, idx.mediaType);
  const images = freshService();
  const a = await images.pull(`${registry.host}/podbay/multi:1.0`, { platform: 'linux/amd64' });
  assert.equal(await readFile(join(a.layerDirs[0]!, 'arch'), 'utf8'), 'amd64');
  const b = await images.pull(`${registry.host}/podbay/multi:1.0`, { platform: 'linux/arm64' });
  assert.equal(await readFile(join(b.layerDirs[0]!, 'arch'), 'utf8'), 'arm64');
  assert.equal(b.platform, 'linux/arm64/v8');
});

test('pulls a Docker schema2 manifest list', async () => {
  const img = buildTestImage({ layers: [[{ name: 'x', type: 'file', data: 'docker' }]], docker: true });
  await pushTestImage(registry.host, 'podbay/docker', img);
  const list = buildTestIndex([{ image: img, platform: { os: 'linux', architecture: 'amd64' } }], true);
  await pushManifest(registry.host, 'podbay/docker', 'latest', list.index, list.mediaType);
  const info = await freshService().pull(`${registry.host}/podbay/docker`, { platform: 'linux/amd64' });
  assert.equal(info.id, img.configDigest);
  assert.deepEqual(info.repoTags, [`${registry.host}/podbay/docker:latest`]);
});

test('a missing tag and a missing repository are NotFound with the registry reason (Distribution 2.8 says manifest unknown for both)', async () => {
  const images = freshService();
  const tag = `${registry.host}/podbay/hello:nope`;
  await assert.rejects(images.pull(tag), (e: ImagePullError) => {
    assert.equal(e.code, 'NotFound');
    assert.equal(
      e.message,
      `failed to pull and unpack image "${tag}": failed to resolve reference "${tag}": ${tag}: not found: manifest unknown`,
    );
    return true;
  });
  await assert.rejects(images.pull(`${registry.host}/podbay/absent:v1`), (e: ImagePullError) => {
    assert.equal(e.code, 'NotFound');
    assert.match(e.message, /absent:v1: not found: manifest unknown$/);
    return true;
  });
});

/** The registry behind a token server: /token takes Basic credentials, /v2/ wants the token. */
async function startTokenProxy(
  upstream: string,
  user: string,
  password: string,
): Promise<{ host: string; close(): Promise<void> }> {
  const token = 'itest-token';
  const basic = `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
  let host = '';
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    if (req.url?.startsWith('/token')) {
      const ok = req.headers.authorization === basic;
      res.writeHead(ok ? 200 : 401, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify(ok ? { token } : { errors: [{ code: 'UNAUTHORIZED', message: 'bad credentials' }] }));
      return;
    }
    if (req.headers.authorization !== `Bearer ${token}`) {
      res.writeHead(401, {
        'Content-Type': 'application/json',
        'WWW-Authenticate': `Bearer realm="http://${host}/token",service="itest",scope="repository:podbay/hello:pull"`,
      });
      res.end(JSON.stringify({ errors: [{ code: 'UNAUTHORIZED', message: 'authentication required' }] }));
      return;
    }
    const up = httpRequest(
      `http://${upstream}${req.url ?? '/'}`,
      { method: req.method, headers: { ...req.headers, host: upstream } },
      (r) => {
        res.writeHead(r.statusCode ?? 502, r.headers);
        r.pipe(res);
      },
    );
    up.on('error', () => res.destroy());
    req.pipe(up);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  host = `127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    host,
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}

test('behind a token server: anonymous pulls are denied, pulls with credentials work', async (t) => {
  const proxy = await startTokenProxy(registry.host, 'ann', 'pw');
  t.after(() => proxy.close());
  const images = freshService();
  const ref = `${proxy.host}/podbay/hello:v1`;
  await assert.rejects(images.pull(ref), (e: ImagePullError) => {
    assert.equal(e.code, 'Unknown');
    assert.match(
      e.message,
      /failed to authorize: failed to fetch anonymous token: unexpected status from GET request to http:\/\/127\.0\.0\.1:\d+\/token: 401 Unauthorized: unauthorized: bad credentials$/,
    );
    return true;
  });
  const id = await createOciImageSource(images).pull(ref, { username: 'ann', password: 'pw' });
  assert.match(id, /^sha256:/);
  assert.deepEqual((await images.get(ref))?.repoTags, [ref]);
  const main = fileURLToPath(new URL('../../src/main.js', import.meta.url));
  const cli = await run(process.execPath, [
    main,
    'image',
    'pull',
    ref,
    '--creds',
    'ann:pw',
    '--data-dir',
    join(dataDir, 'creds'),
  ]);
  assert.equal(cli.stdout, `${id}\n`);
});

test('the podbay CLI pulls, lists, tags and removes against the registry', async () => {
  const main = fileURLToPath(new URL('../../src/main.js', import.meta.url));
  const img = buildTestImage({ layers: [[{ name: 'cli', type: 'file', data: 'yes' }]] });
  await pushTestImage(registry.host, 'podbay/cli', img, 'v2');
  const data = join(dataDir, 'cli');
  const podbay = (...args: string[]) => run(process.execPath, [main, ...args, '--data-dir', data]);
  const pulled = await podbay('image', 'pull', `${registry.host}/podbay/cli:v2`);
  assert.equal(pulled.stdout, `${img.configDigest}\n`);
  assert.match(
    pulled.stderr,
    new RegExp(
      `^Pulling ${registry.host}/podbay/cli:v2 \\(linux/amd64, ${img.manifestDigest}\\)\\n[0-9a-f]{12}: pull complete \\(\\d+B\\)\\n$`,
    ),
  );
  await podbay('image', 'tag', `${registry.host}/podbay/cli:v2`, 'localhost/cli');
  const ls = await podbay('image', 'ls');
  assert.match(ls.stdout, new RegExp(`^${registry.host}/podbay/cli\\s+v2\\s+${img.configDigest.slice(7, 20)}\\s`, 'm'));
  assert.match(ls.stdout, /^localhost\/cli\s+latest\s/m);
  const missing = await podbay('image', 'pull', `${registry.host}/podbay/cli:v404`).catch(
    (e: { code: number; stderr: string }) => e,
  );
  assert.equal((missing as { code: number }).code, 1);
  assert.match(
    (missing as { stderr: string }).stderr,
    /^error: failed to pull and unpack image ".*cli:v404": .*: not found: manifest unknown\n$/,
  );
  const removed = await podbay('image', 'rm', img.configDigest);
  assert.equal(
    removed.stdout,
    `Untagged: ${registry.host}/podbay/cli:v2\nUntagged: localhost/cli:latest\nUntagged: ${registry.host}/podbay/cli@${img.manifestDigest}\nDeleted: ${img.configDigest}\n`,
  );
});
