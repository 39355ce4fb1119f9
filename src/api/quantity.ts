// resource.Quantity, exactly as k8s.io/apimachinery/pkg/api/resource does it
// (quantity.go ParseQuantity/CanonicalizeBytes/String, amount.go, suffix.go).
//
// A value is held exactly as mantissa × 10^exp with a bigint mantissa; no float is
// ever involved. Upstream keeps an int64 fast path and an inf.Dec slow path; the only
// observable difference between them is the cached input string the fast path keeps
// (Quantity.s), which String() and JSON then echo verbatim ("1.500" stays "1.500",
// "+1" stays "+1"). That cache is reproduced here, so toString() answers what the
// API server would write back.

/** quantity.go Format. */
export type QuantityFormat = 'DecimalExponent' | 'BinarySI' | 'DecimalSI';

/** quantity.go splitREString; the error text quotes it. */
export const QUANTITY_REGEX_STRING = '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$';
export const ERR_FORMAT_WRONG = `quantities must match the regular expression '${QUANTITY_REGEX_STRING}'`;
export const ERR_NUMERIC = 'unable to parse numeric part of quantity';
export const ERR_SUFFIX = "unable to parse quantity's suffix";

/** A quantity that does not parse; the message is one of upstream's three errors. */
export class QuantityParseError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'QuantityParseError';
  }
}

const NANO = -9;
const MILLI = -3;
const MAX_INT64 = (1n << 63n) - 1n;
/** The BinarySI cap (quantity.go maxAllowed = 2^63-1). */
const MAX_ALLOWED = MAX_INT64;
/** amount.go maxInt64Factors: decimal digits that always fit an int64. */
const MAX_INT64_FACTORS = 18;

const DECIMAL_SUFFIXES: Record<string, number> = { n: -9, u: -6, m: -3, '': 0, k: 3, M: 6, G: 9, T: 12, P: 15, E: 18 };
const BINARY_SUFFIXES: Record<string, number> = { Ki: 10, Mi: 20, Gi: 30, Ti: 40, Pi: 50, Ei: 60 };
const DECIMAL_BY_EXP = new Map<number, string>(Object.entries(DECIMAL_SUFFIXES).map(([s, e]) => [e, s]));
const BINARY_BY_EXP = new Map<number, string>(Object.entries(BINARY_SUFFIXES).map(([s, e]) => [e, s]));

interface Suffix {
  base: 2 | 10;
  exponent: number;
  format: QuantityFormat;
}

/** suffix.go suffixHandler.interpret (decimal table, binary table, then e<int>/E<int>). */
function interpretSuffix(s: string): Suffix | undefined {
  const dec = DECIMAL_SUFFIXES[s];
  if (dec !== undefined) {
    return { base: 10, exponent: dec, format: 'DecimalSI' };
  }
  const bin = BINARY_SUFFIXES[s];
  if (bin !== undefined) {
    return { base: 2, exponent: bin, format: 'BinarySI' };
  }
  if (s.length > 1 && (s[0] === 'e' || s[0] === 'E')) {
    // strconv.ParseInt(s[1:], 10, 64): optional sign then digits only.
    const rest = s.slice(1);
    if (!/^[+-]?[0-9]+$/.test(rest)) {
      return undefined;
    }
    const n = Number(rest);
    if (!Number.isSafeInteger(n) || Math.abs(n) > 2 ** 31) {
      return undefined;
    }
    return { base: 10, exponent: n, format: 'DecimalExponent' };
  }
  return undefined;
}

interface Scanned {
  positive: boolean;
  value: string;
  num: string;
  denom: string;
  suffix: string;
}

const isDigit = (c: string | undefined): boolean => c !== undefined && c >= '0' && c <= '9';

