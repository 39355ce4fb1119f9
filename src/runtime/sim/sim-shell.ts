// The sim's tiny shell: turns a command line into a timed plan (what it
// prints, when it exits, with what code) without running anything. It gives a
// container's command a faithful-enough meaning in the sim, so a manifest like
// `command: [sh, -c, "echo hello; sleep 5; exit 1"]` behaves in the sim as on
// runc (logs "hello", runs 5 s, exits 1), and answers execSync/exec for hooks
// and `kubectl exec`. Annotations (sim-annotations.ts) override the plan.
//
// Understood: `sh|bash|ash|dash -c SCRIPT`; lists with `;`, `&&`, `||` and
// newlines; quoting ('…', "…", \x); $VAR / ${VAR} from the environment;
// true, :, false, exit [N], echo [-n] … [>&2], sleep N|infinity, hostname,
// env, printenv [VAR], tail -f …, trap … TERM (ignore SIGTERM), pwd.
// Anything else (a server binary, loops, pipes) is "unknown": the plan stops
// there and the caller decides (a container's main process then runs until
// stopped; an exec succeeds with no output).

export interface PlannedOutput {
  /** Offset from the start of the command. */
  atMs: number;
  stream: 'stdout' | 'stderr';
  text: string;
}

export interface CommandPlan {
  output: PlannedOutput[];
  /** Offset at which the command exits; undefined = runs until killed. */
  exitAtMs: number | undefined;
  exitCode: number;
  /** `trap '' TERM` seen: SIGTERM is ignored, only SIGKILL ends it. */
  ignoresSigterm: boolean;
  /** `trap 'exit N' TERM` seen: SIGTERM makes it exit N (else undefined: no handler installed). */
  sigtermExitCode: number | undefined;
  /** false when the plan stopped at something the sim does not understand. */
  known: boolean;
  /** An explicit `exit` ended it (an interactive shell session ends there). */
  explicitExit: boolean;
}

export interface ShellContext {
  env: Record<string, string>;
  hostname: string;
  workingDir: string;
  /** What an unknown command does: block forever (a main process) or succeed at once (exec). */
  unknown: 'runs-forever' | 'succeeds';
}

const SHELLS = new Set(['sh', 'bash', 'ash', 'dash']);

type Token = { op: ';' | '&&' | '||' | '|' | '&' } | { word: string };

/** Plans argv (an exec'd program with its arguments, already resolved against the image). */
export function planCommand(argv: readonly string[], ctx: ShellContext): CommandPlan {
  const prog = basename(argv[0] ?? '');
  if (SHELLS.has(prog) && argv[1] === '-c' && argv[2] !== undefined) {
    return planScript(argv[2], ctx);
  }
  const plan = newPlan();
  if (argv.length === 0 || SHELLS.has(prog)) {
    // A shell reading commands (or no command at all): as a main process it
    // waits for input forever; exec'd without input it reads EOF and exits 0.
    plan.exitAtMs = ctx.unknown === 'succeeds' ? 0 : undefined;
    plan.known = argv.length > 0;
    return plan;
  }
  const state = { t: 0, done: false };
  const status = runSimple([...argv], ctx, plan, state);
  if (!state.done) {
    plan.exitAtMs = state.t;
    plan.exitCode = status;
  }
  return plan;
}

/** Plans a shell script (the argument of `sh -c`). */
export function planScript(script: string, ctx: ShellContext): CommandPlan {
  const plan = newPlan();
  const tokens = tokenize(script, ctx.env);
  const state = { t: 0, done: false };
  let words: string[] = [];
  let skip = false; // set by && / || when the next command must not run
  let last = 0;
  const flush = (): boolean => {
    if (words.length > 0 && !skip) {
      last = runSimple(words, ctx, plan, state);
      if (state.done) {
        return false;
      }
    }
    words = [];
    return true;
  };
  for (const tok of tokens) {
    if ('word' in tok) {
      words.push(tok.word);
      continue;
    }
    if (tok.op === '|' || tok.op === '&') {
      stopUnknown(plan, state, ctx);
      return plan;
    }
    const ranSkipped = skip;
    if (!flush()) {
      return plan;
    }
    if (tok.op === ';') {
      skip = false;
    } else if (!ranSkipped) {
      skip = tok.op === '&&' ? last !== 0 : last === 0;
    }
  }
  if (!flush()) {
    return plan;
  }
  plan.exitAtMs = state.t;
  plan.exitCode = last;
  return plan;
}

