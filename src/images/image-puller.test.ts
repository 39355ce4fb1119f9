import assert from 'node:assert/strict';
import { readFile, readdir, mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { ImagePullError } from './image-pull-error.js';
import { pullImage, type PullProgress } from './image-puller.js';
import { ImageStore } from './image-store.js';
import { recordingMarksForTests } from './testing/recording-marks.js';
import { startFakeRegistry, type FakeRegistry, type FakeRegistryOptions } from './testing/fake-registry.js';
import { buildTestImage, buildTestIndex, type TestImage } from './testing/test-image.js';

interface Ctx {
  after(fn: () => Promise<void>): void;
}

async function setup(t: Ctx, opts: FakeRegistryOptions = {}): Promise<{ store: ImageStore; reg: FakeRegistry }> {
  const dir = await mkdtemp(join(tmpdir(), 'podbay-images-test-'));
  const reg = await startFakeRegistry(opts);
  t.after(async () => {
    await reg.close();
    await rm(dir, { recursive: true, force: true });
  });
  return { store: new ImageStore(dir, { unpack: { marks: recordingMarksForTests() } }), reg };
}

function publish(reg: FakeRegistry, repo: string, tag: string, img: TestImage): void {
  for (const b of img.blobs.values()) {
    reg.putBlob(repo, b);
  }
  reg.putManifest(repo, tag, img.manifest, img.manifestMediaType);
}

const hello = (text: string, compression: 'gzip' | 'zstd' | 'none' = 'gzip', docker = false): TestImage =>
  buildTestImage({
    layers: [
      [
        { name: 'etc/', type: 'dir' },
        { name: 'etc/hello', type: 'file', data: text },
      ],
      [{ name: 'etc/.wh.hello', type: 'file' }],
    ],
    compression,
    docker,
  });

for (const [name, compression, docker] of [
  ['an OCI image with gzip layers', 'gzip', false],
  ['an OCI image with zstd layers', 'zstd', false],
  ['an OCI image with uncompressed layers', 'none', false],
  ['a Docker schema2 image', 'gzip', true],
] as const) {
  test(`pulls ${name} from an http registry on 127.0.0.1, verified and unpacked`, async (t) => {
    const { store, reg } = await setup(t);
    const img = hello('hi', compression, docker);
    publish(reg, 'team/app', 'v1', img);
    const info = await pullImage(store, `${reg.host}/team/app:v1`);
    assert.equal(info.id, img.configDigest);
    assert.deepEqual(info.repoTags, [`${reg.host}/team/app:v1`]);
    assert.deepEqual(info.repoDigests, [`${reg.host}/team/app@${img.manifestDigest}`]);
    assert.equal(info.layerDirs.length, 2);
    assert.equal(await readFile(join(info.layerDirs[0]!, 'etc/hello'), 'utf8'), 'hi');
    assert.equal(
      info.size,
      [...img.blobs.entries()].filter(([d]) => d !== img.configDigest).reduce((n, [, b]) => n + b.length, 0),
    );
  });
}

test('chooses the host platform from an index, and another when asked', async (t) => {
  const { store, reg } = await setup(t);
  const amd = hello('amd64');
  const arm = buildTestImage({
    layers: [[{ name: 'arch', type: 'file', data: 'arm64' }]],
    platform: { os: 'linux', architecture: 'arm64', variant: 'v8' },
  });
  publish(reg, 'multi', 'amd', amd);
  publish(reg, 'multi', 'arm', arm);
  const idx = buildTestIndex([
    { image: arm, platform: { os: 'linux', architecture: 'arm64', variant: 'v8' } },
    { image: amd, platform: { os: 'linux', architecture: 'amd64' } },
  ]);
  reg.putManifest('multi', 'latest', idx.index, idx.mediaType);
  const a = await pullImage(store, `${reg.host}/multi`, { platform: 'linux/amd64' });
  assert.equal(a.id, amd.configDigest);
  assert.deepEqual(a.repoDigests, [`${reg.host}/multi@${idx.digest}`], 'the repo digest is the index digest');
  const b = await pullImage(store, `${reg.host}/multi:latest`, { platform: 'linux/arm64' });
  assert.equal(b.id, arm.configDigest);
  assert.deepEqual((await store.get(a.id))?.repoTags, [], 'the tag moved to the arm64 image');
  await assert.rejects(pullImage(store, `${reg.host}/multi`, { platform: 'linux/s390x' }), (e: ImagePullError) => {
    assert.equal(e.code, 'NotFound');
    assert.match(e.message, /no match for platform linux\/s390x/);
    return true;
  });
});

test('pulls by digest, and a manifest that does not hash to the digest is refused', async (t) => {
  const { store, reg } = await setup(t);
  const img = hello('d');
  publish(reg, 'dg', 'v1', img);
  const info = await pullImage(store, `${reg.host}/dg@${img.manifestDigest}`);
  assert.deepEqual(info.repoTags, []);
  assert.deepEqual(info.repoDigests, [`${reg.host}/dg@${img.manifestDigest}`]);
  const both = await pullImage(store, `${reg.host}/dg:v1@${img.manifestDigest}`);
  assert.deepEqual(both.repoTags, [], 'a tag given with a digest names nothing');
  const other = hello('other');
  reg.putManifest('dg', img.manifestDigest.replace(/.$/, '0'), other.manifest, other.manifestMediaType);
  await assert.rejects(
    pullImage(store, `${reg.host}/dg@${img.manifestDigest.replace(/.$/, '0')}`),
    /manifest digest mismatch/,
  );
});

test('a layer blob that does not match its digest is refused and nothing is stored', async (t) => {
  const { store, reg } = await setup(t);
  const img = hello('x');
  publish(reg, 'bad', 'v1', img);
  const good = img.blobs.get(img.layerDigests[0]!)!;
  reg.corruptBlob(
    'bad',
    img.layerDigests[0]!,
    Buffer.concat([good.subarray(0, good.length - 1), Buffer.from([good.at(-1)! ^ 1])]),
  );
  await assert.rejects(pullImage(store, `${reg.host}/bad:v1`), (e: ImagePullError) => {
    assert.equal(e.code, 'Unknown');
    assert.match(e.message, /^failed to pull and unpack image ".*\/bad:v1": blob digest mismatch: expected sha256:/);
    return true;
  });
  assert.deepEqual(await store.list(), []);
});

test('a layer already unpacked is not downloaded again', async (t) => {
  const { store, reg } = await setup(t);
  const img = hello('same');
  publish(reg, 'one', 'v1', img);
  publish(reg, 'two', 'v1', img);
  const events: PullProgress[] = [];
  await pullImage(store, `${reg.host}/one:v1`);
  await pullImage(store, `${reg.host}/two:v1`, { onProgress: (e) => events.push(e) });
  assert.deepEqual(
    reg.requests.filter((r) => r.startsWith('GET /v2/two/blobs/')),
    [`GET /v2/two/blobs/${img.configDigest}`],
  );
  assert.deepEqual(
    events.map((e) => (e.kind === 'layer' ? `layer ${e.phase}` : e.kind)),
    ['resolved', 'layer exists', 'layer exists', 'done'],
  );
});

test('a missing tag fails with NotFound and the registry reason, worded as containerd', async (t) => {
  const { store, reg } = await setup(t);
  await assert.rejects(pullImage(store, `${reg.host}/nope:v9`), (e: ImagePullError) => {
    assert.ok(e instanceof ImagePullError);
    assert.equal(e.code, 'NotFound');
    const ref = `${reg.host}/nope:v9`;
    assert.equal(
      e.message,
      `failed to pull and unpack image "${ref}": failed to resolve reference "${ref}": ${ref}: not found: manifest unknown`,
    );
    return true;
  });
});

test('bearer token auth: the token server gets the credentials, the registry the token', async (t) => {
  const { store, reg } = await setup(t, { auth: { scheme: 'bearer', username: 'ann', password: 's3cret' } });
  const img = hello('private');
  publish(reg, 'priv', 'v1', img);
  const info = await pullImage(store, `${reg.host}/priv:v1`, { auth: { username: 'ann', password: 's3cret' } });
  assert.equal(info.id, img.configDigest);
  assert.ok(reg.requests.includes('GET /token'));
});

test('basic auth works with a docker config "auth" string', async (t) => {
  const { store, reg } = await setup(t, { auth: { scheme: 'basic', username: 'bob', password: 'pw' } });
  const img = hello('b');
  publish(reg, 'priv', 'v1', img);
  const info = await pullImage(store, `${reg.host}/priv:v1`, {
    auth: { auth: Buffer.from('bob:pw').toString('base64') },
  });
  assert.equal(info.id, img.configDigest);
});

test('wrong or missing credentials fail as pull access denied with the reason', async (t) => {
  const { store, reg } = await setup(t, { auth: { scheme: 'basic', username: 'bob', password: 'pw' } });
  publish(reg, 'priv', 'v1', hello('b'));
  await assert.rejects(
    pullImage(store, `${reg.host}/priv:v1`, { auth: { username: 'bob', password: 'bad' } }),
    (e: ImagePullError) => {
      assert.equal(e.code, 'Unknown');
      assert.match(
        e.message,
        /failed to resolve reference ".*": pull access denied, repository does not exist or may require authorization: unauthorized: authentication required$/,
      );
      return true;
    },
  );
  await assert.rejects(pullImage(store, `${reg.host}/priv:v1`), /unauthorized: authentication required/);
});

test('a registry that refuses connections is Unavailable with reason RegistryUnavailable', async (t) => {
  const { store } = await setup(t);
  const srv = createServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  const port = (srv.address() as { port: number }).port;
  await new Promise<void>((r) => srv.close(() => r()));
  await assert.rejects(pullImage(store, `127.0.0.1:${port}/x:v1`), (e: ImagePullError) => {
    assert.equal(e.code, 'Unavailable');
    assert.equal(e.pullReason, 'RegistryUnavailable');
    assert.match(
      e.message,
      new RegExp(
        `failed to do request: GET "http://127.0.0.1:${port}/v2/x/manifests/v1": dial tcp 127.0.0.1:${port}: connect: connection refused$`,
      ),
    );
    return true;
  });
});

test('an invalid reference is InvalidArgument', async (t) => {
  const { store } = await setup(t);
  await assert.rejects(pullImage(store, 'Bad/Ref'), (e: ImagePullError) => e.code === 'InvalidArgument');
});

test('an image repeating a layer (empty layers) pulls, the repeated layer unpacked once', async (t) => {
  const { store, reg } = await setup(t);
  const empty: [] = [];
  const img = buildTestImage({
    layers: [[{ name: 'a', type: 'file', data: 'a' }], empty, [{ name: 'b', type: 'file', data: 'b' }], empty],
  });
  publish(reg, 'rep', 'v1', img);
  const info = await pullImage(store, `${reg.host}/rep:v1`);
  assert.equal(info.layerDirs.length, 4);
  assert.equal(info.layerDirs[1], info.layerDirs[3]);
  assert.deepEqual(await readdir(join(store.root, 'tmp')), []);
});

test('one bad layer among several fails the pull and leaves no temp files behind', async (t) => {
  const { store, reg } = await setup(t);
  const img = buildTestImage({
    layers: [1, 2, 3, 4, 5].map((n) => [{ name: `f${n}`, type: 'file' as const, data: 'x'.repeat(100_000 * n) }]),
  });
  publish(reg, 'five', 'v1', img);
  reg.corruptBlob('five', img.layerDigests[1]!, Buffer.from('not the layer'));
  await assert.rejects(
    pullImage(store, `${reg.host}/five:v1`),
    /blob digest mismatch|larger than its descriptor|bytes, its descriptor says/,
  );
  assert.deepEqual(await readdir(join(store.root, 'tmp')), []);
  assert.deepEqual(await store.list(), []);
});
