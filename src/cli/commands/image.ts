// `podbay image load|import|ls|rm|pull|tag`: the node's image store (issue 4 item 6),
// usable while podbay runs. Output follows the tools people know: `crictl images`
// columns for ls, docker's "Loaded image:", "Untagged:", "Deleted:" lines, and the
// image id on stdout for import and pull (progress goes to stderr).
import type { CliContext } from '../command.js';
import { commandGroup, type Subcommand } from '../command-group.js';
import { resolveDataDir } from '../data-dir.js';
import type { CliImage, CliImageStore, CliPullProgress } from '../image-wiring.js';
import { parseCommandArgs } from '../parse-command-args.js';
import { EXIT_FAILURE, UsageError } from '../usage-error.js';

const DATA_DIR_FLAG = `      --data-dir DIR   the podbay data dir (default: /var/lib/podbay as root, ~/.podbay otherwise)`;

const HELP = `Manage the images podbay runs containers from.

Usage:
  podbay image load FILE              load a docker save or OCI archive (tar, tar.gz, or a layout dir)
  podbay image import DIR|TAR --name REF
                                      make a one-layer image from a root filesystem
  podbay image ls [-q]                list images
  podbay image rm REF|ID...           remove references (an image goes with its last one) or images by id
  podbay image pull REF [--platform OS/ARCH] [--creds USER:PASSWORD | --auth BASE64]
                                      pull from a registry (http for localhost/127.0.0.1)
  podbay image tag SRC DST            add the reference DST to the image SRC

Every subcommand takes:
${DATA_DIR_FLAG}
  -h, --help           show this help

References follow docker's rules: "busybox" is docker.io/library/busybox:latest.

Examples:
  podbay image import ./rootfs --name localhost/busybox:latest
  podbay image pull 127.0.0.1:5000/team/app:1.0
  podbay image ls
`;

function open(
  command: string,
  args: string[],
  ctx: CliContext,
  options: Record<string, { type: 'string' | 'boolean'; short?: string }>,
) {
  const parsed = parseCommandArgs(`image ${command}`, args, { 'data-dir': { type: 'string' }, ...options }, true);
  const dataDir = resolveDataDir(
    typeof parsed.values['data-dir'] === 'string' ? parsed.values['data-dir'] : undefined,
    ctx.io.uid,
    ctx.io.home,
  );
  const wiring = ctx.wiring.images;
  if (!wiring) {
    throw new Error('this podbay build has no image store');
  }
  return { parsed, store: (): CliImageStore => wiring.open(dataDir), wiring };
}

function exactly(command: string, positionals: string[], n: number, what: string): void {
  if (positionals.length !== n) {
    throw new UsageError(`"podbay image ${command}" requires ${what}, got ${positionals.length} argument(s)`, 'image');
  }
}

/** docker's go-units HumanSize: decimal units, 3 significant digits ("4.26MB"). */
export function humanSize(bytes: number): string {
  const units = ['B', 'kB', 'MB', 'GB', 'TB', 'PB'];
  let n = bytes;
  let i = 0;
  while (n >= 1000 && i < units.length - 1) {
    n /= 1000;
    i++;
  }
  return `${Number(n.toPrecision(3))}${units[i]}`;
}

/** crictl images: IMAGE, TAG, IMAGE ID (13 chars of the hex), SIZE; one row per reference. */
export function renderImageTable(images: readonly CliImage[]): string {
  const rows: string[][] = [['IMAGE', 'TAG', 'IMAGE ID', 'SIZE']];
  for (const img of images) {
    const id = img.id.replace(/^sha256:/, '').slice(0, 13);
    const size = humanSize(img.size);
    const refs = img.repoTags.map((t) => {
      const at = t.lastIndexOf(':');
      return [t.slice(0, at), t.slice(at + 1)];
    });
    if (refs.length === 0) {
      const digestRef = img.repoDigests[0];
      refs.push([digestRef ? digestRef.slice(0, digestRef.indexOf('@')) : '<none>', '<none>']);
    }
    for (const [repo, tag] of refs) {
      rows.push([repo!, tag!, id, size]);
    }
  }
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => r[c]!.length)));
  return (
    rows
      .map((r) =>
        r
          .map((cell, c) => (c === r.length - 1 ? cell : cell.padEnd(widths[c]! + 3)))
          .join('')
          .trimEnd(),
      )
      .join('\n') + '\n'
  );
}

const ls: Subcommand = async (args, ctx) => {
  const { parsed, store } = open('ls', args, ctx, { quiet: { type: 'boolean', short: 'q' } });
  if (parsed.help) {
    ctx.io.out(HELP);
    return 0;
  }
  exactly('ls', parsed.positionals, 0, 'no arguments');
  const images = await store().list();
  if (parsed.values.quiet === true) {
    ctx.io.out(images.map((i) => `${i.id}\n`).join(''));
  } else {
    ctx.io.out(renderImageTable(images));
  }
  return 0;
};

const load: Subcommand = async (args, ctx) => {
  const { parsed, store } = open('load', args, ctx, {});
  if (parsed.help) {
    ctx.io.out(HELP);
    return 0;
  }
  exactly('load', parsed.positionals, 1, 'exactly one FILE');
  const images = await store().load(parsed.positionals[0]!);
  for (const img of images) {
    ctx.io.out(
      img.repoTags.length > 0
        ? img.repoTags.map((t) => `Loaded image: ${t}\n`).join('')
        : `Loaded image ID: ${img.id}\n`,
    );
  }
  return 0;
};