interface RunState {
  /** Time reached so far. */
  t: number;
  /** The command exited, blocks forever, or is unknown: nothing after it runs. */
  done: boolean;
}

function newPlan(): CommandPlan {
  return {
    output: [],
    exitAtMs: undefined,
    exitCode: 0,
    ignoresSigterm: false,
    sigtermExitCode: undefined,
    known: true,
    explicitExit: false,
  };
}

function stopUnknown(plan: CommandPlan, state: RunState, ctx: ShellContext): number {
  plan.known = false;
  state.done = true;
  if (ctx.unknown === 'succeeds') {
    plan.exitAtMs = state.t;
    plan.exitCode = 0;
  } else {
    plan.exitAtMs = undefined;
  }
  return 0;
}

function stopForever(plan: CommandPlan, state: RunState): number {
  plan.exitAtMs = undefined;
  state.done = true;
  return 0;
}

/** Runs one simple command into the plan; returns its status. Sets exitAtMs on exit, known=false on unknown. */
function runSimple(words: string[], ctx: ShellContext, plan: CommandPlan, state: RunState): number {
  let stream: 'stdout' | 'stderr' = 'stdout';
  const args = words.filter((w) => {
    if (w === '1>&2') {
      stream = 'stderr';
      return false;
    }
    return w !== '2>&1' && w !== '1>&1' && w !== '2>&2';
  });
  const name = basename(args[0] ?? '');
  const rest = args.slice(1);
  const print = (text: string): void => {
    plan.output.push({ atMs: state.t, stream, text });
  };
  switch (name) {
    case 'true':
    case ':':
      return 0;
    case 'false':
      return 1;
    case 'exit': {
      const code = rest[0] === undefined ? 0 : Number(rest[0]);
      plan.exitAtMs = state.t;
      plan.exitCode = Number.isInteger(code) ? code & 255 : 2;
      plan.explicitExit = true;
      state.done = true;
      return plan.exitCode;
    }
    case 'echo': {
      const noNewline = rest[0] === '-n';
      print(rest.slice(noNewline ? 1 : 0).join(' ') + (noNewline ? '' : '\n'));
      return 0;
    }
    case 'sleep': {
      if (rest[0] === 'infinity') {
        return stopForever(plan, state);
      }
      const ms = parseSleep(rest);
      if (ms === undefined) {
        print(`sleep: invalid number '${rest.join(' ')}'\n`);
        return 1;
      }
      state.t += ms;
      return 0;
    }
    case 'tail':
      if (rest.includes('-f') || rest.includes('-F')) {
        return stopForever(plan, state);
      }
      break;
    case 'trap':
      // `trap '' TERM` ignores SIGTERM; `trap 'exit N' TERM` exits N on it; `trap - TERM` restores the default.
      if (rest.slice(1).some((a) => a === 'TERM' || a === 'SIGTERM' || a === '15')) {
        const handler = /^\s*exit\s*(\d*)\s*$/.exec(rest[0] ?? '');
        plan.ignoresSigterm = rest[0] === '';
        plan.sigtermExitCode = handler ? Number(handler[1] || '0') & 255 : undefined;
      }
      return 0;
    case 'hostname':
      print(ctx.hostname + '\n');
      return 0;
    case 'pwd':
      print((ctx.workingDir || '/') + '\n');
      return 0;
    case 'env':
      if (rest.length === 0) {
        print(
          Object.entries(ctx.env)
            .map(([k, v]) => `${k}=${v}\n`)
            .join(''),
        );
        return 0;
      }
      break;
    case 'printenv':
      if (rest.length === 0) {
        print(
          Object.entries(ctx.env)
            .map(([k, v]) => `${k}=${v}\n`)
            .join(''),
        );
        return 0;
      }
      if (rest.length === 1) {
        const v = ctx.env[rest[0]!];
        if (v === undefined) {
          return 1;
        }
        print(v + '\n');
        return 0;
      }
      break;
  }
  return stopUnknown(plan, state, ctx);
}

