// Label selectors as k8s.io/apimachinery/pkg/labels/selector.go parses and matches
// them (the string grammar of ?labelSelector=), plus metav1.LabelSelectorAsSelector
// (apimachinery/pkg/apis/meta/v1/helpers.go) for the object form.
//
//   <selector>    ::= <requirement> | <requirement> "," <selector>
//   <requirement> ::= [!] KEY [ ("in"|"notin") "(" VALUES ")" | ("="|"=="|"!="|">"|"<") VALUE ]
import type { LabelSelector } from '../types/index.js';
import { renderValue } from '../errors.js';
import { isQualifiedName, isValidLabelValue } from '../validation/names.js';

/** selection.Operator values. */
export type SelectorOperator = 'in' | 'notin' | '=' | '==' | '!=' | 'gt' | 'lt' | 'exists' | '!';

export interface Requirement {
  key: string;
  operator: SelectorOperator;
  /** Sorted and de-duplicated (sets.String.List()), as the parser produces them. */
  values: string[];
}

/**
 * A parsed label selector: the AND of its requirements, sorted by key.
 * `nothing` is labels.Nothing() (a nil metav1.LabelSelector): it matches no object.
 */
export interface LabelSelectorMatcher {
  requirements: Requirement[];
  nothing?: boolean;
}

/** A selector string or object that does not parse; the message is upstream's. */
export class LabelSelectorParseError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'LabelSelectorParseError';
  }
}

const BINARY_OPERATORS = ['in', 'notin', '=', '==', '!=', 'gt', 'lt'];

type Tok = 'error' | 'eos' | ')' | ',' | '!' | '==' | '=' | '>' | 'id' | 'in' | '<' | '!=' | 'notin' | '(';

const STRING_TO_TOKEN: Record<string, Tok> = {
  ')': ')',
  ',': ',',
  '!': '!',
  '==': '==',
  '=': '=',
  '>': '>',
  in: 'in',
  '<': '<',
  '!=': '!=',
  notin: 'notin',
  '(': '(',
};

interface Item {
  tok: Tok;
  lit: string;
}

const isWhitespace = (c: string): boolean => c === ' ' || c === '\t' || c === '\r' || c === '\n';
const isSpecial = (c: string): boolean =>
  c === '=' || c === '!' || c === '(' || c === ')' || c === ',' || c === '>' || c === '<';

/** The Lexer of selector.go: identifiers/keywords, and maximal-munch special symbols. */
function lex(s: string): Item[] {
  const items: Item[] = [];
  let pos = 0;
  for (;;) {
    while (pos < s.length && isWhitespace(s[pos]!)) {
      pos++;
    }
    if (pos >= s.length) {
      items.push({ tok: 'eos', lit: '' });
      return items;
    }
    if (isSpecial(s[pos]!)) {
      let buffer = '';
      let last: Item | undefined;
      while (pos < s.length && isSpecial(s[pos]!)) {
        buffer += s[pos];
        const t = STRING_TO_TOKEN[buffer];
        if (t) {
          last = { tok: t, lit: buffer };
          pos++;
        } else if (last) {
          break;
        } else {
          pos++;
        }
      }
      items.push(last ?? { tok: 'error', lit: `error expected: keyword found '${buffer}'` });
      continue;
    }
    let buffer = '';
    while (pos < s.length && !isSpecial(s[pos]!) && !isWhitespace(s[pos]!)) {
      buffer += s[pos];
      pos++;
    }
    items.push({ tok: STRING_TO_TOKEN[buffer] ?? 'id', lit: buffer });
  }
}

/** field.Invalid(...).Error() with Go's %#v rendering of a []string value. */
function invalidError(path: string, value: string | string[], detail: string): string {
  const v = Array.isArray(value) ? `[]string{${value.map((x) => JSON.stringify(x)).join(', ')}}` : renderValue(value);
  return `${path}: Invalid value: ${v}: ${detail}`;
}

/**
 * labels.NewRequirement: validates key, operator arity and values; the error is the
 * field.ErrorList aggregate (one error bare, several as `[a, b]`).
 */