const importCmd: Subcommand = async (args, ctx) => {
  const { parsed, store } = open('import', args, ctx, { name: { type: 'string' } });
  if (parsed.help) {
    ctx.io.out(HELP);
    return 0;
  }
  exactly('import', parsed.positionals, 1, 'exactly one DIR or TAR');
  const name = parsed.values.name;
  if (typeof name !== 'string' || name === '') {
    throw new UsageError('--name REF is required (e.g. --name localhost/busybox:latest)', 'image');
  }
  const img = await store().importRootfs(parsed.positionals[0]!, name);
  ctx.io.out(`${img.id}\n`);
  return 0;
};

const tag: Subcommand = async (args, ctx) => {
  const { parsed, store } = open('tag', args, ctx, {});
  if (parsed.help) {
    ctx.io.out(HELP);
    return 0;
  }
  exactly('tag', parsed.positionals, 2, 'SRC and DST');
  await store().tag(parsed.positionals[0]!, parsed.positionals[1]!);
  return 0;
};

const rm: Subcommand = async (args, ctx) => {
  const { parsed, store } = open('rm', args, ctx, {});
  if (parsed.help) {
    ctx.io.out(HELP);
    return 0;
  }
  if (parsed.positionals.length === 0) {
    throw new UsageError('"podbay image rm" requires at least one REF or ID', 'image');
  }
  const s = store();
  let status = 0;
  // Like docker rmi: go on after a failure, report it, and exit non-zero at the end.
  for (const ref of parsed.positionals) {
    try {
      const r = await s.remove(ref);
      ctx.io.out(r.untagged.map((u) => `Untagged: ${u}\n`).join('') + r.deleted.map((d) => `Deleted: ${d}\n`).join(''));
    } catch (e) {
      ctx.io.err(`error: ${e instanceof Error ? e.message : String(e)}\n`);
      status = EXIT_FAILURE;
    }
  }
  return status;
};

/** Draws pull progress: one line per layer, redrawn in place on a terminal, else a line per finished step. */
export function newPullProgress(
  write: (s: string) => void,
  terminal: boolean,
  now: () => number,
): (p: CliPullProgress) => void {
  const order: string[] = [];
  const state = new Map<string, string>();
  const short = (d: string | undefined): string => (d ?? '').replace(/^sha256:/, '').slice(0, 12);
  let drawn = 0;
  let lastDraw = 0;
  const draw = (force: boolean): void => {
    if (!terminal || (!force && now() - lastDraw < 100)) {
      return;
    }
    lastDraw = now();
    const lines = order.map((d) => `${short(d)}: ${state.get(d) ?? 'waiting'}`);
    write((drawn > 0 ? `\x1b[${drawn}A` : '') + lines.map((l) => `\x1b[2K${l}\n`).join(''));
    drawn = lines.length;
  };
  return (p) => {
    switch (p.kind) {
      case 'resolved':
        write(`Pulling ${p.ref} (${p.platform}, ${p.digest})\n`);
        for (const l of p.layers) {
          order.push(l.digest);
        }
        draw(true);
        return;
      case 'layer': {
        const key = p.digest ?? ('diffId' in p ? p.diffId : undefined);
        if (key === undefined) {
          return;
        }
        if (p.phase === 'downloading') {
          state.set(key, `downloading ${humanSize(p.current)}${p.total !== undefined ? `/${humanSize(p.total)}` : ''}`);
          draw(false);
          return;
        }
        const text = p.phase === 'exists' ? 'already exists' : `pull complete (${humanSize(p.size)})`;
        state.set(key, text);
        if (terminal) {
          draw(true);
        } else {
          write(`${short(key)}: ${text}\n`);
        }
        return;
      }
      case 'done':
        draw(true);
        return;
    }
  };
}

const pull: Subcommand = async (args, ctx) => {
  const { parsed, store, wiring } = open('pull', args, ctx, {
    platform: { type: 'string' },
    creds: { type: 'string' },
    auth: { type: 'string' },
  });
  if (parsed.help) {
    ctx.io.out(HELP);
    return 0;
  }
  exactly('pull', parsed.positionals, 1, 'exactly one REF');
  const { platform, creds, auth } = parsed.values;
  const onProgress = newPullProgress(
    (s) => ctx.io.err(s),
    wiring.stderrIsTerminal,
    () => performance.now(),
  );
  const opts: Parameters<CliImageStore['pull']>[1] = { onProgress };
  if (typeof platform === 'string') {
    opts.platform = platform;
  }
  // crictl pull's --creds USERNAME[:PASSWORD] and --auth (base64 "user:password").
  if (typeof creds === 'string') {
    const colon = creds.indexOf(':');
    opts.auth =
      colon === -1 ? { username: creds } : { username: creds.slice(0, colon), password: creds.slice(colon + 1) };
  } else if (typeof auth === 'string') {
    opts.auth = { auth };
  }
  const img = await store().pull(parsed.positionals[0]!, opts);
  ctx.io.out(`${img.id}\n`);
  return 0;
};

export const imageCommand = commandGroup('image', 'manage images: load, import, ls, rm, pull, tag', HELP, {
  load,
  import: importCmd,
  ls,
  list: ls,
  rm,
  pull,
  tag,
});
