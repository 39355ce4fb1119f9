import assert from 'node:assert/strict';
import { test } from 'node:test';
import { runCli } from '../cli.js';
import type { CliImage, CliImageStore, CliPullProgress, ImageWiring } from '../image-wiring.js';
import { newFakeCliContext, type FakeCliContext } from '../testing/fake-cli-context.js';
import { humanSize, newPullProgress, renderImageTable } from './image.js';

const BUSYBOX: CliImage = {
  id: 'sha256:' + 'ab'.repeat(32),
  repoTags: ['localhost/busybox:latest', 'docker.io/library/busybox:1.36'],
  repoDigests: [],
  size: 2_259_000,
  platform: 'linux/amd64',
};

/** A CliImageStore that records calls and answers from a script. */
function fakeImages(
  store: Partial<CliImageStore>,
  terminal = false,
): ImageWiring & { opened: string[]; calls: string[] } {
  const opened: string[] = [];
  const calls: string[] = [];
  const record =
    <A extends unknown[], R>(name: string, fn: ((...a: A) => Promise<R>) | undefined) =>
    (...a: A): Promise<R> => {
      calls.push(`${name} ${a.filter((x) => typeof x === 'string').join(' ')}`.trim());
      return fn ? fn(...a) : Promise.reject(new Error(`unexpected ${name}`));
    };
  return {
    opened,
    calls,
    stderrIsTerminal: terminal,
    open(dataDir) {
      opened.push(dataDir);
      return {
        list: record('list', store.list),
        load: record('load', store.load),
        importRootfs: record('importRootfs', store.importRootfs),
        tag: record('tag', store.tag),
        remove: record('remove', store.remove),
        pull: record('pull', store.pull),
      };
    },
  };
}

function ctxWith(images: ImageWiring, opts: { uid?: number } = {}): FakeCliContext {
  const ctx = newFakeCliContext({ uid: opts.uid ?? 1000, home: '/home/ann' });
  ctx.wiring.images = images;
  return ctx;
}

test('image ls prints one row per reference with crictl columns and docker sizes', async () => {
  const images = fakeImages({
    list: async () => [
      BUSYBOX,
      {
        ...BUSYBOX,
        id: 'sha256:' + 'cd'.repeat(32),
        repoTags: [],
        repoDigests: ['127.0.0.1:5000/app@sha256:' + 'ef'.repeat(32)],
        size: 999,
      },
    ],
  });
  const ctx = ctxWith(images);
  assert.equal(await runCli(['image', 'ls'], ctx), 0);
  assert.equal(
    ctx.stdout(),
    [
      'IMAGE                       TAG      IMAGE ID        SIZE',
      'localhost/busybox           latest   ababababababa   2.26MB',
      'docker.io/library/busybox   1.36     ababababababa   2.26MB',
      '127.0.0.1:5000/app          <none>   cdcdcdcdcdcdc   999B',
      '',
    ].join('\n'),
  );
  assert.deepEqual(images.opened, ['/home/ann/.podbay']);
});

test('--data-dir chooses the store, and root defaults to /var/lib/podbay', async () => {
  const images = fakeImages({ list: async () => [] });
  assert.equal(await runCli(['image', 'ls', '--data-dir', '/tmp/pb'], ctxWith(images)), 0);
  assert.equal(await runCli(['image', 'ls', '-q'], ctxWith(images, { uid: 0 })), 0);
  assert.deepEqual(images.opened, ['/tmp/pb', '/var/lib/podbay']);
});

test('image ls -q prints ids only', async () => {
  const ctx = ctxWith(fakeImages({ list: async () => [BUSYBOX] }));
  assert.equal(await runCli(['image', 'ls', '-q'], ctx), 0);
  assert.equal(ctx.stdout(), `${BUSYBOX.id}\n`);
});

test('image import needs --name and prints the new id', async () => {
  const images = fakeImages({ importRootfs: async () => BUSYBOX });
  const ctx = ctxWith(images);
  assert.equal(await runCli(['image', 'import', './rootfs', '--name', 'localhost/busybox'], ctx), 0);
  assert.equal(ctx.stdout(), `${BUSYBOX.id}\n`);
  assert.deepEqual(images.calls, ['importRootfs ./rootfs localhost/busybox']);
  const bad = ctxWith(images);
  assert.equal(await runCli(['image', 'import', './rootfs'], bad), 2);
  assert.match(bad.stderr(), /--name REF is required/);
});

test('image load prints each loaded reference, or the id of an untagged image', async () => {
  const ctx = ctxWith(fakeImages({ load: async () => [BUSYBOX, { ...BUSYBOX, repoTags: [] }] }));
  assert.equal(await runCli(['image', 'load', 'save.tar'], ctx), 0);
  assert.equal(
    ctx.stdout(),
    `Loaded image: localhost/busybox:latest\nLoaded image: docker.io/library/busybox:1.36\nLoaded image ID: ${BUSYBOX.id}\n`,
  );
});

test('image rm reports each removal, goes on after a failure and exits 1', async () => {
  const images = fakeImages({
    remove: async (ref) => {
      if (ref === 'nope') {
        throw new Error('image not known: nope');
      }
      return { untagged: [`docker.io/library/${ref}:latest`], deleted: ref === 'b' ? ['sha256:1'] : [] };
    },
  });
  const ctx = ctxWith(images);
  assert.equal(await runCli(['image', 'rm', 'a', 'nope', 'b'], ctx), 1);
  assert.equal(
    ctx.stdout(),
    'Untagged: docker.io/library/a:latest\nUntagged: docker.io/library/b:latest\nDeleted: sha256:1\n',
  );
  assert.equal(ctx.stderr(), 'error: image not known: nope\n');
  assert.deepEqual(images.calls, ['remove a', 'remove nope', 'remove b']);
});

