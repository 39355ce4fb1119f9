// Field selectors as k8s.io/apimachinery/pkg/fields/selector.go parses them
// (?fieldSelector=): comma-separated terms `k=v`, `k==v`, `k!=v`, with `\,`, `\=`
// and `\\` escapes in values. Matching is against a kind's selectable field set,
// where an absent field reads as "" (fields.Set.Get).

export interface FieldRequirement {
  field: string;
  /** `=` and `==` are the same term (hasTerm); `!=` is notHasTerm. */
  operator: '=' | '!=';
  value: string;
}

export interface FieldSelector {
  requirements: FieldRequirement[];
}

/** A field selector that does not parse, or names a field the kind does not support. */
export class FieldSelectorParseError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'FieldSelectorParseError';
  }
}

/** splitTerms: commas split terms unless backslash-escaped (the backslash is kept). */
function splitTerms(s: string): string[] {
  if (s.length === 0) {
    return [];
  }
  const terms: string[] = [];
  let start = 0;
  let inSlash = false;
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (inSlash) {
      inSlash = false;
    } else if (c === '\\') {
      inSlash = true;
    } else if (c === ',') {
      terms.push(s.slice(start, i));
      start = i + 1;
    }
  }
  terms.push(s.slice(start));
  return terms;
}

/** splitTerm: the first operator occurrence splits; `!=` and `==` are tried before `=`. */
function splitTerm(term: string): { lhs: string; op: string; rhs: string } | undefined {
  for (let i = 0; i < term.length; i++) {
    const rest = term.slice(i);
    for (const op of ['!=', '==', '=']) {
      if (rest.startsWith(op)) {
        return { lhs: term.slice(0, i), op, rhs: term.slice(i + op.length) };
      }
    }
  }
  return undefined;
}

/** UnescapeValue, with its errors (an unescaped rune prints as its code point, Go's %v of a rune). */
export function unescapeFieldValue(s: string): string {
  if (!/[\\,=]/.test(s)) {
    return s;
  }
  let out = '';
  let inSlash = false;
  for (const c of s) {
    if (inSlash) {
      if (c === '\\' || c === ',' || c === '=') {
        out += c;
      } else {
        throw new FieldSelectorParseError(`invalid field selector: invalid escape sequence: \\${c}`);
      }
      inSlash = false;
      continue;
    }
    if (c === '\\') {
      inSlash = true;
    } else if (c === ',' || c === '=') {
      throw new FieldSelectorParseError(`invalid field selector: unescaped character in value: ${c.codePointAt(0)}`);
    } else {
      out += c;
    }
  }
  if (inSlash) {
    throw new FieldSelectorParseError('invalid field selector: invalid escape sequence: \\');
  }
  return out;
}

/** EscapeValue: the inverse of unescapeFieldValue. */
export function escapeFieldValue(s: string): string {
  return s.replace(/[\\,=]/g, (c) => `\\${c}`);
}

/** fields.ParseSelector: terms are sorted, empty terms skipped. */
export function parseFieldSelector(s: string): FieldSelector {
  const parts = splitTerms(s).sort();
  const requirements: FieldRequirement[] = [];
  for (const part of parts) {
    if (part === '') {
      continue;
    }
    const t = splitTerm(part);
    if (!t) {
      throw new FieldSelectorParseError(`invalid selector: '${s}'; can't understand '${part}'`);
    }
    const value = unescapeFieldValue(t.rhs);
    requirements.push({ field: t.lhs, operator: t.op === '!=' ? '!=' : '=', value });
  }
  return { requirements };
}

/** Selector.Matches over a field set (absent fields read as ""). */
export function matchFieldSelector(sel: FieldSelector, fields: Record<string, string>): boolean {
  return sel.requirements.every((r) => {
    const v = Object.prototype.hasOwnProperty.call(fields, r.field) ? fields[r.field]! : '';
    return r.operator === '=' ? v === r.value : v !== r.value;
  });
}

/** Selector.Transform: renames (or rejects) each field label with `fn`. */
export function transformFieldSelector(
  sel: FieldSelector,
  fn: (field: string, value: string) => { field: string; value: string },
): FieldSelector {
  return {
    requirements: sel.requirements.map((r) => {
      const t = fn(r.field, r.value);
      return { field: t.field, operator: r.operator, value: t.value };
    }),
  };
}
