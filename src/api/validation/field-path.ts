// field.Path rendering (apimachinery/pkg/util/validation/field/path.go): `.child`,
// `[index]`, and map keys as `[key]` without quotes.

/** Path.Child: appends `.name` (no dot at the root). */
export function child(path: string, ...names: string[]): string {
  let p = path;
  for (const n of names) {
    p = p === '' ? n : `${p}.${n}`;
  }
  return p;
}

/** Path.Index. */
export function index(path: string, i: number): string {
  return `${path}[${i}]`;
}

/** Path.Key. */
export function key(path: string, k: string): string {
  return `${path}[${k}]`;
}
