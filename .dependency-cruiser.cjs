// Layer rules of STYLE.md §8 ("Dependency direction") and ARCHITECTURE.md ("Layout"),
// checked from the real module graph by `make verify` (scripts/verify-layers.sh).
// Every rule's comment names the layers it allows, so a failure says how to fix it.
// Type-only imports count too (tsPreCompilationDeps): a layer must not even know the
// types of a layer it may not call.
const TESTS = '([.]test[.]ts$|/testing/)';

/** A "from these folders, never to those" rule. */
function layer(name, from, to, comment, fromNot) {
  return {
    name,
    severity: 'error',
    comment,
    from: fromNot ? { path: from, pathNot: fromNot } : { path: from },
    to: { path: to },
  };
}

module.exports = {
  forbidden: [
    {
      name: 'no-cycles',
      severity: 'error',
      comment: 'No import cycles anywhere (STYLE.md §8).',
      from: {},
      to: { circular: true },
    },
    {
      name: 'api-no-io',
      severity: 'error',
      comment:
        'src/api is pure: no node:* modules, no I/O (ARCHITECTURE.md "Pure core", STYLE.md §8). Its tests may use node:test and node:assert.',
      from: { path: '^src/api/', pathNot: TESTS },
      to: { dependencyTypes: ['core'] },
    },
    {
      name: 'api-no-packages',
      severity: 'error',
      comment: 'src/api imports only the TypeScript standard library (STYLE.md §8).',
      from: { path: '^src/api/', pathNot: TESTS },
      to: { dependencyTypes: ['npm', 'npm-dev', 'npm-optional', 'npm-peer', 'npm-no-pkg', 'npm-unknown'] },
    },
    layer(
      'api-self-contained',
      '^src/api/',
      '^src/(?!api/)',
      'src/api imports nothing from the rest of src/ (STYLE.md §8: api may import nothing in src/).',
    ),
    layer(
      'lib-is-a-leaf',
      '^src/lib/',
      '^src/(?!lib/)',
      'src/lib is generic and Kubernetes-free: it imports no other src/ folder (STYLE.md §8).',
    ),
    layer(
      'store-layer',
      '^src/store/',
      '^src/(?!store/|api/|lib/)',
      'src/store may import api and lib only (STYLE.md §8).',
    ),
    layer(
      'apiserver-layer',
      '^src/apiserver/',
      '^src/(store/(sqlite|memory)/|node/|runtime/|client/|scheduler/|controllers/|images/|cli/)',
      'src/apiserver may import api, lib and the Store interface (src/store, not store/sqlite or store/memory: main.ts picks the store) (STYLE.md §8).',
      TESTS,
    ),
    layer(
      'client-layer',
      '^src/client/',
      '^src/(?!client/|api/|lib/)',
      'src/client may import api and lib only (STYLE.md §8).',
    ),
    layer(
      'scheduler-controllers-layer',
      '^src/(scheduler|controllers)/',
      '^src/(store|apiserver|node|runtime|images|cli)/',
      'src/scheduler and src/controllers may import api, lib and client only (STYLE.md §8).',
    ),
    layer(
      'node-uses-runtime-interface-only',
      '^src/node/',
      '^src/runtime/(oci|sim)/',
      'src/node depends on the Runtime interface (src/runtime/runtime.ts), never on an implementation; main.ts picks oci or sim (STYLE.md §8).',
      TESTS,
    ),
    layer(
      'node-layer',
      '^src/node/',
      '^src/(store|apiserver|scheduler|controllers|cli)/',
      'src/node may import api, lib, client, runtime (interface) and images (STYLE.md §8).',
    ),
    layer(
      'runtime-layer',
      '^src/runtime/',
      '^src/(node|client|store|apiserver|scheduler|controllers|cli)/',
      'src/runtime may import api (types), lib and images (STYLE.md §8).',
    ),
    layer(
      'oci-not-sim',
      '^src/runtime/oci/',
      '^src/runtime/sim/',
      'src/runtime/oci must not import src/runtime/sim (STYLE.md §8).',
    ),
    layer(
      'sim-not-oci',
      '^src/runtime/sim/',
      '^src/runtime/oci/',
      'src/runtime/sim must not import src/runtime/oci: sim runs without root (STYLE.md §8).',
    ),
    layer(
      'images-layer',
      '^src/images/',
      '^src/(?!images/|lib/|api/image-ref\\.ts$)',
      'src/images may import lib, and src/api/image-ref.ts (the pure docker reference grammar, shared with the kubelet rules) (STYLE.md §8).',
    ),
    layer(
      'cli-layer',
      '^src/cli/',
      '^src/(store|node|runtime|apiserver|scheduler|controllers|images)/',
      'src/cli may import api, lib and client; commands that start components get wiring functions from main.ts (STYLE.md §8).',
    ),
    layer(
      'nothing-imports-cli',
      '^src/',
      '^src/cli/',
      'Only src/main.ts imports src/cli (ARCHITECTURE.md "Layout").',
      '^src/(main[.]ts$|cli/)',
    ),
    layer(
      'nothing-imports-apiserver',
      '^src/',
      '^src/apiserver/',
      'Only src/main.ts imports src/apiserver; components reach it over HTTP through src/client (ARCHITECTURE.md "Layout").',
      '^src/(main[.]ts$|apiserver/)',
    ),
    layer(
      'nothing-imports-main',
      '^(src|test|bench)/',
      '^src/main[.]ts$',
      'src/main.ts is the composition root; nothing imports it (STYLE.md §8).',
    ),
    {
      name: 'no-testing-in-production',
      severity: 'error',
      comment:
        'Production code must not import a testing/ folder; only tests and other testing/ code may (STYLE.md §8).',
      from: { path: '^src/', pathNot: TESTS },
      to: { path: '/testing/' },
    },
    {
      name: 'child-process-only-in-oci-and-images',
      severity: 'error',
      comment:
        "node:child_process only under src/runtime/oci and src/images (STYLE.md §8), and in the agent's own mounter " +
        '(src/node/volumes/linux-volume-host.ts: the kubelet mounts tmpfs and bind mounts itself, pkg/util/mount).',
      from: { path: '^src/', pathNot: `^src/(runtime/oci|images)/|^src/node/volumes/linux-volume-host[.]ts$|${TESTS}` },
      to: { dependencyTypes: ['core'], path: '(^|:)child_process$' },
    },
    {
      name: 'sqlite-only-in-store-sqlite',
      severity: 'error',
      comment: 'The SQLite driver is used only under src/store/sqlite (STYLE.md §8).',
      from: { path: '^src/', pathNot: '^src/store/sqlite/' },
      to: { path: 'node_modules/better-sqlite3/' },
    },
    {
      name: 'ui-imports-api-types-only',
      severity: 'error',
      comment: 'The dashboard talks HTTP; it may `import type` from src/api only (STYLE.md §8).',
      from: { path: '^ui/' },
      to: { path: '^src/(?!api/)' },
    },
    {
      name: 'not-to-unresolvable',
      severity: 'error',
      comment: 'An import that resolves to nothing is a typo or a missing dependency.',
      from: {},
      to: { couldNotResolve: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^(dist|dist-[^/]+|node_modules)/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      extensions: ['.ts', '.js', '.d.ts'],
    },
  },
};