test('image tag takes exactly two references', async () => {
  const images = fakeImages({ tag: async () => BUSYBOX });
  assert.equal(await runCli(['image', 'tag', 'busybox', 'localhost/bb:1'], ctxWith(images)), 0);
  assert.deepEqual(images.calls, ['tag busybox localhost/bb:1']);
  const ctx = ctxWith(images);
  assert.equal(await runCli(['image', 'tag', 'busybox'], ctx), 2);
  assert.match(ctx.stderr(), /requires SRC and DST, got 1 argument/);
});

test('image pull prints the id on stdout and plain progress lines on stderr when not on a terminal', async () => {
  const images = fakeImages({
    pull: async (_ref, opts) => {
      opts.onProgress?.({
        kind: 'resolved',
        ref: '127.0.0.1:5000/app:1',
        digest: 'sha256:' + '11'.repeat(32),
        platform: 'linux/amd64',
        layers: [{ digest: 'sha256:' + '22'.repeat(32), size: 1500 }],
      });
      opts.onProgress?.({
        kind: 'layer',
        phase: 'downloading',
        digest: 'sha256:' + '22'.repeat(32),
        current: 700,
        total: 1500,
      });
      opts.onProgress?.({
        kind: 'layer',
        phase: 'extracted',
        diffId: 'sha256:' + '33'.repeat(32),
        digest: 'sha256:' + '22'.repeat(32),
        size: 1500,
      });
      opts.onProgress?.({ kind: 'done', id: BUSYBOX.id });
      return BUSYBOX;
    },
  });
  const ctx = ctxWith(images);
  assert.equal(await runCli(['image', 'pull', '127.0.0.1:5000/app:1', '--platform', 'linux/arm64'], ctx), 0);
  assert.equal(ctx.stdout(), `${BUSYBOX.id}\n`);
  assert.equal(
    ctx.stderr(),
    `Pulling 127.0.0.1:5000/app:1 (linux/amd64, sha256:${'11'.repeat(32)})\n222222222222: pull complete (1.5kB)\n`,
  );
});

test('a failed pull exits 1 with the registry reason', async () => {
  const ctx = ctxWith(
    fakeImages({ pull: () => Promise.reject(new Error('failed to pull and unpack image "x": not found')) }),
  );
  assert.equal(await runCli(['image', 'pull', 'x'], ctx), 1);
  assert.equal(ctx.stderr(), 'error: failed to pull and unpack image "x": not found\n');
});

test('unknown subcommands and flags are usage errors (exit 2)', async () => {
  const images = fakeImages({});
  for (const args of [
    ['image', 'frob'],
    ['image', 'ls', '--bogus'],
    ['image', 'pull'],
    ['image', 'rm'],
  ]) {
    const ctx = ctxWith(images);
    assert.equal(await runCli(args, ctx), 2, args.join(' '));
    assert.match(ctx.stderr(), /Run 'podbay image( ls)? --help' for usage/);
  }
});

test('image -h and image ls -h print the help', async () => {
  for (const args of [['image'], ['image', '-h'], ['image', 'ls', '--help']]) {
    const ctx = ctxWith(fakeImages({}));
    assert.equal(await runCli(args, ctx), 0);
    assert.match(ctx.stdout(), /podbay image import DIR\|TAR --name REF/);
  }
});

test('on a terminal, pull progress redraws the layer lines in place', () => {
  let out = '';
  let t = 0;
  const p = newPullProgress(
    (s) => (out += s),
    true,
    () => (t += 1000),
  );
  const layers = ['sha256:' + 'aa'.repeat(32), 'sha256:' + 'bb'.repeat(32)];
  const events: CliPullProgress[] = [
    {
      kind: 'resolved',
      ref: 'r',
      digest: 'd',
      platform: 'linux/amd64',
      layers: layers.map((digest) => ({ digest, size: 10 })),
    },
    { kind: 'layer', phase: 'exists', diffId: 'x', digest: layers[0]! },
    { kind: 'layer', phase: 'downloading', digest: layers[1]!, current: 5, total: 10 },
  ];
  events.forEach(p);
  assert.ok(out.startsWith('Pulling r (linux/amd64, d)\n'));
  assert.ok(out.includes('\x1b[2A'), 'moves up over the two layer lines');
  assert.ok(out.endsWith('\x1b[2Kaaaaaaaaaaaa: already exists\n\x1b[2Kbbbbbbbbbbbb: downloading 5B/10B\n'));
});

test('sizes are docker-style decimal units with 3 significant digits', () => {
  assert.deepEqual([0, 999, 1000, 2_259_000, 1_500_000_000].map(humanSize), ['0B', '999B', '1kB', '2.26MB', '1.5GB']);
  assert.equal(renderImageTable([]), 'IMAGE   TAG   IMAGE ID   SIZE\n');
});

test('image pull passes --creds as user and password, --auth as docker config auth', async () => {
  const seen: unknown[] = [];
  const images = fakeImages({
    pull: async (_ref, opts) => {
      seen.push(opts.auth);
      return BUSYBOX;
    },
  });
  assert.equal(await runCli(['image', 'pull', 'r', '--creds', 'ann:pa:ss'], ctxWith(images)), 0);
  assert.equal(await runCli(['image', 'pull', 'r', '--creds', 'bob'], ctxWith(images)), 0);
  assert.equal(await runCli(['image', 'pull', 'r', '--auth', 'Ym9iOnB3'], ctxWith(images)), 0);
  assert.equal(await runCli(['image', 'pull', 'r'], ctxWith(images)), 0);
  assert.deepEqual(seen, [
    { username: 'ann', password: 'pa:ss' },
    { username: 'bob' },
    { auth: 'Ym9iOnB3' },
    undefined,
  ]);
});
