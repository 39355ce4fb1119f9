// ESLint flat config (STYLE.md §12): typescript-eslint's type-aware rules, because an
// agent made of async loops needs no-floating-promises and no-misused-promises; plus the
// bans that keep time injectable (STYLE.md §13 habit 2) and output in the CLI only.
import tseslint from 'typescript-eslint';

// Folders whose code takes time from a Clock (src/lib/clock.ts) or a `now` parameter,
// never from the wall clock or real timers, so FakeClock can drive them (brief rule 3).
const CLOCK_ONLY = ['src/api/**', 'src/node/**', 'src/runtime/sim/**', 'src/scheduler/**', 'src/controllers/**'];
const CLOCK_MESSAGE = 'take a Clock (src/lib/clock.ts) or a `now` parameter; see STYLE.md §13 habit 2';

export default tseslint.config(
  {
    ignores: ['node_modules/**', 'dist/**', 'dist-*/**', 'bin/**', 'ui/**/*.js', '**/*.cjs'],
  },
  {
    linterOptions: { reportUnusedDisableDirectives: 'error' },
  },
  ...tseslint.configs.recommendedTypeChecked.map((c) => ({ ...c, files: ['**/*.ts'] })),
  {
    files: ['**/*.ts'],
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      curly: ['error', 'all'],
      eqeqeq: ['error', 'always', { null: 'ignore' }],
      'no-console': 'error',
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'separate-type-imports' }],
      // node:test's test()/describe() return promises the runner itself awaits.
      '@typescript-eslint/no-floating-promises': [
        'error',
        {
          allowForKnownSafeCalls: [
            { from: 'package', package: 'node:test', name: ['test', 'it', 'describe', 'suite', 'before', 'after'] },
          ],
        },
      ],
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/await-thenable': 'error',
      '@typescript-eslint/switch-exhaustiveness-check': [
        'error',
        { considerDefaultExhaustiveForUnions: true, requireDefaultForNonUnion: false },
      ],
      // An async method that implements a Promise-returning contract without awaiting is
      // how a synchronous throw becomes a rejection; the contract, not the body, decides.
      '@typescript-eslint/require-await': 'off',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    // The CLI is the one place that talks to a terminal (STYLE.md §8: console.* only in cli);
    // tests, benchmarks and scripts print their own reports.
    files: ['src/cli/**/*.ts', 'test/**/*.ts', 'bench/**/*.ts', 'scripts/**/*.ts'],
    rules: { 'no-console': 'off' },
  },
  {
    files: CLOCK_ONLY,
    rules: {
      'no-restricted-properties': ['error', { object: 'Date', property: 'now', message: CLOCK_MESSAGE }],
      'no-restricted-globals': [
        'error',
        { name: 'setTimeout', message: CLOCK_MESSAGE },
        { name: 'setInterval', message: CLOCK_MESSAGE },
      ],
      'no-restricted-syntax': [
        'error',
        { selector: "NewExpression[callee.name='Date'][arguments.length=0]", message: CLOCK_MESSAGE },
        {
          selector: "MemberExpression[object.name='globalThis'][property.name=/^set(Timeout|Interval)$/]",
          message: CLOCK_MESSAGE,
        },
      ],
      'no-restricted-imports': [
        'error',
        {
          paths: [
            { name: 'node:timers', message: CLOCK_MESSAGE },
            { name: 'node:timers/promises', message: CLOCK_MESSAGE },
          ],
        },
      ],
    },
  },
  {
    // src/api is pure (ARCHITECTURE.md "Pure core"): no node:* at all; dependency-cruiser
    // checks the same from the module graph, this names the line in the editor.
    files: ['src/api/**/*.ts'],
    ignores: ['src/api/**/*.test.ts', 'src/api/**/testing/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [{ group: ['node:*'], message: 'src/api is pure: no I/O (ARCHITECTURE.md)' }] },
      ],
    },
  },
);