/** quantity.go parseQuantityString: the fast scanner, including its leniencies ("." is 0, "1." and "1.G" parse). */
function scan(str: string): Scanned {
  let positive = true;
  let pos = 0;
  const end = str.length;
  if (pos < end) {
    if (str[0] === '-') {
      positive = false;
      pos++;
    } else if (str[0] === '+') {
      pos++;
    }
  }
  // strip leading zeros
  while (pos < end && str[pos] === '0') {
    pos++;
  }
  if (pos >= end) {
    return { positive, value: '0', num: '0', denom: '', suffix: '' };
  }
  // numerator
  let i = pos;
  while (i < end && isDigit(str[i])) {
    i++;
  }
  if (i >= end) {
    return { positive, value: str, num: str.slice(pos), denom: '', suffix: '' };
  }
  let num = str.slice(pos, i);
  pos = i;
  if (num.length === 0) {
    num = '0';
  }
  let denom = '';
  if (str[pos] === '.') {
    pos++;
    let j = pos;
    while (j < end && isDigit(str[j])) {
      j++;
    }
    if (j >= end) {
      return { positive, value: str, num, denom: str.slice(pos), suffix: '' };
    }
    denom = str.slice(pos, j);
    pos = j;
  }
  const value = str.slice(0, pos);
  const suffixStart = pos;
  let k = pos;
  while (k < end && 'eEinumkKMGTP'.includes(str[k]!)) {
    k++;
  }
  if (k >= end) {
    return { positive, value, num, denom, suffix: str.slice(suffixStart) };
  }
  pos = k;
  if (str[pos] === '-' || str[pos] === '+') {
    pos++;
  }
  while (pos < end && isDigit(str[pos])) {
    pos++;
  }
  if (pos >= end) {
    return { positive, value, num, denom, suffix: str.slice(suffixStart) };
  }
  // a character that is neither a suffix letter nor an exponent digit
  throw new QuantityParseError(ERR_FORMAT_WRONG);
}

const pow10 = (n: number): bigint => 10n ** BigInt(n);
const abs = (v: bigint): bigint => (v < 0n ? -v : v);
const digitCount = (v: bigint): number => abs(v).toString().length;

/** Divides |m| by 10^n rounding away from zero (inf.RoundUp), keeping the sign. */
function shrinkAwayFromZero(m: bigint, n: number): { m: bigint; exact: boolean } {
  if (m === 0n) {
    return { m, exact: true };
  }
  if (n > digitCount(m)) {
    // |m| < 10^n: a non-zero value rounds to one unit. Never builds 10^n, so a
    // hostile exponent like "1e-2000000000" costs nothing.
    return { m: m < 0n ? -1n : 1n, exact: false };
  }
  const d = pow10(n);
  const q = abs(m) / d;
  const exact = abs(m) % d === 0n;
  const r = exact ? q : q + 1n;
  return { m: m < 0n ? -r : r, exact };
}

function removeFactors(m: bigint, factor: bigint): { m: bigint; times: number } {
  let times = 0;
  if (m === 0n) {
    return { m, times };
  }
  while (m % factor === 0n) {
    m /= factor;
    times++;
  }
  return { m, times };
}

/**
 * An exact resource quantity. Immutable: arithmetic returns new values.
 *
 * Format follows upstream: a parsed value remembers its suffix family, Add/Sub
 * keep the receiver's format unless the receiver is zero (then the other's).
 */
export class Quantity {
  /** value = mantissa × 10^exp */
  private readonly mantissa: bigint;
  private readonly exp: number;
  readonly format: QuantityFormat;
  /** The input string kept by the int64 fast path (quantity.go Quantity.s). */
  private readonly cached: string | undefined;

  private constructor(mantissa: bigint, exp: number, format: QuantityFormat, cached?: string) {
    this.mantissa = mantissa;
    this.exp = exp;
    this.format = format;
    this.cached = cached;
  }

  /** ParseQuantity; a number is parsed from its decimal text, as a bare JSON number would be. */
  static parse(v: string | number): Quantity {
    if (typeof v === 'number') {
      if (!Number.isFinite(v)) {
        throw new QuantityParseError(ERR_FORMAT_WRONG);
      }
      // JSON text has no "e+" form of its own; String(1e21) is "1e+21".
      return Quantity.parseString(String(v).replace('e+', 'e'));
    }
    return Quantity.parseString(v);
  }

  /** NewScaledQuantity-style constructor: value × 10^scale. */
  static fromScaled(value: bigint | number, scale: number, format: QuantityFormat = 'DecimalSI'): Quantity {
    return new Quantity(BigInt(value), scale, format);
  }

  /** NewQuantity(value, format). */
  static fromValue(value: bigint | number, format: QuantityFormat = 'DecimalSI'): Quantity {
    return new Quantity(BigInt(value), 0, format);
  }

  /** NewMilliQuantity(value, format). */
  static fromMilli(value: bigint | number, format: QuantityFormat = 'DecimalSI'): Quantity {
    return new Quantity(BigInt(value), MILLI, format);
  }