export function newRequirement(key: string, operator: SelectorOperator, values: string[]): Requirement {
  const errs: string[] = [];
  const keyErrs = isQualifiedName(key);
  if (keyErrs.length) {
    errs.push(invalidError('key', key, keyErrs.join('; ')));
  }
  switch (operator) {
    case 'in':
    case 'notin':
      if (values.length === 0) {
        errs.push(invalidError('values', values, "for 'in', 'notin' operators, values set can't be empty"));
      }
      break;
    case '=':
    case '==':
    case '!=':
      if (values.length !== 1) {
        errs.push(invalidError('values', values, 'exact-match compatibility requires one single value'));
      }
      break;
    case 'exists':
    case '!':
      if (values.length !== 0) {
        errs.push(invalidError('values', values, 'values set must be empty for exists and does not exist'));
      }
      break;
    case 'gt':
    case 'lt':
      if (values.length !== 1) {
        errs.push(invalidError('values', values, "for 'Gt', 'Lt' operators, exactly one value is required"));
      }
      values.forEach((v, i) => {
        if (!/^[+-]?[0-9]+$/.test(v)) {
          errs.push(invalidError(`values[${i}]`, v, "for 'Gt', 'Lt' operators, the value must be an integer"));
        }
      });
      break;
  }
  values.forEach((v, i) => {
    const e = isValidLabelValue(v);
    if (e.length) {
      errs.push(invalidError(`values[${i}][${key}]`, v, e.join('; ')));
    }
  });
  if (errs.length === 1) {
    throw new LabelSelectorParseError(errs[0]!);
  }
  if (errs.length > 1) {
    throw new LabelSelectorParseError(`[${errs.join(', ')}]`);
  }
  return { key, operator, values };
}

/** sets.String.List(): sorted, unique. */
const setList = (s: Set<string>): string[] => [...s].sort();

class Parser {
  private position = 0;
  constructor(private readonly items: Item[]) {}

  /** In the Values context the keywords in/notin are plain identifiers. */
  private lookahead(values: boolean): Item {
    const it = this.items[this.position]!;
    return values && (it.tok === 'in' || it.tok === 'notin') ? { tok: 'id', lit: it.lit } : it;
  }

  private consume(values: boolean): Item {
    const it = this.lookahead(values);
    this.position++;
    return it;
  }

  parse(): Requirement[] {
    const reqs: Requirement[] = [];
    for (;;) {
      const { tok, lit } = this.lookahead(true);
      if (tok === 'id' || tok === '!') {
        try {
          reqs.push(this.parseRequirement());
        } catch (e) {
          if (e instanceof LabelSelectorParseError) {
            throw new LabelSelectorParseError(`unable to parse requirement: ${e.message}`);
          }
          throw e;
        }
        const t = this.consume(true);
        if (t.tok === 'eos') {
          return reqs;
        }
        if (t.tok === ',') {
          const t2 = this.lookahead(true);
          if (t2.tok !== 'id' && t2.tok !== '!') {
            throw new LabelSelectorParseError(`found '${t2.lit}', expected: identifier after ','`);
          }
        } else {
          throw new LabelSelectorParseError(`found '${t.lit}', expected: ',' or 'end of string'`);
        }
      } else if (tok === 'eos') {
        return reqs;
      } else {
        throw new LabelSelectorParseError(`found '${lit}', expected: !, identifier, or 'end of string'`);
      }
    }
  }

  private parseRequirement(): Requirement {
    const { key, operator } = this.parseKeyAndInferOperator();
    if (operator === 'exists' || operator === '!') {
      return newRequirement(key, operator, []);
    }
    const op = this.parseOperator();
    const values = op === 'in' || op === 'notin' ? this.parseValues() : this.parseExactValue();
    return newRequirement(key, op, setList(values));
  }

  private parseKeyAndInferOperator(): { key: string; operator?: SelectorOperator } {
    let operator: SelectorOperator | undefined;
    let it = this.consume(true);
    if (it.tok === '!') {
      operator = '!';
      it = this.consume(true);
    }
    if (it.tok !== 'id') {
      throw new LabelSelectorParseError(`found '${it.lit}', expected: identifier`);
    }
    const errs = isQualifiedName(it.lit);
    if (errs.length) {
      // validateLabelKey(literal, p.path) with a nil path: Go prints "<nil>"
      throw new LabelSelectorParseError(invalidError('<nil>', it.lit, errs.join('; ')));
    }
    const next = this.lookahead(true).tok;
    if ((next === 'eos' || next === ',') && operator !== '!') {
      operator = 'exists';
    }
    return { key: it.lit, operator };
  }

  private parseOperator(): SelectorOperator {
    const { tok, lit } = this.consume(false);
    switch (tok) {
      case 'in':
        return 'in';
      case '=':
        return '=';
      case '==':
        return '==';
      case '>':
        return 'gt';
      case '<':
        return 'lt';
      case 'notin':
        return 'notin';
      case '!=':
        return '!=';
      default:
        throw new LabelSelectorParseError(`found '${lit}', expected: ${BINARY_OPERATORS.join(', ')}`);
    }
  }

  private parseValues(): Set<string> {
    let it = this.consume(true);
    if (it.tok !== '(') {
      throw new LabelSelectorParseError(`found '${it.lit}' expected: '('`);
    }
    it = this.lookahead(true);
    if (it.tok === 'id' || it.tok === ',') {
      const s = this.parseIdentifiersList();
      if (this.consume(true).tok !== ')') {
        throw new LabelSelectorParseError(`found '${it.lit}', expected: ')'`);
      }
      return s;
    }
    if (it.tok === ')') {
      this.consume(true);
      return new Set(['']);
    }
    throw new LabelSelectorParseError(`found '${it.lit}', expected: ',', ')' or identifier`);
  }

