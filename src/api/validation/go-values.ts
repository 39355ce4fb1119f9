// How Go's field.Error.ErrorBody prints values that are not plain strings or numbers:
// a fmt.Stringer through String(), anything else with %#v. Only the shapes validation
// actually reports are covered.
import { GoValue } from '../errors.js';

/** %#v of a []string: `[]string{"a", "b"}`; a nil slice is `[]string(nil)`. */
export function goStringSlice(values: readonly string[] | undefined): GoValue {
  if (values === undefined) {
    return new GoValue('[]string(nil)');
  }
  return new GoValue(`[]string{${values.map((v) => JSON.stringify(v)).join(', ')}}`);
}

/** metav1.Time.String() (time.Time.String) of an RFC 3339 UTC time: `2026-01-02 15:04:05 +0000 UTC`. */
export function goTime(t: string | null | undefined): unknown {
  if (!t) {
    // A nil pointer is printed as the quoted string "null".
    return 'null';
  }
  const m = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2}:\d{2}(?:\.\d+)?)Z$/.exec(t);
  return m ? new GoValue(`${m[1]} ${m[2]} +0000 UTC`) : t;
}