  private static parseString(str: string): Quantity {
    if (str.length === 0) {
      throw new QuantityParseError(ERR_FORMAT_WRONG);
    }
    if (str === '0') {
      return new Quantity(0n, 0, 'DecimalSI', str);
    }
    const { positive, value, num, denom, suffix } = scan(str);
    const suf = interpretSuffix(suffix);
    if (!suf) {
      throw new QuantityParseError(ERR_SUFFIX);
    }
    let format = suf.format;

    // The int64 fast path; only it can keep the input string.
    let precision: number;
    let scale = 0;
    let multiplier = 1n;
    if (suf.base === 10) {
      scale = suf.exponent;
      precision = MAX_INT64_FACTORS - (num.length + denom.length);
    } else if (denom.length === 0) {
      multiplier = 1n << BigInt(suf.exponent);
      // int32(float32(exponent)*3/10): exact for multiples of 10
      precision = 15 - num.length - Math.trunc((suf.exponent * 3) / 10) - 1;
    } else {
      precision = -1;
    }
    if (precision >= 0) {
      scale -= denom.length;
      if (scale >= NANO) {
        const shifted = num + denom;
        const digits = BigInt(shifted);
        const product = digits * multiplier;
        if (digits <= MAX_INT64 && product <= MAX_INT64) {
          const result = positive ? product : -product;
          let keep = false;
          if (format === 'BinarySI') {
            keep = (digits & 7n) !== 0n;
          } else {
            keep = scale % 3 === 0 && !shifted.endsWith('000') && shifted[0] !== '0';
          }
          return new Quantity(result, scale, format, keep ? str : undefined);
        }
      }
    }

    // The inf.Dec path.
    const digitsOnly = value.replace(/^[+-]/, '');
    const m = /^([0-9]*)(?:\.([0-9]*))?$/.exec(digitsOnly);
    if (!m || !/[0-9]/.test(digitsOnly)) {
      throw new QuantityParseError(ERR_NUMERIC);
    }
    const intPart = m[1] ?? '';
    const fracPart = m[2] ?? '';
    let mant = BigInt((intPart + fracPart).replace(/^0+(?=.)/, '') || '0');
    let exp = -fracPart.length;
    if (suf.base === 10) {
      exp += suf.exponent;
    } else {
      mant *= 1n << BigInt(suf.exponent);
    }
    // Round a non-zero magnitude up to 1n (quantity.go: "if you want some
    // resources, you should get some resources").
    if (mant !== 0n && exp < NANO) {
      mant = shrinkAwayFromZero(mant, NANO - exp).m;
      exp = NANO;
    }
    let q = new Quantity(mant, exp, format);
    if (format === 'BinarySI' && q.cmp(new Quantity(MAX_ALLOWED, 0, format)) > 0) {
      q = new Quantity(MAX_ALLOWED, 0, format);
    }
    const one = new Quantity(1n, 0, format);
    if (format === 'BinarySI' && q.cmp(one) < 0 && q.sign() > 0) {
      // This avoids rounding and hopefully confusion, too (quantity.go).
      format = 'DecimalSI';
    }
    return new Quantity(positive ? q.mantissa : -q.mantissa, q.exp, format);
  }

  sign(): -1 | 0 | 1 {
    return this.mantissa === 0n ? 0 : this.mantissa > 0n ? 1 : -1;
  }

  isZero(): boolean {
    return this.mantissa === 0n;
  }

  cmp(o: Quantity): -1 | 0 | 1 {
    const sa = this.sign();
    const sb = o.sign();
    if (sa !== sb) {
      return sa > sb ? 1 : -1;
    }
    if (sa === 0) {
      return 0;
    }
    // Values of different decimal magnitude compare without aligning exponents
    // (amount.go cmpDec does the same to avoid writing out 10^delta).
    const ma = digitCount(this.mantissa) + this.exp;
    const mb = digitCount(o.mantissa) + o.exp;
    if (ma !== mb) {
      return ma > mb ? sa : sa === 1 ? -1 : 1;
    }
    const e = Math.min(this.exp, o.exp);
    const a = this.mantissa * pow10(this.exp - e);
    const b = o.mantissa * pow10(o.exp - e);
    return a === b ? 0 : a < b ? -1 : 1;
  }

  /** Sum; the format is this one's unless this is zero (quantity.go Add). */
  add(o: Quantity): Quantity {
    const e = Math.min(this.exp, o.exp);
    const sum = this.mantissa * pow10(this.exp - e) + o.mantissa * pow10(o.exp - e);
    return new Quantity(sum, e, this.isZero() ? o.format : this.format);
  }

