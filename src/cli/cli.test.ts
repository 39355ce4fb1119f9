import assert from 'node:assert/strict';
import { test } from 'node:test';
import { runCli } from './cli.js';
import { newFakeCliContext } from './testing/fake-cli-context.js';

const usageCases: Record<string, { argv: string[]; stderr: RegExp }> = {
  'rejects an unknown command with exit 2': {
    argv: ['frob'],
    stderr: /^error: unknown command "frob" for "podbay"\nRun 'podbay help'/,
  },
  'rejects an unknown top-level flag with exit 2': { argv: ['--frob'], stderr: /^error: unknown flag: --frob/ },
  'rejects an unknown flag of a command with exit 2 and points at its help': {
    argv: ['up', '--frob'],
    stderr: /^error: unknown flag '--frob'\nRun 'podbay up --help' for usage\./,
  },
  'rejects a flag missing its value with exit 2': { argv: ['up', '--listen'], stderr: /--listen/ },
  'rejects positional arguments to up with exit 2': { argv: ['up', 'extra'], stderr: /unexpected argument 'extra'/ },
  'rejects help for an unknown command with exit 2': { argv: ['help', 'frob'], stderr: /unknown command "frob"/ },
  'rejects a version flag it does not know with exit 2': {
    argv: ['version', '-o', 'json'],
    stderr: /unknown flag '-o'/,
  },
};

for (const [name, c] of Object.entries(usageCases)) {
  test(name, async () => {
    const ctx = newFakeCliContext();
    assert.equal(await runCli(c.argv, ctx), 2);
    assert.match(ctx.stderr(), c.stderr);
    assert.equal(ctx.stdout(), '');
    assert.equal(ctx.started.length, 0);
  });
}

const helpCases: Record<string, { argv: string[]; stdout: RegExp }> = {
  'prints the command list with no arguments': { argv: [], stdout: /Commands:\n {2}up {7}start the control plane/ },
  'prints the command list for --help': { argv: ['--help'], stdout: /Usage:\n {2}podbay <command> \[flags\]/ },
  'prints the command list for help': { argv: ['help'], stdout: /version {2}print version information/ },
  'prints up help for help up': { argv: ['help', 'up'], stdout: /podbay up \[--data-dir DIR\] \[--listen HOST:PORT\]/ },
  'prints up help for up --help without starting anything': { argv: ['up', '--help'], stdout: /--listen HOST:PORT/ },
  'prints up help for up -h': { argv: ['up', '-h'], stdout: /default: 127\.0\.0\.1:6443/ },
  'prints version information': {
    argv: ['version'],
    stdout: /^podbay 9\.9\.9\nKubernetes API: v1\.32\.4\nNode\.js: v20\.0\.0\n$/,
  },
  'prints version information for --version': { argv: ['--version'], stdout: /^podbay 9\.9\.9\n/ },
};

for (const [name, c] of Object.entries(helpCases)) {
  test(name, async () => {
    const ctx = newFakeCliContext();
    assert.equal(await runCli(c.argv, ctx), 0);
    assert.match(ctx.stdout(), c.stdout);
    assert.equal(ctx.stderr(), '');
    assert.equal(ctx.started.length, 0);
  });
}