  private parseIdentifiersList(): Set<string> {
    const s = new Set<string>();
    for (;;) {
      const it = this.consume(true);
      if (it.tok === 'id') {
        s.add(it.lit);
        const it2 = this.lookahead(true);
        if (it2.tok === ',') {
          continue;
        }
        if (it2.tok === ')') {
          return s;
        }
        throw new LabelSelectorParseError(`found '${it2.lit}', expected: ',' or ')'`);
      } else if (it.tok === ',') {
        if (s.size === 0) {
          s.add('');
        }
        const t2 = this.lookahead(true).tok;
        if (t2 === ')') {
          s.add('');
          return s;
        }
        if (t2 === ',') {
          this.consume(true);
          s.add('');
        }
      } else {
        throw new LabelSelectorParseError(`found '${it.lit}', expected: ',', or identifier`);
      }
    }
  }

  private parseExactValue(): Set<string> {
    const t = this.lookahead(true).tok;
    if (t === 'eos' || t === ',') {
      return new Set(['']);
    }
    const it = this.consume(true);
    if (it.tok === 'id') {
      return new Set([it.lit]);
    }
    throw new LabelSelectorParseError(`found '${it.lit}', expected: identifier`);
  }
}

const byKey = (a: Requirement, b: Requirement): number => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0);

/** labels.Parse: throws LabelSelectorParseError with upstream's message. The empty string selects everything. */
export function parseLabelSelector(s: string): LabelSelectorMatcher {
  const reqs = new Parser(lex(s)).parse();
  return { requirements: reqs.sort(byKey) };
}

/** metav1.LabelSelectorAsSelector: undefined/null selects nothing, `{}` everything. */
export function labelSelectorFromObject(sel: LabelSelector | null | undefined): LabelSelectorMatcher {
  if (sel === null || sel === undefined) {
    return { requirements: [], nothing: true };
  }
  const reqs: Requirement[] = [];
  for (const [k, v] of Object.entries(sel.matchLabels ?? {})) {
    reqs.push(newRequirement(k, '=', [v]));
  }
  for (const expr of sel.matchExpressions ?? []) {
    const op = (
      { In: 'in', NotIn: 'notin', Exists: 'exists', DoesNotExist: '!' } as Record<string, SelectorOperator | undefined>
    )[expr.operator];
    if (!op) {
      throw new LabelSelectorParseError(`${JSON.stringify(expr.operator)} is not a valid label selector operator`);
    }
    reqs.push(newRequirement(expr.key, op, [...(expr.values ?? [])]));
  }
  return { requirements: reqs.sort(byKey) };
}

/** Requirement.Matches. */
export function matchRequirement(r: Requirement, labels: Record<string, string> | undefined): boolean {
  const has = labels !== undefined && Object.prototype.hasOwnProperty.call(labels, r.key);
  const value = has ? labels[r.key]! : '';
  switch (r.operator) {
    case 'in':
    case '=':
    case '==':
      return has && r.values.includes(value);
    case 'notin':
    case '!=':
      return !has || !r.values.includes(value);
    case 'exists':
      return has;
    case '!':
      return !has;
    case 'gt':
    case 'lt': {
      if (!has || r.values.length !== 1 || !/^[+-]?[0-9]+$/.test(value)) {
        return false;
      }
      const lv = BigInt(value);
      const rv = BigInt(r.values[0]!);
      return r.operator === 'gt' ? lv > rv : lv < rv;
    }
  }
}

/** Selector.Matches: every requirement holds (and never for Nothing). */
export function matchLabelSelector(m: LabelSelectorMatcher, labels: Record<string, string> | undefined): boolean {
  return !m.nothing && m.requirements.every((r) => matchRequirement(r, labels));
}

/** Selector.String(): the normalised selector text. */
export function labelSelectorString(m: LabelSelectorMatcher): string {
  return m.requirements
    .map((r) => {
      const prefix = r.operator === '!' ? '!' : '';
      switch (r.operator) {
        case 'exists':
        case '!':
          return `${prefix}${r.key}`;
        case 'in':
        case 'notin':
          return `${r.key} ${r.operator} (${[...r.values].sort().join(',')})`;
        case 'gt':
          return `${r.key}>${r.values[0] ?? ''}`;
        case 'lt':
          return `${r.key}<${r.values[0] ?? ''}`;
        default:
          return `${r.key}${r.operator}${r.values[0] ?? ''}`;
      }
    })
    .join(',');
}