  /** Difference; the format is this one's unless this is zero (quantity.go Sub). */
  sub(o: Quantity): Quantity {
    return this.add(o.neg());
  }

  neg(): Quantity {
    return new Quantity(-this.mantissa, this.exp, this.format);
  }

  /** The same value in another format (the cached string is dropped). */
  withFormat(format: QuantityFormat): Quantity {
    return new Quantity(this.mantissa, this.exp, format);
  }

  /** ceil(q / 10^scale), rounding away from zero, as a bigint (Quantity.ScaledValue without overflow). */
  scaledValueBig(scale: number): bigint {
    if (this.exp >= scale) {
      return this.mantissa * pow10(this.exp - scale);
    }
    return shrinkAwayFromZero(this.mantissa, scale - this.exp).m;
  }

  /** Value(): the integer value rounded away from zero (so up for positive values). */
  value(): number {
    return this.scaledNumber(0);
  }

  /** A float beyond 1e308 is ±Infinity anyway; don't build the bigint. */
  private scaledNumber(scale: number): number {
    if (digitCount(this.mantissa) + this.exp - scale > 309) {
      return this.sign() * Infinity;
    }
    return Number(this.scaledValueBig(scale));
  }

  /** MilliValue(): ceil(q × 1000), away from zero. */
  milliValue(): number {
    return this.scaledNumber(MILLI);
  }

  /**
   * RoundUp(Milli), as SetDefaults_ResourceList does for every ResourceList value:
   * values finer than 1m are rounded away from zero to milli. A value already at
   * milli or coarser keeps its cached input string, as upstream does.
   */
  roundUpToMilli(): Quantity {
    if (this.exp >= MILLI) {
      return this;
    }
    const { m } = shrinkAwayFromZero(this.mantissa, MILLI - this.exp);
    return new Quantity(m, MILLI, this.format);
  }

  /** The value as a float (AsApproximateFloat64); may lose precision. */
  asApproximateFloat64(): number {
    return Number(this.mantissa) * 10 ** this.exp;
  }

  /** String(): the cached input when the fast path kept it, else the canonical form. */
  toString(): string {
    return this.cached ?? this.canonicalString();
  }

  toJSON(): string {
    return this.toString();
  }

  /** CanonicalizeBytes: the largest exponent (multiple of 3, or of 1024) that loses no precision. */
  canonicalString(): string {
    if (this.isZero()) {
      return '0';
    }
    let format = this.format;
    if (format === 'BinarySI') {
      const lo = new Quantity(-1024n, 0, format);
      const hi = new Quantity(1024n, 0, format);
      if (this.cmp(lo) > 0 && this.cmp(hi) < 0) {
        format = 'DecimalSI';
      } else if (digitCount(this.mantissa) + this.exp > 40) {
        // beyond any BinarySI suffix (a parse caps BinarySI at 2^63-1; only sums get here)
        format = 'DecimalSI';
      } else if (this.exp < 0 && this.mantissa % pow10(-this.exp) !== 0n) {
        // not an integer: don't lose precision, show as DecimalSI
        format = 'DecimalSI';
      }
    }
    if (format === 'BinarySI') {
      let { m, times } = removeFactors(this.scaledValueBig(0), 1024n);
      // Upstream has no suffix past Ei; keep the number exact instead of dropping it.
      while (times > 6) {
        m *= 1024n;
        times--;
      }
      return `${m}${BINARY_BY_EXP.get(times * 10) ?? ''}`;
    }
    // amount.go AsCanonicalBytes: move factors of 10 into the exponent, then lower
    // the exponent to a multiple of 3.
    const reduced = removeFactors(this.mantissa, 10n);
    let m = reduced.m;
    let exponent = this.exp + reduced.times;
    while (exponent % 3 !== 0) {
      m *= 10n;
      exponent--;
    }
    if (format === 'DecimalSI') {
      const s = DECIMAL_BY_EXP.get(exponent);
      if (s !== undefined) {
        return `${m}${s}`;
      }
      // DecimalSI has no suffix beyond E (10^18): fall back to exponent notation.
    }
    return exponent === 0 ? `${m}` : `${m}e${exponent}`;
  }
}

/** ParseQuantity; throws QuantityParseError with upstream's message. */
export function parseQuantity(v: string | number): Quantity {
  return Quantity.parse(v);
}

/** The string the API server writes back for a quantity (Quantity.String()). */
export function canonicalQuantity(v: string | number): string {
  return Quantity.parse(v).toString();
}
