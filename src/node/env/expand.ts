// `$(VAR)` expansion exactly as Kubernetes does it for env values, command and
// args: k8s third_party/forked/golang/expansion/expand.go (Expand,
// MappingFuncFor, tryReadVariableName) and pkg/kubelet/container/helpers.go
// (ExpandContainerCommandAndArgs, ExpandContainerCommandOnlyStatic).
//
// Rules: `$(NAME)` is replaced by NAME's value when NAME is known and left as
// written when it is not; `$$` is an escaped `$`; a `$` followed by anything
// else (or an unclosed `$(`) is kept literally.
import type { Container, EnvVar } from '../../api/types/index.js';

/** Looks a name up; returns undefined when unknown. */
export type EnvLookup = (name: string) => string | undefined;

/** A lookup over several maps, the first that has the name wins (MappingFuncFor). */
export function lookupIn(...maps: ReadonlyMap<string, string>[]): EnvLookup {
  return (name) => {
    for (const m of maps) {
      const v = m.get(name);
      if (v !== undefined) {
        return v;
      }
    }
    return undefined;
  };
}

/** Expands `$(VAR)` references in `input`. */
export function expand(input: string, lookup: EnvLookup): string {
  let out = '';
  let checkpoint = 0;
  for (let cursor = 0; cursor < input.length; cursor++) {
    if (input[cursor] !== '$' || cursor + 1 >= input.length) {
      continue;
    }
    out += input.slice(checkpoint, cursor);
    const rest = input.slice(cursor + 1);
    const next = rest[0];
    if (next === '$') {
      // `$$` → `$`
      out += '$';
      cursor += 1;
    } else if (next === '(') {
      const close = rest.indexOf(')', 1);
      if (close === -1) {
        // incomplete reference: keep `$(` and go on after the `(`
        out += '$(';
        cursor += 1;
      } else {
        const name = rest.slice(1, close);
        out += lookup(name) ?? `$(${name})`;
        cursor += close + 1;
      }
    } else {
      out += '$' + next;
      cursor += 1;
    }
    checkpoint = cursor + 1;
  }
  return out + input.slice(checkpoint);
}

/**
 * The container's command and args with `$(VAR)` expanded from its resolved
 * environment (kubecontainer.ExpandContainerCommandAndArgs). The agent calls
 * this with makeEnvironment's result before ContainerConfig is built; absent
 * command/args stay empty so the runtime falls back to the image's.
 */
export function expandContainerCommandAndArgs(
  container: Pick<Container, 'command' | 'args'>,
  env: readonly { key: string; value: string }[],
): { command: string[]; args: string[] } {
  const vars = new Map(env.map((e) => [e.key, e.value] as const));
  const lookup = lookupIn(vars);
  return {
    command: (container.command ?? []).map((c) => expand(c, lookup)),
    args: (container.args ?? []).map((a) => expand(a, lookup)),
  };
}

/**
 * An exec probe's command expanded with the container's *static* env only
 * (kubecontainer.ExpandContainerCommandOnlyStatic): `value` entries as written,
 * valueFrom entries count as "" — probes never see resolved downward API or
 * ConfigMap values.
 */
export function expandCommandOnlyStatic(command: readonly string[], env: readonly EnvVar[] | undefined): string[] {
  const vars = new Map((env ?? []).map((e) => [e.name, e.value ?? ''] as const));
  const lookup = lookupIn(vars);
  return command.map((c) => expand(c, lookup));
}