/** coreutils/busybox sleep: numbers with optional s/m/h/d suffix, summed. */
function parseSleep(args: string[]): number | undefined {
  if (args.length === 0) {
    return undefined;
  }
  let ms = 0;
  for (const a of args) {
    const m = /^(\d+(?:\.\d*)?|\.\d+)([smhd]?)$/.exec(a);
    if (!m) {
      return undefined;
    }
    const mult = { '': 1000, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 }[m[2]!]!;
    ms += Number(m[1]) * mult;
  }
  return ms;
}

function basename(p: string): string {
  const i = p.lastIndexOf('/');
  return i < 0 ? p : p.slice(i + 1);
}

/** Splits a script into words and operators, honouring quotes and expanding $VAR. */
function tokenize(script: string, env: Record<string, string>): Token[] {
  const out: Token[] = [];
  let word = '';
  let inWord = false;
  const push = (): void => {
    if (inWord) {
      out.push({ word });
    }
    word = '';
    inWord = false;
  };
  const expand = (s: string, i: number): [string, number] => {
    // s[i] === '$'
    const braced = /^\$\{([A-Za-z_][A-Za-z0-9_]*)\}/.exec(s.slice(i));
    if (braced) {
      return [env[braced[1]!] ?? '', i + braced[0].length];
    }
    const bare = /^\$([A-Za-z_][A-Za-z0-9_]*)/.exec(s.slice(i));
    if (bare) {
      return [env[bare[1]!] ?? '', i + bare[0].length];
    }
    return ['$', i + 1];
  };
  let i = 0;
  while (i < script.length) {
    const c = script[i]!;
    if (c === "'") {
      const end = script.indexOf("'", i + 1);
      const stop = end < 0 ? script.length : end;
      word += script.slice(i + 1, stop);
      inWord = true;
      i = stop + 1;
    } else if (c === '"') {
      inWord = true;
      i++;
      while (i < script.length && script[i] !== '"') {
        if (script[i] === '\\' && i + 1 < script.length && '"\\$`'.includes(script[i + 1]!)) {
          word += script[i + 1];
          i += 2;
        } else if (script[i] === '$') {
          const [v, next] = expand(script, i);
          word += v;
          i = next;
        } else {
          word += script[i];
          i++;
        }
      }
      i++;
    } else if (c === '\\' && i + 1 < script.length) {
      word += script[i + 1];
      inWord = true;
      i += 2;
    } else if (c === '$') {
      const [v, next] = expand(script, i);
      word += v;
      inWord = true;
      i = next;
    } else if (c === '#' && !inWord) {
      const nl = script.indexOf('\n', i);
      i = nl < 0 ? script.length : nl;
    } else if (c === ';' || c === '\n') {
      push();
      out.push({ op: ';' });
      i++;
    } else if (c === '>' && /^>&[12]/.test(script.slice(i, i + 3))) {
      // Redirections of one fd to another: `>&2`, `1>&2` (stdout to stderr), `2>&1`.
      const from = inWord && (word === '1' || word === '2') ? word : '1';
      if (inWord && from === word) {
        word = '';
        inWord = false;
      }
      push();
      out.push({ word: `${from}>&${script[i + 2]}` });
      i += 3;
    } else if (c === '&' || c === '|') {
      push();
      if (script[i + 1] === c) {
        out.push({ op: c === '&' ? '&&' : '||' });
        i += 2;
      } else {
        out.push({ op: c });
        i++;
      }
    } else if (c === ' ' || c === '\t') {
      push();
      i++;
    } else {
      word += c;
      inWord = true;
      i++;
    }
  }
  push();
  return out;
}
