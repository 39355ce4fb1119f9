// The composition root (STYLE.md §8): the only place that picks implementations —
// SQLite for the store (memory is for tests), and, from issue 3 on, oci or sim for the
// runtime — and wires them into the functions the CLI calls. Nothing imports this file.
import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { VERSION_INFO } from './apiserver/discovery/version-info.js';
import { runCli } from './cli/cli.js';
import type { CliIo } from './cli/command.js';
import type { CliWiring, ControlPlaneOptions, RunningControlPlane } from './cli/control-plane.js';
import { RealClock } from './lib/clock.js';

/** How long a clean stop may take before the process exits anyway. */
const STOP_DEADLINE_MS = 10_000;

async function startControlPlane(opts: ControlPlaneOptions): Promise<RunningControlPlane> {
  // Loaded on demand so `podbay help` and `version` start fast and do not load SQLite.
  const [{ startApiServer }, { startCompactor }, { SqliteStore }] = await Promise.all([
    import('./apiserver/server.js'),
    import('./store/compactor.js'),
    import('./store/sqlite/sqlite-store.js'),
  ]);
  const clock = new RealClock();
  // One process per data dir: the store takes an exclusive lock on state.db.
  const store = SqliteStore.open(join(opts.dataDir, 'state.db'));
  const compactor = startCompactor(store, clock, {
    onError: (err) => process.stderr.write(`warning: compaction failed: ${String(err)}\n`),
  });
  let server;
  try {
    server = await startApiServer({
      store,
      clock,
      host: opts.host,
      port: opts.port,
      pkiDir: join(opts.dataDir, 'pki'),
    });
  } catch (e) {
    compactor.stop();
    await store.close();
    throw e;
  }
  return {
    url: server.url,
    caCertPem: server.caCertPem,
    token: server.token,
    async close(): Promise<void> {
      // Reverse order of start: stop serving (ends watches), then the store's writers.
      await server.close();
      compactor.stop();
      await store.close();
    },
  };
}

function readPodbayVersion(): string {
  // dist/src/main.js → the repository's package.json.
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version?: string };
  return pkg.version ?? 'unknown';
}

/**
 * The first SIGINT or SIGTERM asks the foreground command to stop; a second one, or a
 * stop that outlasts STOP_DEADLINE_MS, ends the process at once.
 */
function waitForStop(): Promise<string> {
  return new Promise((resolve) => {
    let stopping = false;
    const onSignal = (signal: NodeJS.Signals): void => {
      if (stopping) {
        process.stderr.write(`received ${signal} again, exiting now\n`);
        process.exit(130);
      }
      stopping = true;
      setTimeout(() => {
        process.stderr.write(`error: podbay did not stop within ${STOP_DEADLINE_MS / 1000}s, exiting\n`);
        process.exit(1);
      }, STOP_DEADLINE_MS).unref();
      resolve(signal);
    };
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
  });
}

const io: CliIo = {
  out: (text) => void process.stdout.write(text),
  err: (text) => void process.stderr.write(text),
  waitForStop,
  uid: process.getuid?.() ?? -1,
  home: homedir(),
};

const wiring: CliWiring = {
  startControlPlane,
  version: { podbay: readPodbayVersion(), kubernetes: VERSION_INFO.gitVersion, node: process.version },
};

// Exit explicitly: a component that forgot to unref a handle must not keep a stopped
// podbay alive (stdout and stderr are synchronous for files and pipes on Linux).
process.exit(await runCli(process.argv.slice(2), { io, wiring }));
