import assert from 'node:assert/strict';
import { mkdir, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { gzipSync } from 'node:zlib';
import { loadArchive } from './archive-loader.js';
import { MEDIA_TYPE } from './image-spec.js';
import { ImageStore } from './image-store.js';
import { buildTar, type TarInputEntry } from './tar-writer.js';
import { recordingMarksForTests } from './testing/recording-marks.js';
import { buildTestImage, buildTestIndex, type TestImage } from './testing/test-image.js';

async function setup(t: { after(fn: () => Promise<void>): void }): Promise<{ dir: string; store: ImageStore }> {
  const dir = await mkdtemp(join(tmpdir(), 'podbay-images-test-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  return { dir, store: new ImageStore(join(dir, 'data'), { unpack: { marks: recordingMarksForTests() } }) };
}

const image = (text: string, platform = { os: 'linux', architecture: 'amd64' }): TestImage =>
  buildTestImage({
    layers: [[{ name: 'msg', type: 'file', data: text }], [{ name: 'more', type: 'file', data: 'm' }]],
    compression: 'none',
    platform,
  });

/** The classic `docker save` layout: <id>.json, <layer>/layer.tar, manifest.json. */
function dockerSave(img: TestImage, repoTags: string[] | null): Buffer {
  const entries: TarInputEntry[] = [{ name: `${img.configDigest.slice(7)}.json`, type: 'file', data: img.config }];
  const layers = img.layerTars.map((tar, i) => {
    const dir = `layer${i}`;
    entries.push({ name: `${dir}/`, type: 'dir' }, { name: `${dir}/layer.tar`, type: 'file', data: tar });
    return `${dir}/layer.tar`;
  });
  entries.push({
    name: 'manifest.json',
    type: 'file',
    data: JSON.stringify([{ Config: `${img.configDigest.slice(7)}.json`, RepoTags: repoTags, Layers: layers }]),
  });
  return buildTar(entries);
}

function ociLayout(index: Buffer, blobs: Map<string, Buffer>): Buffer {
  const entries: TarInputEntry[] = [
    { name: 'oci-layout', type: 'file', data: '{"imageLayoutVersion":"1.0.0"}' },
    { name: 'index.json', type: 'file', data: index },
  ];
  for (const [digest, bytes] of blobs) {
    entries.push({ name: `blobs/sha256/${digest.slice(7)}`, type: 'file', data: bytes });
  }
  return buildTar(entries);
}

test('loads a docker save archive with its tags, normalised', async (t) => {
  const { dir, store } = await setup(t);
  const img = image('hello');
  await writeFile(join(dir, 'save.tar'), dockerSave(img, ['busybox:latest', 'example.com/team/app:1']));
  const [info] = await loadArchive(store, join(dir, 'save.tar'));
  assert.equal(info?.id, img.configDigest);
  assert.deepEqual(info?.repoTags, ['docker.io/library/busybox:latest', 'example.com/team/app:1']);
  assert.equal(await readFile(join(info.layerDirs[0]!, 'msg'), 'utf8'), 'hello');
  assert.deepEqual(await readdir(join(store.root, 'tmp')), [], 'the extracted archive is removed');
});

test('loads a gzip-compressed docker save archive without tags as an untagged image', async (t) => {
  const { dir, store } = await setup(t);
  const img = image('gz');
  await writeFile(join(dir, 'save.tar.gz'), gzipSync(dockerSave(img, null)));
  const [info] = await loadArchive(store, join(dir, 'save.tar.gz'));
  assert.equal(info?.id, img.configDigest);
  assert.deepEqual(info?.repoTags, []);
});

test('a docker save layer that does not match the config diff_id is refused', async (t) => {
  const { dir, store } = await setup(t);
  const img = image('x');
  img.layerTars[0] = buildTar([{ name: 'msg', type: 'file', data: 'tampered' }]);
  await writeFile(join(dir, 'save.tar'), dockerSave(img, ['x:1']));
  await assert.rejects(loadArchive(store, join(dir, 'save.tar')), /diff_id digest mismatch/);
  assert.deepEqual(await store.list(), []);
});

test('loads an OCI archive, naming the image from its annotations', async (t) => {
  const { dir, store } = await setup(t);
  const img = image('oci');
  const index = JSON.stringify({
    schemaVersion: 2,
    mediaType: MEDIA_TYPE.ociIndex,
    manifests: [
      {
        mediaType: MEDIA_TYPE.ociManifest,
        digest: img.manifestDigest,
        size: img.manifest.length,
        annotations: {
          'io.containerd.image.name': 'docker.io/library/app:2',
          'org.opencontainers.image.ref.name': '2',
        },
      },
    ],
  });
  const blobs = new Map(img.blobs).set(img.manifestDigest, img.manifest);
  await writeFile(join(dir, 'oci.tar'), ociLayout(Buffer.from(index), blobs));
  const [info] = await loadArchive(store, join(dir, 'oci.tar'));
  assert.equal(info?.id, img.configDigest);
  assert.equal(info?.manifestDigest, img.manifestDigest, 'the manifest is kept byte for byte');
  assert.deepEqual(info?.repoTags, ['docker.io/library/app:2']);
});

test('loads the host platform from a multi-platform OCI layout directory', async (t) => {
  const { dir, store } = await setup(t);
  const amd = image('amd64');
  const arm = image('arm64', { os: 'linux', architecture: 'arm64' });
  const idx = buildTestIndex([
    { image: arm, platform: { os: 'linux', architecture: 'arm64' } },
    { image: amd, platform: { os: 'linux', architecture: 'amd64' } },
  ]);
  const top = JSON.stringify({
    schemaVersion: 2,
    manifests: [
      {
        mediaType: MEDIA_TYPE.ociIndex,
        digest: idx.digest,
        size: idx.index.length,
        annotations: { 'org.opencontainers.image.ref.name': 'localhost/multi:1' },
      },
    ],
  });
  const layout = join(dir, 'layout');
  await mkdir(join(layout, 'blobs', 'sha256'), { recursive: true });
  await writeFile(join(layout, 'oci-layout'), '{"imageLayoutVersion":"1.0.0"}');
  await writeFile(join(layout, 'index.json'), top);
  const blobs = new Map([...amd.blobs, ...arm.blobs])
    .set(amd.manifestDigest, amd.manifest)
    .set(arm.manifestDigest, arm.manifest)
    .set(idx.digest, idx.index);
  for (const [d, b] of blobs) {
    await writeFile(join(layout, 'blobs', 'sha256', d.slice(7)), b);
  }
  const [info] = await loadArchive(store, layout, { platform: { os: 'linux', architecture: 'arm64' } });
  assert.equal(info?.id, arm.configDigest);
  assert.deepEqual(info?.repoTags, ['localhost/multi:1']);
});

test('an archive that is neither form is refused with a clear message', async (t) => {
  const { dir, store } = await setup(t);
  await writeFile(join(dir, 'x.tar'), buildTar([{ name: 'hello', type: 'file', data: 'x' }]));
  await assert.rejects(
    loadArchive(store, join(dir, 'x.tar')),
    /not a docker-save or OCI archive: it has neither manifest.json nor index.json/,
  );
  await writeFile(join(dir, 'junk'), 'not a tar at all, just some text that is long enough'.repeat(20));
  await assert.rejects(loadArchive(store, join(dir, 'junk')), /not a docker-save or OCI archive/);
});

test('a manifest.json entry pointing outside the archive is refused', async (t) => {
  const { dir, store } = await setup(t);
  const tar = buildTar([
    {
      name: 'manifest.json',
      type: 'file',
      data: JSON.stringify([{ Config: '../../../etc/passwd', RepoTags: [], Layers: [] }]),
    },
  ]);
  await writeFile(join(dir, 'evil.tar'), tar);
  await assert.rejects(loadArchive(store, join(dir, 'evil.tar')), /invalid image archive/);
});

test('top-level manifests with platforms: only the wanted platform loads, attestations never', async (t) => {
  const { dir, store } = await setup(t);
  const amd = image('amd64');
  const arm = image('arm64', { os: 'linux', architecture: 'arm64' });
  const desc = (img: TestImage, platform: { os: string; architecture: string }) => ({
    mediaType: MEDIA_TYPE.ociManifest,
    digest: img.manifestDigest,
    size: img.manifest.length,
    platform,
    annotations: { 'io.containerd.image.name': 'localhost/plat:1' },
  });
  const index = JSON.stringify({
    schemaVersion: 2,
    manifests: [
      desc(arm, { os: 'linux', architecture: 'arm64' }),
      desc(amd, { os: 'linux', architecture: 'amd64' }),
      desc(amd, { os: 'unknown', architecture: 'unknown' }),
    ],
  });
  const blobs = new Map([...amd.blobs, ...arm.blobs])
    .set(amd.manifestDigest, amd.manifest)
    .set(arm.manifestDigest, arm.manifest);
  await writeFile(join(dir, 'oci.tar'), ociLayout(Buffer.from(index), blobs));
  const loaded = await loadArchive(store, join(dir, 'oci.tar'), { platform: { os: 'linux', architecture: 'amd64' } });
  assert.deepEqual(
    loaded.map((i) => i.id),
    [amd.configDigest],
  );
  await assert.rejects(
    loadArchive(store, join(dir, 'oci.tar'), { platform: { os: 'linux', architecture: 'riscv64' } }),
    /no image for platform linux\/riscv64/,
  );
});
