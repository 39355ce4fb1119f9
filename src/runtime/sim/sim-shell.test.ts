import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { planCommand, planScript } from './sim-shell.js';
import type { CommandPlan, ShellContext } from './sim-shell.js';

const main: ShellContext = {
  env: { NAME: 'web', HOME: '/root' },
  hostname: 'pod-1',
  workingDir: '/app',
  unknown: 'runs-forever',
};
const exec: ShellContext = { ...main, unknown: 'succeeds' };

type Want = Partial<Pick<CommandPlan, 'exitAtMs' | 'exitCode' | 'ignoresSigterm' | 'sigtermExitCode' | 'known'>> & {
  out?: [number, 'stdout' | 'stderr', string][];
};

const cases: { name: string; argv: string[]; ctx?: ShellContext; want: Want }[] = [
  { name: 'exit N exits at once with N', argv: ['sh', '-c', 'exit 3'], want: { exitAtMs: 0, exitCode: 3, out: [] } },
  { name: 'exit codes wrap at 256', argv: ['sh', '-c', 'exit 257'], want: { exitCode: 1 } },
  {
    name: 'a script ends with the status of its last command',
    argv: ['sh', '-c', 'true; false'],
    want: { exitAtMs: 0, exitCode: 1 },
  },
  {
    name: 'sleep adds its time',
    argv: ['sh', '-c', 'sleep 2; sleep 1.5; sleep 1m'],
    want: { exitAtMs: 63_500, exitCode: 0 },
  },
  { name: 'a bare program runs with its arguments', argv: ['/bin/sleep', '5'], want: { exitAtMs: 5000, exitCode: 0 } },
  { name: 'sleep infinity never exits', argv: ['sleep', 'infinity'], want: { exitAtMs: undefined, known: true } },
  { name: 'tail -f never exits', argv: ['tail', '-f', '/dev/null'], want: { exitAtMs: undefined, known: true } },
  {
    name: 'echo prints at the time it runs, >&2 to stderr',
    argv: ['sh', '-c', 'echo a b; sleep 1; echo -n c >&2; echo "d  e" 1>&2'],
    want: {
      out: [
        [0, 'stdout', 'a b\n'],
        [1000, 'stderr', 'c'],
        [1000, 'stderr', 'd  e\n'],
      ],
    },
  },
  {
    name: 'variables expand from the environment, not inside single quotes',
    argv: ['sh', '-c', `echo $NAME \${HOME} '$NAME' "x$NAME" $MISSING.`],
    want: { out: [[0, 'stdout', 'web /root $NAME xweb .\n']] },
  },
  { name: '&& skips after a failure', argv: ['sh', '-c', 'false && exit 4; exit 5'], want: { exitCode: 5 } },
  { name: '|| runs after a failure', argv: ['sh', '-c', 'false || exit 4; exit 5'], want: { exitCode: 4 } },
  { name: '|| skips after a success', argv: ['sh', '-c', 'true || exit 4'], want: { exitCode: 0 } },
  {
    name: 'newlines and comments separate commands',
    argv: ['sh', '-c', '# start\necho hi # greet\nexit 2'],
    want: { exitCode: 2, out: [[0, 'stdout', 'hi\n']] },
  },
  {
    name: "trap '' TERM ignores SIGTERM",
    argv: ['sh', '-c', "trap '' TERM; sleep 3600"],
    want: { ignoresSigterm: true, exitAtMs: 3_600_000 },
  },
  {
    name: "trap 'exit 0' TERM exits 0 on SIGTERM",
    argv: ['sh', '-c', "trap 'exit 0' TERM; sleep 3600 & wait"],
    want: { sigtermExitCode: 0, ignoresSigterm: false },
  },
  {
    name: 'an unknown program makes a main process run forever',
    argv: ['nginx', '-g', 'daemon off;'],
    want: { exitAtMs: undefined, known: false },
  },
  {
    name: 'an unknown program in an exec succeeds at once',
    argv: ['nginx', '-s', 'reload'],
    ctx: exec,
    want: { exitAtMs: 0, exitCode: 0, known: false },
  },
  {
    name: 'output before an unknown program is kept',
    argv: ['sh', '-c', 'echo booting; exec /app/server'],
    want: { exitAtMs: undefined, out: [[0, 'stdout', 'booting\n']] },
  },
  {
    name: 'a pipe is not understood',
    argv: ['sh', '-c', 'echo x | wc -l'],
    want: { known: false, exitAtMs: undefined },
  },
  { name: 'a shell without -c waits for input as a main process', argv: ['sh'], want: { exitAtMs: undefined } },
  {
    name: 'a shell without -c exec’d without input exits 0',
    argv: ['sh'],
    ctx: exec,
    want: { exitAtMs: 0, exitCode: 0 },
  },
  { name: 'no command at all runs forever', argv: [], want: { exitAtMs: undefined, known: false } },
  { name: 'hostname prints the pod hostname', argv: ['hostname'], want: { out: [[0, 'stdout', 'pod-1\n']] } },
  {
    name: 'printenv prints one variable or fails',
    argv: ['sh', '-c', 'printenv NAME; printenv NOPE'],
    want: { exitCode: 1, out: [[0, 'stdout', 'web\n']] },
  },
  { name: 'pwd prints the working directory', argv: ['pwd'], want: { out: [[0, 'stdout', '/app\n']] } },
  { name: 'a bad sleep argument fails the command', argv: ['sleep', 'soon'], want: { exitCode: 1 } },
];

for (const c of cases) {
  test(`sim shell: ${c.name}`, () => {
    const plan = planCommand(c.argv, c.ctx ?? main);
    const { out, ...rest } = c.want;
    for (const [k, v] of Object.entries(rest)) {
      assert.equal(plan[k as keyof CommandPlan], v, k);
    }
    if (out) {
      assert.deepEqual(
        plan.output.map((o) => [o.atMs, o.stream, o.text]),
        out,
      );
    }
  });
}

test('sim shell: planScript marks an explicit exit, which ends an interactive session', () => {
  assert.equal(planScript('echo hi', exec).explicitExit, false);
  assert.equal(planScript('exit 0', exec).explicitExit, true);
});
